package dev.vmcase.parsers;

import dev.vmcase.parsers.ingest.hostile.HostileInputs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input suite (issue 19): generated inputs for every registered parser, with a fixed seed. Each case is
 * parsed by the parser it grew from, by the fallback, and through {@link Ingest#read} (sniffing by every parser);
 * none may throw, and what a parser read from a seed must still be read when junk follows it. A bounded number of
 * cases here ({@code -Dvmcase.hostile.scale=N} multiplies them); {@code vmcase bench hostile} runs more and prints
 * figures. The time limit is a hang guard only (a parser that backtracks on a 1 MiB line would take hours), never a
 * speed claim: speed is measured by the bench.
 */
class HostileInputTest {
    static final Path CASES = Path.of("..", "sample-cases");

    /** The samples, and the sample cases' real evidence files (up to 64 KiB). */
    static List<HostileInputs.Seed> seeds() throws IOException {
        List<HostileInputs.Seed> seeds = new ArrayList<>(HostileInputs.sampleSeeds());
        seeds.addAll(HostileInputs.fileSeeds(CASES, 64 << 10));
        return seeds;
    }

    /**
     * Every parser's sample with runaway lines of six fillers. The real files mutated are
     * {@link HostileRealFilesTest}'s: two classes, so the build's two test JVMs run them side by side.
     */
    @Test
    void everyParserSurvivesTheGeneratedHostileInputs() throws IOException {
        int scale = Integer.getInteger("vmcase.hostile.scale", 1);
        List<HostileInputs.Seed> samples = seeds().stream().filter(x -> x.name().startsWith("sample-")).toList();
        survive(samples, 20261204L, 6 * scale, 6 * scale, 4 * scale, 500);
    }

    /** Runs the cases grown from {@code seeds} (as {@link HostileInputs#cases}) and asserts none failed or hung. */
    static void survive(List<HostileInputs.Seed> seeds, long seed, int mutations, int runaways, int rest, int minCases) {
        int scale = Integer.getInteger("vmcase.hostile.scale", 1);
        HostileInputs.Tally t = new HostileInputs.Tally();
        assertTimeoutPreemptively(Duration.ofSeconds(300L * scale), () -> {
            Iterator<HostileInputs.Case> it = HostileInputs.cases(seeds, seed, mutations, runaways, rest);
            while (it.hasNext()) {
                t.run(it.next());
            }
        }, "a hang: some parser took minutes on the generated inputs");
        System.out.println("hostile inputs: " + t.cases + ", crashes " + t.crashes.size() + ", evidence lost "
                + t.lost.size());
        assertEquals(List.of(), t.crashes.stream().limit(40).toList(), t.crashes.size() + " crashes");
        assertEquals(List.of(), t.lost.stream().limit(40).toList(), t.lost.size() + " records lost");
        assertEquals(List.of(), t.outOfMemory);
        assertTrue(t.total() > minCases, t.total() + " cases");
    }
}
