package dev.vmcase.parsers;

import dev.vmcase.parsers.ingest.hostile.HostileInputs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

/**
 * The hostile-input suite's second half (issue 19): the sample cases' real evidence files (up to 64 KiB) mutated,
 * without runaway lines, each parsed as {@link HostileInputTest} parses its cases.
 */
class HostileRealFilesTest {
    @Test
    void everyParserSurvivesItsRealFilesMutated() throws IOException {
        int scale = Integer.getInteger("vmcase.hostile.scale", 1);
        List<HostileInputs.Seed> real = HostileInputTest.seeds().stream().filter(x -> !x.name().startsWith("sample-"))
                .toList();
        HostileInputTest.survive(real, 20261205L, scale, 0, scale, 1000);
    }
}
