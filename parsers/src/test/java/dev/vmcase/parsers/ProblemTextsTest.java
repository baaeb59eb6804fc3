package dev.vmcase.parsers;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Problem;
import dev.vmcase.parsers.ingest.Ingest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A problem with a key reads in the user's language; its English message is what JSON and logs carry. */
class ProblemTextsTest {
    @TempDir
    Path dir;

    @Test
    void aKeyedProblemRendersInEnglishAndInChinese() {
        Problem p = ProblemTexts.problem("x.log", 0, "ingest.binaryControl", 12, 4096);
        assertEquals("binary content (12 control bytes in the first 4096), not read as text", p.message());
        assertEquals(List.of("12", "4096"), p.args());
        assertEquals(p.message(), ProblemTexts.render(p, Locale.ROOT));
        String zh = ProblemTexts.render(p, Locale.SIMPLIFIED_CHINESE);
        assertEquals("二进制内容（前 4096 字节中有 12 个控制字节），未作为文本读取", zh);
        assertEquals("x.log: " + zh, ProblemTexts.renderWithPlace(p, Locale.SIMPLIFIED_CHINESE));
    }

    @Test
    void aProblemWithoutAKeyOrWithAnUnknownOneKeepsItsEnglishText() {
        assertEquals("odd line", ProblemTexts.render(new Problem("x", 3, "odd line"), Locale.SIMPLIFIED_CHINESE));
        Problem newer = new Problem("x", 3, "from a newer vmcase", "ingest.noSuchKey", List.of());
        assertEquals("from a newer vmcase", ProblemTexts.render(newer, Locale.SIMPLIFIED_CHINESE));
    }

    @Test
    void ingestsOwnProblemsCarryTheirKeys() throws IOException {
        Files.write(dir.resolve("empty.log"), new byte[0]);
        Files.writeString(dir.resolve("latin1.log"), "ok\n", StandardCharsets.UTF_8);
        Files.write(dir.resolve("latin1.log"), new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'},
                java.nio.file.StandardOpenOption.APPEND);
        List<Artifact> artifacts = Ingest.load(List.of(dir), ProgressMonitor.NONE).artifacts();
        Problem empty = artifacts.stream().filter(a -> a.path().endsWith("empty.log")).findFirst().orElseThrow()
                .problems().get(0);
        assertEquals("ingest.emptyFile", empty.key());
        assertEquals("空文件", ProblemTexts.render(empty, Locale.SIMPLIFIED_CHINESE));
        Problem latin1 = artifacts.stream().filter(a -> a.path().endsWith("latin1.log")).findFirst().orElseThrow()
                .problems().get(0);
        assertEquals("ingest.notUtf8Line", latin1.key());
        assertEquals(2, latin1.line());
        assertTrue(ProblemTexts.render(latin1, Locale.SIMPLIFIED_CHINESE).startsWith("此行不是有效的 UTF-8"));
    }

    /**
     * Every key the parsers' sources name (a literal in {@code problemOf(…, "key", …)} or {@code ProblemTexts.problem(…)},
     * or the literal start of one built there) is in both bundles, and the bundles hold the same keys: a key missing from
     * one would show a parser's problem as its raw English text in that language, or not at all.
     */
    @Test
    void everyKeyTheParsersNameIsInBothLanguages() throws IOException {
        java.util.Properties en = bundle("Problems.properties");
        java.util.Properties zh = bundle("Problems_zh_CN.properties");
        assertEquals(new java.util.TreeSet<>(en.stringPropertyNames()), new java.util.TreeSet<>(zh.stringPropertyNames()));
        java.util.regex.Pattern named = java.util.regex.Pattern.compile(
                "(?:problemOf|ProblemTexts\\.problem|ProblemTexts\\.text)\\([^;]*?\"([a-z][A-Za-z]*\\.[A-Za-z.]*)\"(\\s*\\+)?");
        List<Path> sources;
        try (var walk = Files.walk(Path.of("src", "main", "java"))) {
            sources = walk.filter(f -> f.toString().endsWith(".java")).toList();
        }
        int keys = 0;
        for (Path f : sources) {
            java.util.regex.Matcher m = named.matcher(Files.readString(f));
            while (m.find()) {
                String key = m.group(1);
                boolean prefix = m.group(2) != null;
                keys++;
                assertTrue(prefix ? en.stringPropertyNames().stream().anyMatch(k -> k.startsWith(key))
                        : en.containsKey(key), f + " names the problem key " + key + ", which Problems.properties lacks");
            }
        }
        assertTrue(keys > 40, "the scan finds the parsers' keys: " + keys);
    }

    /**
     * No parser or ingest source says a problem in English only (a literal text given to {@code sink.problem(…)} or to a
     * {@code new Problem(…)}): such a problem would read in English in the Chinese UI. The two places that build a
     * problem from a text already said by key (a text placed, a problem moved to another path) are the exceptions, by
     * their exact lines.
     */
    @Test
    void noSourceSaysAProblemInEnglishOnly() throws IOException {
        java.util.regex.Pattern english = java.util.regex.Pattern.compile(
                "sink\\.problem\\(|new Problem\\((?![^;]*\\.key\\(\\))[^;]*;");
        List<String> found = new java.util.ArrayList<>();
        try (var walk = Files.walk(Path.of("src", "main", "java"))) {
            for (Path f : walk.filter(x -> x.toString().endsWith(".java")).toList()) {
                java.util.regex.Matcher m = english.matcher(Files.readString(f));
                while (m.find()) {
                    found.add(f.getFileName() + ": " + m.group().replaceAll("\\s+", " "));
                }
            }
        }
        assertEquals(new java.util.TreeSet<>(List.of("Problem.java: new Problem(otherPath, line, message, key, args);",
                "ProblemTexts.java: new Problem(path, line, english(), key, args);")), new java.util.TreeSet<>(found));
    }

    private static java.util.Properties bundle(String name) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(Path.of("src", "main", "resources", "dev", "vmcase", "parsers", name),
                StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }
}
