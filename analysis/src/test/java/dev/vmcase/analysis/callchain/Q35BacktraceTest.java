package dev.vmcase.analysis.callchain;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.analysis.callchain.CallChainWalk.Step;
import dev.vmcase.model.Frame;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walker over real backtraces of QEMU 7.2's q35 unplug paths (README.md beside them): the ACPI eject through the
 * ICH9 registers, and the native PCIe power-off of a root port's slot; once from a build with debug info (arguments
 * decoded), once from Debian's stripped binary (names of exported functions only). The victim, virtio-disk1, sits
 * behind the root port at 00:03.0 — the layout of the lab's q35 sample cases, whose dumps link the frames to devices.
 */
class Q35BacktraceTest {
    private static final Path RES = Path.of("src/test/resources/dev/vmcase/analysis/callchain");
    private static final Path ACPI = RES.resolve("qemu-7.2-q35-acpi-eject.txt");
    private static final Path PCIEHP = RES.resolve("qemu-7.2-q35-pciehp-unplug.txt");
    private static final Path DEBIAN_ACPI = RES.resolve("qemu-7.2-debian-q35-acpi-eject.txt");
    private static final Path DEBIAN_PCIEHP = RES.resolve("qemu-7.2-debian-q35-pciehp-unplug.txt");
    /** The same q35 layout before the unplug: virtio-disk1 still behind pci.3 (the orphan stays forever). */
    private static final Path Q35_PCI = Path.of("../sample-cases/lab-orphaned-disk-q35/evidence/source-info-pci.txt");

    private static List<CallChainWalk> walks(Path... files) {
        AnalysisResult r = Analysis.run(Fixtures.load(files));
        return CallChainWalk.of(r.evidence().backtraces(), r.devices(), Locale.ROOT);
    }

    private static Step step(CallChainWalk w, String function) {
        return w.steps().stream().filter(s -> s.function().equals(function)).findFirst()
                .orElseThrow(() -> new AssertionError(function + " not in " + w.steps()));
    }

    private static List<String> texts(Step s) {
        return s.hints().stream().map(FrameHint::text).toList();
    }

    @Test
    void theAcpiEjectIsTheIch9EjectRegisterOnAPortsBusNeverTheRootBusSlot() {
        List<CallChainWalk> ws = walks(ACPI, Q35_PCI);
        assertEquals(5, ws.size(), "one thread per breakpoint hit");
        CallChainWalk eject = ws.get(0);
        Step entry = eject.step(eject.guestEntry());
        assertEquals("cpu_outl", entry.function());
        String port = String.join(" | ", texts(entry));
        assertTrue(port.contains("I/O port 0xcc8: ACPI PCI hotplug eject (B0EJ)") && port.contains("ICH9")
                && port.contains("q35"), port);
        assertTrue(port.contains("slot bitmap 0x1: slot 0") && port.contains("not the root bus"), port);
        Step slot = step(eject, "acpi_pcihp_eject_slot");
        String eject0 = String.join(" | ", texts(slot));
        assertTrue(eject0.contains("slot 0") && eject0.contains("not the root bus"), eject0);
        // slot 0 of the root bus is the q35 host bridge: the eject is not about it, nor about any other root-bus device
        for (CallChainWalk w : ws) {
            for (Step s : w.steps()) {
                assertNull(s.slot(), s.function());
                assertTrue(s.devices().isEmpty(), s.function() + " " + s.devices());
            }
        }
        Step unplug = step(ws.get(1), "ich9_pm_device_unplug_cb");
        assertEquals(CallLayer.ACPI_HOTPLUG, unplug.knowledge().layer());
        assertEquals("pci_qdev_unrealize", ws.get(1).step(ws.get(1).innermost()).function());
    }

    @Test
    void thePowerOffOfTheRootPortsSlotNamesThePortAndTheDiskBehindIt() {
        List<CallChainWalk> ws = walks(PCIEHP, Q35_PCI);
        assertEquals(7, ws.size());
        // the guest's three writes to the slot control of 00:03.0: blink, power off, indicator off
        List<String> written = ws.subList(0, 3).stream().map(w -> String.join(" | ", texts(w.step(w.innermost())))).toList();
        assertTrue(written.get(0).contains("0x2c0") && written.get(0).contains("power indicator blinking")
                && written.get(0).contains("power on"), written.get(0));
        assertTrue(written.get(1).contains("0x6c0") && written.get(1).contains("power indicator blinking")
                && written.get(1).contains("power off"), written.get(1));
        assertTrue(written.get(2).contains("0x7c0") && written.get(2).contains("power indicator off")
                && written.get(2).contains("00:03.0"), written.get(2));
        for (int i = 0; i < 3; i++) {
            assertEquals(i == 2, written.get(i).contains("QEMU unplugs"),
                    "only the write leaving controller and indicator off unplugs: " + written.get(i));
        }
        CallChainWalk off = ws.get(2);
        Step config = step(off, "pci_data_write");
        assertTrue(String.join(" | ", texts(config)).contains("00:03.0, register 0x6c"), texts(config).toString());
        assertEquals(3, config.slot());
        assertEquals(List.of("pci.3", "virtio-disk1"), config.devices().stream().map(d -> d.qdevId()).toList());
        Step entry = off.step(off.guestEntry());
        assertEquals("cpu_outw", entry.function());
        assertTrue(String.join(" | ", texts(entry)).contains("I/O port 0xcfc: PCI CONFIG_DATA"), texts(entry).toString());
        // the unrealize the power-off causes acts on the same port's devices
        CallChainWalk unrealize = ws.get(3);
        Step cb = step(unrealize, "pcie_cap_slot_unplug_cb");
        assertEquals(CallLayer.PCIE_HOTPLUG, cb.knowledge().layer());
        Step inner = unrealize.step(unrealize.innermost());
        assertEquals("pci_qdev_unrealize", inner.function());
        assertEquals(3, inner.slot());
        assertTrue(inner.slotInherited());
        assertEquals(List.of("pci.3", "virtio-disk1"), inner.devices().stream().map(d -> d.qdevId()).toList());
    }

    @Test
    void releaseDriveAndTheEventsComeFromTheRcuThread() {
        for (Path file : List.of(ACPI, PCIEHP)) {
            List<CallChainWalk> ws = walks(file);
            CallChainWalk release = ws.stream().filter(w -> w.step(w.innermost()).function().equals("release_drive"))
                    .findFirst().orElseThrow();
            assertEquals("call_rcu_thread", step(release, "call_rcu_thread").function());
            assertEquals(CallLayer.THREAD, step(release, "call_rcu_thread").knowledge().layer());
            assertEquals(CallLayer.QOM_QDEV, step(release, "bus_free_bus_child").knowledge().layer());
            assertEquals(0, release.guestEntry(), "no guest write on this thread");
            long events = ws.stream().filter(w -> w.step(w.innermost()).function().equals("qapi_event_send_device_deleted")
                    && w.steps().stream().anyMatch(s -> s.function().equals("device_finalize"))).count();
            assertEquals(2, events, "DEVICE_DELETED for the backend and the device, both from device_finalize: " + file);
        }
    }

    @Test
    void debiansStrippedBinaryStillShowsTheNamedStepsOfBothPaths() {
        CallChainKnowledge kb = CallChainKnowledge.standard();
        for (Path file : List.of(DEBIAN_ACPI, DEBIAN_PCIEHP)) {
            List<CallChainWalk> ws = walks(file);
            assertFalse(ws.isEmpty());
            for (CallChainWalk w : ws) {
                for (Step s : w.steps()) {
                    Frame f = s.frame();
                    if (f.function() == null || f.function().isEmpty() || f.function().equals("??")) {
                        assertNull(s.knowledge());
                        assertTrue(s.hints().isEmpty());
                    } else if (f.library() == null && !f.function().startsWith("_") && !f.function().equals("main")) {
                        assertNotNull(kb.lookup(f.function()), "a named QEMU frame the walker does not know: " + f.function());
                    }
                    assertNull(s.slot(), "no argument, no slot: " + f.function());
                }
            }
            CallChainWalk first = ws.get(0);
            assertTrue(List.of("cpu_outl", "cpu_outw").contains(first.step(first.guestEntry()).function()));
        }
        CallChainWalk unplug = walks(DEBIAN_PCIEHP).stream()
                .filter(w -> w.step(w.innermost()).function().equals("hotplug_handler_unplug")).findFirst().orElseThrow();
        assertEquals(CallLayer.PCIE_HOTPLUG, step(unplug, "pcie_cap_slot_write_config").knowledge().layer());
        assertEquals(CallLayer.ACPI_HOTPLUG, step(unplug, "hotplug_handler_unplug").knowledge().layer());
    }
}
