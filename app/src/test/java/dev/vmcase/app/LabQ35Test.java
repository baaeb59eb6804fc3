package dev.vmcase.app;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.rules.BackendRemovedBeforeFrontendRule;
import dev.vmcase.analysis.rules.MigrationFailedRule;
import dev.vmcase.analysis.rules.MigrationStateMismatchRule;
import dev.vmcase.analysis.rules.OrphanedFrontendRule;
import dev.vmcase.analysis.rules.UnackedUnplugRule;
import dev.vmcase.app.LabTestSupport.Result;
import dev.vmcase.lab.LabRun;
import dev.vmcase.lab.QemuProcess;
import dev.vmcase.model.Finding;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static dev.vmcase.app.LabTestSupport.processesNaming;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The q35 scenarios on real QEMU 7.2 (TCG) with the victim's root port at a slot and the disk at an id chosen at
 * random for this run: the analysis must name the orphan by its whole path behind that port ({@code 0000:00:SS.0:00.0},
 * never the port, never a slot or id of habit), and say nothing against the healthy controls, whose guest ejects
 * through ACPI ({@code clean-unplug-q35}) or natively through the port's slot control ({@code clean-unplug-pciehp}).
 * What the analysis concludes is checked against what the lab did (its {@code lab.txt} facts and transcripts). Needs
 * {@code qemu-system-x86_64} and {@code qemu-img}: skipped with that reason where they are not installed, a failure
 * when {@code CI=true}.
 */
class LabQ35Test {
    private static final List<String> ORPHAN_RULES = List.of(BackendRemovedBeforeFrontendRule.ID, UnackedUnplugRule.ID,
            OrphanedFrontendRule.ID, MigrationStateMismatchRule.ID, MigrationFailedRule.ID);
    private static final List<String> HEALTHY = List.of("virtio-disk0", "net0", "pci.1", "pci.2", "pci.3",
            "0000:00:01.0:00.0", "0000:00:01.1:00.0");

    @TempDir
    Path tmp;

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);

    /** A root port slot: anything but the host bridge (0), libvirt's port slot (1) and ICH9's (31). */
    private int slot() {
        return 2 + random.nextInt(29);
    }

    private String id() {
        return "virtio-disk" + (2 + random.nextInt(40));
    }

    private Result lab(String... args) {
        return LabTestSupport.lab(tmp.resolve("scratch"), args);
    }

    @Test
    void theOrphanBehindARandomRootPortIsNamedByItsWholePath() throws IOException {
        requireQemu();
        int slot = slot();
        String id = id();
        Path out = tmp.resolve("orphan");
        Result r = lab("orphaned-disk-q35", "--out", out.toString(), "--id", id, "--slot", "0x" + Integer.toHexString(slot));
        assertEquals(0, r.code(), r.err() + r.out());
        String path = String.format(Locale.ROOT, "0000:00:%02x.0:00.0", slot);
        String port = String.format(Locale.ROOT, "0000:00:%02x.0", slot);
        // what the lab did: device_del accepted and never acknowledged, the drive removed, the destination refused
        String manifest = Files.readString(out.resolve(LabRun.MANIFEST));
        assertTrue(manifest.contains("device_del " + id + ": accepted"), manifest);
        assertTrue(manifest.contains("DEVICE_DELETED within 1500 ms: no"), manifest);
        assertTrue(manifest.contains("drive_del drive-" + id + ": empty answer (success)"), manifest);
        String dstLog = Files.readString(out.resolve("destination").resolve(LabRun.GUEST + ".log"));
        assertTrue(dstLog.contains("Unknown savevm section or instance '" + path + "/virtio-blk' 0"), dstLog);

        AnalysisResult a = Analysis.of(List.of(out), ProgressMonitor.NONE);
        for (String rule : ORPHAN_RULES) {
            List<Finding> f = a.findings().stream().filter(x -> x.rule().equals(rule)).toList();
            assertEquals(1, f.size(), rule + " (seed " + seed + ") in " + a.findings());
            assertEquals(List.of(id, path), f.get(0).devices(), rule + " (seed " + seed + ")");
        }
        Finding mismatch = a.findings().stream().filter(x -> x.rule().equals(MigrationStateMismatchRule.ID))
                .findFirst().orElseThrow();
        assertEquals(path + "/virtio-blk", mismatch.details().get("idstr"));
        assertEquals(path, mismatch.details().get("pci"));
        assertEquals(port, mismatch.details().get("bridge"));
        assertEquals("0", mismatch.details().get("slot"), "slot 0 of the port's bus, not the port's slot");
        assertEquals("false", mismatch.details().get("destination-has-device"));
        assertNoHealthyDeviceAccused(a);
        assertNoProcessLeft();
    }

    @Test
    void aGuestEjectingThroughTheIch9HotplugRegistersLeavesNothingToReport() throws IOException {
        String id = id();
        Path out = tmp.resolve("acpi");
        runHealthy("clean-unplug-q35", out, slot(), id);
        List<String> qtest = Files.readAllLines(out.resolve("source-qtest.txt"));
        assertTrue(qtest.contains("inl 0xcc4") && qtest.contains("OK 0x0001") && qtest.contains("outl 0xcc8 0x1"), qtest.toString());
        assertHealthyControl(out, id);
    }

    @Test
    void aGuestPoweringTheSlotOffNativelyLeavesNothingToReport() throws IOException {
        int slot = slot();
        String id = id();
        Path out = tmp.resolve("pciehp");
        runHealthy("clean-unplug-pciehp", out, slot, id);
        assertTrue(Files.readString(out.resolve(LabRun.GUEST + ".log"))
                .contains("-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"));
        String manifest = Files.readString(out.resolve(LabRun.MANIFEST));
        // attention button pressed (bit 0) on a populated slot (bit 6); then blink, power off, indicator off
        assertTrue(manifest.contains("guest: slot status: 0x0041"), manifest);
        assertTrue(manifest.contains("guest: slot control written: 0x02c0, 0x06c0, 0x07c0"), manifest);
        assertTrue(Files.readAllLines(out.resolve("source-qtest.txt"))
                .contains(String.format(Locale.ROOT, "outl 0xcf8 0x%x", 0x80000000 | slot << 11 | 0x6c)));
        assertHealthyControl(out, id);
    }

    private void runHealthy(String scenario, Path out, int slot, String id) {
        requireQemu();
        Result r = lab(scenario, "--out", out.toString(), "--id", id, "--slot", Integer.toString(slot));
        assertEquals(0, r.code(), r.err() + r.out());
    }

    private void assertHealthyControl(Path out, String id) throws IOException {
        String transcript = Files.readString(out.resolve("source-qmp.jsonl"));
        assertTrue(transcript.contains("\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \"" + id + "\""), transcript);
        String manifest = Files.readString(out.resolve(LabRun.MANIFEST));
        assertTrue(manifest.contains("source migration: completed"), manifest);
        assertTrue(manifest.contains("destination migration: completed"), manifest);
        AnalysisResult a = Analysis.of(List.of(out), ProgressMonitor.NONE);
        List<Finding> bad = a.findings().stream()
                .filter(f -> ORPHAN_RULES.contains(f.rule()) || f.rule().startsWith("MIGRATION_")).toList();
        assertTrue(bad.isEmpty(), "the healthy control was accused (seed " + seed + "): " + bad);
        assertNoProcessLeft();
    }

    private static void assertNoHealthyDeviceAccused(AnalysisResult a) {
        assertTrue(a.findings().stream().noneMatch(f -> f.devices().stream().anyMatch(HEALTHY::contains)),
                "a healthy device or a port was accused: " + a.findings());
    }

    private void assertNoProcessLeft() {
        assertEquals(List.of(), processesNaming(tmp.resolve("scratch").toString()), "stray processes");
    }

    private static void requireQemu() {
        boolean ok = QemuProcess.resolve("qemu-system-x86_64").isPresent() && QemuProcess.resolve("qemu-img").isPresent();
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install qemu-system-x86 and qemu-utils (.ci/run)");
        }
        assumeTrue(ok, "qemu-system-x86_64 or qemu-img not installed");
    }
}
