package dev.vmcase.samples;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.VmResult;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.analysis.rules.OrphanedFrontendRule;
import dev.vmcase.analysis.rules.RuleOutcome;
import dev.vmcase.analysis.rules.UnackedUnplugRule;
import dev.vmcase.analysis.vms.Unattributed;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.parsers.ProgressMonitor;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's "done when": several VMs in one bundle, with the same device ids, each analysed as itself. Real lab
 * captures only (see the cases' READMEs): three VMs from two hosts, one libvirtd log of two domains, and a sosreport of
 * many instance logs packed here from real domain logs.
 */
class ManyVmsTest {
    private static final Path CASES = SampleCasesTest.CASES;

    @TempDir
    Path dir;

    private static AnalysisResult open(String name) {
        return Analysis.of(List.of(CASES.resolve(name).resolve("evidence")), ProgressMonitor.NONE);
    }

    private static List<String> rules(VmResult v) {
        return v.findings().stream().map(Finding::rule).toList();
    }

    @Test
    void threeVmsOfTwoHostsGiveTheOrphanToTheRightVmOnly() {
        AnalysisResult r = open("three-vms");
        assertEquals(List.of("vm-alpha", "vm-bravo", "vm-charlie"), r.vms().stream().map(v -> v.vm().key()).toList());
        VmResult alpha = r.vm("vm-alpha").orElseThrow();
        VmResult bravo = r.vm("vm-bravo").orElseThrow();
        VmResult charlie = r.vm("vm-charlie").orElseThrow();

        // the orphan is vm-alpha's virtio-disk1, in its slot 7
        Finding orphan = alpha.findings().stream().filter(f -> f.rule().equals(OrphanedFrontendRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(alpha.findings().toString()));
        assertEquals(List.of("virtio-disk1", "0000:00:07.0"), orphan.devices());
        assertEquals("vm-alpha", orphan.vm());
        assertTrue(orphan.evidence().stream().allMatch(s -> s.path().contains("/vm-alpha/")), orphan.evidence().toString());
        // the other two VMs have a virtio-disk1 too, and no orphan
        assertEquals(List.of(), bravo.findings());
        assertEquals(List.of(UnackedUnplugRule.ID), rules(charlie));
        assertEquals(List.of("virtio-disk1", "0000:00:03.0"), charlie.findings().get(0).devices());
        assertTrue(bravo.outcomes().stream().noneMatch(o -> o.status() == RuleOutcome.Status.FIRED));
        assertEquals(RuleOutcome.Status.CLEAR, bravo.outcomes().stream()
                .filter(o -> o.rule().equals(OrphanedFrontendRule.ID)).findFirst().orElseThrow().status());

        // devices keyed by VM: each VM's virtio-disk1 is its own
        DeviceRow a = alpha.devices().sourceById("virtio-disk1").orElseThrow();
        DeviceRow b = bravo.devices().sourceById("virtio-disk1").orElseThrow();
        DeviceRow c = charlie.devices().sourceById("virtio-disk1").orElseThrow();
        assertEquals(7, a.pci().slot());
        assertEquals(Presence.DIFFERENT, a.presence(Layer.QDEV));
        assertEquals(6, b.pci().slot());
        assertEquals(Presence.ABSENT, b.presence(Layer.QDEV), "the guest ejected it: gone from bravo's complete qtree");
        assertEquals(3, c.pci().slot());
        assertEquals(Presence.PRESENT, c.presence(Layer.QDEV));
        assertTrue(a.observations().stream().allMatch(o -> o.source().path().contains("/vm-alpha/")));
        assertEquals("vm-alpha/source/virtio-disk1", a.globalKey());
        assertTrue(r.unattributed().isEmpty(), r.unattributed().toString());
    }

    @Test
    void oneDaemonsLogOfTwoDomainsWithTheSameDiskGivesThePendingUnplugToTheDomainItWasSentTo() {
        AnalysisResult r = open("two-domains-one-daemon");
        VmResult b001 = r.vm("instance-0000b001").orElseThrow();
        VmResult b002 = r.vm("instance-0000b002").orElseThrow();
        assertEquals(List.of(UnackedUnplugRule.ID), rules(b001));
        assertEquals(List.of("virtio-disk1", "0000:00:03.0"), b001.findings().get(0).devices());
        assertEquals(List.of(), b002.findings());
        // both were checked: the one daemon log holds both domains' monitors
        assertEquals(RuleOutcome.Status.CLEAR, b002.outcomes().stream()
                .filter(o -> o.rule().equals(UnackedUnplugRule.ID)).findFirst().orElseThrow().status());
    }

    @Test
    void aSosreportOfManyInstanceLogsIsOneVmPerLogAndItsBareDumpIsNobodys() throws IOException {
        // real domain logs, each where a sosreport keeps it: var/log/libvirt/qemu/NAME.log
        Map<String, Path> logs = new LinkedHashMap<>();
        logs.put("vm-alpha", CASES.resolve("three-vms/evidence/cmp-1/vm-alpha/vm-alpha.log"));
        logs.put("vm-bravo", CASES.resolve("three-vms/evidence/cmp-1/vm-bravo/vm-bravo.log"));
        logs.put("vm-charlie", CASES.resolve("three-vms/evidence/cmp-1/vm-charlie/vm-charlie.log"));
        logs.put("instance-0000b001", CASES.resolve("two-domains-one-daemon/evidence/instance-0000b001.log"));
        logs.put("instance-0000b002", CASES.resolve("two-domains-one-daemon/evidence/instance-0000b002.log"));
        logs.put("instance-0000002a", CASES.resolve("lab-clean-unplug/evidence/instance-0000002a.log"));
        // a log whose kept part names no VM (QEMU's stderr only, as after a rotation): its place names it
        logs.put("vm-orphan", CASES.resolve("orphaned-disk-qemu/evidence/destination-qemu.log"));
        String top = "sosreport-cmp-17-01234567-2026-12-04-abcdefg";
        Path archive = dir.resolve("sosreport-cmp-17.tar.xz");
        try (OutputStream out = Files.newOutputStream(archive); XZCompressorOutputStream xz = new XZCompressorOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(xz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, Path> e : logs.entrySet()) {
                put(tar, top + "/var/log/libvirt/qemu/" + e.getKey() + ".log", e.getValue());
            }
            // a bare query-pci answer among sos's command output: it names no VM, and its sosreport names seven
            put(tar, top + "/sos_commands/virsh/qemu-monitor-command_query-pci",
                    CASES.resolve("three-vms/evidence/cmp-1/vm-alpha/source-query-pci.json"));
        }
        AnalysisResult r = Analysis.of(List.of(archive), ProgressMonitor.NONE);
        assertEquals(logs.keySet().stream().sorted().toList(), r.vms().stream().map(v -> v.vm().key()).toList());
        // each VM has its own command line's disks, the same ids in each one's own slots
        assertEquals(7, r.vm("vm-alpha").orElseThrow().devices().sourceById("virtio-disk1").orElseThrow().pci().slot());
        assertEquals(3, r.vm("vm-charlie").orElseThrow().devices().sourceById("virtio-disk1").orElseThrow().pci().slot());
        assertEquals(6, r.vm("instance-0000002a").orElseThrow().devices().sourceById("virtio-disk1").orElseThrow()
                .pci().slot());
        // the rotated-looking log, named by its place, keeps its migration failure on its own VM
        VmResult orphanVm = r.vm("vm-orphan").orElseThrow();
        assertTrue(orphanVm.findings().stream().anyMatch(f -> f.rule().equals("MIGRATION_FAILED")), orphanVm.findings().toString());
        r.vms().stream().filter(v -> v != orphanVm).forEach(v ->
                assertFalse(v.findings().stream().anyMatch(f -> f.rule().equals("MIGRATION_FAILED")), v.vm().key()));
        // the bare dump: listed, and in no VM's rows
        assertEquals(1, r.unattributed().size(), r.unattributed().toString());
        Unattributed u = r.unattributed().get(0);
        assertTrue(u.artifact().path().endsWith("qemu-monitor-command_query-pci"));
        assertEquals(Unattributed.Reason.NEIGHBOURS_NAME_SEVERAL, u.reason());
        for (VmResult v : r.vms()) {
            assertTrue(v.devices().source().stream().flatMap(d -> d.observations().stream())
                    .noneMatch(o -> o.source().path().endsWith("query-pci")), v.vm().key());
        }
    }

    private static void put(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(Files.size(file));
        tar.putArchiveEntry(e);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }
}
