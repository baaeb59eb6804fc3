package dev.vmcase.analysis.timeline;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Role;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ingest.Attribution;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.libvirt.LibvirtdLogParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelineModelTest {
    private static final Path LAB_DISK = Path.of("../sample-cases/lab-orphaned-disk/evidence");
    private static final Path LAB_CLEAN = Path.of("../sample-cases/lab-clean-unplug/evidence");
    private static final Path LIBVIRT = Path.of("../sample-cases/libvirt-migration/evidence");

    private static TimelineModel model(Evidence e) {
        return TimelineModel.of(Analysis.run(e));
    }

    private static Lane lane(TimelineModel m, String host, LaneLayer layer) {
        return m.lanes().stream().filter(l -> l.host().equals(host) && l.layer() == layer).findFirst()
                .orElseThrow(() -> new AssertionError("no lane " + host + "/" + layer + " in " + m.lanes()));
    }

    @Test
    void realOrphanedDiskShowsThePendingUnplugTheDriveDelAndTheDestinationsFailure() {
        TimelineModel m = model(Fixtures.load(Fixtures.DISK_CASE));
        // no file names a host: the sides are the lane groups
        assertEquals(List.of(TimelineModel.SOURCE, TimelineModel.DESTINATION), m.hosts());
        Span unplug = m.spans().stream().filter(s -> s.kind() == Span.Kind.UNPLUG).findFirst().orElseThrow();
        assertTrue(unplug.pending(), "no DEVICE_DELETED came");
        assertEquals("device_del virtio-disk1", unplug.label());
        assertEquals(8, unplug.startRef().line());
        assertNull(unplug.endRef());
        assertEquals(m.end(), m.endOf(unplug), "a pending span runs to the end of the evidence");
        assertEquals(lane(m, TimelineModel.SOURCE, LaneLayer.QMP).index(), unplug.startLane());

        // drive_del: the command of line 10, placed right after the device_del (no time of its own on the wire)
        Hit deviceDel = m.locate(unplug.startRef().artifact(), 8);
        Hit driveDel = m.locate(unplug.startRef().artifact(), 10);
        assertTrue(driveDel.estimated() && deviceDel.estimated());
        assertTrue(driveDel.micros() > deviceDel.micros() && driveDel.micros() - deviceDel.micros() < 1000);
        assertTrue(m.spans().stream().anyMatch(s -> s.kind() == Span.Kind.COMMAND_REPLY
                && s.label().equals("drive_del drive-virtio-disk1") && s.startRef().line() == 10 && s.alarming()),
                "the backend removal is marked as harmful");
        assertTrue(m.spans().stream().filter(s -> s.kind() == Span.Kind.COMMAND_REPLY && s.alarming())
                .allMatch(s -> s.label().startsWith("drive_del")), "only the backend removal is");

        // the destination's failure, on its own lanes, joined to the source's migrate
        int destQemu = lane(m, TimelineModel.DESTINATION, LaneLayer.QEMU).index();
        assertTrue(m.markers().stream().anyMatch(k -> k.lane() == destQemu
                && k.finding().rule().equals("MIGRATION_STATE_MISMATCH")), m.markers().toString());
        Span mig = m.spans().stream().filter(s -> s.kind() == Span.Kind.MIGRATION && s.endLane() == destQemu)
                .findFirst().orElseThrow();
        assertEquals(lane(m, TimelineModel.SOURCE, LaneLayer.QMP).index(), mig.startLane());
        assertTrue(mig.endRef().text().contains("load of migration failed"));
        assertTrue(mig.alarming(), "the destination's failure is drawn as one");
        // the source saw its migration complete: not a failure
        assertTrue(m.spans().stream().anyMatch(s -> s.kind() == Span.Kind.MIGRATION && s.label().equals("migrate → completed")
                && !s.alarming()));
    }

    @Test
    void hostsNamedByTheUserGroupTheLanes() {
        Evidence e = new Attribution().host(LAB_DISK + "=cmp-17").host(LAB_DISK.resolve("destination") + "=cmp-22")
                .apply(Fixtures.load(LAB_DISK));
        TimelineModel m = model(e);
        assertEquals(List.of("cmp-17", "cmp-22"), m.hosts());
        Span unplug = m.spans().stream().filter(s -> s.kind() == Span.Kind.UNPLUG).findFirst().orElseThrow();
        assertTrue(unplug.pending());
        assertEquals("cmp-17", m.lanes().get(unplug.startLane()).host());
        Span failed = m.spans().stream().filter(s -> s.kind() == Span.Kind.MIGRATION
                && m.lanes().get(s.endLane()).host().equals("cmp-22") && s.endRef() != null
                && s.endRef().text().contains("load of migration failed")).findFirst().orElseThrow();
        assertEquals("cmp-17", m.lanes().get(failed.startLane()).host());
    }

    @Test
    void anAcknowledgedUnplugEndsAtItsDeviceDeleted() {
        TimelineModel m = model(Fixtures.load(LAB_CLEAN));
        Span unplug = m.spans().stream().filter(s -> s.kind() == Span.Kind.UNPLUG).findFirst().orElseThrow();
        assertFalse(unplug.pending());
        assertTrue(unplug.endRef().text().contains("\"device\": \"virtio-disk1\""), unplug.endRef().text());
        assertTrue(m.endOf(unplug) > m.startOf(unplug));
    }

    @Test
    void qmpInsideALibvirtdLogGoesToTheQmpLane() {
        TimelineModel m = model(Fixtures.load(LIBVIRT));
        List<Lane> qmp = m.lanes().stream().filter(l -> l.layer() == LaneLayer.QMP).toList();
        List<Lane> libvirt = m.lanes().stream().filter(l -> l.layer() == LaneLayer.LIBVIRT).toList();
        assertFalse(qmp.isEmpty());
        assertFalse(libvirt.isEmpty());
        Lane q = qmp.get(0);
        Hit h = m.nearest(q.index(), m.start());
        String text = m.knownText(h.sha256(), h.line());
        assertNotNull(text);
        assertTrue(text.contains("QEMU_MONITOR"), text);
        assertEquals(LibvirtdLogParser.FORMAT, m.artifact(h.sha256()).format());
        assertTrue(m.spans().stream().anyMatch(s -> s.kind() == Span.Kind.COMMAND_REPLY && !s.pending()));
    }

    /** Two hosts, one lane each, entries at known times and levels. */
    private static TimelineModel small() {
        Timeline.Builder tb = new Timeline.Builder();
        Timeline.Segment a = new Timeline.Segment();
        a.add(1, 1_000, Timeline.INFO);
        a.add(2, 1_500, Timeline.WARNING);
        a.add(3, 2_000, Timeline.DEBUG);
        a.add(4, 9_000, Timeline.ERROR);
        tb.add(a.of("a".repeat(64)));
        Timeline.Segment b = new Timeline.Segment();
        for (int i = 0; i < 10_000; i++) {
            b.add(i + 1, 10_000 + i, i == 5_000 ? Timeline.ERROR : Timeline.DEBUG);
        }
        tb.add(b.of("b".repeat(64)));
        Evidence e = new Evidence(List.of(
                new Artifact("a".repeat(64), "a.log", 1, DomainLogParser.FORMAT, "alpha", Role.SOURCE, List.of()),
                new Artifact("b".repeat(64), "b.log", 1, LibvirtdLogParser.FORMAT, "beta", Role.DESTINATION, List.of())),
                List.of(), List.of(), List.of(), List.of(), tb.build());
        return TimelineModel.of(Analysis.run(e, List.of()));
    }

    @Test
    void binsCountEveryEventOnceWithTheWorstLevel() {
        TimelineModel m = small();
        assertEquals(2, m.lanes().size());
        assertEquals(LaneLayer.QEMU, m.lanes().get(0).layer());
        assertEquals("alpha", m.lanes().get(0).host());
        Bins b = m.bins(0, 20_000, 20, null); // 1000 µs a column
        assertEquals(2, b.count(0, 1)); // 1000 and 1500
        assertEquals(Timeline.WARNING, b.worst(0, 1));
        assertEquals(1, b.count(0, 2)); // 2000 is the start of column 2
        assertEquals(-1, b.worst(0, 5));
        assertEquals(Timeline.ERROR, b.worst(0, 9));
        long total = 0;
        for (int c = 0; c < 20; c++) {
            total += b.count(1, c);
        }
        assertEquals(10_000, total);
        assertEquals(Timeline.ERROR, b.worst(1, 15)); // entry 5000 at 15000
        assertEquals(Timeline.DEBUG, b.worst(1, 14));
        // a range inside the big lane, not block aligned
        Bins z = m.bins(14_990, 15_010, 4, b);
        assertEquals(5, z.count(1, 0));
        assertEquals(Timeline.ERROR, z.worst(1, 2));
        assertEquals(Timeline.DEBUG, z.worst(1, 1));
    }

    @Test
    void clockOffsetsMoveEveryTimeOfTheirHost() {
        TimelineModel m = small();
        assertEquals(1_000, m.start());
        Hit before = m.nearest(0, 9_000);
        assertEquals(4, before.line());
        m.setOffsets(ClockOffsets.NONE.with("alpha", 100_000));
        assertEquals(10_000, m.start(), "beta is now first");
        assertEquals(109_000, m.end());
        assertEquals(109_000, m.locate("a".repeat(64), 4).micros());
        assertEquals(4, m.nearest(0, 108_000).line());
        assertEquals(0, m.bins(0, 20_000, 20, null).count(0, 1));
        assertEquals(2, m.bins(100_000, 120_000, 20, null).count(0, 1));
        assertEquals(15_000, m.locate("b".repeat(64), 5_001).micros(), "the other host stays");
        m.setOffsets(ClockOffsets.NONE.with("alpha", -500));
        assertEquals(500, m.start());
    }

    @Test
    void syntheticEvidenceHasTheAskedSize() {
        AnalysisResult r = SyntheticEvidence.of(100_000, 3, 1);
        TimelineModel m = TimelineModel.of(r);
        assertEquals(100_000, m.size());
        assertEquals(6, m.lanes().size());
        Bins b = m.bins(m.start(), m.end() + 1, 1000, null);
        long total = 0;
        for (int l = 0; l < b.lanes(); l++) {
            for (int c = 0; c < b.width(); c++) {
                total += b.count(l, c);
            }
        }
        assertEquals(100_000, total);
    }
}
