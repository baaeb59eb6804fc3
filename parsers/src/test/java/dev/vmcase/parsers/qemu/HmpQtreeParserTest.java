package dev.vmcase.parsers.qemu;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static dev.vmcase.parsers.qemu.Fixtures.byId;
import static dev.vmcase.parsers.qemu.Fixtures.parse;
import static dev.vmcase.parsers.qemu.Fixtures.parseFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HmpQtreeParserTest {
    private final HmpQtreeParser parser = new HmpQtreeParser();

    @Test
    void showsTheOrphanedDiskWithEmptiedDriveAfterDeviceDelAndDriveDel() {
        EvidenceSink sink = parseFixture(parser, "run-after-info-qtree.txt");
        DeviceObservation disk = byId(sink, "virtio-disk1");
        assertEquals(Layer.QDEV, disk.layer());
        assertEquals(DeviceRole.FRONTEND, disk.role());
        assertEquals("virtio-blk-pci", disk.type());
        assertEquals("0000:00:06.0", disk.pci().toString());
        assertEquals("", disk.backend());
        assertEquals("drive", disk.attr("backend-kind"));
        assertEquals("virtio-blk-device", disk.attr("child-type"));
        assertEquals("/machine/peripheral/virtio-disk1", disk.attr("qom-path"));
        assertEquals("pci.0", disk.attr("pci-bus"));
        assertEquals(286, disk.source().line());
        assertEquals("      dev: virtio-blk-pci, id \"virtio-disk1\"", disk.source().text());
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void namesTheDriveOfTheHealthyDisk() {
        EvidenceSink sink = parseFixture(parser, "run-before-info-qtree.txt");
        assertEquals("drive-virtio-disk1", byId(sink, "virtio-disk1").backend());
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void emitsEveryPciDeviceAndTheCdromButNotVirtioChildren() {
        EvidenceSink sink = parseFixture(parser, "run-after-info-qtree.txt");
        List<String> types = sink.observations().stream().map(DeviceObservation::type).sorted()
                .collect(Collectors.toList());
        assertEquals(List.of("PIIX3", "PIIX4_PM", "i440FX", "ide-cd", "pci-bridge", "piix3-ide", "virtio-blk-pci",
                "virtio-blk-pci", "virtio-blk-pci", "virtio-net-pci"), types);
    }

    @Test
    void keepsBlockdevNodeNameAndNetdevAsBackendsEvenAfterNetdevDel() {
        EvidenceSink sink = parseFixture(parser, "run-after-info-qtree.txt");
        DeviceObservation blockdev = byId(sink, "virtio-disk0");
        assertEquals("libvirt-2-format", blockdev.backend());
        assertEquals(PciAddress.of(0, 5, 0), blockdev.pci());
        DeviceObservation nic = byId(sink, "net0");
        assertEquals("hostnet0", nic.backend());
        assertEquals("netdev", nic.attr("backend-kind"));
        assertEquals("virtio-net-device", nic.attr("child-type"));
    }

    @Test
    void takesTheBusFromTheClassLineBehindABridge() {
        DeviceObservation disk = byId(parseFixture(parser, "run-after-info-qtree.txt"), "virtio-disk2");
        assertEquals("0000:01:01.0", disk.pci().toString());
        assertEquals("br0", disk.attr("pci-bus"));
        assertEquals("drive-virtio-disk2", disk.backend());
    }

    @Test
    void givesNoPciAddressBehindABridgeTheFirmwareHasNotNumbered() {
        EvidenceSink sink = parseFixture(parser, "nofw-after-info-qtree.txt");
        DeviceObservation disk = byId(sink, "virtio-disk2");
        assertNull(disk.pci());
        assertEquals("00:01.0", disk.attr("printed-addr"));
        assertEquals("0000:00:09.0", byId(sink, "br0").pci().toString());
    }

    @Test
    void decodesTheWholePathBehindABridgeWithOrWithoutBusNumbers() {
        assertEquals("0000:00:09.0:01.0", byId(parseFixture(parser, "run-after-info-qtree.txt"), "virtio-disk2")
                .pciPath().orElseThrow().toString());
        DeviceObservation unnumbered = byId(parseFixture(parser, "nofw-after-info-qtree.txt"), "virtio-disk2");
        assertEquals("0000:00:09.0:01.0", unnumbered.pciPath().orElseThrow().toString(), "the nesting needs no firmware");
        assertEquals("0000:00:06.0", byId(parseFixture(parser, "run-after-info-qtree.txt"), "virtio-disk1")
                .pciPath().orElseThrow().toString());
    }

    @Test
    void decodesRootPortsAndASwitchOfAQ35Machine() {
        EvidenceSink sink = parseFixture(parser, "q35-run-info-qtree.txt");
        // victim on its own root port; virtio-disk0 on the port at function 1; virtio-disk2 behind a switch
        assertEquals("0000:00:07.0:00.0", byId(sink, "virtio-disk1").attr("pci-path"));
        assertEquals("0000:05:00.0", byId(sink, "virtio-disk1").pci().toString());
        assertEquals("0000:00:02.1:00.0", byId(sink, "virtio-disk0").attr("pci-path"));
        assertEquals("0000:04:00.0", byId(sink, "virtio-disk0").pci().toString(), "bus 4, although its port is pci.2");
        assertEquals("0000:00:02.0:00.0:00.0:00.0", byId(sink, "virtio-disk2").attr("pci-path"));
        assertEquals("0000:00:02.0:00.0:00.0", byId(sink, "pci.4").attr("pci-path"));
        assertEquals("0000:00:07.0", byId(sink, "pci.5").attr("pci-path"));
        EvidenceSink nofw = parseFixture(parser, "q35-nofw-info-qtree.txt");
        assertNull(byId(nofw, "virtio-disk1").pci(), "bus not numbered: no address");
        assertEquals("0000:00:07.0:00.0", byId(nofw, "virtio-disk1").attr("pci-path"));
        assertEquals(List.of(), nofw.problems());
    }

    @Test
    void emitsANonPciDeviceWithADriveWithoutPciAddress() {
        DeviceObservation cd = byId(parseFixture(parser, "run-after-info-qtree.txt"), "ide0-1-0");
        assertEquals("ide-cd", cd.type());
        assertNull(cd.pci());
        assertEquals("drive-ide0-1-0", cd.backend());
        assertEquals("ide.1", cd.attr("pci-bus"));
    }

    @Test
    void leavesBackendNullForDevicesWithoutDriveOrNetdev() {
        DeviceObservation bridge = byId(parseFixture(parser, "run-after-info-qtree.txt"), "br0");
        assertNull(bridge.backend());
        assertNull(bridge.attr("backend-kind"));
        List<DeviceObservation> anonymous = parseFixture(parser, "run-after-info-qtree.txt").observations().stream()
                .filter(o -> o.type().equals("PIIX3")).collect(Collectors.toList());
        assertEquals("", anonymous.get(0).id());
        assertNull(anonymous.get(0).attr("qom-path"));
    }

    @Test
    void skipsTheBannerAndPromptOfAMonitorTranscript() {
        EvidenceSink sink = parseFixture(parser, "stdio-info-qtree.txt");
        assertEquals(List.of(), sink.problems());
        assertEquals(10, sink.observations().size());
        assertEquals("drive-virtio-disk1", byId(sink, "virtio-disk1").backend());
        assertTrue(parser.recognizes(Head.of(Fixtures.text("stdio-info-qtree.txt"))));
    }

    @Test
    void parsesItsSample() {
        EvidenceSink sink = parse(parser, "sample", HmpQtreeParser.SAMPLE);
        assertEquals(List.of(), sink.problems());
        assertEquals(1, sink.observations().size());
        DeviceObservation disk = sink.observations().get(0);
        assertEquals("virtio-disk1", disk.id());
        assertEquals("", disk.backend());
        assertEquals(8, disk.source().line());
    }

    @Test
    void reportsGarbageAndATruncatedDeviceLineWithTheirLineNumbers() {
        String text = "bus: main-system-bus\n"
                + "  type System\n"
                + "@@ garbage @@\n"
                + "  dev: i440FX-pcihost, id \"\"\n"
                + "    bus: pci.0\n"
                + "      type PCI\n"
                + "      dev: virtio-blk-pci, id \"virtio-disk1\"\n"
                + "        addr = 06.0\n"
                + "        bus: virtio-bus\n"
                + "          type virtio-pci-bus\n"
                + "          dev: virtio-blk-devi";
        EvidenceSink sink = parse(parser, "broken", text);
        assertEquals(List.of(3, 11), sink.problems().stream().map(p -> p.line()).collect(Collectors.toList()));
        DeviceObservation disk = byId(sink, "virtio-disk1");
        assertEquals(PciAddress.of(0, 6, 0), disk.pci());
        assertNull(disk.backend());
    }

    @Test
    void reportsADeviceOutsideAnyBus() {
        EvidenceSink sink = parse(parser, "orphan-line", "bus: main-system-bus\n  type System\n"
                + "  dev: i440FX-pcihost, id \"\"\ndev: virtio-blk-pci, id \"x\"\n");
        assertFalse(sink.problems().isEmpty());
        assertEquals(4, sink.problems().get(0).line());
    }
}
