package dev.vmcase.analysis;

import dev.vmcase.model.Finding;
import dev.vmcase.parsers.ingest.hostile.HostileInputs;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A QMP transcript that repeats the real orphaned-disk conversation (device_del, drive_del, query-pci, migration
 * events) with new command ids and later timestamps: the analysis grows with the transcript, not with its square
 * (issue 19, item 9: each drive_del was paired with every older pending device_del, a million findings for a 57 MB
 * transcript, out of memory at -Xmx512m). {@code vmcase bench hostile} measures the 57 MB one at -Xmx512m.
 */
class RepeatedTranscriptTest {
    @TempDir
    Path tmp;

    @Test
    void findingsGrowLinearlyWithARepeatedConversation() throws IOException {
        String real = Files.readString(Path.of("../sample-cases/orphaned-disk-qemu/evidence/source-qmp.jsonl"));
        Map<String, Long> one = counts(grown(real, 1));
        assertTrue(one.getOrDefault("BACKEND_REMOVED_BEFORE_FRONTEND", 0L) >= 1, one::toString);
        int copies = 150;
        Map<String, Long> many = counts(grown(real, copies));
        for (Map.Entry<String, Long> e : many.entrySet()) {
            assertTrue(e.getValue() <= copies * Math.max(1, one.getOrDefault(e.getKey(), 1L)),
                    () -> e + " for " + copies + " copies of " + one);
        }
        assertEquals(copies * one.get("BACKEND_REMOVED_BEFORE_FRONTEND"), many.get("BACKEND_REMOVED_BEFORE_FRONTEND"));
    }

    Path grown(String real, int copies) throws IOException {
        Path f = tmp.resolve("qmp-" + copies + ".jsonl");
        try (Writer w = Files.newBufferedWriter(f)) {
            HostileInputs.growQmpTranscript(real, copies, w);
        }
        return f;
    }

    static Map<String, Long> counts(Path f) {
        AnalysisResult r = Analysis.run(Ingest.load(List.of(f), ProgressMonitor.NONE));
        return r.findings().stream().collect(Collectors.groupingBy(Finding::rule, Collectors.counting()));
    }
}
