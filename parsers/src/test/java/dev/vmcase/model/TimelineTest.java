package dev.vmcase.model;

import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineTest {
    @Test
    void entriesOfSeveralArtifactsAreFoundByIndex() {
        Timeline.Builder b = new Timeline.Builder();
        Timeline.Segment a = new Timeline.Segment();
        for (int i = 1; i <= 100; i++) {
            a.add(i, 1000L * i, Timeline.INFO);
        }
        Timeline.Segment empty = new Timeline.Segment();
        Timeline.Segment c = new Timeline.Segment();
        c.add(7, 5, Timeline.ERROR);
        b.add(a.of("sha-a"));
        b.add(empty.of("sha-empty"));
        b.add(c.of("sha-c"));
        Timeline t = b.build();
        assertEquals(101, t.size());
        assertEquals("sha-a", t.artifact(99));
        assertEquals(100, t.line(99));
        assertEquals("sha-c", t.artifact(100));
        assertEquals(7, t.line(100));
        assertEquals(Timeline.ERROR, t.level(100));
        assertTrue(t.bytes() / t.size() <= 32, "bytes per entry: " + t.bytes() / t.size());
    }

    @Test
    void aSegmentOfSeveralChunksKeepsEveryEntryAndGivesBackTheLastChunksRoom() {
        Timeline.Segment s = new Timeline.Segment();
        int n = 2 * Timeline.Segment.CHUNK + 5;
        for (int i = 0; i < n; i++) {
            s.add(i + 1, 10L * i, (byte) (i & 3));
        }
        Timeline.Builder b = new Timeline.Builder();
        b.add(s.of("sha"));
        Timeline t = b.build();
        assertEquals(n, t.size());
        for (int i : new int[] {0, Timeline.Segment.CHUNK - 1, Timeline.Segment.CHUNK, 2 * Timeline.Segment.CHUNK,
                n - 1}) {
            assertEquals(i + 1, t.line(i));
            assertEquals(10L * i, t.epochMicros(i));
            assertEquals((byte) (i & 3), t.level(i));
        }
        // two full chunks and a last one cut down to its five entries
        assertEquals(13L * n + 2 * 3 + 48, t.bytes());
    }

    @Test
    void entriesAddedAfterTheLastChunkWasCutDownStillFit() {
        Timeline.Segment s = new Timeline.Segment();
        int n = Timeline.Segment.CHUNK + 100;
        for (int i = 0; i < n; i++) {
            s.add(i, i, Timeline.DEBUG);
        }
        s.of("sha"); // the second chunk is cut down to its 100 entries
        for (int i = n; i < n + 1000; i++) {
            s.add(i, i, Timeline.INFO);
        }
        Timeline.Builder b = new Timeline.Builder();
        b.add(s);
        Timeline t = b.build();
        assertEquals(n + 1000, t.size());
        for (int i : new int[] {0, n - 1, n, n + 999}) {
            assertEquals(i, t.line(i));
            assertEquals(i >= n ? Timeline.INFO : Timeline.DEBUG, t.level(i));
        }
    }

    @Test
    void aRealLibvirtdLogIsIndexedRecordByRecordInUtc() {
        Evidence e = Ingest.load(List.of(Path.of("../sample-cases/libvirt-pending-unplug/evidence/libvirtd.log")),
                ProgressMonitor.NONE);
        Timeline t = e.timeline();
        assertEquals(1, t.line(0));
        assertEquals(Instant.parse("2026-11-27T23:30:04.965Z").toEpochMilli() * 1000, t.epochMicros(0));
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.line(i) > t.line(i - 1));
        }
    }

    @Test
    void aSnapshotKeepsWhatItHeldWhileTheSegmentGrowsPastAChunk() {
        Timeline.Segment s = new Timeline.Segment();
        int first = Timeline.Segment.CHUNK - 5; // the snapshot ends inside the first chunk, still growing by copies
        for (int i = 1; i <= first; i++) {
            s.add(i, 10L * i, Timeline.DEBUG);
        }
        Timeline.Segment snap = s.snapshot("sha-pending");
        for (int i = first + 1; i <= Timeline.Segment.CHUNK + 100; i++) {
            s.add(i, -1, Timeline.ERROR); // what comes after never shows in the snapshot
        }
        assertEquals(first, snap.size());
        assertEquals("sha-pending", snap.artifact());
        Timeline t = Timeline.of(List.of(snap));
        assertEquals(first, t.size());
        assertEquals(first, t.line(first - 1));
        assertEquals(10L * first, t.epochMicros(first - 1));
        assertEquals(Timeline.DEBUG, t.level(first - 1));
        Timeline.Segment later = s.snapshot("sha-pending");
        assertEquals(Timeline.Segment.CHUNK + 100, later.size());
        assertEquals(-1, Timeline.of(List.of(later)).epochMicros(Timeline.Segment.CHUNK + 99));
    }

    @Test
    void aWatchedSinkTellsTheEntriesSoFarEveryFewHundredThousand() {
        dev.vmcase.parsers.EvidenceSink sink = new dev.vmcase.parsers.EvidenceSink("sha-x", "x.log");
        List<Integer> told = new java.util.ArrayList<>();
        sink.watchTimeline(soFar -> {
            told.add(soFar.size());
            assertEquals("sha-x", soFar.artifact());
        });
        int every = dev.vmcase.parsers.EvidenceSink.TIMELINE_EVERY;
        for (int i = 1; i <= 2 * every + 7; i++) {
            sink.indexMicros(i, i, Timeline.INFO);
        }
        sink.index(2 * every + 8, (Instant) null, Timeline.INFO); // no time: not an entry
        assertEquals(List.of(every, 2 * every), told);
        assertEquals(2 * every + 7, sink.indexed());
    }
}
