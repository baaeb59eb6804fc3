package dev.vmcase.parsers.qemu;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Layer;
import dev.vmcase.parsers.EvidenceSink;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static dev.vmcase.parsers.qemu.Fixtures.byId;
import static dev.vmcase.parsers.qemu.Fixtures.parse;
import static dev.vmcase.parsers.qemu.Fixtures.parseFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HmpPciParserTest {
    private final HmpPciParser parser = new HmpPciParser();

    @Test
    void listsEveryFunctionIncludingTheOneBehindTheBridge() {
        EvidenceSink sink = parseFixture(parser, "run-after-info-pci.txt");
        assertEquals(List.of(), sink.problems());
        assertEquals(List.of("0000:00:00.0", "0000:00:01.0", "0000:00:01.1", "0000:00:01.3", "0000:00:03.0",
                        "0000:00:05.0", "0000:00:06.0", "0000:00:09.0", "0000:01:01.0"),
                sink.observations().stream().map(o -> o.pci().toString()).collect(Collectors.toList()));
    }

    @Test
    void keepsTheOrphanedDiskAtSlotSixWithItsQdevId() {
        DeviceObservation disk = byId(parseFixture(parser, "run-after-info-pci.txt"), "virtio-disk1");
        assertEquals(Layer.PCI, disk.layer());
        assertEquals(DeviceRole.FRONTEND, disk.role());
        assertEquals("0000:00:06.0", disk.pci().toString());
        assertEquals("SCSI controller 1af4:1001", disk.type());
        assertEquals("SCSI controller", disk.attr("class"));
        assertEquals("1af4:1001", disk.attr("vendor-device"));
        assertEquals("1af4:0002", disk.attr("subsystem"));
        assertNull(disk.backend());
        assertEquals("  Bus  0, device   6, function 0:", disk.source().text());
    }

    @Test
    void readsTheBridgeAndTheBusBehindIt() {
        EvidenceSink sink = parseFixture(parser, "run-after-info-pci.txt");
        DeviceObservation bridge = byId(sink, "br0");
        assertEquals("PCI bridge 1b36:0001", bridge.type());
        assertEquals("1", bridge.attr("secondary-bus"));
        assertEquals("0000:01:01.0", byId(sink, "virtio-disk2").pci().toString());
        assertEquals("Ethernet controller 1af4:1000", byId(sink, "net0").type());
    }

    @Test
    void givesEveryFunctionItsPathFromTheBridgesPrintedBeforeIt() {
        assertEquals("0000:00:09.0:01.0", byId(parseFixture(parser, "run-after-info-pci.txt"), "virtio-disk2")
                .attr("pci-path"));
        EvidenceSink q35 = parseFixture(parser, "q35-run-info-pci.txt");
        assertEquals(List.of(), q35.problems());
        // the firmware numbered the switch behind pci.1 first: pci.2's bus is 4, pci.5's is 5
        assertEquals("0000:04:00.0", byId(q35, "virtio-disk0").pci().toString());
        assertEquals("0000:00:02.1:00.0", byId(q35, "virtio-disk0").attr("pci-path"));
        assertEquals("0000:00:02.0:00.0:00.0:00.0", byId(q35, "virtio-disk2").attr("pci-path"));
        assertEquals("0000:00:07.0:00.0", byId(q35, "virtio-disk1").attr("pci-path"));
        q35.observations().stream().filter(o -> o.pci().bus() == 0)
                .forEach(o -> assertEquals(o.pci().toString(), o.attr("pci-path"), "on the root bus path = address"));
    }

    @Test
    void aBusNoBridgeNamedGetsNoPath() {
        // the q35 listing without the bridges' lines: bus 5 belongs to nothing printed
        String text = String.join("\n", Fixtures.text("q35-run-info-pci.txt").lines()
                .dropWhile(l -> !l.startsWith("  Bus  5,")).toList());
        DeviceObservation disk = byId(parse(parser, "cut", text), "virtio-disk1");
        assertEquals("0000:05:00.0", disk.pci().toString());
        assertNull(disk.attr("pci-path"));
        assertEquals(java.util.Optional.empty(), disk.pciPath());
    }

    @Test
    void parsesItsSample() {
        EvidenceSink sink = parse(parser, "sample", HmpPciParser.SAMPLE);
        assertEquals(List.of(), sink.problems());
        assertEquals(List.of("virtio-disk1", "br0", "virtio-disk2"),
                sink.observations().stream().map(DeviceObservation::id).collect(Collectors.toList()));
    }

    @Test
    void reportsTruncationAndGarbageWithLineNumbersAndKeepsWhatItRead() {
        String text = "  Bus  0, device   6, function 0:\n"
                + "    SCSI controller: PCI device 1af4:1001\n"
                + "      PCI subsystem 1af4:0002\n"
                + "garbage here\n"
                + "  Bus  0, device  99, function 0:\n"
                + "    SCSI controller: PCI device 1af4:1001\n"
                + "      id \"bad-slot\"\n"
                + "  Bus  0, device   5, function 0:\n"
                + "    Class ff80: PCI device 1af4:1001\n"
                + "      BAR0: I/O at 0xd000 [0xd0";
        EvidenceSink sink = parse(parser, "broken", text);
        assertEquals(List.of(4, 5, 5, 10), sink.problems().stream().map(p -> p.line()).collect(Collectors.toList()));
        List<DeviceObservation> obs = sink.observations();
        assertEquals(2, obs.size());
        assertEquals("", obs.get(0).id());
        assertEquals("0000:00:06.0", obs.get(0).pci().toString());
        assertEquals("Class ff80 1af4:1001", obs.get(1).type());
    }
}
