package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.libvirt.DomainXmlParser;
import dev.vmcase.parsers.nova.NovaLogParser;
import dev.vmcase.parsers.qmp.QmpTranscriptParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nova-compute's log joined to QEMU's and libvirt's evidence: STALE_DEVICE_REFERENCE, MIGRATION_FAILED, UNACKED_UNPLUG. */
class NovaRulesTest {
    @TempDir
    Path dir;

    /**
     * The nova side of Launchpad bug 1894804, CONSTRUCTED for this test (not a capture): devstack's journal prefix and
     * oslo's fields as oslo.log's default format writes them, nova's guest.py message texts; the detach XML holds the alias.
     * The instance is the UUID of {@link DomainXmlParser#SAMPLE}'s domain (nova makes its instance UUID the domain's),
     * so that nova, libvirt's XML and the transcript beside them are evidence of one VM.
     */
    static final String NOVA_DETACH = """
            Sep 07 19:32:01.112233 ubuntu-focal-node nova-compute[93651]: DEBUG nova.virt.libvirt.guest [None req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e demo demo] Attempting initial detach for device vdb {{(pid=93651) detach_device_with_retry /opt/stack/nova/nova/virt/libvirt/guest.py:411}}
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]: DEBUG nova.virt.libvirt.guest [None req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e demo demo] detach device xml: <disk type="network" device="disk">
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]:   <target bus="virtio" dev="vdb"/>
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]:   <alias name="virtio-disk1"/>
            Sep 07 19:32:01.113001 ubuntu-focal-node nova-compute[93651]: </disk>
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [None req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e demo demo] [instance: 7a3c5e1e-2f4b-4c4e-9a51-00000000002a] Failed to detach volume from /dev/vdb
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 7a3c5e1e-2f4b-4c4e-9a51-00000000002a] Traceback (most recent call last):
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 7a3c5e1e-2f4b-4c4e-9a51-00000000002a]   File "/opt/stack/nova/nova/virt/libvirt/guest.py", line 455, in _do_wait_and_retry_detach
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 7a3c5e1e-2f4b-4c4e-9a51-00000000002a] nova.exception.DeviceDetachFailed: Device detach failed for vdb: Unable to detach the device from the live config.
            """;

    /** The same failure without the detach XML: nova names only the target. */
    private static final String NOVA_FAILED_ONLY = """
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [None req-5d1cdc39-8bd4-4d9b-a2a3-8a9e5a0b5c6e demo demo] [instance: 7a3c5e1e-2f4b-4c4e-9a51-00000000002a] Failed to detach volume from /dev/vdb
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 7a3c5e1e-2f4b-4c4e-9a51-00000000002a] Traceback (most recent call last):
            Sep 07 19:32:06.850434 ubuntu-focal-node nova-compute[93651]: ERROR nova.compute.manager [instance: 7a3c5e1e-2f4b-4c4e-9a51-00000000002a] nova.exception.DeviceDetachFailed: Device detach failed for vdb: Unable to detach the device from the live config.
            """;

    private Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private AnalysisResult analyse(Path... files) {
        return Analysis.run(Fixtures.load(files));
    }

    private static Optional<Finding> rule(AnalysisResult r, String id) {
        return r.findings().stream().filter(f -> f.rule().equals(id)).findFirst();
    }

    private static List<String> cited(Finding f) {
        List<String> out = new ArrayList<>();
        for (SourceRef s : f.evidence()) {
            out.add(Path.of(s.path()).getFileName() + ":" + s.line());
        }
        return out;
    }

    @Test
    void bug1894804QemuHasForgottenTheDiskThatLibvirtAndNovaStillReferTo() {
        AnalysisResult r = analyse(write("monitor.log", QmpTranscriptParser.SAMPLE), write("nova-compute.log", NOVA_DETACH),
                write("domain.xml", DomainXmlParser.SAMPLE));
        Finding f = rule(r, StaleDeviceReferenceRule.ID).orElseThrow(() -> new AssertionError(r.findings().toString()));
        assertEquals(List.of("virtio-disk1"), f.devices().subList(0, 1));
        assertEquals("virtio-disk1", f.details().get("device"));
        assertEquals("8", f.details().get("error-line"));
        assertEquals("libvirt-xml,nova", f.details().get("referred-by"));
        assertEquals("vdb", f.details().get("nova-detach-failed"));
        assertEquals("7a3c5e1e-2f4b-4c4e-9a51-00000000002a", f.details().get("nova-instance"));
        assertEquals("ubuntu-focal-node", f.details().get("nova-host"));
        List<String> lines = cited(f);
        assertEquals(List.of("monitor.log:8", "monitor.log:7"), lines.subList(0, 2), "QEMU's error first, then the command");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("domain.xml:")), lines.toString());
        assertTrue(lines.containsAll(List.of("nova-compute.log:1", "nova-compute.log:2", "nova-compute.log:6")), lines.toString());
        String en = FindingText.summary(f, Locale.ROOT);
        assertTrue(en.contains("DeviceNotFound for virtio-disk1 (line 8)"), en);
        assertTrue(en.contains("DeviceDetachFailed"), en);
        assertTrue(FindingText.summary(f, Locale.SIMPLIFIED_CHINESE).contains("上层仍在引用"));

        // QEMU's DeviceNotFound to the retry shows the unplug was carried out: nothing is pending for the guest
        assertTrue(rule(r, UnackedUnplugRule.ID).isEmpty(), r.findings().toString());
    }

    @Test
    void novaAloneJoinsItsTargetToTheAliasThroughItsDetachXml() {
        AnalysisResult r = analyse(write("monitor.log", QmpTranscriptParser.SAMPLE), write("nova-compute.log", NOVA_DETACH));
        Finding f = rule(r, StaleDeviceReferenceRule.ID).orElseThrow();
        assertEquals("nova", f.details().get("referred-by"));
        assertEquals("vdb", f.details().get("nova-detach-failed"));
    }

    @Test
    void libvirtsXmlAloneIsEnoughAndNovaIsNotClaimed() {
        AnalysisResult r = analyse(write("monitor.log", QmpTranscriptParser.SAMPLE), write("domain.xml", DomainXmlParser.SAMPLE));
        Finding f = rule(r, StaleDeviceReferenceRule.ID).orElseThrow();
        assertEquals("libvirt-xml", f.details().get("referred-by"));
        assertNull(f.details().get("nova-detach-failed"));
    }

    @Test
    void aDetachFailedNamingOnlyATargetNobodyJoinsIsNotPinnedOnTheDevice() {
        // no XML and no detach dump: "vdb" cannot be tied to virtio-disk1
        AnalysisResult r = analyse(write("monitor.log", QmpTranscriptParser.SAMPLE), write("nova-compute.log", NOVA_FAILED_ONLY));
        assertTrue(rule(r, StaleDeviceReferenceRule.ID).isEmpty(), r.findings().toString());
        assertTrue(rule(r, UnackedUnplugRule.ID).isEmpty(), r.findings().toString());
        // with libvirt's XML the target joins, and the DeviceDetachFailed is cited
        AnalysisResult joined = analyse(write("monitor.log", QmpTranscriptParser.SAMPLE),
                write("nova-compute.log", NOVA_FAILED_ONLY), write("domain.xml", DomainXmlParser.SAMPLE));
        assertEquals("vdb", rule(joined, StaleDeviceReferenceRule.ID).orElseThrow().details().get("nova-detach-failed"));
        assertEquals("libvirt-xml,nova", rule(joined, StaleDeviceReferenceRule.ID).orElseThrow().details().get("referred-by"));
    }

    @Test
    void aBareTranscriptsDeviceNotFoundIsNoStaleReference() {
        AnalysisResult r = analyse(write("monitor.log", QmpTranscriptParser.SAMPLE));
        assertTrue(rule(r, StaleDeviceReferenceRule.ID).isEmpty());
    }

    @Test
    void novasLiveMigrationFailureAloneIsAMigrationFailureWithItsDetails() {
        AnalysisResult r = analyse(write("nova-compute.log", NovaLogParser.SAMPLE));
        Finding f = rule(r, MigrationFailedRule.ID).orElseThrow();
        assertEquals(List.of("nova-compute.log:1", "nova-compute.log:2"), cited(f));
        assertTrue(f.details().get("reason").startsWith("internal error: unable to execute QEMU command 'migrate-set-capabilities'"));
        assertEquals(f.details().get("reason"), f.details().get("nova-reason"));
        assertEquals("b54f2810-fd42-44ae-89d6-343a7030e2f3", f.details().get("nova-instance"));
        assertEquals("req-e2a6270f-a772-4c51-916d-8e6e735c089f", f.details().get("nova-request-id"));
        assertEquals("2018-11-13 13:59:12.653", f.details().get("nova-local-time"));
        assertTrue(FindingText.summary(f).contains("instance b54f2810-fd42-44ae-89d6-343a7030e2f3"));
    }

    /** nova's report of a failure (a public 2020 nova-compute log, instance 223cfd1d-…), real. */
    private static final String NOVA_FAILURE = "2020-02-03 17:10:43.981 75917 ERROR nova.virt.libvirt.driver [req-200b08c9-e065-4026-bd17-f21792e79b53 10b45def459f4bd1995b776542fde3e6 f974270c43f741d8abfb347199395943 - - -] [instance: 223cfd1d-b3b4-4eaa-8b44-a85d97893d90] Live Migration failure: unsupported configuration: Unable to find security driver for model selinux\n"
            + "2020-02-03 17:10:44.001 75917 ERROR nova.virt.libvirt.driver [req-200b08c9-e065-4026-bd17-f21792e79b53 10b45def459f4bd1995b776542fde3e6 f974270c43f741d8abfb347199395943 - - -] [instance: 223cfd1d-b3b4-4eaa-8b44-a85d97893d90] Migration operation has aborted\n";

    @Test
    void novasFailureOfAnotherInstanceIsNotPinnedOnTheDomainLogsVm() {
        // the destination's domain log (DomainLogParser.SAMPLE, instance-0000002a) and nova's words about instance
        // 223cfd1d-…: nothing says they are one VM, so each VM gets its own failure and neither cites the other
        AnalysisResult r = analyse(write("instance-0000002a.log", DomainLogParser.SAMPLE), write("nova-compute.log", NOVA_FAILURE));
        assertEquals(List.of("223cfd1d-b3b4-4eaa-8b44-a85d97893d90", "instance-0000002a"),
                r.vms().stream().map(v -> v.vm().key()).toList());
        Finding domain = r.vm("instance-0000002a").orElseThrow().findings().stream()
                .filter(f -> f.rule().equals(MigrationFailedRule.ID)).findFirst().orElseThrow();
        assertEquals("load of migration failed: Operation not permitted", domain.details().get("reason"));
        assertNull(domain.details().get("nova-reason"));
        assertTrue(cited(domain).stream().noneMatch(l -> l.startsWith("nova-compute.log")), cited(domain).toString());
        Finding nova = r.vm("223cfd1d-b3b4-4eaa-8b44-a85d97893d90").orElseThrow().findings().get(0);
        assertEquals(List.of("nova-compute.log:1", "nova-compute.log:2"), cited(nova));
    }

    @Test
    void qemusReasonLeadsAndNovasLinesAreCitedWithIt() {
        // CONSTRUCTED: NOVA_FAILURE with the instance UUID of DomainXmlParser.SAMPLE's domain, whose <name> is the
        // domain log's guest: the XML ties nova's instance to the domain log's VM
        String nova = NOVA_FAILURE.replace("223cfd1d-b3b4-4eaa-8b44-a85d97893d90", "7a3c5e1e-2f4b-4c4e-9a51-00000000002a");
        AnalysisResult r = analyse(write("instance-0000002a.log", DomainLogParser.SAMPLE), write("nova-compute.log", nova),
                write("domain.xml", DomainXmlParser.SAMPLE));
        assertEquals(1, r.vms().size(), r.vms().toString());
        Finding f = rule(r, MigrationFailedRule.ID).orElseThrow();
        assertEquals("load of migration failed: Operation not permitted", f.details().get("reason"));
        assertEquals("unsupported configuration: Unable to find security driver for model selinux", f.details().get("nova-reason"));
        List<String> lines = cited(f);
        assertTrue(lines.contains("nova-compute.log:1") && lines.contains("nova-compute.log:2"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("instance-0000002a.log:")), lines.toString());
    }

    @Test
    void aCompletedMigrationInNovasLogIsNoFailure() {
        AnalysisResult r = analyse(write("nova-compute.log",
                "2018-11-13 13:59:12.653 134780 INFO nova.virt.libvirt.driver [req-e2a6270f-a772-4c51-916d-8e6e735c089f - - - - -] [instance: b54f2810-fd42-44ae-89d6-343a7030e2f3] Migration operation has completed\n"
                        + "2018-11-13 13:59:12.700 134780 INFO nova.compute.manager [req-e2a6270f-a772-4c51-916d-8e6e735c089f - - - - -] [instance: b54f2810-fd42-44ae-89d6-343a7030e2f3] Migrating instance to cmp-18 finished successfully.\n"));
        assertEquals(List.of(), r.findings());
    }

    @Test
    void theHealthyLabControlWithANovaLogStaysQuiet() {
        List<Path> files = new ArrayList<>();
        files.add(Path.of("../sample-cases/lab-clean-unplug/evidence"));
        files.add(write("nova-compute.log", NOVA_DETACH.lines().limit(5).map(l -> l + "\n").reduce("", String::concat)));
        AnalysisResult r = Analysis.run(Fixtures.load(files.toArray(Path[]::new)));
        assertFalse(r.findings().stream().anyMatch(f -> f.rule().equals(StaleDeviceReferenceRule.ID)
                || f.rule().equals(MigrationFailedRule.ID)), r.findings().toString());
    }
}
