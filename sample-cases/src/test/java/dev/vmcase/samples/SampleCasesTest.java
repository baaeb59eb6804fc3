package dev.vmcase.samples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sample case's analysis still produces its hand-checked expected findings. A case is a folder with
 * {@code evidence/} and {@code expected-findings.json}.
 */
class SampleCasesTest {
    static final Path CASES = Path.of(System.getProperty("vmcase.samples", "."));

    static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(CASES)) {
            return s.filter(p -> Files.isDirectory(p.resolve("evidence"))).sorted().toList();
        }
    }

    @Test
    void theBundledCasesAreAllHere() throws IOException {
        List<String> names = cases().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("seed-incident", "orphaned-disk-qemu")), names.toString());
    }

    @TestFactory
    Stream<DynamicTest> eachCaseProducesItsExpectedFindings() throws IOException {
        return cases().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            Path evidence = dir.resolve("evidence");
            AnalysisResult r = Analysis.of(List.of(evidence), ProgressMonitor.NONE);
            JsonNode actual = ExpectedFindings.of(r, evidence);
            Path expectedFile = dir.resolve("expected-findings.json");
            if (Boolean.getBoolean("vmcase.writeExpected")) {
                ExpectedFindings.write(actual, expectedFile);
            }
            assertTrue(Files.exists(expectedFile), "no expected-findings.json in " + dir);
            assertEquals(ExpectedFindings.read(expectedFile).toPrettyString(), actual.toPrettyString());
        }));
    }

    /**
     * A case opened by its folder (as the README's screenshot caption and `./vmcase open sample-cases/CASE` do) gives
     * what its evidence gives: its README is the case's note, its answer key and scripts are not read for findings.
     * The public corpus's case folders too.
     */
    @TestFactory
    Stream<DynamicTest> eachCaseFolderOpensAsItsEvidence() throws IOException {
        List<Path> all = new java.util.ArrayList<>(cases());
        Path corpus = CASES.resolve("public");
        if (Files.isDirectory(corpus)) {
            try (Stream<Path> s = Files.list(corpus)) {
                s.filter(p -> Files.isDirectory(p.resolve("evidence"))).sorted().forEach(all::add);
            }
        }
        return all.stream().map(dir -> DynamicTest.dynamicTest(CASES.relativize(dir).toString(), () -> {
            AnalysisResult folder = Analysis.of(List.of(dir), ProgressMonitor.NONE);
            AnalysisResult evidence = Analysis.of(List.of(dir.resolve("evidence")), ProgressMonitor.NONE);
            assertEquals(summary(evidence), summary(folder));
        }));
    }

    private static List<String> summary(AnalysisResult r) {
        return r.findings().stream().map(f -> f.rule() + " " + f.devices() + " " + f.evidence().stream()
                .map(e -> Path.of(e.path()).getFileName() + ":" + e.line()).toList()).toList();
    }

    @Test
    void everyFindingOfEveryCaseCitesEvidence() throws IOException {
        for (Path dir : cases()) {
            AnalysisResult r = Analysis.of(List.of(dir.resolve("evidence")), ProgressMonitor.NONE);
            r.findings().forEach(f -> assertFalse(f.evidence().isEmpty(), f.rule() + " in " + dir + " cites nothing"));
        }
    }
}
