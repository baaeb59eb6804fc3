package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Finding;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SNAPSHOT_RESTORE_FAILED and DOMAIN_START_FAILED on real reports that are not the public corpus's cases they were
 * built for, and live-migration controls on which neither may fire. The machine output below is kept exactly as its
 * reporters pasted it; the surrounding words are ours.
 */
class RestoreAndStartRulesTest {
    @TempDir
    Path dir;

    /**
     * https://github.com/canonical/multipass/issues/5053 (2026): a suspended multipass instance (QEMU 10.0 on an arm
     * Mac) resumed with {@code -loadvm suspend} after an upgrade; the new QEMU's NIC ROM is another size. Multipass
     * wraps QEMU's stderr in its own labels; QEMU's verdict is the snapshot path's.
     */
    static final String MULTIPASS_RESUME = """
            ```
            -[2026-07-09T20:54:55.074] [debug] [upg-suspend] QMP: {"QMP": {"version": {"qemu": {"micro": 3, "minor": 0, "major": 10}, "package": ""}, "capabilities": ["oob"]}}

            \\[2026-07-09T20:54:55.161] [warning] [upg-suspend] qemu-system-aarch64: Size mismatch: 0000:00:01.0/virtio-net-pci.rom: 0x40000 != 0x80000: Invalid argument
            qemu-system-aarch64: error while loading state for instance 0x0 of device 'ram'

            [2026-07-09T20:54:55.161] [warning] [/Library/Application Support/com.canonical.multipass/bin/qemu-system-aarch64]\s
            [2026-07-09T20:54:55.161] [warning] [upg-suspend] qemu-system-aarch64: Error -22 while loading VM state

            ```
            """;

    /**
     * https://github.com/UPC/ravada/issues/390 (2017): ravada could not start a domain whose XML named a machine type
     * the host's QEMU lacks; libvirt's error as ravada printed it.
     */
    static final String RAVADA_START = """
            Reported error:
            ERROR starting domain status:'done' ( libvirt error code: 1, message: internal error: process exited while connecting to monitor: 2017-10-06T10:19:11.897874Z qemu-system-x86_64: -msg timestamp=on: **unsupported machine type** Use -machine help to list supported machines )\s
            """;

    /**
     * https://github.com/NixOS/nixpkgs/issues/63182 (2019): after a NixOS update (QEMU 4.0) no guest would start;
     * {@code virsh start} of a domain with a managed-save image makes libvirt load that image, and the new QEMU refused
     * the balloon's saved PCI config. No migration anywhere: a restore of a saved state at start.
     */
    static final String NIXOS_START_MANAGED_SAVE = """
            ### Steps to reproduce

            ```
            root@h-b:~# virsh start mail
            error: Failed to start domain mail
            error: internal error: qemu unexpectedly closed the monitor: 2019-06-16 04:50:50.126+0000: Domain id=2 is tainted: high-privileges
            2019-06-16T04:50:53.160896Z qemu-system-x86_64: get_pci_config_device: Bad config data: i=0x10 read: 21 device: 1 cmask: ff wmask: c0 w1cmask:0
            2019-06-16T04:50:53.160908Z qemu-system-x86_64: Failed to load PCIDevice:config
            2019-06-16T04:50:53.160912Z qemu-system-x86_64: Failed to load virtio-balloon:virtio
            2019-06-16T04:50:53.160914Z qemu-system-x86_64: error while loading state for instance 0x0 of device '0000:00:08.0/virtio-balloon'
            2019-06-16T04:50:53.161065Z qemu-system-x86_64: load of migration failed: Invalid argument
            ```
            """;

    /**
     * Captured on this project's lab host with QEMU 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18): a QEMU with a
     * virtio-balloon at 00:05.0 saved its state with QMP {@code migrate} to {@code exec:cat > /tmp/restore-lab/vm.mig};
     * a QEMU started without the balloon read the file back through {@code -incoming "exec:cat FILE"}. The shell
     * session as the terminal showed it (the lab's {@code # started} / {@code # exit} lines around it).
     */
    static final String LAB_EXEC_CAT_RESTORE = """
            # started 2026-12-04T21:30:47Z
            $ qemu-system-x86_64 -M pc -accel tcg -m 64 -nodefaults -display none -msg timestamp=on -incoming "exec:cat /tmp/restore-lab/vm.mig"
            2026-12-04T21:30:47.309630Z qemu-system-x86_64: Unknown savevm section or instance '0000:00:05.0/virtio-balloon' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices
            2026-12-04T21:30:47.309719Z qemu-system-x86_64: load of migration failed: Invalid argument
            # exit 1
            """;

    /**
     * The discriminating control, captured the same way a minute later: the same source QEMU migrated live over
     * {@code tcp:127.0.0.1:47321} to a destination without the balloon. QEMU's two lines are word for word those of
     * the restore; only the {@code -incoming} differs, so this one is a live migration.
     */
    static final String LAB_TCP_LIVE_MIGRATION = """
            # started 2026-12-04T21:30:53Z
            $ qemu-system-x86_64 -M pc -accel tcg -m 64 -nodefaults -display none -msg timestamp=on -incoming tcp:127.0.0.1:47321
            2026-12-04T21:30:55.257673Z qemu-system-x86_64: Unknown savevm section or instance '0000:00:05.0/virtio-balloon' 0. Make sure that your current VM setup matches your saved VM setup, including any hotplugged devices
            2026-12-04T21:30:55.257784Z qemu-system-x86_64: load of migration failed: Invalid argument
            # exit 1
            """;

    private AnalysisResult analyse(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return Analysis.of(List.of(f), ProgressMonitor.NONE);
    }

    private static List<Finding> of(AnalysisResult r, String rule) {
        return r.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    private static List<Integer> lines(Finding f) {
        return f.evidence().stream().map(s -> s.line()).toList();
    }

    @Test
    void aSnapshotResumeThatFailsIsARestoreNeverAMigration() throws IOException {
        AnalysisResult r = analyse("multipass-5053.md", MULTIPASS_RESUME);
        List<Finding> restore = of(r, SnapshotRestoreFailedRule.ID);
        assertEquals(1, restore.size(), "findings: " + r.findings());
        Finding f = restore.get(0);
        assertEquals("snapshot", f.details().get("restore-kind"));
        // the rejection of the 'ram' section and QEMU's snapshot verdict, which also shows it was a restore
        assertTrue(lines(f).containsAll(List.of(5, 8)), "cites " + lines(f));
        assertEquals("ram", f.details().get("idstr"));
        assertEquals(List.of(), of(r, MigrationFailedRule.ID), "a snapshot load is no migration");
        assertEquals(List.of(), of(r, DomainStartFailedRule.ID));
    }

    @Test
    void aStartThatLoadsAManagedSaveImageAndFailsIsARestoreNeverAMigration() throws IOException {
        AnalysisResult r = analyse("nixpkgs-63182.md", NIXOS_START_MANAGED_SAVE);
        List<Finding> restore = of(r, SnapshotRestoreFailedRule.ID);
        assertEquals(1, restore.size(), "findings: " + r.findings());
        Finding f = restore.get(0);
        assertEquals("saved-state", f.details().get("restore-kind"));
        assertEquals("0000:00:08.0", f.details().get("pci"));
        assertEquals("device-state-rejected", f.details().get("failure-class"));
        // the start that loaded the image, and QEMU's rejection and verdict
        assertTrue(lines(f).containsAll(List.of(4, 9, 10)), "cites " + lines(f));
        assertEquals(List.of(), of(r, MigrationFailedRule.ID), "nothing migrated: virsh start loaded a saved image");
        assertEquals(List.of(), of(r, DomainStartFailedRule.ID), "the start failed because the load did: one finding");
    }

    @Test
    void aStartQemuRefusedIsAFailedStartNeverAMigration() throws IOException {
        AnalysisResult r = analyse("ravada-390.txt", RAVADA_START);
        List<Finding> start = of(r, DomainStartFailedRule.ID);
        assertEquals(1, start.size(), "findings: " + r.findings());
        Finding f = start.get(0);
        assertEquals("msg", f.details().get("option"));
        assertTrue(f.details().get("error").contains("unsupported machine type"), f.details().toString());
        assertEquals(List.of(2), lines(f));
        assertEquals(List.of(), of(r, MigrationFailedRule.ID));
        assertEquals(List.of(), of(r, SnapshotRestoreFailedRule.ID));
    }

    /** The lab's libvirt migration (real QEMU 7.2 / libvirt 9.0): a healthy live migration, neither rule fires. */
    @Test
    void aHealthyLiveMigrationIsNeitherARestoreNorAFailedStart() {
        AnalysisResult r = Analysis.of(List.of(Path.of("../sample-cases/libvirt-migration/evidence")),
                ProgressMonitor.NONE);
        assertEquals(List.of(), of(r, SnapshotRestoreFailedRule.ID));
        assertEquals(List.of(), of(r, DomainStartFailedRule.ID));
        AnalysisResult p = Analysis.of(List.of(Path.of(
                "../sample-cases/public/ctl-healthy-postcopy-multifd-migrations/evidence")), ProgressMonitor.NONE);
        assertEquals(List.of(), of(p, SnapshotRestoreFailedRule.ID));
        assertEquals(List.of(), of(p, DomainStartFailedRule.ID));
        assertEquals(List.of(), of(p, MigrationFailedRule.ID));
    }
    @Test
    void aSavedStreamReadBackThroughExecCatIsARestore() throws IOException {
        AnalysisResult r = analyse("exec-cat-restore.txt", LAB_EXEC_CAT_RESTORE);
        List<Finding> restore = of(r, SnapshotRestoreFailedRule.ID);
        assertEquals(1, restore.size(), "findings: " + r.findings());
        Finding f = restore.get(0);
        assertEquals("saved-state", f.details().get("restore-kind"));
        assertEquals("0000:00:05.0", f.details().get("pci"));
        assertEquals("5", f.details().get("slot"));
        assertEquals("device-missing-on-destination", f.details().get("failure-class"));
        // the rejected section, the verdict, and the command line whose -incoming reads a file
        assertTrue(lines(f).containsAll(List.of(2, 3, 4)), "cites " + lines(f));
        assertEquals(List.of(), of(r, MigrationFailedRule.ID));
    }

    @Test
    void theSameLinesAfterATcpIncomingAreALiveMigration() throws IOException {
        AnalysisResult r = analyse("tcp-live-migration.txt", LAB_TCP_LIVE_MIGRATION);
        assertEquals(List.of(), of(r, SnapshotRestoreFailedRule.ID), "findings: " + r.findings());
        assertEquals(1, of(r, MigrationFailedRule.ID).size(), "findings: " + r.findings());
        assertEquals(List.of(), of(r, DomainStartFailedRule.ID));
    }
}
