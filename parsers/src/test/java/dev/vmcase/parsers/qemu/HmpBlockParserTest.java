package dev.vmcase.parsers.qemu;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Layer;
import dev.vmcase.parsers.EvidenceSink;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static dev.vmcase.parsers.qemu.Fixtures.byAttr;
import static dev.vmcase.parsers.qemu.Fixtures.byId;
import static dev.vmcase.parsers.qemu.Fixtures.parse;
import static dev.vmcase.parsers.qemu.Fixtures.parseFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HmpBlockParserTest {
    private final HmpBlockParser parser = new HmpBlockParser();

    @Test
    void readsDriveWithAutomaticNodeName() {
        EvidenceSink sink = parseFixture(parser, "run-before-info-block.txt");
        assertEquals(List.of(), sink.problems());
        assertEquals(4, sink.observations().size());
        DeviceObservation disk = byId(sink, "drive-virtio-disk1");
        assertEquals(Layer.BLOCK, disk.layer());
        assertEquals(DeviceRole.BACKEND, disk.role());
        assertEquals("qcow2", disk.type());
        assertTrue(disk.attr("node-name").matches("#block\\d+"));
        assertEquals("true", disk.attr("inserted"));
        assertEquals("/tmp/vmcase/d.qcow2", disk.attr("file"));
        assertEquals("/machine/peripheral/virtio-disk1/virtio-backend", disk.attr("attached-to"));
        assertEquals(1, disk.source().line());
    }

    @Test
    void treatsABlockdevDiskAsNodeNameWithoutDeviceAndInserted() {
        List<DeviceObservation> obs = parseFixture(parser, "run-after-info-block.txt").observations();
        DeviceObservation disk = byAttr(obs, "node-name", "libvirt-2-format");
        assertEquals("", disk.id());
        assertEquals("true", disk.attr("inserted"));
        assertEquals("qcow2", disk.type());
        assertEquals("/machine/peripheral/virtio-disk0/virtio-backend", disk.attr("attached-to"));
    }

    @Test
    void showsTheDriveDelBackendAsAnonymousNotInsertedEntry() {
        EvidenceSink sink = parseFixture(parser, "run-after-info-block.txt");
        assertEquals(List.of(), sink.problems());
        assertEquals(4, sink.observations().size());
        DeviceObservation anon = byAttr(sink.observations(), "attached-to",
                "/machine/peripheral/virtio-disk1/virtio-backend");
        assertEquals("", anon.id());
        assertEquals("false", anon.attr("inserted"));
        assertNull(anon.attr("node-name"));
        assertNull(anon.type());
        assertEquals("/machine/peripheral/virtio-disk1/virtio-backend: [not inserted]", anon.source().text());
        assertTrue(sink.observations().stream().noneMatch(o -> o.id().equals("drive-virtio-disk1")));
    }

    @Test
    void keepsTheNameOfAnEmptyCdromDrive() {
        DeviceObservation cd = byId(parseFixture(parser, "run-after-info-block.txt"), "drive-ide0-1-0");
        assertEquals("false", cd.attr("inserted"));
        assertEquals("ide0-1-0", cd.attr("attached-to"));
        assertNull(cd.type());
    }

    @Test
    void readsTheNodeListingOfInfoBlockDashN() {
        EvidenceSink sink = parseFixture(parser, "stdio-info-block--n.txt");
        assertEquals(List.of(), sink.problems());
        assertEquals(6, sink.observations().size());
        assertTrue(sink.observations().stream().allMatch(o -> o.id().isEmpty() && o.attr("node-name") != null));
        assertEquals("file", byAttr(sink.observations(), "node-name", "libvirt-2-storage").type());
    }

    @Test
    void readsTheOldOneLineFormat() {
        EvidenceSink sink = parseFixture(parser, "old-info-block-1.5.txt");
        assertEquals(List.of(), sink.problems());
        DeviceObservation disk = byId(sink, "drive-virtio-disk0");
        assertEquals("qcow2", disk.type());
        assertEquals("/var/lib/libvirt/images/UAKVM2.qcow2", disk.attr("file"));
        assertEquals("true", disk.attr("inserted"));
        assertNull(disk.attr("node-name"));
        DeviceObservation cd = byId(sink, "drive-ide0-1-0");
        assertEquals("false", cd.attr("inserted"));
        assertNull(cd.type());
    }

    @Test
    void keepsSpacesInOldFormatFileNames() {
        assertEquals("/srv/my images/a.img",
                HmpBlockParser.oldValues("removable=0 file=/srv/my images/a.img ro=0 drv=raw").get("file"));
    }

    @Test
    void readsAnOldNewFormatEntryWithoutNodeNameAsDevice() {
        // the QEMU 1.6–2.4 shape of info block (no automatic node names, no "Attached to:"); no such QEMU here
        EvidenceSink sink = parse(parser, "old16", "drive-virtio-disk0: /var/lib/libvirt/images/a.qcow2 (qcow2)\n");
        assertEquals("drive-virtio-disk0", sink.observations().get(0).id());
    }

    @Test
    void parsesItsSample() {
        EvidenceSink sink = parse(parser, "sample", HmpBlockParser.SAMPLE);
        assertEquals(List.of(), sink.problems());
        assertEquals(List.of("", "drive-ide0-1-0", ""),
                sink.observations().stream().map(DeviceObservation::id).collect(Collectors.toList()));
    }

    @Test
    void reportsGarbageAndStrayDetailsWithLineNumbers() {
        String text = "    Attached to:      ide0-1-0\n"
                + "drive-virtio-disk1 (#block129): /tmp/vmcase/d.qcow2 (qcow2)\n"
                + "    Attached to:      /machine/peripheral/virtio-disk1/virtio-backend\n"
                + "this is not block output\n"
                + "libvirt-2-format: /tmp/vmcase/e.qc";
        EvidenceSink sink = parse(parser, "broken", text);
        assertEquals(List.of(1, 4, 5), sink.problems().stream().map(p -> p.line()).collect(Collectors.toList()));
        assertEquals(2, sink.observations().size());
        assertEquals("drive-virtio-disk1", sink.observations().get(0).id());
    }
}
