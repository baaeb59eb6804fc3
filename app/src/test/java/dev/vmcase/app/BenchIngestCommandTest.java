package dev.vmcase.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BenchIngestCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aShapeCountsLinesAndTheLongOnesWithTheirLineEnds() throws IOException {
        Path f = tmp.resolve("f.log");
        String longLine = "x".repeat(3000);
        Files.writeString(f, "short\n" + longLine + "\n" + "y".repeat(2048) + "\nlast without end", StandardCharsets.UTF_8);
        BenchIngestCommand.Shape s = BenchIngestCommand.Shape.of(f);
        assertEquals(Files.size(f), s.bytes());
        assertEquals(4, s.lines());
        assertEquals(1, s.longLines(), "2048 bytes is not over 2 KB");
        assertEquals(3001, s.longBytes());
        assertEquals(3000, s.longest());
    }

    @Test
    void theTraceSummaryIsEachFiguresMedian() {
        List<String> lines = List.of(
                "trace: start 0.40, ingest 3.00, analysis 3.20, report 3.25; cpu 6.00 s: C1 0.40, C2 1.50, main 2.90, ended 0.90",
                "noise on standard error",
                "trace: start 0.60, ingest 4.00, analysis 4.30, report 4.35; cpu 7.00 s: C1 0.50, C2 1.70, main 3.10, ended 1.00",
                "trace: start 0.50, ingest 3.50, analysis 3.70, report 3.80; cpu 8.00 s: C1 0.30, C2 1.60, main 3.00, "
                        + "VM Thread 0.20, ended 1.10");
        assertEquals("start 0.50, ingest 3.50, analysis 3.70, report 3.80, cpu 7.00, C1 0.40, C2 1.60, main 3.00, "
                + "ended 1.00, VM Thread 0.20", BenchIngestCommand.medianTrace(lines));
    }
}
