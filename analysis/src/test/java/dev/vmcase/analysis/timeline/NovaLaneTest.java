package dev.vmcase.analysis.timeline;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Evidence;
import dev.vmcase.parsers.ingest.Attribution;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.nova.NovaLogParser;
import dev.vmcase.parsers.clock.HostClockParser;
import dev.vmcase.parsers.time.HostClocks;
import dev.vmcase.parsers.time.LocalTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The nova lane holds nova's records once the host's zone is known, at their instants. */
class NovaLaneTest {
    @TempDir
    Path dir;

    private TimelineModel model(boolean withClock, HostClocks user) throws Exception {
        Files.writeString(dir.resolve("nova-compute.log"), NovaLogParser.SAMPLE);
        if (withClock) {
            Files.writeString(dir.resolve("timedatectl"), HostClockParser.SAMPLE);
        }
        Evidence e = new Attribution().host(dir + "=cmp-17").apply(Ingest.load(List.of(dir), ProgressMonitor.NONE));
        AnalysisResult r = Analysis.run(LocalTimes.resolve(e, user));
        return TimelineModel.of(r);
    }

    private static int novaEvents(TimelineModel m) {
        return m.lanes().stream().filter(l -> l.layer() == LaneLayer.NOVA).mapToInt(l -> m.size(l.index())).sum();
    }

    @Test
    void theNovaLaneIsEmptyUntilTheZoneIsKnown() throws Exception {
        assertEquals(0, novaEvents(model(false, HostClocks.NONE)));
    }

    @Test
    void theHostsClockFillsTheNovaLane() throws Exception {
        TimelineModel m = model(true, HostClocks.NONE);
        assertEquals(3, novaEvents(m));
        Lane nova = m.lanes().stream().filter(l -> l.layer() == LaneLayer.NOVA).findFirst().orElseThrow();
        assertEquals("cmp-17", nova.host());
        assertEquals(java.time.Instant.parse("2018-11-13T12:59:12.653Z").toEpochMilli() * 1000,
                m.nearest(nova.index(), 0).micros());
    }

    @Test
    void theUsersZoneAloneFillsItToo() throws Exception {
        TimelineModel m = model(false, HostClocks.parse(List.of("cmp-17=UTC")));
        assertEquals(3, novaEvents(m));
        assertTrue(m.start() > 0);
    }
}
