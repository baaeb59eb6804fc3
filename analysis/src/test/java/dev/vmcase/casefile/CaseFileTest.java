package dev.vmcase.casefile;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaseFileTest {
    static final Path CASES = Path.of("../sample-cases");

    @TempDir
    Path tmp;

    static CaseFile annotated(Path evidence) throws IOException {
        CaseFile c = CaseFile.fromInputs(List.of(evidence));
        AnalysisResult r = CaseAnalysis.run(c, ProgressMonitor.NONE);
        Finding f = r.findings().get(0);
        String sha = f.evidence().get(0).artifact();
        Annotation a1 = new Annotation("a1", Target.finding(f.id()), "**Root cause**: the backend went first",
                List.of("root-cause"), "alice", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
        Annotation a2 = new Annotation("a2", Target.line(sha, f.evidence().get(0).line()), "this line\n中文笔记",
                List.of("evidence", "中文"), "alice", "2026-01-01T00:00:01Z", "2026-01-01T00:00:01Z");
        Annotation a3 = new Annotation("a3", Target.device("virtio-disk1"), "still in qdev and PCI",
                List.of(), "bob", "2026-01-01T00:00:02Z", "2026-01-01T00:00:02Z");
        Tour tour = new Tour("t1", "Walk", "how we found it", List.of(new Tour.Step(Target.finding(f.id()), "Start",
                "the finding")));
        return c.withNotes(new CaseNotes(List.of(a1, a2, a3), List.of(new Bookmark("b1", Target.device("virtio-disk1"),
                "the orphan", "2026-01-01T00:00:03Z")), List.of(tour), java.util.Map.of("dst", 1500L)));
    }

    @Test
    void savesAndReopensToTheSameStateWithTheSameFindings() throws Exception {
        Path ev = CASES.resolve("orphaned-disk-qemu/evidence");
        CaseFile c = annotated(ev);
        String entry = c.artifacts().get(0).entry();
        c = c.withArtifacts(c.artifacts().stream().map(a -> a.entry().equals(entry)
                ? a.withHost("cmp-17").withRole("source") : a).toList());
        Path file = tmp.resolve("orphan.vmcase");
        CaseFile saved = CaseIO.save(c, file);
        OpenedCase o = CaseIO.open(file, tmp.resolve("work"));
        assertEquals(List.of(), o.integrity());
        assertEquals(saved.notes(), o.file().notes());
        assertEquals(saved.artifacts(), o.file().artifacts());
        assertEquals(saved.created(), o.file().created());
        assertTrue(o.file().pathOf(o.file().artifacts().get(0)).startsWith(o.workDir()));
        // the evidence came back byte for byte, and analyses the same (ids are stable)
        AnalysisResult before = CaseAnalysis.run(c, ProgressMonitor.NONE);
        AnalysisResult after = CaseAnalysis.run(o.file(), ProgressMonitor.NONE);
        assertEquals(before.findings().stream().map(Finding::id).toList(),
                after.findings().stream().map(Finding::id).toList());
        // the user's host and role reached the analysis
        String sha = o.file().artifacts().get(0).sha256();
        var art = after.evidence().artifacts().stream().filter(a -> a.sha256().equals(sha)).findFirst().orElseThrow();
        assertEquals("cmp-17", art.host());
        assertEquals(Role.SOURCE, art.role());
        assertEquals(o.file().artifacts().get(0).name(), CaseAnalysis.displayName(o.file(), art.path()));
    }

    @Test
    void reportsAChangedArtifact() throws Exception {
        Path file = tmp.resolve("c.vmcase");
        CaseIO.save(CaseFile.fromInputs(List.of(CASES.resolve("seed-incident/evidence"))), file);
        Path tampered = tmp.resolve("t.vmcase");
        rewrite(file, tampered, (name, bytes) -> name.startsWith("artifacts/")
                ? new String(bytes, StandardCharsets.UTF_8).replace("0000:06.0", "0000:07.0").getBytes(StandardCharsets.UTF_8)
                : bytes);
        OpenedCase o = CaseIO.open(tampered, tmp.resolve("work"));
        assertEquals(1, o.integrity().size(), o.integrity().toString());
        assertTrue(o.integrity().get(0).contains("content changed"), o.integrity().get(0));
    }

    @Test
    void refusesZipSlipAndWritesNothingOutsideTheWorkFolder() throws Exception {
        Path file = tmp.resolve("c.vmcase");
        CaseIO.save(CaseFile.fromInputs(List.of(CASES.resolve("seed-incident/evidence"))), file);
        for (String evil : List.of("../../escaped.txt", "artifacts/0001/../../../escaped.txt", "/tmp/escaped.txt",
                "artifacts/0001/..", "artifacts\\0001\\x")) {
            Path hostile = tmp.resolve("h.vmcase");
            rewrite(file, hostile, (name, bytes) -> name.equals("manifest.json")
                    ? new String(bytes, StandardCharsets.UTF_8).replaceFirst("artifacts/0001/[^\"]+",
                    evil.replace("\\", "\\\\\\\\")).getBytes(StandardCharsets.UTF_8) : bytes);
            // also put an entry under that name into the zip
            addEntry(hostile, evil, "pwned");
            Path work = tmp.resolve("w");
            assertThrows(CaseFormatException.class, () -> CaseIO.open(hostile, work), evil);
            assertFalse(Files.exists(tmp.resolve("escaped.txt")));
            assertFalse(Files.exists(Path.of("/tmp/escaped.txt")));
            try (Stream<Path> s = Files.walk(work)) {
                assertEquals(List.of(work), s.toList(), "a refused case leaves nothing behind");
            }
        }
    }

    @Test
    void boundsEntriesDepthAndSize() throws Exception {
        Path many = tmp.resolve("many.vmcase");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(many))) {
            for (int i = 0; i < 10_001; i++) {
                z.putNextEntry(new ZipEntry("x" + i));
                z.closeEntry();
            }
        }
        assertTrue(assertThrows(CaseFormatException.class, () -> CaseIO.open(many, tmp.resolve("w")))
                .getMessage().contains("entries"));

        Path deep = tmp.resolve("deep.vmcase");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(deep))) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(("{\"format\":\"vmcase-case\",\"formatVersion\":1,\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                    .getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        assertTrue(assertThrows(CaseFormatException.class, () -> CaseIO.open(deep, tmp.resolve("w")))
                .getMessage().contains("limit"));

        Path big = tmp.resolve("big.vmcase");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(big))) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 40; i++) {
                z.write(spaces); // 40 MiB of whitespace, a few KiB compressed
            }
            z.closeEntry();
        }
        assertThrows(CaseFormatException.class, () -> CaseIO.open(big, tmp.resolve("w")));

        Path evidenceBomb = tmp.resolve("bomb.vmcase");
        CaseIO.save(CaseFile.fromInputs(List.of(CASES.resolve("seed-incident/evidence"))), tmp.resolve("c.vmcase"));
        Files.copy(tmp.resolve("c.vmcase"), evidenceBomb);
        assertThrows(CaseFormatException.class, () -> CaseIO.open(evidenceBomb, tmp.resolve("w"),
                new CaseLimits(100, 1 << 20, 1000)));
    }

    @Test
    void refusesNewerFormatsAndNonCases() throws Exception {
        Path file = tmp.resolve("c.vmcase");
        CaseIO.save(CaseFile.fromInputs(List.of(CASES.resolve("seed-incident/evidence"))), file);
        Path newer = tmp.resolve("n.vmcase");
        rewrite(file, newer, (name, bytes) -> name.equals("manifest.json")
                ? new String(bytes, StandardCharsets.UTF_8).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99")
                .getBytes(StandardCharsets.UTF_8) : bytes);
        assertTrue(assertThrows(CaseFormatException.class, () -> CaseIO.open(newer, tmp.resolve("w")))
                .getMessage().contains("99"));
        Path text = CASES.resolve("seed-incident/evidence/000_01db9a105711600e.txt");
        assertThrows(CaseFormatException.class, () -> CaseIO.open(text, tmp.resolve("w")));
        // a class name in the JSON is data, never a type to instantiate
        Path typed = tmp.resolve("typed.vmcase");
        rewrite(file, typed, (name, bytes) -> name.equals("annotations.json")
                ? "{\"formatVersion\":1,\"annotations\":[{\"@class\":\"java.lang.ProcessBuilder\",\"id\":\"x\",\"target\":{\"kind\":\"DEVICE\",\"key\":\"d\"}}]}"
                .getBytes(StandardCharsets.UTF_8) : bytes);
        OpenedCase o = CaseIO.open(typed, tmp.resolve("w"));
        assertEquals("d", o.file().notes().annotations().get(0).target().key());
    }

    interface Change {
        byte[] apply(String name, byte[] bytes);
    }

    static void rewrite(Path from, Path to, Change change) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream os = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(os)) {
            var en = in.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                byte[] b = in.getInputStream(e).readAllBytes();
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(change.apply(e.getName(), b));
                out.closeEntry();
            }
        }
    }

    static void addEntry(Path zip, String name, String content) throws IOException {
        Path tmp = zip.resolveSibling(zip.getFileName() + ".add");
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            var en = in.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(name));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
