package dev.vmcase.casefile;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Finding;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whatever a case was saved with, it reopens with the same evidence and notes (issue 19, items 5–7): every sample
 * case, evidence with odd file names, symlinked evidence files, and a case with one damaged artifact.
 */
class CaseRoundTripTest {
    static final Path CASES = Path.of("../sample-cases").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    static List<String> findings(AnalysisResult r) {
        return r.findings().stream().map(f -> f.rule() + " " + f.devices()).sorted().toList();
    }

    static CaseFile noted(CaseFile c) {
        Annotation a = new Annotation("n1", Target.device("virtio-disk1"), "笔记: keep me", List.of("t"), "alice",
                "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
        return c.withNotes(new CaseNotes(List.of(a), List.of(), List.of(), Map.of()));
    }

    /** Saves, reopens, and checks every artifact's bytes and the notes came back. */
    OpenedCase roundTrip(CaseFile c, String name) throws IOException {
        Path file = tmp.resolve(name + ".vmcase");
        CaseIO.save(c, file);
        OpenedCase o = CaseIO.open(file, tmp.resolve("work"));
        assertEquals(List.of(), o.integrity(), name);
        assertEquals(c.notes(), o.file().notes(), name);
        assertEquals(c.artifacts().size(), o.file().artifacts().size(), name);
        for (int i = 0; i < c.artifacts().size(); i++) {
            CaseArtifact before = c.artifacts().get(i);
            CaseArtifact after = o.file().artifacts().get(i);
            assertEquals(before.name(), after.name());
            assertArrayEquals(Files.readAllBytes(c.pathOf(before)), Files.readAllBytes(o.file().pathOf(after)),
                    before.name());
        }
        return o;
    }

    @Test
    void everySampleCaseRoundTripsWithItsFindings() throws IOException {
        List<Path> evidence;
        try (Stream<Path> s = Files.list(CASES)) {
            evidence = s.map(p -> p.resolve("evidence")).filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(evidence.size() >= 5, evidence::toString);
        for (Path ev : evidence) {
            CaseFile c = noted(CaseFile.fromInputs(List.of(ev)));
            OpenedCase o = roundTrip(c, ev.getParent().getFileName().toString());
            assertEquals(findings(CaseAnalysis.run(c, ProgressMonitor.NONE)),
                    findings(CaseAnalysis.run(o.file(), ProgressMonitor.NONE)), ev::toString);
        }
    }

    @Test
    void oddNamesRoundTrip() throws IOException {
        Path ev = Files.createDirectories(tmp.resolve("odd evidence"));
        byte[] log = Files.readAllBytes(CASES.resolve("orphaned-disk-qemu/evidence/destination-qemu.log"));
        List<String> names = new ArrayList<>(List.of(".hidden", ".gitignore", "..dots", "with space.log", "迁移日志.log",
                "Trace.log", "trace.log", "-rf", "+plus", "semi;colon&amp.txt", "x".repeat(255)));
        char[] cjk = new char[85];
        Arrays.fill(cjk, '日'); // 85 × 3 bytes = 255 bytes of UTF-8
        names.add(new String(cjk));
        int i = 0;
        for (String n : names) {
            Files.write(ev.resolve(n), (i++ + "\n" + new String(log, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(ev.resolve(".git"));
        Files.writeString(ev.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        CaseFile c = noted(CaseFile.fromInputs(List.of(ev)));
        assertEquals(names.size() + 1, c.artifacts().size());
        OpenedCase o = roundTrip(c, "odd");
        assertTrue(o.file().artifacts().stream().anyMatch(a -> a.name().equals("odd evidence/.hidden")));
        assertTrue(o.file().artifacts().stream().anyMatch(a -> a.name().equals("odd evidence/迁移日志.log")));
        assertTrue(o.file().artifacts().stream().anyMatch(a -> a.name().equals("odd evidence/.git/HEAD")));
    }

    @Test
    void aCaseWrittenWithADotFileEntryByAnOlderVmcaseStillOpens() {
        assertTrue(CaseFile.ENTRY.matcher("artifacts/0001/.hidden").matches());
        assertFalse(CaseFile.ENTRY.matcher("artifacts/0001/..").matches());
        assertFalse(CaseFile.ENTRY.matcher("artifacts/0001/.").matches());
        assertFalse(CaseFile.ENTRY.matcher("artifacts/0001/../x").matches());
        for (String n : List.of(".", "..", "...", "", "a/b", "日本", "x".repeat(300), "a\\b")) {
            assertTrue(CaseFile.ENTRY.matcher("artifacts/0001/" + CaseFile.safeName(n)).matches(), n);
        }
    }

    @Test
    void symlinkedEvidenceFilesAreSavedAndTheReopenedCaseHasTheSameFindings() throws IOException {
        Path real = CASES.resolve("orphaned-disk-qemu/evidence");
        Path ev = Files.createDirectories(tmp.resolve("linked"));
        try (Stream<Path> s = Files.list(real)) {
            for (Path f : s.sorted().toList()) {
                // half the files as links, as a bundle assembled from several hosts' folders often is
                if (f.getFileName().toString().startsWith("source")) {
                    Files.createSymbolicLink(ev.resolve(f.getFileName()), f);
                } else {
                    Files.copy(f, ev.resolve(f.getFileName()));
                }
            }
        }
        Files.createSymbolicLink(ev.resolve("elsewhere"), CASES.resolve("seed-incident"));
        CaseFile c = noted(CaseFile.fromInputs(List.of(ev)));
        List<String> direct = findings(CaseAnalysis.run(CaseFile.fromInputs(List.of(real)), ProgressMonitor.NONE));
        assertFalse(direct.isEmpty());
        assertEquals(direct, findings(CaseAnalysis.run(c, ProgressMonitor.NONE)));
        OpenedCase o = roundTrip(c, "linked");
        assertEquals(direct, findings(CaseAnalysis.run(o.file(), ProgressMonitor.NONE)));
        assertEquals(1, o.file().omitted().size(), o.file().omitted()::toString);
        assertEquals("linked/elsewhere", o.file().omitted().get(0).name());
        assertTrue(o.file().omitted().get(0).reason().contains("not followed"));
        // and a folder named through a link is a case of its own files
        Path link = Files.createSymbolicLink(tmp.resolve("LINK"), real);
        assertEquals(direct, findings(CaseAnalysis.run(CaseFile.fromInputs(List.of(link)), ProgressMonitor.NONE)));
    }

    @Test
    void oneFlippedByteInOneArtifactLeavesTheRestOfTheCaseAndItsNotes() throws IOException {
        Path ev = CASES.resolve("orphaned-disk-qemu/evidence");
        CaseFile c = noted(CaseFile.fromInputs(List.of(ev)));
        Path file = tmp.resolve("flip.vmcase");
        CaseIO.save(c, file);
        CaseArtifact victim = c.artifacts().stream().filter(a -> a.name().endsWith("source-qmp.jsonl")).findFirst()
                .orElseThrow();
        byte[] zip = Files.readAllBytes(file);
        int dataAt = localData(zip, victim.entry());
        int tries = 0;
        for (int off : new int[] {dataAt + 40, dataAt + 7, dataAt + 300}) {
            byte[] damaged = zip.clone();
            damaged[off] ^= 0x5a;
            Path bad = tmp.resolve("flip-" + off + ".vmcase");
            Files.write(bad, damaged);
            OpenedCase o = CaseIO.open(bad, tmp.resolve("work"));
            assertEquals(c.notes(), o.file().notes());
            assertEquals(1, o.integrity().size(), o.integrity()::toString);
            assertTrue(o.integrity().get(0).startsWith(victim.name() + ": "), o.integrity()::toString);
            for (CaseArtifact a : c.artifacts()) {
                if (!a.equals(victim)) {
                    assertArrayEquals(Files.readAllBytes(c.pathOf(a)),
                            Files.readAllBytes(o.file().pathOf(o.file().artifacts().get(c.artifacts().indexOf(a)))));
                }
            }
            assertFalse(CaseAnalysis.run(o.file(), ProgressMonitor.NONE).devices().source().isEmpty());
            tries++;
        }
        assertEquals(3, tries);
    }

    /** Where an entry's data starts in a zip: after its local header (30 bytes), name and extra field. */
    static int localData(byte[] zip, String entry) {
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int i = 30; i + name.length < zip.length; i++) {
            if (zip[i - 30] == 'P' && zip[i - 29] == 'K' && zip[i - 28] == 3 && zip[i - 27] == 4
                    && Arrays.equals(zip, i, i + name.length, name, 0, name.length)) {
                int extra = (zip[i - 2] & 0xff) | (zip[i - 1] & 0xff) << 8;
                return i + name.length + extra;
            }
        }
        throw new AssertionError("no local header for " + entry);
    }

    @Test
    void theCaseSaysWhatItLeftOut() throws IOException {
        Path ev = Files.createDirectories(tmp.resolve("ev"));
        Files.copy(CASES.resolve("seed-incident/evidence/000_01db9a105711600e.txt"), ev.resolve("note.txt"));
        Files.createSymbolicLink(ev.resolve("dangling.log"), tmp.resolve("gone"));
        CaseFile c = CaseFile.fromInputs(List.of(ev));
        assertEquals(1, c.artifacts().size());
        assertEquals(List.of("ev/dangling.log"), c.omitted().stream().map(CaseFile.Omitted::name).toList());
        Path file = tmp.resolve("left.vmcase");
        CaseIO.save(c, file);
        assertEquals(c.omitted(), CaseIO.open(file, tmp.resolve("work")).file().omitted());
    }
}
