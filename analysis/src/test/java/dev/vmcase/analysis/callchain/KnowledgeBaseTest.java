package dev.vmcase.analysis.callchain;

import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Frame;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every entry of the knowledge base against real frames: the seed's QEMU 2.1.2 backtrace, and real modern backtraces
 * of the eject path kept in the test resources (QEMU 4.2 from Launchpad bug 1867519; QEMU 7.2 on q35 through ACPI and
 * native PCIe hotplug, captured here; QEMU 8.0-dev from a qemu-devel mail), each file saying where it comes from.
 */
class KnowledgeBaseTest {
    private static final Path RES = Path.of("src/test/resources/dev/vmcase/analysis/callchain");
    /** Real backtraces by the QEMU version they come from. */
    static final Map<String, List<Path>> REAL = new LinkedHashMap<>();
    /** Entries no real frame has been found for yet: each needs one before it gets a version. */
    static final Set<String> AWAITING_A_REAL_FRAME = Set.of("kvm_vcpu_ioctl", "pci_read",
            "acpi_pcihp_device_unplug_request_cb", "hotplug_handler_unplug_request",
            "virtio_blk_device_unrealize", "blockdev_auto_del", "do_drive_del", "hmp_drive_del", "qmp_blockdev_del",
            "main_loop", "qemu_poll_ns", "ppoll", "poll", "ioctl", "__GI_raise", "__GI_abort",
            // port output of byte width, PCI configuration and the pciehp/SHPC controls: their facts come from QEMU's
            // source (io-decoders.properties); no real backtrace with these frames was found yet
            "cpu_outb", "pci_bridge_write_config", "pcie_mmcfg_data_write", "pcie_cap_slot_event",
            "pcie_cap_slot_push_attention_button", "pcie_cap_slot_unplug_request_cb", "shpc_cap_write_config", "shpc_command",
            "shpc_device_unplug_request_cb", "shpc_free_devices_in_slot", "shpc_slot_command", "shpc_write");

    static {
        REAL.put("2.1.2", List.of(Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt")));
        REAL.put("4.2", List.of(RES.resolve("qemu-4.2-eject-lp1867519.txt")));
        REAL.put("6.1.0", List.of(RES.resolve("qemu-6.1.0-vcpu-mmio.txt")));
        REAL.put("7.2", List.of(RES.resolve("qemu-7.2-q35-acpi-eject.txt"), RES.resolve("qemu-7.2-q35-pciehp-unplug.txt"),
                RES.resolve("qemu-7.2-debian-q35-acpi-eject.txt"), RES.resolve("qemu-7.2-debian-q35-pciehp-unplug.txt")));
        REAL.put("8.0-dev", List.of(RES.resolve("qemu-8.0-dev-eject-qtest.txt"),
                RES.resolve("qemu-8.0-dev-incoming-migration.txt")));
        REAL.put("8.x", List.of(RES.resolve("qemu-8.x-device-del-scsi.txt")));
        REAL.put("9.0", List.of(RES.resolve("qemu-9.0-vcpu-virtio-pci-segv.txt")));
        REAL.put("6.0-dev", List.of(RES.resolve("qemu-6.0-dev-pciehp-unplug-lp1912846.txt")));
    }

    static List<Frame> frames(String version) {
        Evidence e = Fixtures.load(REAL.get(version).toArray(Path[]::new));
        List<Frame> out = new ArrayList<>();
        for (Backtrace b : e.backtraces()) {
            for (BacktraceThread t : b.threads()) {
                out.addAll(t.frames());
            }
        }
        return out;
    }

    /** function → versions in which a real frame of it was read */
    static Map<String, Set<String>> seen() {
        Map<String, Set<String>> seen = new TreeMap<>();
        REAL.keySet().forEach(v -> frames(v).forEach(f ->
                seen.computeIfAbsent(CallChainKnowledge.normalize(f.function()), k -> new TreeSet<>()).add(v)));
        return seen;
    }

    @Test
    void theRealBacktracesParse() {
        assertEquals(21, frames("2.1.2").size());
        assertEquals(26, frames("4.2").size());
        assertEquals(9, frames("6.1.0").size());
        assertFalse(frames("8.0-dev").isEmpty());
    }

    @Test
    void everyEntryNamesTheVersionsOfItsRealFramesAndEachIsTrue() {
        CallChainKnowledge kb = CallChainKnowledge.standard();
        Map<String, Set<String>> seen = seen();
        List<String> problems = new ArrayList<>();
        for (String fn : kb.functions()) {
            List<String> versions = kb.versions(fn);
            if (versions.isEmpty() != AWAITING_A_REAL_FRAME.contains(fn)) {
                problems.add(fn + (versions.isEmpty() ? ": no version with a real frame" : ": has a real frame now"));
            }
            for (String v : REAL.keySet()) {
                if (seen.getOrDefault(fn, Set.of()).contains(v) && !versions.contains(v)) {
                    problems.add(fn + ": a real frame in " + v + " the entry does not name");
                }
            }
            for (String v : versions) {
                if (!seen.getOrDefault(fn, Set.of()).contains(v)) {
                    problems.add(fn + ": no real frame in " + v);
                }
            }
            FrameKnowledge en = kb.lookup(fn, Locale.ROOT);
            FrameKnowledge zh = kb.lookup(fn, Locale.SIMPLIFIED_CHINESE);
            if (en.description() == null || zh.description() == null || zh.description().equals(en.description())) {
                problems.add(fn + ": needs an English and a Chinese explanation");
            }
        }
        assertEquals(List.of(), problems, "seen: " + seen);
    }

    @Test
    void bothUnplugPathsAreKnownFrameByFrame() {
        CallChainKnowledge kb = CallChainKnowledge.standard();
        // the seed's 2.1.2 path: every one of its 21 frames
        for (Frame f : frames("2.1.2")) {
            assertNotNull(kb.lookup(f.function()), f.function());
        }
        // the modern path from the guest's write to pci_qdev_unrealize (QEMU 4.2, frames #19..#3)
        List<Frame> modern = frames("4.2");
        for (Frame f : modern) {
            if (f.index() >= 3 && f.index() <= 19) {
                assertNotNull(kb.lookup(f.function()), f.function());
            }
        }
        assertEquals(CallLayer.ACPI_HOTPLUG, kb.lookup("acpi_pcihp_device_unplug_cb").layer());
        assertEquals(CallLayer.QOM_QDEV, kb.lookup("pci_qdev_unrealize").layer());
        assertTrue(kb.versions("release_drive").contains("2.1.2"));
        assertTrue(kb.versions("pci_qdev_unrealize").contains("4.2"));
        assertTrue(kb.versions("acpi_pcihp_device_unplug_cb").containsAll(List.of("4.2", "8.0-dev")));
    }
}
