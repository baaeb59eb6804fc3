package dev.vmcase.samples;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The message bank {@code sample-cases/public/messages/*.tsv}: real QEMU, libvirt and nova lines from which issue 15's
 * catalogue is to be built. Every row names its public source, and its pattern (the fixed text, {@code …} for the
 * variable parts) must be found in its verbatim sample, fragment after fragment — so a row whose sample was edited,
 * or whose pattern drifted from the sample, fails here.
 */
class MessageBankTest {
    private static final Path BANK = PublicCorpusTest.PUBLIC.resolve("messages");
    static final String HEADER = "component\tpattern\tsample\tsource\tversions\tnames\tclass";

    record Row(Path file, int line, String[] cols) {
        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(BANK)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tsv")).sorted().toList();
        }
    }

    static List<Row> rows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(HEADER, lines.isEmpty() ? "" : lines.get(0), file + ": header");
        List<Row> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(new Row(file, i + 1, lines.get(i).split("\t", -1)));
            }
        }
        return out;
    }

    /** The pattern's fixed fragments, in order, in the sample. */
    static boolean patternMatches(String pattern, String sample) {
        int at = 0;
        for (String fragment : pattern.split("…")) {
            String f = fragment.strip();
            if (f.isEmpty()) {
                continue;
            }
            int k = sample.indexOf(f, at);
            if (k < 0) {
                return false;
            }
            at = k + f.length();
        }
        return true;
    }

    @TestFactory
    Stream<DynamicTest> everyRowIsCompleteAndItsPatternMatchesItsSample() throws IOException {
        List<Row> all = new ArrayList<>();
        for (Path f : files()) {
            all.addAll(rows(f));
        }
        return all.stream().map(r -> DynamicTest.dynamicTest(r.where(), () -> {
            assertEquals(7, r.cols().length, r.where() + ": 7 tab-separated columns");
            String[] c = r.cols();
            for (int i : new int[] {0, 1, 2, 3, 6}) {
                assertFalse(c[i].isBlank(), r.where() + ": empty column " + HEADER.split("\t")[i]);
            }
            assertTrue(c[3].startsWith("https://") || c[3].startsWith("http://"), r.where() + ": source " + c[3]);
            assertTrue(c[6].matches("[a-z]+/[a-z0-9-]+"), r.where() + ": class " + c[6]);
            assertTrue(patternMatches(c[1], c[2]), r.where() + ": pattern '" + c[1] + "' not found in '" + c[2] + "'");
        }));
    }

    @Test
    void noTwoRowsClaimTheSameSampleAndTheBankHasEightyRows() throws IOException {
        Map<String, String> seen = new HashMap<>();
        int n = 0;
        for (Path f : files()) {
            for (Row r : rows(f)) {
                n++;
                String before = seen.put(r.cols()[2], r.where());
                assertTrue(before == null, r.where() + " repeats the sample of " + before);
            }
        }
        assertTrue(n >= 80, "the bank has " + n + " rows");
    }

    @Test
    void aPatternFailsOnASampleWithoutItsFixedText() {
        assertTrue(patternMatches("Missing section footer for …", "qemu-kvm: Missing section footer for 0000:00:01.3/piix4_pm"));
        assertFalse(patternMatches("Missing section footer for …", "qemu-kvm: Missing section header for x"));
        assertFalse(patternMatches("load of migration failed: … while loading", "while loading … load of migration failed: x"));
    }
}
