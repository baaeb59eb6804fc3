package dev.vmcase.parsers.ingest;

import dev.vmcase.parsers.Head;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Files that describe evidence rather than hold it, told by their content and by where they sit, so that they create
 * no findings:
 * <ul>
 *   <li>an answer key: a JSON document of expected findings, objects with a {@code "rule"} naming a rule id
 *       ({@code expected-findings.json}, a corpus case's {@code truth.json}, whatever their names);</li>
 *   <li>a script: a {@code #!} line, or Python or shell source from its first line on (a capture script quotes
 *       the messages it waits for);</li>
 *   <li>a case's description: in a sample-case folder (a folder whose answer key sits beside an {@code evidence/}
 *       folder), a file beside {@code evidence/} that no format parser reads as evidence — the README — is the
 *       case's note, not a pasted ticket. A real log there is still read as the log it is.</li>
 * </ul>
 * Everything else, a README outside such a folder included, is read as usual: a ticket or a note with evidence pasted
 * into it gives what it holds, marked as coming from a pasted note.
 */
public final class DescribingFiles {
    /** Artifact format of an answer key: listed, never read as evidence. */
    public static final String ANSWER_KEY = "answer-key";
    /** Artifact format of a script. */
    public static final String SCRIPT = "script";
    /** Artifact format of a sample case's description (its README): the case's note. */
    public static final String CASE_NOTE = "case-note";

    private static final Pattern RULE_KEY = Pattern.compile("\"rule\"\\s*:\\s*\"[A-Z][A-Z0-9_]{2,}\"");
    private static final Pattern SOURCE_CODE = Pattern.compile(
            "^(?:#!|import [\\w.]+|from [\\w.]+ import |def \\w+\\(|set -[euxo]+\\s*$|\"\"\"|package [\\w.]+;)");
    /** An answer key is recognised from this many of its first characters. */
    private static final int KEY_SNIFF = 64 * 1024;

    private DescribingFiles() {
    }

    /** What a file is when it describes evidence ({@link #ANSWER_KEY}, {@link #SCRIPT}); empty otherwise. */
    public static Optional<String> kind(Head head) {
        List<String> sig = head.significant();
        if (sig.isEmpty()) {
            return Optional.empty();
        }
        if (head.lines().get(0).startsWith("#!") || SOURCE_CODE.matcher(sig.get(0).strip()).lookingAt()) {
            return Optional.of(SCRIPT);
        }
        String first = sig.get(0).strip();
        if (first.startsWith("[") || first.startsWith("{")) {
            StringBuilder text = new StringBuilder();
            for (String l : sig) {
                text.append(l).append('\n');
                if (text.length() > KEY_SNIFF) {
                    break;
                }
            }
            if (RULE_KEY.matcher(text).find()) {
                return Optional.of(ANSWER_KEY);
            }
        }
        return Optional.empty();
    }

    /**
     * The files under {@code root} that describe a sample case rather than hold its evidence: in each folder that
     * has an {@code evidence/} folder and, beside it, an answer key (by content), every file outside
     * {@code evidence/}.
     */
    public static Set<Path> descriptions(Path root, List<Path> files) {
        Set<Path> cases = new HashSet<>();
        try (Stream<Path> dirs = Files.walk(root)) {
            dirs.filter(Files::isDirectory).filter(DescribingFiles::isCaseFolder).forEach(cases::add);
        } catch (IOException | UncheckedIOException e) {
            return Set.of(); // the walk itself reports what it cannot read
        }
        Set<Path> out = new HashSet<>();
        if (cases.isEmpty()) {
            return out;
        }
        for (Path f : files) {
            for (Path d = f.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
                if (cases.contains(d)) {
                    if (!f.startsWith(d.resolve("evidence"))) {
                        out.add(f);
                    }
                    break;
                }
            }
        }
        return out;
    }

    /** A folder with an {@code evidence/} folder and an answer key beside it. */
    static boolean isCaseFolder(Path dir) {
        if (!Files.isDirectory(dir.resolve("evidence"))) {
            return false;
        }
        List<Path> beside = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).forEach(beside::add);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
        for (Path f : beside) {
            if (kind(head(f)).filter(ANSWER_KEY::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static Head head(Path f) {
        try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
            return new Head(lines.limit(Head.MAX_LINES).map(l -> l.length() > 4096 ? l.substring(0, 4096) : l)
                    .toList());
        } catch (IOException | UncheckedIOException e) {
            return new Head(List.of());
        }
    }
}
