package dev.vmcase.parsers.text;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Problem;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.text.PasteNormaliser.PastedLine;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Regions of a pasted file read by the parser of their form, each as a small file of its own (its lines without
 * the indentation they share), what they give renumbered to the lines of the pasted file.
 * <p>
 * A region's parser may run past the evidence into prose that follows it in the same block (a sentence right
 * under an {@code info pci} dump): when it reports problems only after the last line it read anything from, the
 * region is read again, ending before the first of those lines. A region that gives nothing but problems keeps its
 * first problem only.
 */
final class Regions {
    private final TextSource source;
    private final EvidenceSink sink;
    private final Formats formats;
    private final java.util.Set<String> crashedDetectors = new java.util.HashSet<>();

    Regions(TextSource source, EvidenceSink sink, Formats formats) {
        this.source = source;
        this.sink = sink;
        this.formats = formats;
    }

    /** Lines gathered for a region or a block: one quote depth, one container, bounded. */
    static final class Lines {
        private final List<PastedLine> lines = new ArrayList<>();
        private final int depth;
        private final int container;
        private long chars;

        Lines(PastedLine first) {
            depth = first.depth();
            container = first.container();
            add(first);
        }

        void add(PastedLine p) {
            lines.add(p);
            chars += p.text().length() + 1;
        }

        boolean full() {
            return lines.size() >= EmbeddedEvidenceParser.MAX_REGION_LINES
                    || chars >= EmbeddedEvidenceParser.MAX_REGION_CHARS;
        }

        int depth() {
            return depth;
        }

        int container() {
            return container;
        }

        List<PastedLine> lines() {
            return lines;
        }
    }

    /**
     * A block no line-level form claimed: handed to the first format parser that recognises it, from its first line
     * or, after a caption, from one of its next lines that is not prose. Returns false when nobody recognises it.
     */
    boolean readBlock(List<PastedLine> block) {
        int tried = 0;
        for (int s = 0; s < block.size() && tried <= EmbeddedEvidenceParser.MAX_BLOCK_STARTS; s++) {
            if (s > 0 && PasteForms.looksLikeProse(block.get(s).text().strip())) {
                continue;
            }
            tried++;
            List<PastedLine> tail = block.subList(s, block.size());
            int at = tail.get(0).first();
            Optional<EvidenceParser> p = formats.detect(head(tail), (parser, e) -> {
                // a detector's bug is said once per file, where it first tripped; the other formats still get a turn
                if (crashedDetectors.add(parser.format())) {
                    sink.problemOf(at, "text.detectorFailed", parser.format(), e);
                }
            });
            if (p.isPresent()) {
                read(p.get(), tail);
                return true;
            }
        }
        return false;
    }

    private static Head head(List<PastedLine> lines) {
        List<PastedLine> first = lines.subList(0, Math.min(lines.size(), Head.MAX_LINES));
        int margin = margin(first);
        List<String> out = new ArrayList<>(first.size());
        for (PastedLine p : first) {
            String l = cutIndent(p.text(), margin);
            out.add(l.length() > 4096 ? l.substring(0, 4096) : l);
        }
        return new Head(out);
    }

    /** Reads the lines as a file of the given parser's format and takes over what it finds. */
    void read(EvidenceParser parser, List<PastedLine> lines) {
        int margin = margin(lines);
        EvidenceSink found = parse(parser, lines, margin);
        if (margin > 0 && !found.problems().isEmpty()) {
            // some forms mean their indentation (QEMU indents HMP output itself): read as pasted too, and keep the
            // reading with fewer problems
            EvidenceSink asPasted = parse(parser, lines, 0);
            if (better(asPasted, found)) {
                found = asPasted;
                margin = 0;
            }
        }
        int last = lastEvidenceLine(found);
        int cut = Integer.MAX_VALUE;
        for (Problem p : found.problems()) {
            if (p.line() > last) {
                cut = Math.min(cut, p.line());
            }
        }
        if (last > 0 && cut != Integer.MAX_VALUE && cut > 1 && cut <= lines.size()) {
            lines = lines.subList(0, cut - 1);
            found = parse(parser, lines, margin);
        }
        List<PastedLine> mapped = lines;
        if (lastEvidenceLine(found) == 0) {
            // recognised but nothing read: say what the parser tripped over, once
            found.problems().stream().findFirst().ifPresent(p -> sink.problemOf(line(mapped, p.line()),
                    "text.regionUnread", parser.format(), p.message()));
            return;
        }
        sink.absorb(found, k -> line(mapped, k));
    }

    /** Fewer problems, or as many and more found. */
    private static boolean better(EvidenceSink a, EvidenceSink b) {
        int pa = a.problems().size();
        int pb = b.problems().size();
        return pa < pb || pa == pb && found(a) > found(b);
    }

    private static int found(EvidenceSink s) {
        return s.events().size() + s.qmpMessages().size() + s.observations().size() + s.backtraces().size();
    }

    private static int line(List<PastedLine> lines, int k) {
        if (k < 1) {
            return lines.get(0).first();
        }
        return lines.get(Math.min(k, lines.size()) - 1).first();
    }

    /** Parses the lines, each without {@code margin} leading blanks, as a file of its own. */
    private EvidenceSink parse(EvidenceParser parser, List<PastedLine> lines, int margin) {
        StringBuilder text = new StringBuilder();
        for (PastedLine p : lines) {
            text.append(cutIndent(p.text(), margin)).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        TextSource region = new TextSource(source.path(), source.sha256(), () -> new ByteArrayInputStream(bytes));
        EvidenceSink found = new EvidenceSink(source.sha256(), source.path());
        try {
            parser.parse(region, found);
        } catch (RuntimeException | StackOverflowError e) {
            // as ingest's guard does for a file: what the parser found stays, the failure is the region's problem
            found.problemOf(1, "text.regionParserFailed", parser.format(), e);
        }
        return found;
    }

    /** The indentation every non-blank line has. */
    private static int margin(List<PastedLine> lines) {
        int m = Integer.MAX_VALUE;
        for (PastedLine p : lines) {
            if (!p.blank()) {
                m = Math.min(m, PasteForms.indent(p.text()));
            }
        }
        return m == Integer.MAX_VALUE ? 0 : m;
    }

    private static String cutIndent(String s, int margin) {
        return s.substring(Math.min(margin, PasteForms.indent(s)));
    }

    /** The last line of the region anything was read from (0: nothing). */
    static int lastEvidenceLine(EvidenceSink s) {
        int last = 0;
        for (Event e : s.events()) {
            last = Math.max(last, e.source().line());
        }
        for (QmpMessage m : s.qmpMessages()) {
            last = Math.max(last, m.source().line());
        }
        for (DeviceObservation o : s.observations()) {
            last = Math.max(last, o.source().line());
        }
        for (Backtrace b : s.backtraces()) {
            last = Math.max(last, b.source().line());
            for (BacktraceThread t : b.threads()) {
                for (Frame f : t.frames()) {
                    last = Math.max(last, f.source().line());
                }
            }
        }
        return last;
    }
}
