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
}
