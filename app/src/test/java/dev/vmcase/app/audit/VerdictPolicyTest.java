package dev.vmcase.app.audit;

import dev.vmcase.analysis.rules.RuleRegistry;
import dev.vmcase.app.capture.CaptureManifest;
import dev.vmcase.app.capture.CaptureManifest.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the verdict policy makes of a VM's evidence: the real captures of the fleet sample (a complete one, the stopped
 * QEMU's with its monitor timeout) and the variations a host's set-up brings (read-only, no debug log, a log that
 * begins after the domain started).
 */
class VerdictPolicyTest {
    private static final DaemonLogInfo DEBUG_LOG = new DaemonLogInfo(DaemonLogInfo.MONITOR_TRAFFIC, "host/libvirtd.log",
            "2026-12-04 18:09:03.744+0000", "2026-12-04 18:09:55.788+0000", 1000, false, null);
    private static final DaemonLogExcerpts.Excerpt EXCERPT = new DaemonLogExcerpts.Excerpt(Path.of("x"), 10, 5,
            "2026-12-04 18:09:10.000+0000", "2026-12-04 18:09:50.000+0000");
    private static final String STARTED = "2026-12-04 18:09:10.500+0000";

    @TempDir
    Path tmp;

    private List<CaptureManifest.Step> steps(String host, String vm) throws IOException {
        Path dir = FleetSample.host(host, tmp.resolve(host));
        return readSteps(dir.resolve("vms").resolve(vm));
    }

    /** The manifest's steps as the audit reads them back. */
    static List<CaptureManifest.Step> readSteps(Path bundle) throws IOException {
        List<CaptureManifest.Step> out = new ArrayList<>();
        var root = AuditJson.mapper(1 << 20).readTree(bundle.resolve(CaptureManifest.FILE).toFile());
        for (var s : root.path("steps")) {
            out.add(new CaptureManifest.Step(s.path("step").asText(), s.path("via").asText(), null, Instant.EPOCH, 0,
                    Outcome.valueOf(s.path("outcome").asText().toUpperCase(java.util.Locale.ROOT)),
                    s.path("detail").asText(null), null));
        }
        return out;
    }

    @Test
    void everyRuleOfThePolicyExistsAndEveryBlockingOneHasACheck() {
        Set<String> rules = RuleRegistry.all().stream().map(r -> r.id()).collect(Collectors.toSet());
        rules.add(dev.vmcase.analysis.Analysis.INTERNAL_ERROR);
        for (VerdictPolicy.Entry e : VerdictPolicy.standard().entries().values()) {
            assertTrue(rules.contains(e.rule()), e.rule());
            if (e.effect().equals(VerdictPolicy.BLOCKS)) {
                assertTrue(Set.of(VerdictPolicy.DEVICE_VIEWS, VerdictPolicy.UNPLUG_HISTORY).contains(e.check()), e.toString());
            }
        }
    }

    @Test
    void aCompleteCaptureWithTheMonitorLoggedSinceTheStartLeavesNoGap() throws IOException {
        List<Gap> gaps = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs("complete",
                steps("fleet-a", "instance-0000a002"), DEBUG_LOG, EXCERPT, STARTED, false));
        assertEquals(List.of(), gaps);
        assertEquals(Verdict.READY, VerdictPolicy.verdict(List.of(), gaps));
    }

    @Test
    void aMonitorThatDoesNotAnswerMakesTheVmUnknown() throws IOException {
        List<Gap> gaps = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs("partial",
                steps("fleet-c", "instance-0000c002"), DEBUG_LOG, EXCERPT, STARTED, false));
        assertEquals("query-pci", gaps.get(0).what());
        assertEquals("gap.timeout", gaps.get(0).why());
        assertEquals(Gap.UNKNOWN, gaps.get(0).effect());
        assertEquals(Verdict.UNKNOWN, VerdictPolicy.verdict(List.of(), gaps));
    }

    @Test
    void aReadOnlyConnectionMakesTheVmUnknownAndSaysLibvirtRefused() throws IOException {
        List<CaptureManifest.Step> steps = new ArrayList<>();
        for (CaptureManifest.Step s : steps("fleet-a", "instance-0000a002")) {
            boolean monitor = s.via().equals("qemu-monitor");
            steps.add(monitor ? new CaptureManifest.Step(s.name(), s.via(), null, Instant.EPOCH, 0, Outcome.REFUSED,
                    "operation forbidden: read only access prevents virDomainQemuMonitorCommand", null) : s);
        }
        List<Gap> gaps = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs("partial", steps, DEBUG_LOG, EXCERPT,
                STARTED, false));
        assertEquals(List.of("query-pci", "query-block"), gaps.stream().map(Gap::what).toList());
        assertTrue(gaps.stream().allMatch(g -> g.why().equals("gap.refused") && g.detail().contains("read only")));
        assertEquals(Verdict.UNKNOWN, VerdictPolicy.verdict(List.of(), gaps));
    }

    @Test
    void withoutTheMonitorInTheDaemonLogTheVmIsReadyWithACaveatOrUnknownWhenStrict() throws IOException {
        List<CaptureManifest.Step> steps = steps("fleet-a", "instance-0000a002");
        DaemonLogInfo quiet = new DaemonLogInfo(DaemonLogInfo.NO_MONITOR_TRAFFIC, "host/libvirtd.log", DEBUG_LOG.first(),
                DEBUG_LOG.last(), 10, false, null);
        List<Gap> gaps = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs("complete", steps, quiet, EXCERPT,
                STARTED, false));
        assertEquals(List.of(new Gap(VerdictPolicy.UNPLUG_HISTORY, Gap.CAVEAT, "daemon-log",
                "gap.daemonLog.no-monitor-traffic", null)), gaps);
        assertEquals(Verdict.READY, VerdictPolicy.verdict(List.of(), gaps));
        List<Gap> strict = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs("complete", steps, quiet, EXCERPT,
                STARTED, true));
        assertEquals(Verdict.UNKNOWN, VerdictPolicy.verdict(List.of(), strict));
    }

    @Test
    void aDaemonLogBeginningAfterTheDomainStartedIsACaveat() throws IOException {
        List<Gap> gaps = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs("complete",
                steps("fleet-a", "instance-0000a002"), DEBUG_LOG, EXCERPT, "2026-12-01 07:00:00.000+0000", false));
        assertEquals(List.of("gap.logStartsLater"), gaps.stream().map(Gap::why).toList());
        List<Gap> remote = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs("complete",
                steps("fleet-a", "instance-0000a002"), new DaemonLogInfo(DaemonLogInfo.REMOTE, null, null, null, 0, false,
                "qemu+ssh://cmp-7/system"), null, STARTED, false));
        assertEquals(List.of("gap.daemonLog.remote"), remote.stream().map(Gap::why).toList());
    }

    @Test
    void aBlockingRuleTheAnalysisCouldNotCheckIsAGapWhereTheAuditsOwnChecksSawNone() throws IOException {
        // the real bundle of a002 without its excerpt of the daemon log: the analysis says the unplug rules were not
        // checked; the audit's inputs (as if the log had been fine) would not have said so
        Path dir = FleetSample.host("fleet-a", tmp.resolve("a"));
        Path bundle = dir.resolve("vms/instance-0000a002");
        java.nio.file.Files.delete(bundle.resolve("libvirtd-excerpt.log"));
        var r = dev.vmcase.analysis.Analysis.of(List.of(bundle), dev.vmcase.parsers.ProgressMonitor.NONE);
        var mine = Auditor.ofDomain(r, "instance-0000a002", null);
        List<Gap> gaps = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs("complete", readSteps(bundle),
                DEBUG_LOG, EXCERPT, STARTED, false), mine.outcomes());
        assertEquals(List.of("BACKEND_REMOVED_BEFORE_FRONTEND", "UNACKED_UNPLUG", "STALE_DEVICE_REFERENCE"),
                gaps.stream().map(Gap::what).toList());
        assertTrue(gaps.stream().allMatch(g -> g.why().equals("gap.notChecked") && g.effect().equals(Gap.CAVEAT)
                && !g.detail().isEmpty()), gaps.toString());
        assertEquals(Verdict.READY, VerdictPolicy.verdict(List.of(), gaps));
        // where the audit's own check already says why, the rule's outcome adds nothing
        DaemonLogInfo quiet = new DaemonLogInfo(DaemonLogInfo.NO_MONITOR_TRAFFIC, null, null, null, 0, false, null);
        List<Gap> once = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs("complete", readSteps(bundle), quiet,
                EXCERPT, STARTED, false), mine.outcomes());
        assertEquals(List.of("gap.daemonLog.no-monitor-traffic"), once.stream().map(Gap::why).toList());
    }

    @Test
    void aBlockingFindingBlocksEvenWhenSomethingElseCouldNotBeRead() {
        AuditFinding blocks = new AuditFinding("UNACKED_UNPLUG", "warning", VerdictPolicy.BLOCKS, "pending-unplug", "",
                "unacked_unplug", List.of(), List.of(), Map.of(), List.of());
        AuditFinding odd = new AuditFinding("QEMU_CRASHED", "error", VerdictPolicy.UNKNOWN, "unlisted", "", null,
                List.of(), List.of(), Map.of(), List.of());
        Gap gap = new Gap(VerdictPolicy.DEVICE_VIEWS, Gap.UNKNOWN, "query-pci", "gap.timeout", null);
        assertEquals(Verdict.BLOCKED, VerdictPolicy.verdict(List.of(blocks), List.of(gap)));
        assertEquals(Verdict.UNKNOWN, VerdictPolicy.verdict(List.of(odd), List.of()));
    }

    @Test
    void aRuleThePolicyDoesNotListIsUnknownWhenItIsAnError() {
        var crash = new dev.vmcase.model.Finding("QEMU_CRASHED", dev.vmcase.model.Severity.ERROR, List.of(), List.of(),
                "x", List.of(), Map.of());
        var note = new dev.vmcase.model.Finding("SOMETHING_NEW", dev.vmcase.model.Severity.INFO, List.of(), List.of(),
                "x", List.of(), Map.of());
        assertEquals(VerdictPolicy.UNKNOWN, VerdictPolicy.standard().of(crash).effect());
        assertEquals(VerdictPolicy.NOTES, VerdictPolicy.standard().of(note).effect());
    }
}
