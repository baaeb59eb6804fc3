package dev.vmcase.samples;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.rules.BackendRemovedBeforeFrontendRule;
import dev.vmcase.analysis.rules.MigrationFailedRule;
import dev.vmcase.analysis.rules.MigrationStateMismatchRule;
import dev.vmcase.analysis.rules.OrphanedFrontendRule;
import dev.vmcase.analysis.rules.UnackedUnplugRule;
import dev.vmcase.model.Finding;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs real QEMU through the seed's sequence with a victim disk or NIC at a slot and id chosen at random for this run,
 * then analyses what was captured: the analysis must name that device and slot, never the sample's
 * {@code virtio-disk1}/slot 6 by habit, and raise nothing against the healthy devices.
 * Needs {@code qemu-system-x86_64}, {@code qemu-img} and {@code python3} (CI installs them; elsewhere the test is
 * skipped with that reason).
 */
class RealQemuCaptureTest {
    @TempDir
    Path out;
    /** The capture script's own output: beside the evidence, not in it (and not left behind in /tmp). */
    @TempDir
    Path logs;

    private final Random random = new Random();

    @Test
    void analysisNamesTheOrphanedDiskOfAFreshRealQemuRun() throws IOException, InterruptedException {
        int slot = List.of(4, 7, 8, 9, 10, 11, 12, 17, 23, 30).get(random.nextInt(10));
        String id = "virtio-disk" + (2 + random.nextInt(20));
        AnalysisResult r = capture("disk", slot, id);
        assertTheOrphanIsNamed(r, id, slot, "/virtio-blk");
        assertTrue(r.findings().stream().noneMatch(x -> x.devices().contains("virtio-disk0") || x.devices().contains("net0")),
                "a healthy device was accused: " + r.findings());
    }

    @Test
    void analysisNamesTheOrphanedNicOfAFreshRealQemuRun() throws IOException, InterruptedException {
        int slot = List.of(4, 7, 8, 9, 10, 13, 19, 26, 31).get(random.nextInt(9));
        String id = "net" + (1 + random.nextInt(9));
        AnalysisResult r = capture("nic", slot, id);
        // with its option ROM the NIC fails on the RAM block; without one, on its device section
        assertTheOrphanIsNamed(r, id, slot, "/virtio-net-pci.rom", "/virtio-net");
        assertTrue(r.findings().stream().noneMatch(x -> x.devices().contains("virtio-disk0") || x.devices().contains("virtio-disk1")),
                "a healthy device was accused: " + r.findings());
    }

    private AnalysisResult capture(String kind, int slot, String id) throws IOException, InterruptedException {
        requireTools();
        Path script = Path.of("orphaned-disk-qemu/capture.py").toAbsolutePath();
        Process p = new ProcessBuilder("python3", script.toString(), out.toString(), "--kind", kind,
                "--slot", Integer.toString(slot), "--id", id)
                .redirectErrorStream(true).redirectOutput(logs.resolve("capture.log").toFile())
                .start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "capture did not finish in 180 s");
        assertEquals(0, p.exitValue(), "capture failed: " + Files.readString(logs.resolve("capture.log")));

        return Analysis.of(List.of(out), ProgressMonitor.NONE);
    }

    private static void assertTheOrphanIsNamed(AnalysisResult r, String id, int slot, String... vmsd) {
        String pci = String.format("0000:00:%02x.0", slot);
        for (String rule : List.of(BackendRemovedBeforeFrontendRule.ID, UnackedUnplugRule.ID, OrphanedFrontendRule.ID,
                MigrationStateMismatchRule.ID, MigrationFailedRule.ID)) {
            List<Finding> f = r.findings().stream().filter(x -> x.rule().equals(rule)).toList();
            assertEquals(1, f.size(), rule + " in " + r.findings());
            assertEquals(List.of(id, pci), f.get(0).devices(), rule);
        }
        Finding mismatch = r.findings().stream().filter(x -> x.rule().equals(MigrationStateMismatchRule.ID)).findFirst().orElseThrow();
        String idstr = mismatch.details().get("idstr");
        assertTrue(java.util.Arrays.stream(vmsd).anyMatch(v -> (pci + v).equals(idstr)), idstr);
        assertEquals("false", mismatch.details().get("destination-has-device"));
    }

    private static void requireTools() {
        boolean ok = onPath("qemu-system-x86_64") && onPath("qemu-img") && onPath("python3");
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install qemu-system-x86, qemu-utils and python3 (.ci/run)");
        }
        assumeTrue(ok, "qemu-system-x86_64, qemu-img or python3 not installed");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
