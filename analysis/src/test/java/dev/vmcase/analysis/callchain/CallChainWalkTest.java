package dev.vmcase.analysis.callchain;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.analysis.callchain.CallChainWalk.Direction;
import dev.vmcase.analysis.callchain.CallChainWalk.Step;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallChainWalkTest {
    private static final Path SEED = Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt");

    @Test
    void walksTheSeedsTwentyOneFramesFromKvmHandleIoToReleaseDrive() {
        AnalysisResult r = Analysis.run(Fixtures.load(SEED));
        List<CallChainWalk> walks = CallChainWalk.of(r.evidence().backtraces(), r.devices(), Locale.ROOT);
        assertEquals(1, walks.size());
        CallChainWalk w = walks.get(0);
        assertEquals(21, w.size());
        assertEquals("clone", w.step(0).function());
        assertEquals("release_drive", w.step(w.innermost()).function());
        int at = w.guestEntry();
        assertEquals("kvm_handle_io", w.step(at).function());
        StringBuilder path = new StringBuilder();
        for (int i = at; ; i = w.next(i, Direction.TOWARD_RELEASE)) {
            Step s = w.step(i);
            assertNotNull(s.knowledge(), s.function());
            assertNotNull(s.knowledge().description(), s.function());
            path.append(s.function()).append(' ');
            if (i == w.innermost()) {
                break;
            }
        }
        assertEquals("kvm_handle_io address_space_rw io_mem_write memory_region_dispatch_write "
                + "access_with_adjusted_size memory_region_write_accessor pci_write acpi_pcihp_eject_slot "
                + "object_unparent device_unparent object_unparent bus_unparent object_unparent object_unref "
                + "object_finalize object_property_del_all release_drive ", path.toString());
        // decoded arguments along the way
        Step io = w.step(at);
        assertEquals(CallLayer.VCPU_EXIT, io.knowledge().layer());
        assertTrue(io.hints().get(0).text().contains("0xae08"), io.hints().toString());
        Step write = w.step(at + 6);
        assertEquals("pci_write", write.function());
        assertEquals(5, write.slot());
        assertFalse(write.slotInherited());
        Step eject = w.step(at + 7);
        assertEquals(5, eject.slot());
        assertTrue(eject.hints().stream().anyMatch(h -> h.text().equals("slot bitmap 0x20: slot 5")));
        // the frames called from the eject act on its slot
        Step release = w.step(w.innermost());
        assertEquals(5, release.slot());
        assertTrue(release.slotInherited());
        assertNull(w.step(at).slot());
        // walking back from release_drive reaches the guest's write again
        int back = w.innermost();
        while (back != at) {
            back = w.next(back, Direction.TOWARD_GUEST);
        }
        assertEquals(0, w.next(0, Direction.TOWARD_GUEST));
        assertEquals(w.innermost(), w.next(w.innermost(), Direction.TOWARD_RELEASE));
        // the seed's only device row is the rejected section in slot 6: slot 5 names no device there
        assertTrue(eject.devices().isEmpty());
        assertTrue(w.touchesSlot(5));
        assertFalse(w.touchesSlot(6));
        // io_mem_write (val=32 at offset 8 of the block the vCPU's port 0xae08 lies in) is the first to name it
        assertEquals(at + 2, w.firstNaming(5));
    }

    @Test
    void linksTheEjectedSlotToTheDeviceRowInIt() {
        // the seed's backtrace with a real PCI dump that has virtio-disk0 in slot 5
        AnalysisResult r = Analysis.run(Fixtures.load(SEED, Fixtures.DISK_CASE.resolve("source-info-pci.txt")));
        CallChainWalk w = CallChainWalk.of(r.evidence().backtraces(), r.devices(), Locale.ROOT).get(0);
        Step release = w.step(w.innermost());
        assertEquals(List.of("virtio-disk0"), release.devices().stream().map(d -> d.key()).toList());
    }

    @Test
    void walksTheModernPathOfQemu42() {
        AnalysisResult r = Analysis.run(Fixtures.load(
                Path.of("src/test/resources/dev/vmcase/analysis/callchain/qemu-4.2-eject-lp1867519.txt")));
        CallChainWalk w = CallChainWalk.of(r.evidence().backtraces(), r.devices(), Locale.SIMPLIFIED_CHINESE).get(0);
        assertEquals("kvm_handle_io", w.step(w.guestEntry()).function());
        Step eject = w.steps().stream().filter(s -> s.function().equals("acpi_pcihp_eject_slot")).findFirst().orElseThrow();
        assertEquals(8, eject.slot());
        Step unrealize = w.steps().stream().filter(s -> s.function().equals("pci_qdev_unrealize")).findFirst().orElseThrow();
        assertEquals(CallLayer.QOM_QDEV, unrealize.knowledge().layer());
        assertEquals(8, unrealize.slot());
        assertTrue(unrealize.knowledge().description().contains("PCI"), unrealize.knowledge().description());
    }
}
