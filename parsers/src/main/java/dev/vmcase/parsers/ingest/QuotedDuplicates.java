package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Frame;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.text.EmbeddedEvidenceParser;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

/**
 * One line of evidence, cited once. A reply that quotes the original mail holds the same line twice, a ticket
 * quotes a line of a log that is in the bundle too, a thread saved as several mails repeats the first one's
 * paste at each level of quoting: every copy would otherwise be a record of its own, and a finding would cite the
 * quote before the line itself.
 * <p>
 * Copies are the same record read from the same text (events by the line's words, QMP messages by what they say,
 * device observations by what they observe, backtraces by their frames). Of the copies of a record the one kept
 * is, in this order: from a primary artifact (any format but pasted text), the least quoted, from the first
 * artifact, on the first line. A pasted copy is then dropped unless it is in the same artifact at the same quote
 * depth as the one kept (two attempts pasted one after the other are two records, not a quote); a primary
 * artifact's records are never dropped.
 */
public final class QuotedDuplicates {
    private QuotedDuplicates() {
    }

    /**
     * Drops, from the records of {@code parts}, the copies that only quote a record kept elsewhere.
     *
     * @param artifacts the artifacts in reading order
     * @param depths    for each pasted artifact (by sha256), the quote depth of each of its lines
     */
    public static void merge(List<Artifact> artifacts, Evidence.Builder parts, Map<String, IntUnaryOperator> depths) {
        Map<String, Integer> order = new HashMap<>();
        Map<String, Boolean> pasted = new HashMap<>();
        for (Artifact a : artifacts) {
            order.putIfAbsent(a.sha256(), order.size());
            pasted.putIfAbsent(a.sha256(), EmbeddedEvidenceParser.FORMAT.equals(a.format()));
        }
        if (!pasted.containsValue(true)) {
            return;
        }
        Ranking rank = new Ranking(order, pasted, depths);
        drop(parts.events, Event::source, e -> String.valueOf(e.time()), e -> "E" + lineKey(e.source().text()), rank);
        drop(parts.qmp, QmpMessage::source, QmpMessage::name, QuotedDuplicates::key, rank);
        drop(parts.observations, DeviceObservation::source, o -> o.id() + '\u0000' + o.pci(), QuotedDuplicates::key,
                rank);
        drop(parts.backtraces, Backtrace::source, b -> "", QuotedDuplicates::key, rank);
    }

    /**
     * @param coarse a cheap part of the key: a primary artifact's record is compared in full only when a pasted
     *               record shares it (a big log's records are not all keyed for a note's few lines)
     */
    private static <T> void drop(List<T> records, Function<T, SourceRef> source, Function<T, String> coarse,
                                 Function<T, String> key, Ranking rank) {
        java.util.Set<String> pastedCoarse = new java.util.HashSet<>();
        for (T r : records) {
            if (rank.pasted(source.apply(r))) {
                pastedCoarse.add(coarse.apply(r));
            }
        }
        if (pastedCoarse.isEmpty()) {
            return;
        }
        Map<String, T> best = new HashMap<>();
        Map<T, String> keys = new IdentityHashMap<>();
        for (T r : records) {
            if (!rank.pasted(source.apply(r)) && !pastedCoarse.contains(coarse.apply(r))) {
                continue;
            }
            String k = key.apply(r);
            keys.put(r, k);
            best.merge(k, r, (a, b) -> rank.compare(source.apply(b), source.apply(a)) < 0 ? b : a);
        }
        records.removeIf(r -> {
            String k = keys.get(r);
            if (k == null) {
                return false;
            }
            T kept = best.get(k);
            SourceRef s = source.apply(r);
            SourceRef b = source.apply(kept);
            return kept != r && rank.pasted(s)
                    && !(s.artifact().equals(b.artifact()) && rank.depth(s) == rank.depth(b));
        });
    }

    /** Which copy of a record stands for all of them. */
    private static final class Ranking {
        private final Map<String, Integer> order;
        private final Map<String, Boolean> pasted;
        private final Map<String, IntUnaryOperator> depths;

        Ranking(Map<String, Integer> order, Map<String, Boolean> pasted, Map<String, IntUnaryOperator> depths) {
            this.order = order;
            this.pasted = pasted;
            this.depths = depths;
        }

        boolean pasted(SourceRef s) {
            return pasted.getOrDefault(s.artifact(), false);
        }

        int depth(SourceRef s) {
            IntUnaryOperator d = depths.get(s.artifact());
            return d == null ? 0 : d.applyAsInt(s.line());
        }

        int compare(SourceRef a, SourceRef b) {
            int c = Boolean.compare(pasted(a), pasted(b));
            if (c == 0) {
                c = Integer.compare(depth(a), depth(b));
            }
            if (c == 0) {
                c = Integer.compare(order.getOrDefault(a.artifact(), Integer.MAX_VALUE),
                        order.getOrDefault(b.artifact(), Integer.MAX_VALUE));
            }
            return c != 0 ? c : Integer.compare(a.line(), b.line());
        }
    }

    /**
     * A line's words, as far as every copy holds them: a long line is cited cut ({@link SourceRef#MAX_TEXT}), and
     * copies whose blanks differ are cut at different words, so only a prefix shorter than the cut is compared.
     */
    static String lineKey(String text) {
        String t = text.length() > SourceRef.MAX_TEXT && text.endsWith("…") ? text.substring(0, text.length() - 1)
                : text;
        String w = words(t);
        return w.length() > COMPARED ? w.substring(0, COMPARED) : w;
    }

    /** Characters of a line's words compared: well under the cut, whatever blanks a copy lost or gained. */
    static final int COMPARED = SourceRef.MAX_TEXT * 3 / 4;

    /** The words of a line, whatever wrapping or indentation a copy of it picked up. */
    static String words(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String key(QmpMessage m) {
        return "Q" + m.kind() + '\u0000' + m.name() + '\u0000' + m.qmpId() + '\u0000' + m.time() + '\u0000'
                + new TreeMap<>(m.arguments());
    }

    private static String key(DeviceObservation o) {
        Map<String, String> attrs = new TreeMap<>(o.attributes());
        attrs.remove(dev.vmcase.parsers.qmp.QmpReader.SNAPSHOT); // a line number: differs between copies
        return "O" + o.layer() + '\u0000' + o.role() + '\u0000' + o.id() + '\u0000' + o.type() + '\u0000' + o.pci()
                + '\u0000' + o.backend() + '\u0000' + attrs;
    }

    private static String key(Backtrace b) {
        StringBuilder k = new StringBuilder("B");
        for (BacktraceThread t : b.threads()) {
            k.append("|T").append(t.number()).append(':').append(t.lwp());
            for (Frame f : t.frames()) {
                k.append('\u0000').append(f.index()).append(' ').append(f.function()).append(' ').append(f.args())
                        .append(' ').append(f.file()).append(':').append(f.line());
            }
        }
        return k.toString();
    }
}
