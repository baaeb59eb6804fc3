package dev.vmcase.samples;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The public corpus ({@code sample-cases/public/}): real evidence from public bug trackers and mailing lists, one
 * folder per case with {@code evidence/}, {@code README.md} and a hand-derived {@code truth.json}. Each case is
 * analysed like a user would open it ({@code Analysis.of(case/evidence)}) and checked against its truth
 * ({@link CorpusCheck}).
 *
 * <p>{@code known-gaps.txt} lists, one per line, {@code case-name: what vmcase gets wrong today}. A listed case must
 * <em>fail</em> its check (so a fix forces its line out) and an unlisted case must pass: main stays green while the
 * code catches up, and the list says honestly how far it has to go. The run prints a table (case, class, verdict).
 *
 * <p>{@code README.md} of the corpus lists every case; {@code -Dvmcase.writePublicReadme=true} regenerates its table
 * from the cases' truth and titles.
 */
class PublicCorpusTest {
    static final Path PUBLIC = SampleCasesTest.CASES.resolve("public");
    private static final Path GAPS = PUBLIC.resolve("known-gaps.txt");
    private static final Path README = PUBLIC.resolve("README.md");
    /** Folders of the corpus that are not cases. */
    private static final Set<String> NOT_CASES = Set.of("messages");
    private static final String BEGIN = "<!-- cases:begin";
    private static final String END = "<!-- cases:end -->";
    private static final Pattern ROW = Pattern.compile("^\\| \\[([^\\]]+)]\\([^)]*\\) \\| ([^|]*) \\|");
    private static final Pattern CITE = Pattern.compile("^(evidence/[^:]+):(\\d+)$");

    /** Verdicts of this run, printed as one table at the end. */
    private static final Map<String, String[]> TABLE = new TreeMap<>();

    static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(PUBLIC)) {
            return s.filter(Files::isDirectory).filter(p -> !NOT_CASES.contains(p.getFileName().toString()))
                    .sorted().toList();
        }
    }

    /** {@code case-name: what vmcase gets wrong today}, one per line; {@code #} starts a comment line. */
    static Map<String, String> knownGaps() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(GAPS, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int colon = t.indexOf(':');
            if (colon <= 0) {
                throw new IOException(GAPS + ": a line is 'case-name: what is wrong', not '" + t + "'");
            }
            if (out.put(t.substring(0, colon).strip(), t.substring(colon + 1).strip()) != null) {
                throw new IOException(GAPS + ": " + t.substring(0, colon) + " listed twice");
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> eachCaseGivesTheFindingsOfItsTruth() throws IOException {
        Map<String, String> gaps = knownGaps();
        return cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            String name = dir.getFileName().toString();
            CaseTruth truth = CaseTruth.read(dir.resolve("truth.json"));
            AnalysisResult r = Analysis.of(List.of(dir.resolve("evidence")), ProgressMonitor.NONE);
            List<String> problems = CorpusCheck.problems(dir, truth, r.findings());
            String all = String.join(" | ", problems);
            if (gaps.containsKey(name)) {
                TABLE.put(name, new String[] {truth.caseClass(), problems.isEmpty() ? "GAP FIXED" : "known gap", all});
                assertFalse(problems.isEmpty(), name + " now gives the findings of its truth: remove its line from "
                        + GAPS.getFileName());
            } else {
                TABLE.put(name, new String[] {truth.caseClass(), problems.isEmpty() ? "pass" : "FAIL", all});
                assertTrue(problems.isEmpty(), name + ": " + problems + " (findings: "
                        + r.findings().stream().map(f -> f.rule() + f.devices() + f.details()).toList() + ")");
            }
        }));
    }

    @AfterAll
    static void printTable() {
        if (TABLE.isEmpty()) {
            return;
        }
        int w = TABLE.keySet().stream().mapToInt(String::length).max().orElse(10);
        int c = TABLE.values().stream().mapToInt(v -> v[0].length()).max().orElse(10);
        StringBuilder b = new StringBuilder("\nPublic corpus: ").append(TABLE.size()).append(" cases\n");
        b.append(String.format("%-" + w + "s  %-" + c + "s  %-9s  %s%n", "case", "class", "verdict", "what is wrong"));
        TABLE.forEach((k, v) -> b.append(String.format("%-" + w + "s  %-" + c + "s  %-9s  %s%n", k, v[0], v[1], v[2])));
        System.out.print(b);
    }

    @TestFactory
    Stream<DynamicTest> eachCaseIsComplete() throws IOException {
        return cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            assertTrue(Files.isDirectory(dir.resolve("evidence")), "no evidence/ in " + dir);
            try (Stream<Path> s = Files.walk(dir.resolve("evidence"))) {
                assertTrue(s.anyMatch(Files::isRegularFile), "empty evidence/ in " + dir);
            }
            assertTrue(Files.isRegularFile(dir.resolve("README.md")), "no README.md in " + dir);
            CaseTruth t = CaseTruth.read(dir.resolve("truth.json"));
            assertFalse(t.sources().isEmpty(), "no sources");
            String readme = Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8);
            for (String src : t.sources()) {
                assertTrue(src.startsWith("https://") || src.startsWith("http://"), "not an address: " + src);
                assertTrue(readme.contains(src), "README.md does not name the source " + src);
            }
            assertTrue(t.caseClass() != null && t.caseClass().matches("[a-z]+/[a-z0-9-]+"), "class: " + t.caseClass());
            assertTrue(t.notes() != null && !t.notes().isBlank(), "truth.json has no notes");
            for (CaseTruth.Expected e : t.mustFire()) {
                assertTrue(e.rule() != null && e.rule().matches("[A-Z_]+"), "rule: " + e.rule());
                assertFalse(e.cites().isEmpty(), e.rule() + " cites no line");
                for (String cite : e.cites()) {
                    checkCite(dir, cite);
                }
            }
            t.mayFire().forEach(m -> assertTrue(m.matches("[A-Z_]+"), "may-fire: " + m));
        }));
    }

    /** A cite names an existing evidence file and a non-blank line in it. */
    private static void checkCite(Path dir, String cite) throws IOException {
        Matcher m = CITE.matcher(cite);
        assertTrue(m.matches(), "cite '" + cite + "' is not evidence/FILE:LINE");
        Path file = dir.resolve(m.group(1));
        assertTrue(Files.isRegularFile(file), "cited file missing: " + cite);
        // line breaks as vmcase counts them: \n, \r\n or a lone \r
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1);
        int n = Integer.parseInt(m.group(2));
        assertTrue(n >= 1 && n <= lines.length, "cite past the end of its file: " + cite);
        assertFalse(lines[n - 1].isBlank(), "cite of a blank line: " + cite);
    }

    @Test
    void knownGapsNameOnlyCasesOfTheCorpus() throws IOException {
        Set<String> names = new TreeSet<>();
        cases().forEach(p -> names.add(p.getFileName().toString()));
        for (Map.Entry<String, String> g : knownGaps().entrySet()) {
            assertTrue(names.contains(g.getKey()), "known-gaps.txt names no case: " + g.getKey());
            assertFalse(g.getValue().isBlank(), "known-gaps.txt says nothing of " + g.getKey());
        }
    }

    @Test
    void theReadmeListsEveryCaseWithItsClass() throws IOException {
        if (Boolean.getBoolean("vmcase.writePublicReadme")) {
            writeReadmeTable();
        }
        Map<String, String> listed = new TreeMap<>();
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                listed.put(m.group(1), m.group(2).strip());
            }
        }
        Map<String, String> actual = new TreeMap<>();
        for (Path dir : cases()) {
            actual.put(dir.getFileName().toString(), CaseTruth.read(dir.resolve("truth.json")).caseClass());
        }
        assertEquals(actual, listed, "sample-cases/public/README.md's table (case → class) differs from the case "
                + "folders; regenerate it with -Dvmcase.writePublicReadme=true");
    }

    /** Rewrites the README's table between its markers from each case's truth and the title of its README. */
    private static void writeReadmeTable() throws IOException {
        String text = Files.readString(README, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            fail(README + " has no " + BEGIN + " … " + END + " markers");
        }
        int tableStart = text.indexOf('\n', begin) + 1;
        List<String> rows = new ArrayList<>();
        rows.add("| case | class | source | what happened |");
        rows.add("|---|---|---|---|");
        for (Path dir : cases()) {
            CaseTruth t = CaseTruth.read(dir.resolve("truth.json"));
            String name = dir.getFileName().toString();
            rows.add("| [" + name + "](" + name + "/) | " + t.caseClass() + " | " + t.sources().get(0) + " | "
                    + title(dir.resolve("README.md")).replace("|", "\\|") + " |");
        }
        Files.writeString(README, text.substring(0, tableStart) + String.join("\n", rows) + "\n" + text.substring(end),
                StandardCharsets.UTF_8);
    }

    /** The first {@code # } heading of a case's README: its one-line summary. */
    private static String title(Path readme) throws IOException {
        for (String line : Files.readAllLines(readme, StandardCharsets.UTF_8)) {
            if (line.startsWith("# ")) {
                return line.substring(2).strip();
            }
        }
        return "";
    }
}
