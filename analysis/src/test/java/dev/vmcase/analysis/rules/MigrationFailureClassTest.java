package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rejected migration state says its failure class (from the message catalogue's entry of the rejecting line) and
 * cites the cause lines QEMU printed just before it. Real evidence outside the public corpus: QEMU's output quoted in a
 * qemu-devel mail (https://mail-archive.com/qemu-devel@nongnu.org/msg972859.html) and the seed note.
 */
class MigrationFailureClassTest {
    private static Finding mismatch(AnalysisResult r) {
        return r.findings().stream().filter(f -> f.rule().equals(MigrationStateMismatchRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
    }

    @Test
    void aStateTheDestinationRejectedCitesItsCauseLinesAndIsDeviceStateRejected() {
        // a root port's slot-status byte refused on load, as a qemu-devel patch mail quotes QEMU's output:
        // Bad config data (5), two Failed to load (6, 7), the section (8)
        Finding f = mismatch(Analysis.run(Fixtures.load(Path.of(
                "src/test/resources/dev/vmcase/analysis/rules/qemu-devel-pcie-root-port-pds.txt"))));
        assertEquals("device-state-rejected", f.details().get("failure-class"));
        List<Integer> lines = f.evidence().stream().filter(r -> r.path().endsWith(".txt")).map(SourceRef::line).toList();
        assertTrue(lines.containsAll(List.of(5, 6, 7, 8)), lines.toString());
        assertTrue(f.details().get(Findings.NOTES).contains("note_failure_class_device-state-rejected"));
    }

    @Test
    void aSectionTheDestinationDoesNotKnowIsADeviceMissingOnTheDestination() {
        // the seed: 'Unknown savevm section or instance '0000:06.0/virtio-blk' 0', no cause line before it
        Finding f = mismatch(Analysis.run(Fixtures.load(
                Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt"))));
        assertEquals("device-missing-on-destination", f.details().get("failure-class"));
        assertEquals(List.of(9), f.evidence().stream().filter(r -> r.path().endsWith(".txt")).map(SourceRef::line)
                .filter(l -> l >= 5 && l <= 11).toList(), "the section line only: the lines above it give no cause");
    }

    /**
     * Real QEMU 7.2 (resources state-rejected-num-queues): only the destination's command line and log are in the
     * evidence; its own virtio-disk0 at 0000:00:04.0 refused the state. The finding names that device, from the
     * destination, and cites the cause lines — not only the PCI address.
     */
    @Test
    void aDestinationOnlyRejectionNamesTheDestinationsDeviceAtThatAddress() {
        Path dir = Path.of("src/test/resources/dev/vmcase/analysis/rules/state-rejected-num-queues");
        var r = dev.vmcase.analysis.Analysis.of(List.of(dir.resolve("destination-cmdline.txt"),
                dir.resolve("destination-qemu.log")), dev.vmcase.parsers.ProgressMonitor.NONE);
        var f = r.findings().stream().filter(x -> x.rule().equals(MigrationStateMismatchRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(r.findings().toString()));
        assertTrue(f.devices().contains("virtio-disk0"), f.devices().toString());
        assertEquals("virtio-disk0", f.details().get("destination-device"));
        assertEquals("0000:00:04.0", f.details().get("pci"));
        List<Integer> log = f.evidence().stream().filter(e -> e.path().endsWith("destination-qemu.log"))
                .map(e -> e.line()).sorted().toList();
        assertTrue(log.containsAll(List.of(1, 2, 3, 4)), log.toString());
        assertTrue(dev.vmcase.analysis.FindingText.summary(f).contains("virtio-disk0"),
                dev.vmcase.analysis.FindingText.summary(f));
    }

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    @Test
    void aStreamThatBrokeIsATransportFailureAndItsLineIsTheCause() {
        // QEMU 8.2.2 loading a state file cut short, as a qemu-devel mail quotes it
        // (https://lore.kernel.org/qemu-devel/f855963e-b7dd-4ce8-89dc-dfaa87e896c4@akamai.com/)
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "dest.log",
                "2024-04-17T16:09:47Z qemu-system-x86_64: check_section_footer: Read section footer failed: -5\n"
                        + "2024-04-17T16:09:47Z qemu-system-x86_64: load of migration failed: Invalid argument\n"));
        Finding f = r.findings().stream().filter(x -> x.rule().equals(MigrationFailedRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
        assertEquals("transport", f.details().get("failure-class"));
        assertEquals("check_section_footer: Read section footer failed: -5", f.details().get("cause"));
        assertTrue(f.details().get(Findings.NOTES).contains("note_stream_broke"), f.details()::toString);
        assertTrue(f.evidence().stream().anyMatch(x -> x.line() == 1), f.evidence()::toString);
        assertTrue(r.findings().stream().noneMatch(x -> x.rule().equals(MigrationStateMismatchRule.ID)),
                "no device is blamed for a broken stream");
    }

    @Test
    void aMigrationQemuRefusedSaysWhyAndBlamesNoDevice() {
        // nova-compute's log in Launchpad bug 1626972: QEMU refused the migrate command itself
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "nova-compute.log", "2016-08-15 16:36:26.248 1974 ERROR"
                + " nova.virt.libvirt.driver [req-0cac612b-8d53-4610-b773-d07ad6bacb91 691a581cfa7046278380ce82b1c38ddd"
                + " 133ebc3585c041aebaead8c062cd6511 - - -] [instance: 2afa1131-bc8c-43d2-9c4a-962c1bf7723e] Live Migration"
                + " failure: internal error: unable to execute QEMU command 'migrate': Migration disabled: failed to"
                + " allocate shared memory\n"));
        Finding f = r.findings().stream().filter(x -> x.rule().equals(MigrationFailedRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
        assertEquals("migrate/refused", f.details().get("cause-class"));
        assertTrue(f.details().get("cause").startsWith("Migration disabled: failed to allocate shared memory"),
                f.details()::toString);
        assertTrue(f.details().get(Findings.NOTES).contains("note_cause_migrate_refused"), f.details()::toString);
        assertTrue(f.devices().isEmpty(), f.devices()::toString);
    }

    @Test
    void aQmpRefusalOfMigrateIsTheFailureAndItsCause() {
        // QEMU's refusal as libvirt relays it in Launchpad bug 1617385, here as the QMP conversation it comes from
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "qmp.log",
                "{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"tcp:10.0.0.2:49152\"}, \"id\": \"libvirt-21\"}\n"
                        + "{\"id\": \"libvirt-21\", \"error\": {\"class\": \"GenericError\", \"desc\": \"State blocked by"
                        + " non-migratable device '0000:00:02.0/virtio-gpu'\"}}\n"));
        Finding f = r.findings().stream().filter(x -> x.rule().equals(MigrationFailedRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
        assertEquals("migrate/refused", f.details().get("cause-class"));
        assertEquals(List.of(1, 2), f.evidence().stream().map(SourceRef::line).sorted().toList());
        assertTrue(f.details().get("reason").startsWith("State blocked by non-migratable device"), f.details()::toString);
    }

    /**
     * A virsh migrate whose destination's QEMU went away: libvirt's verdict on the source, with QEMU's cause, is the
     * migration record (tp-libvirt's quote of virsh's output, https://github.com/autotest/tp-libvirt/pull/4697; the
     * prompt line is CONSTRUCTED around it).
     */
    @Test
    void libvirtsVerdictOnTheSourceIsTheFailureAndASocketErrorInItIsTransport() {
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "virsh.txt",
                "$ virsh migrate --live --verbose avocado-vt-vm1 qemu+ssh://192.168.122.12/system\n"
                        + "Migration: [  3 %]Migration: [  4 %]Migration: [  4 %]error: operation failed: job 'migration"
                        + " out' failed: Unable to write to socket: Bad file descriptor\n"));
        Finding f = r.findings().stream().filter(x -> x.rule().equals(MigrationFailedRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
        assertEquals("transport", f.details().get("failure-class"));
        assertEquals("Unable to write to socket: Bad file descriptor", f.details().get("cause"));
        assertEquals("job 'migration out' failed: Unable to write to socket: Bad file descriptor",
                f.details().get("reason"));
        assertTrue(f.details().get(Findings.NOTES).contains("note_source_send_broke"), f.details()::toString);
        assertTrue(f.evidence().stream().anyMatch(x -> x.line() == 2), f.evidence()::toString);
        assertTrue(f.devices().isEmpty(), f.devices()::toString);
    }

    @Test
    void libvirtsVerdictWithACauseTheCatalogueDoesNotKnowIsAFailureOfUnknownClass() {
        // tp-libvirt's quote of virsh's output (https://github.com/autotest/tp-libvirt/pull/5741); prompt CONSTRUCTED
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "virsh.txt",
                "$ virsh migrate --live --verbose avocado-vt-vm1 qemu+ssh://192.168.122.12/system\n"
                        + "Migration: [ 3.62 %]Migration: [ 3.93 %]error: operation failed: job 'migration out' failed:"
                        + " QEMU unexpectedly closed the monitor\n"));
        Finding f = r.findings().stream().filter(x -> x.rule().equals(MigrationFailedRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
        assertEquals("unknown", f.details().get("failure-class"));
        assertTrue(f.details().get(Findings.NOTES).contains("note_source_job_failed"), f.details()::toString);
        assertTrue(f.evidence().stream().anyMatch(x -> x.line() == 2), f.evidence()::toString);
    }

    /**
     * A migration a user aborted (virsh domjobabort) is a cancel, not a failure of a device or of the transport:
     * tp-libvirt's quote of virsh's output, https://github.com/autotest/tp-libvirt/pull/4450 (2022-08, RHEL 9
     * libvirt); the prompt line is CONSTRUCTED around it.
     */
    @Test
    void aMigrationTheClientCancelledIsACancelNotADeviceOrTransportFailure() {
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "virsh.txt",
                "$ virsh migrate --live --verbose avocado-vt-vm1 qemu+ssh://192.168.122.12/system\n"
                        + "Migration: [  0 %]Migration: [  0 %]Migration: [  0 %]error: operation aborted: job 'migration"
                        + " out' canceled by client\n"));
        Finding f = r.findings().stream().filter(x -> x.rule().equals(MigrationFailedRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
        assertEquals("cancel", f.details().get("ended-by"), f.details()::toString);
        assertEquals("migration_cancelled", f.messageKey());
        assertEquals(dev.vmcase.model.Severity.WARNING, f.severity());
        assertTrue(!"transport".equals(f.details().get("failure-class"))
                && !f.details().get("failure-class").startsWith("device"), f.details()::toString);
        assertTrue(f.details().get(Findings.NOTES).contains("note_source_job_cancelled"), f.details()::toString);
        assertTrue(!f.details().get(Findings.NOTES).contains("note_source_job_failed"), f.details()::toString);
        assertTrue(f.evidence().stream().anyMatch(x -> x.line() == 2), f.evidence()::toString);
        assertTrue(f.devices().isEmpty(), f.devices()::toString);
    }

    /**
     * Real libvirt 9.0 / QEMU 7.2 (sample-cases/libvirt-migration-cancelled): a migration aborted with virsh
     * domjobabort. The destination's QEMU lost its stream (a footer it could not read, load of migration failed), which
     * alone reads as a transport failure; libvirt's cancel verdict on the source says what it was, and wins.
     */
    @Test
    void aCancelWinsOverTheBrokenStreamItLeavesOnTheDestination() {
        AnalysisResult r = Analysis.of(List.of(Path.of("../sample-cases/libvirt-migration-cancelled/evidence")),
                dev.vmcase.parsers.ProgressMonitor.NONE);
        Finding f = r.findings().stream().filter(x -> x.rule().equals(MigrationFailedRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
        assertEquals("cancel", f.details().get("ended-by"), f.details()::toString);
        assertEquals("unknown", f.details().get("failure-class"), f.details()::toString);
        assertEquals("job 'migration out' canceled by client", f.details().get("reason"));
        assertEquals("migration_cancelled", f.messageKey());
        assertTrue(f.details().get(Findings.NOTES).contains("note_source_job_cancelled"), f.details()::toString);
        assertTrue(!f.details().get(Findings.NOTES).contains("note_stream_broke"), f.details()::toString);
        assertTrue(f.evidence().stream().anyMatch(x -> x.path().endsWith("src-libvirtd.log") && x.line() == 5010),
                f.evidence()::toString);
    }

    @Test
    void aMigrateThatSucceededIsNoFailure() {
        // virsh 9.0's own progress in the lab's healthy migration (sample-cases/libvirt-migration, virsh-commands.txt
        // line 39); the prompt line is CONSTRUCTED
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "virsh.txt",
                "$ virsh migrate --live --verbose instance-0000002a qemu+ssh://192.168.122.12/system\n"
                        + "Migration: [  0 %]Migration: [ 64 %]Migration: [100 %]\n"));
        assertTrue(r.findings().stream().noneMatch(x -> x.rule().equals(MigrationFailedRule.ID)), Fixtures.rules(r).toString());
    }
}
