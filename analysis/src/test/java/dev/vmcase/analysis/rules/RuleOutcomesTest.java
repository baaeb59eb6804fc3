package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.analysis.OutcomeText;
import dev.vmcase.analysis.report.TextReport;
import dev.vmcase.analysis.rules.RuleOutcome.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fired, clear or not checked, per rule and VM: an absent finding never passes for a clean bill of health. */
class RuleOutcomesTest {
    private static final Path CASES = Path.of("../sample-cases");

    private static AnalysisResult open(String name) {
        return Analysis.run(Fixtures.load(CASES.resolve(name).resolve("evidence")));
    }

    private static Map<String, Status> statuses(AnalysisResult r) {
        return r.outcomes().stream().collect(Collectors.toMap(RuleOutcome::rule, RuleOutcome::status));
    }

    @Test
    void theSeedsNoteHasNoMonitorLogSoTheUnplugRulesAreNotChecked() {
        AnalysisResult r = open("seed-incident");
        Map<String, Status> s = statuses(r);
        assertEquals(Status.NOT_CHECKED, s.get(UnackedUnplugRule.ID));
        assertEquals(Status.NOT_CHECKED, s.get(BackendRemovedBeforeFrontendRule.ID));
        assertEquals(Status.NOT_CHECKED, s.get(OrphanedFrontendRule.ID));
        assertEquals(Status.FIRED, s.get(MigrationStateMismatchRule.ID));
        RuleOutcome unacked = r.outcomes().stream().filter(o -> o.rule().equals(UnackedUnplugRule.ID)).findFirst().orElseThrow();
        assertEquals(List.of(EvidenceKind.QMP_CONVERSATION, EvidenceKind.TOOL_LOG), unacked.missing().get(0).anyOf());
        // a tool's record of the detach would have done too, and the words say so
        assertEquals("no QMP transcript, libvirtd debug log or tool record of the unplug (virsh, a test harness, an orchestrator)", OutcomeText.missing(unacked, Locale.ROOT));
        assertTrue(OutcomeText.missing(unacked, Locale.SIMPLIFIED_CHINESE).contains("工具记录"));
        // BACKEND_REMOVED_BEFORE_FRONTEND reads QMP only, and says only that
        RuleOutcome backend = r.outcomes().stream().filter(o -> o.rule().equals(BackendRemovedBeforeFrontendRule.ID))
                .findFirst().orElseThrow();
        assertEquals("no QMP or libvirt log of the unplug", OutcomeText.missing(backend, Locale.ROOT));
    }

    @Test
    void theHealthyControlIsClearWhereItWasCheckedAndSaysWhatItCouldNotCheck() {
        AnalysisResult r = open("lab-clean-unplug");
        assertEquals(List.of(), r.findings());
        Map<String, Status> s = statuses(r);
        assertEquals(Status.CLEAR, s.get(UnackedUnplugRule.ID));
        assertEquals(Status.CLEAR, s.get(OrphanedFrontendRule.ID));
        assertEquals(Status.CLEAR, s.get(MigrationStateMismatchRule.ID));
        assertEquals(Status.CLEAR, s.get(MigrationFailedRule.ID));
        // nothing above QEMU: no libvirt XML or log, no nova
        assertEquals(Status.NOT_CHECKED, s.get(StaleDeviceReferenceRule.ID));

        StringWriter out = new StringWriter();
        TextReport.write(r, new PrintWriter(out), Locale.ROOT);
        String text = out.toString();
        assertTrue(text.contains("Findings (0)"), text);
        assertTrue(text.contains("clear        UNACKED_UNPLUG"), text);
        assertTrue(text.contains("not checked  STALE_DEVICE_REFERENCE: nothing from above QEMU"), text);
    }

    @Test
    void aRuleThatFiredDespiteAGapSaysWhatElseItCouldNotLookAt() {
        // the seed's note: the destination's lines are there, the source's devices are not, MIGRATION_STATE_MISMATCH
        // fires with what it has; a need it lacks would be listed with it
        RuleOutcome o = RuleOutcome.of("X", "", 1, List.of(Need.of(EvidenceKind.LIBVIRT_XML)));
        assertEquals(Status.FIRED, o.status());
        assertTrue(OutcomeText.line(o, Locale.ROOT).contains("could not also look at: no libvirt domain XML"),
                OutcomeText.line(o, Locale.ROOT));
    }

    @TempDir
    Path tmp;

    @Test
    void aBackendRemovedUnderAPendingUnplugWhoseDeviceIsUnknownIsPartlyCheckedNeverClear() throws java.io.IOException {
        // avocado-vt's monitor log quoted in autotest/tp-qemu pull request 2345: device_del stg5, then blockdev-del of
        // drive_stg5; nothing in the evidence says which device used drive_stg5
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "pr.md", "```\n"
                + "06:16:34 DEBUG| Send command: {'execute': 'device_del', 'arguments': {'id': 'stg5'}, 'id': 'R44XYgQ0'}\n"
                + "06:16:35 DEBUG| Send command: {'execute': 'blockdev-del', 'arguments': {'node-name': 'drive_stg5'},"
                + " 'id': 'sNMn5e0V'}\n```\n"));
        RuleOutcome o = r.outcomes().stream().filter(x -> x.rule().equals(BackendRemovedBeforeFrontendRule.ID))
                .findFirst().orElseThrow();
        assertEquals(Status.PARTLY_CHECKED, o.status());
        assertEquals("backend-without-frontend", o.undecided().get(0).key());
        assertTrue(OutcomeText.why(o, Locale.ROOT).contains("drive_stg5 (line 3)"), OutcomeText.why(o, Locale.ROOT));
        assertTrue(OutcomeText.line(o, Locale.SIMPLIFIED_CHINESE).contains("drive_stg5"));
        java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
        dev.vmcase.analysis.report.JsonReport.write(r, json);
        String text = json.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("\"status\" : \"partly-checked\""), text);
        assertTrue(text.contains("\"key\" : \"backend-without-frontend\""), text);
    }

    @Test
    void anOutcomesStatusFollowsFindingsThenMissingThenUndecided() {
        List<RuleOutcome.Undecided> doubt = List.of(new RuleOutcome.Undecided("backend-without-frontend", List.of()));
        List<Need> lack = List.of(Need.anyOf("x", EvidenceKind.QMP_CONVERSATION));
        assertEquals(Status.FIRED, RuleOutcome.of("R", "", 1, lack, doubt).status());
        assertEquals(Status.NOT_CHECKED, RuleOutcome.of("R", "", 0, lack, doubt).status());
        assertEquals(Status.PARTLY_CHECKED, RuleOutcome.of("R", "", 0, List.of(), doubt).status());
        assertEquals(Status.CLEAR, RuleOutcome.of("R", "", 0, List.of(), List.of()).status());
    }
}
