package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Finding;
import dev.vmcase.parsers.qmp.QmpTranscriptParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnplugRulesTest {
    @TempDir
    Path dir;

    private AnalysisResult analyse(String transcript) {
        return Analysis.run(Fixtures.loadText(dir, "monitor.log", transcript));
    }

    /**
     * Real QEMU 7.2 (qemu-7.2-device-del-two-monitors.md): a device_del refused because an earlier one is still in
     * progress shows the pending unplug on the monitor that only saw the refusal; and on the monitor that saw the
     * accepted request there is no second finding from the other monitor's refusal.
     */
    @Test
    void aDeviceDelRefusedAsAlreadyInProgressShowsThePendingUnplug() throws java.io.IOException {
        Path res = Path.of("src/test/resources/dev/vmcase/analysis/rules");
        Path b = dir.resolve("b.jsonl");
        java.nio.file.Files.copy(res.resolve("qemu-7.2-device-del-monitor-b.jsonl"), b);
        AnalysisResult r = Analysis.of(List.of(b), dev.vmcase.parsers.ProgressMonitor.NONE);
        Finding f = r.findings().stream().filter(x -> x.rule().equals(UnackedUnplugRule.ID)).findFirst().orElseThrow(
                () -> new AssertionError(r.findings().toString()));
        assertEquals(List.of("virtio-disk3"), f.devices().subList(0, 1));
        assertEquals("true", f.details().get("refused-as-pending"));
        assertEquals(List.of(4, 5), f.evidence().stream().map(e -> e.line()).toList());
        assertTrue(dev.vmcase.analysis.FindingText.summary(f).contains("still in progress"), f.toString());
        // a refusal for any other reason is no pending unplug
        AnalysisResult notFound = analyse("""
                {"execute": "device_del", "arguments": {"id": "virtio-disk3"}, "id": "b-2"}
                {"id": "b-2", "error": {"class": "DeviceNotFound", "desc": "Device 'virtio-disk3' not found"}}
                """);
        assertTrue(notFound.findings().stream().noneMatch(x -> x.rule().equals(UnackedUnplugRule.ID)),
                notFound.findings().toString());
    }

    @Test
    void aLoneBackendEventDoesNotAcknowledgeTheUnplug() {
        // the sequence of Launchpad bug 1894804 up to the event: only …/virtio-backend's DEVICE_DELETED arrives
        String upToTheEvent = String.join("\n", QmpTranscriptParser.SAMPLE.lines().limit(6).toList()) + "\n";
        AnalysisResult r = analyse(upToTheEvent);
        Finding f = r.findings().stream().filter(x -> x.rule().equals(UnackedUnplugRule.ID)).findFirst().orElseThrow();
        assertEquals("true", f.details().get("lone-backend-event"));
        assertEquals(List.of(4, 5, 6), f.evidence().stream().map(e -> e.line()).toList());
        assertEquals(List.of("virtio-disk1"), f.devices());
    }

    /**
     * The whole sequence of Launchpad bug 1894804: the retried device_del is answered DeviceNotFound, so the device is
     * gone although its own event never came: no unplug is pending (what still refers to it is STALE_DEVICE_REFERENCE's,
     * and a bare transcript shows nothing above QEMU).
     */
    @Test
    void aLaterDeviceNotFoundShowsTheUnplugWasCarriedOut() {
        AnalysisResult r = analyse(QmpTranscriptParser.SAMPLE);
        assertTrue(r.findings().stream().noneMatch(x -> x.rule().equals(UnackedUnplugRule.ID)), r.findings().toString());
    }

    @Test
    void theDevicesOwnEventAcknowledgesItAndADriveDelAfterwardsIsFine() {
        AnalysisResult r = analyse("""
                {"execute": "device_del", "arguments": {"id": "virtio-disk3"}, "id": "libvirt-20"}
                {"return": {}, "id": "libvirt-20"}
                {"timestamp": {"seconds": 1637196945, "microseconds": 957654}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/virtio-disk3/virtio-backend"}}
                {"timestamp": {"seconds": 1637196946, "microseconds": 8101}, "event": "DEVICE_DELETED", "data": {"device": "virtio-disk3", "path": "/machine/peripheral/virtio-disk3"}}
                {"execute": "human-monitor-command", "arguments": {"command-line": "drive_del drive-virtio-disk3"}, "id": "libvirt-21"}
                {"return": "", "id": "libvirt-21"}
                """);
        assertEquals(List.of(), r.findings());
    }

    @Test
    void eachRequestGetsTheEventsBetweenItAndItsAcknowledgementAndNoOtherDevicesEvents() {
        AnalysisResult r = analyse("""
                {"execute": "device_del", "arguments": {"id": "disk1"}, "id": "libvirt-1"}
                {"return": {}, "id": "libvirt-1"}
                {"timestamp": {"seconds": 1637196945, "microseconds": 1}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/disk1/virtio-backend"}}
                {"timestamp": {"seconds": 1637196945, "microseconds": 2}, "event": "DEVICE_DELETED", "data": {"device": "disk1", "path": "/machine/peripheral/disk1"}}
                {"execute": "device_del", "arguments": {"id": "disk1"}, "id": "libvirt-2"}
                {"return": {}, "id": "libvirt-2"}
                {"timestamp": {"seconds": 1637196946, "microseconds": 1}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/disk1/virtio-backend"}}
                {"timestamp": {"seconds": 1637196946, "microseconds": 2}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/disk10/virtio-backend"}}
                {"timestamp": {"seconds": 1637196946, "microseconds": 3}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/disk1"}}
                """);
        List<Unplugs.Unplug> u = new RuleContext(r.evidence(), r.devices()).unplugs();
        assertEquals(2, u.size());
        assertEquals(4, u.get(0).ack().source().line());
        assertEquals(List.of(3), u.get(0).backendEvents().stream().map(e -> e.source().line()).toList());
        assertEquals(null, u.get(1).ack(), "a child's event and an id-less one of the device itself are no ack");
        assertEquals(List.of(7), u.get(1).backendEvents().stream().map(e -> e.source().line()).toList());
    }

    @Test
    void aBackendRemovedWhileTheUnplugIsPendingIsTheRootCause() {
        AnalysisResult r = analyse("""
                {"execute": "device_del", "arguments": {"id": "net2"}, "id": "libvirt-40"}
                {"return": {}, "id": "libvirt-40"}
                {"execute": "netdev_del", "arguments": {"id": "hostnet2"}, "id": "libvirt-41"}
                {"return": {}, "id": "libvirt-41"}
                """);
        Finding f = r.findings().stream().filter(x -> x.rule().equals(BackendRemovedBeforeFrontendRule.ID))
                .findFirst().orElseThrow();
        assertEquals("net2", f.details().get("device"));
        assertEquals("hostnet2", f.details().get("backend"));
        assertEquals("libvirt naming (hostnetN for netN)", f.details().get("frontend-known-from"));
        assertEquals(List.of(1, 3, 4), f.evidence().stream().map(e -> e.line()).toList());
    }

    @Test
    void retriesOfOneUnplugAreOneFindingCitingEveryRequest() {
        AnalysisResult r = analyse("""
                {"execute": "device_del", "arguments": {"id": "virtio-disk2"}, "id": "libvirt-50"}
                {"return": {}, "id": "libvirt-50"}
                {"execute": "device_del", "arguments": {"id": "virtio-disk2"}, "id": "libvirt-51"}
                {"return": {}, "id": "libvirt-51"}
                {"execute": "device_del", "arguments": {"id": "net1"}, "id": "libvirt-52"}
                {"return": {}, "id": "libvirt-52"}
                """);
        List<Finding> f = r.findings().stream().filter(x -> x.rule().equals(UnackedUnplugRule.ID)).toList();
        assertEquals(2, f.size(), f.toString());
        assertEquals("2", f.get(0).details().get("requests"));
        assertEquals(List.of(1, 2, 3, 4), f.get(0).evidence().stream().map(e -> e.line()).toList());
        assertEquals(List.of("net1"), f.get(1).devices());
    }

    @Test
    void aRefusedDeviceDelIsNoPendingUnplug() {
        AnalysisResult r = analyse("""
                {"execute": "device_del", "arguments": {"id": "virtio-disk1"}, "id": "libvirt-369"}
                {"id": "libvirt-369", "error": {"class": "DeviceNotFound", "desc": "Device 'virtio-disk1' not found"}}
                {"execute": "human-monitor-command", "arguments": {"command-line": "drive_del drive-virtio-disk1"}, "id": "libvirt-370"}
                {"return": "", "id": "libvirt-370"}
                """);
        assertTrue(r.findings().isEmpty(), r.findings().toString());
    }

    @Test
    void aTypeNameQemuDoesNotBuildIsNoStaleDevice() {
        // libvirt 9.0's capabilities probe (vmcase lab libvirt-probe): QEMU 7.2 answers a type it lacks with
        // "Device '…' not found"; the same answer to a device_del names a device libvirt still addressed
        String head = """
                2026-12-04 18:40:21.315+0000: 15662: info : libvirt version: 9.0.0, package: 9.0.0-4+deb12u2 (Debian)
                2026-12-04 18:40:21.315+0000: 15662: info : hostname: vm
                """;
        String probe = """
                2026-12-04 18:40:22.555+0000: 15671: info : qemuMonitorSend:861 : QEMU_MONITOR_SEND_MSG: mon=0x7f797c007180 msg={"execute":"device-list-properties","arguments":{"typename":"virtio-net-ccw"},"id":"libvirt-11"}
                 fd=-1
                2026-12-04 18:40:22.556+0000: 15702: info : qemuMonitorJSONIOProcessLine:208 : QEMU_MONITOR_RECV_REPLY: mon=0x7f797c007180 reply={"id": "libvirt-11", "error": {"class": "DeviceNotFound", "desc": "Device 'virtio-net-ccw' not found"}}
                """;
        assertEquals(List.of(), Fixtures.rules(Analysis.run(Fixtures.loadText(dir, "probe.log", head + probe))));
        String unplug = probe.replace("\"device-list-properties\",\"arguments\":{\"typename\"",
                "\"device_del\",\"arguments\":{\"id\"");
        assertEquals(List.of(StaleDeviceReferenceRule.ID),
                Fixtures.rules(Analysis.run(Fixtures.loadText(dir, "unplug.log", head + unplug))));
    }

    @Test
    void aFailedDriveDelRemovesNothing() {
        AnalysisResult r = analyse("""
                {"execute": "device_del", "arguments": {"id": "virtio-disk1"}, "id": "a"}
                {"return": {}, "id": "a"}
                {"execute": "human-monitor-command", "arguments": {"command-line": "drive_del drive-virtio-disk1"}, "id": "b"}
                {"return": "Device 'drive-virtio-disk1' not found\\r\\n", "id": "b"}
                """);
        assertEquals(List.of(UnackedUnplugRule.ID), Fixtures.rules(r));
    }

    @Test
    void aThrowingRuleBecomesAnInternalErrorAndHidesNoOther() {
        Rule broken = new Rule() {
            @Override
            public String id() {
                return "BROKEN";
            }

            @Override
            public Needs needs() {
                return Needs.of(Need.of(EvidenceKind.QMP_CONVERSATION));
            }

            @Override
            public List<Finding> evaluate(RuleContext context) {
                throw new IllegalStateException("boom");
            }
        };
        String upToTheEvent = String.join("\n", QmpTranscriptParser.SAMPLE.lines().limit(6).toList()) + "\n";
        AnalysisResult r = Analysis.run(Fixtures.loadText(dir, "m.log", upToTheEvent),
                List.of(broken, new UnackedUnplugRule()));
        assertEquals(List.of(Analysis.INTERNAL_ERROR, UnackedUnplugRule.ID), Fixtures.rules(r));
        assertEquals("BROKEN", r.findings().get(0).details().get("rule"));
        // a rule that failed checked nothing, whatever the evidence held
        assertEquals(RuleOutcome.Status.NOT_CHECKED, r.outcomes().get(0).status());
        assertEquals(RuleOutcome.Status.FIRED, r.outcomes().get(1).status());
    }

    /**
     * A live detach that returned success only when libvirt's wait for DEVICE_DELETED ran out, seen in a tool's record
     * alone: the lab's own virsh transcript of the libvirt-pending-unplug case (libvirt 9.0, QEMU 7.2, a guest that never
     * answers: "Disk detached successfully" then "# exit 0 after 5.112 s"), read without the case's QMP or XML.
     */
    @Test
    void aLiveDetachThatReturnedOnlyAfterLibvirtsWaitIsAPendingUnplug() throws java.io.IOException {
        Path t = dir.resolve("virsh.txt");
        java.nio.file.Files.copy(Path.of("../sample-cases/libvirt-pending-unplug/evidence/virsh-commands.txt"), t);
        AnalysisResult r = Analysis.of(List.of(t), dev.vmcase.parsers.ProgressMonitor.NONE);
        Finding f = r.findings().stream().filter(x -> x.rule().equals(UnackedUnplugRule.ID)).findFirst().orElseThrow(
                () -> new AssertionError(r.findings().toString()));
        assertEquals(List.of("vdb"), f.devices());
        assertEquals("5.11", f.details().get("command-seconds"));
        assertEquals("false", f.details().get("removal-confirmed"));
        assertTrue(f.evidence().stream().anyMatch(e -> e.text().strip().equals("Disk detached successfully")),
                f.evidence().toString());
        // the same detach answered at once (as with a guest that ejects the disk) is no pending unplug
        String quick = java.nio.file.Files.readString(t).replace("# exit 0 after 5.112 s", "# exit 0 after 0.112 s");
        AnalysisResult fast = analyse(quick);
        assertTrue(fast.findings().stream().noneMatch(x -> x.rule().equals(UnackedUnplugRule.ID)), fast.findings().toString());
    }

    /**
     * Another orchestrator than the public corpus's CloudStack words the same refusal its own way: ironcore-dev's
     * libvirt-provider (issue 152, a Go reconciler's line that the ingest reads as a dated log): QEMU refused the
     * device_del of ua-networkinterface-primary because an earlier one is pending.
     */
    @Test
    void anOrchestratorRelayingAlreadyInProgressShowsThePendingUnplug() throws java.io.IOException {
        Path log = dir.resolve("reconciler.log");
        java.nio.file.Files.copy(Path.of("src/test/resources/dev/vmcase/analysis/rules/ironcore-libvirt-provider-152-reconciler.log"), log);
        AnalysisResult r = Analysis.of(List.of(log), dev.vmcase.parsers.ProgressMonitor.NONE);
        Finding f = r.findings().stream().filter(x -> x.rule().equals(UnackedUnplugRule.ID)).findFirst().orElseThrow(
                () -> new AssertionError(r.findings().toString()));
        assertEquals(List.of("ua-networkinterface-primary"), f.devices());
        assertEquals("true", f.details().get("refused-as-pending"));
        assertEquals(List.of(1), f.evidence().stream().map(e -> e.line()).toList());
        assertTrue(r.findings().stream().noneMatch(x -> x.rule().equals(UnplugRejectedRule.ID)), r.findings().toString());
    }

    @Test
    void anUnplugWhoseAnswerIsNotInTheEvidenceIsNotSaidToBeAccepted() {
        // avocado-vt's monitor log quoted in autotest/tp-qemu pull request 2345: the request, no answer shown
        AnalysisResult r = Analysis.run(Fixtures.loadText(dir, "pr.md", "```\n"
                + "06:16:34 DEBUG| Send command: {'execute': 'device_del', 'arguments': {'id': 'stg5'}, 'id': 'R44XYgQ0'}\n"
                + "```\n"));
        Finding f = r.findings().stream().filter(x -> x.rule().equals(UnackedUnplugRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
        assertEquals("unacked_unplug_unanswered", f.messageKey());
        assertEquals("false", f.details().get("answer-seen"));
    }
}
