package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.qmp.QmpJsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input never stops the analysis: every file gets a problem naming it, and the rest still loads. */
class IngestTest {
    @TempDir
    Path dir;

    private Map<String, Artifact> load() {
        Evidence e = Ingest.load(List.of(dir), ProgressMonitor.NONE);
        return e.artifacts().stream().collect(Collectors.toMap(a -> Path.of(a.path()).getFileName().toString(),
                Function.identity()));
    }

    @Test
    void recognisesByContentNotByName() throws IOException {
        Files.writeString(dir.resolve("backtrace.txt"), DomainLogParser.SAMPLE);
        Files.writeString(dir.resolve("instance.log"), QmpJsonParser.SAMPLE);
        Map<String, Artifact> a = load();
        assertEquals("qemu-domain-log", a.get("backtrace.txt").format());
        assertEquals("qmp-json", a.get("instance.log").format());
    }

    @Test
    void badFilesGetProblemsAndTheGoodOneStillLoads() throws IOException {
        Files.writeString(dir.resolve("a-good.log"), DomainLogParser.SAMPLE);
        Files.write(dir.resolve("empty"), new byte[0]);
        Files.write(dir.resolve("core"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0});
        Files.writeString(dir.resolve("notes.md"), "We rebooted the host twice.\nNo change.\n");
        Files.writeString(dir.resolve("cut.json"), "{\n  \"return\": [\n    {\"device\": \"drive-virtio-disk0\", \"locked\": false, \"removable\": false},\n    {\"dev");
        Map<String, Artifact> a = load();
        assertEquals(5, a.size());
        assertEquals(List.of(), a.get("a-good.log").problems());
        assertTrue(a.get("empty").problems().get(0).message().contains("empty"));
        assertTrue(a.get("core").problems().get(0).message().contains("binary"));
        assertEquals(Artifact.UNRECOGNIZED, a.get("notes.md").format());
        assertEquals(List.of(), a.get("notes.md").problems(), "an unrecognised file is listed, not an error");
        assertEquals("qmp-json", a.get("cut.json").format());
        assertEquals(4, a.get("cut.json").problems().get(0).line());
        assertTrue(a.get("cut.json").problems().get(0).toString().contains("cut.json:4"));
    }

    @Test
    void aRunawayLineIsCutAndSaidSo() throws IOException {
        String huge = "2024-04-26T13:28:53Z qemu-system-x86_64: " + "x".repeat(LineReader.MAX_LINE + 10) + "\n";
        Files.writeString(dir.resolve("big.log"), huge + "2024-04-26T13:28:53Z qemu-system-x86_64: load of migration failed: Input/output error\n");
        Evidence e = Ingest.load(List.of(dir), ProgressMonitor.NONE);
        assertEquals(1, e.artifacts().get(0).problems().size());
        assertEquals(1, e.artifacts().get(0).problems().get(0).line());
        assertEquals(2, e.events().size());
    }

    @Test
    void invalidUtf8AndCjkTextSurvive() throws IOException {
        byte[] bytes = ("2024-04-26T13:28:53Z qemu-system-x86_64: 迁移失败 \u00e9\n").getBytes(StandardCharsets.UTF_8);
        byte[] withBad = new byte[bytes.length + 2];
        System.arraycopy(bytes, 0, withBad, 0, bytes.length);
        withBad[bytes.length] = (byte) 0xC3;
        withBad[bytes.length + 1] = '\n';
        Files.write(dir.resolve("mixed.log"), withBad);
        Evidence e = Ingest.load(List.of(dir), ProgressMonitor.NONE);
        assertTrue(e.events().get(0).message().contains("迁移失败"));
    }

    @Test
    void aBigFileReportsProgressWithinItAndStopsWhenCancelled() throws IOException {
        String line = "2024-04-26T13:28:53Z qemu-system-x86_64: warning: host doesn't support requested feature\n";
        Files.writeString(dir.resolve("big.log"), line.repeat(3 * LineReader.TICK));
        List<Long> seen = new java.util.ArrayList<>();
        ProgressMonitor cancelAfterFirstTick = new ProgressMonitor() {
            @Override
            public void progress(long done, long total, String what) {
                if (what.endsWith("big.log") && total > 1_000_000) {
                    seen.add(done);
                }
            }

            @Override
            public boolean isCancelled() {
                return seen.size() >= 2;
            }
        };
        Evidence e = Ingest.load(List.of(dir), cancelAfterFirstTick);
        assertTrue(seen.size() >= 2 && seen.get(1) > seen.get(0), "progress within the file: " + seen);
        Artifact a = e.artifacts().get(0);
        assertTrue(a.problems().stream().anyMatch(p -> p.message().contains("cancelled") && p.line() == 2 * LineReader.TICK),
                a.problems().toString());
        assertEquals(2 * LineReader.TICK, e.events().size(), "reading stopped where it was cancelled");
    }

    @Test
    void aMissingPathIsAProblemNotAnException() {
        Evidence e = Ingest.load(List.of(dir.resolve("nope")), ProgressMonitor.NONE);
        assertTrue(e.artifacts().get(0).problems().get(0).message().contains("no such file"));
    }
}
