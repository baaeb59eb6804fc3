package dev.vmcase.parsers.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Layer;
import dev.vmcase.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

import static dev.vmcase.parsers.qemu.Fixtures.byAttr;
import static dev.vmcase.parsers.qemu.Fixtures.byId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QmpResultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SourceRef REF = new SourceRef("sha", "qmp.log", 7, "{\"return\": …}");

    private static JsonNode returnOf(String fixture) throws IOException {
        return JSON.readTree(Fixtures.text(fixture)).get("return");
    }

    @Test
    void mapsQueryPciIncludingTheDeviceNestedBehindTheBridge() throws IOException {
        List<DeviceObservation> obs = QmpResults.fromQueryPci(returnOf("run-after-query-pci.json"), REF);
        assertEquals(List.of("0000:00:00.0", "0000:00:01.0", "0000:00:01.1", "0000:00:01.3", "0000:00:03.0",
                        "0000:00:05.0", "0000:00:06.0", "0000:00:09.0", "0000:01:01.0"),
                obs.stream().map(o -> o.pci().toString()).collect(Collectors.toList()));
        DeviceObservation disk = byId(obs, "virtio-disk1");
        assertEquals(Layer.PCI, disk.layer());
        assertEquals(DeviceRole.FRONTEND, disk.role());
        assertEquals("SCSI controller 1af4:1001", disk.type());
        assertEquals("1af4:1001", disk.attr("vendor-device"));
        assertEquals("SCSI controller", disk.attr("class"));
        assertSame(REF, disk.source());
        assertEquals("0000:01:01.0", byId(obs, "virtio-disk2").pci().toString());
        assertEquals("1", byId(obs, "br0").attr("secondary-bus"));
    }

    @Test
    void givesTheWholePathFromTheNestingOfBridges() throws IOException {
        assertEquals("0000:00:09.0:01.0", byId(QmpResults.fromQueryPci(returnOf("run-after-query-pci.json"), REF),
                "virtio-disk2").attr("pci-path"));
        List<DeviceObservation> q35 = QmpResults.fromQueryPci(returnOf("q35-run-query-pci.json"), REF);
        assertEquals("0000:00:07.0:00.0", byId(q35, "virtio-disk1").attr("pci-path"));
        assertEquals("0000:05:00.0", byId(q35, "virtio-disk1").pci().toString());
        assertEquals("0000:00:02.1:00.0", byId(q35, "virtio-disk0").attr("pci-path"));
        assertEquals("0000:00:02.0:00.0:00.0:00.0", byId(q35, "virtio-disk2").attr("pci-path"));
        assertEquals("0000:00:02.0:00.0", byId(q35, "pci.3").attr("pci-path"));
        // before the firmware ran, QEMU lists nothing behind the ports
        List<DeviceObservation> nofw = QmpResults.fromQueryPci(returnOf("q35-nofw-query-pci.json"), REF);
        assertTrue(nofw.stream().noneMatch(o -> o.id().startsWith("virtio-disk")), nofw.toString());
        assertEquals("0000:00:07.0", byId(nofw, "pci.5").attr("pci-path"));
    }

    @Test
    void agreesWithInfoPciOnTheSameMachine() throws IOException {
        for (String machine : List.of("run-after", "q35-run", "q35-nofw")) {
            List<DeviceObservation> qmp = QmpResults.fromQueryPci(returnOf(machine + "-query-pci.json"), REF);
            List<DeviceObservation> hmp = Fixtures.parseFixture(new HmpPciParser(), machine + "-info-pci.txt")
                    .observations();
            assertEquals(hmp.stream().map(QmpResultsTest::key).collect(Collectors.toList()),
                    qmp.stream().map(QmpResultsTest::key).collect(Collectors.toList()), machine);
        }
    }

    private static String key(DeviceObservation o) {
        return o.pci() + " " + o.id() + " " + o.type() + " " + new java.util.TreeMap<>(o.attributes());
    }

    @Test
    void mapsABridgeWithoutDevicesBeforeTheFirmwareNumberedIt() throws IOException {
        List<DeviceObservation> obs = QmpResults.fromQueryPci(returnOf("nofw-after-query-pci.json"), REF);
        assertEquals(8, obs.size());
        assertEquals("0", byId(obs, "br0").attr("secondary-bus"));
    }

    @Test
    void toleratesUnexpectedExtraAndMissingFieldsInQueryPci() throws IOException {
        JsonNode ret = JSON.readTree("[{\"bus\": 0, \"future-member\": {\"x\": [1, 2]}, \"devices\": ["
                + "{\"bus\": 0, \"slot\": 6, \"function\": 0, \"qdev_id\": \"virtio-disk1\", \"irq_pin\": 1,"
                + " \"class_info\": {\"class\": 65408}, \"id\": {\"device\": 4097, \"vendor\": 6900},"
                + " \"regions\": [], \"new-in-qemu-11\": true},"
                + "{\"bus\": 0, \"slot\": \"seven\", \"function\": 0, \"qdev_id\": \"bad\"},"
                + "{\"bus\": 0, \"slot\": 8, \"function\": 0, \"pci_bridge\": {\"devices\": \"not a list\"}},"
                + "\"not an object\"]}, 42]");
        List<DeviceObservation> obs = QmpResults.fromQueryPci(ret, REF);
        assertEquals(2, obs.size());
        assertEquals("Class ff80 1af4:1001", obs.get(0).type());
        assertEquals("0000:00:08.0", obs.get(1).pci().toString());
        assertEquals("", obs.get(1).id());
        assertNull(obs.get(1).type());
        assertEquals(List.of(), QmpResults.fromQueryPci(JSON.readTree("{\"error\": 1}"), REF));
        assertEquals(List.of(), QmpResults.fromQueryPci(null, REF));
    }

    @Test
    void mapsTheAnonymousBackendLeftByDriveDel() throws IOException {
        List<DeviceObservation> obs = QmpResults.fromQueryBlock(returnOf("run-after-query-block.json"), REF);
        assertEquals(4, obs.size());
        DeviceObservation anon = byAttr(obs, "attached-to", "/machine/peripheral/virtio-disk1/virtio-backend");
        assertEquals(Layer.BLOCK, anon.layer());
        assertEquals(DeviceRole.BACKEND, anon.role());
        assertEquals("", anon.id());
        assertEquals("false", anon.attr("inserted"));
        assertNull(anon.attr("node-name"));
        assertNull(anon.type());
        assertTrue(obs.stream().noneMatch(o -> o.id().equals("drive-virtio-disk1")));
    }

    @Test
    void mapsABlockdevDiskAsInsertedNodeWithoutDeviceName() throws IOException {
        List<DeviceObservation> obs = QmpResults.fromQueryBlock(returnOf("run-before-query-block.json"), REF);
        DeviceObservation disk = byAttr(obs, "node-name", "libvirt-2-format");
        assertEquals("", disk.id());
        assertEquals("true", disk.attr("inserted"));
        assertEquals("qcow2", disk.type());
        assertEquals("/tmp/vmcase/e.qcow2", disk.attr("file"));
        assertEquals("/machine/peripheral/virtio-disk0/virtio-backend", disk.attr("attached-to"));
        DeviceObservation drive = byId(obs, "drive-virtio-disk1");
        assertTrue(drive.attr("node-name").startsWith("#block"));
        assertEquals("/machine/peripheral/virtio-disk1/virtio-backend", drive.attr("attached-to"));
        DeviceObservation cd = byId(obs, "drive-ide0-1-0");
        assertEquals("false", cd.attr("inserted"));
        assertEquals("ide0-1-0", cd.attr("attached-to"));
    }

    @Test
    void agreesWithInfoBlockOnIdsAndInsertion() throws IOException {
        for (String state : List.of("before", "after")) {
            List<DeviceObservation> qmp = QmpResults.fromQueryBlock(
                    returnOf("run-" + state + "-query-block.json"), REF);
            List<DeviceObservation> hmp = Fixtures.parseFixture(new HmpBlockParser(),
                    "run-" + state + "-info-block.txt").observations();
            assertEquals(blockKeys(hmp), blockKeys(qmp), state);
        }
    }

    private static List<String> blockKeys(List<DeviceObservation> obs) {
        return obs.stream().map(o -> o.id() + "|" + o.type() + "|" + o.attr("inserted") + "|" + o.attr("attached-to")
                + "|" + o.attr("file")).sorted().collect(Collectors.toList());
    }

    @Test
    void mapsNamedBlockNodes() throws IOException {
        List<DeviceObservation> obs = QmpResults.fromNamedBlockNodes(
                returnOf("run-before-query-named-block-nodes.json"), REF);
        assertEquals(6, obs.size());
        assertTrue(obs.stream().allMatch(o -> o.id().isEmpty() && "true".equals(o.attr("named-node"))));
        DeviceObservation storage = byAttr(obs, "node-name", "libvirt-2-storage");
        assertEquals("file", storage.type());
        assertEquals("/tmp/vmcase/e.qcow2", storage.attr("file"));
        assertEquals(List.of(), QmpResults.fromNamedBlockNodes(JSON.readTree("[1, \"x\", null]"), REF));
    }

    @Test
    void toleratesOddQueryBlockEntries() throws IOException {
        JsonNode ret = JSON.readTree("[{\"inserted\": \"weird\", \"qdev\": 5}, 3, {\"device\": \"d\","
                + " \"inserted\": {\"drv\": 1, \"ro\": true}}]");
        List<DeviceObservation> obs = QmpResults.fromQueryBlock(ret, REF);
        assertEquals(2, obs.size());
        assertEquals("false", obs.get(0).attr("inserted"));
        assertNull(obs.get(0).attr("attached-to"));
        assertEquals("d", obs.get(1).id());
        assertNull(obs.get(1).type());
        assertEquals("true", obs.get(1).attr("read-only"));
    }

    @Test
    void extractsTheQdevIdFromAQomPath() {
        assertEquals("virtio-disk1", QmpResults.qdevIdFromPath("/machine/peripheral/virtio-disk1/virtio-backend"));
        assertEquals("virtio-disk1", QmpResults.qdevIdFromPath("/machine/peripheral/virtio-disk1"));
        assertEquals("virtio-disk1", QmpResults.qdevIdFromPath("virtio-disk1"));
        assertEquals("", QmpResults.qdevIdFromPath("/machine/peripheral-anon/device[3]"));
        assertEquals("", QmpResults.qdevIdFromPath("/machine/unattached/device[23]"));
        assertEquals("", QmpResults.qdevIdFromPath(null));
    }
}
