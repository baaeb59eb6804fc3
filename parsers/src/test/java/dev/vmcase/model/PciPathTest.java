package dev.vmcase.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PCI paths as QEMU's {@code pcibus_get_dev_path} (hw/pci/pci.c) prints them in section ids and RAM block names. */
class PciPathTest {
    @Test
    void aRootBusDeviceIsItsAddress() {
        PciPath p = PciPath.parse("0000:00:06.0").orElseThrow();
        assertTrue(p.onRootBus());
        assertEquals("0000:00:06.0", p.rootBusAddress().orElseThrow().toString());
        assertEquals(p, PciPath.onRootBus(PciAddress.of(0, 6, 0)));
        assertTrue(p.bridge().isEmpty());
    }

    @Test
    void aDeviceBehindARootPortIsTheDeviceNotThePort() {
        PciPath p = PciPath.parse("0000:00:01.1:00.0").orElseThrow();
        assertFalse(p.onRootBus());
        assertEquals(new PciPath.Hop(0, 0), p.device());
        assertEquals("0000:00:01.1", p.bridge().orElseThrow().toString());
        assertTrue(p.rootBusAddress().isEmpty(), "the bus number behind the port is not in the path");
        assertEquals("0000:00:01.1:00.0", p.toString());
        assertEquals(p, PciPath.parse("0000:00:01.1").orElseThrow().child(0, 0));
    }

    @Test
    void everyHopOfASwitchIsKept() {
        PciPath p = PciPath.parse("0000:00:02.1:00.0:03.0:00.0").orElseThrow();
        assertEquals(4, p.hops().size());
        assertEquals("0000:00:02.1:00.0:03.0", p.bridge().orElseThrow().toString());
        assertEquals("0000:00:02.1:00.0:03.0:00.0", p.toString());
    }

    @Test
    void anExpanderRootBusKeepsItsNumber() {
        PciPath p = PciPath.parse("0000:80:00.0").orElseThrow();
        assertEquals(0x80, p.rootBus());
        assertEquals("0000:80:00.0", p.rootBusAddress().orElseThrow().toString());
    }

    @Test
    void whatIsNotAPathIsRefused() {
        for (String s : List.of("", "0000:06.0", "00:06.0", "0000:00:06.8", "0000:00:20.0", "0000:00:06.0/virtio-blk",
                "pci.0", "0000:00" + ":00.0".repeat(33))) {
            assertTrue(PciPath.parse(s).isEmpty(), s);
        }
    }

    @Test
    void anObservationOnBusZeroHasARootBusPathAndOneBehindABridgeOnlyItsOwn() {
        SourceRef ref = new SourceRef("0", "x", 1, "");
        DeviceObservation onRoot = new DeviceObservation(ref, Layer.PCI, DeviceObservation.DeviceRole.FRONTEND, "d0",
                "t", PciAddress.of(0, 6, 0), null, Map.of());
        assertEquals("0000:00:06.0", onRoot.pciPath().orElseThrow().toString());
        DeviceObservation busThree = new DeviceObservation(ref, Layer.PCI, DeviceObservation.DeviceRole.FRONTEND, "d1",
                "t", PciAddress.of(3, 0, 0), null, Map.of());
        assertTrue(busThree.pciPath().isEmpty(), "bus 3 is behind some bridge: which one, the address does not say");
        DeviceObservation withPath = new DeviceObservation(ref, Layer.PCI, DeviceObservation.DeviceRole.FRONTEND, "d1",
                "t", PciAddress.of(3, 0, 0), null, Map.of(PciPath.ATTRIBUTE, "0000:00:07.0:00.0"));
        assertEquals("0000:00:07.0:00.0", withPath.pciPath().orElseThrow().toString());
    }
}
