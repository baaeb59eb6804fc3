package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.analysis.OutcomeText;
import dev.vmcase.analysis.report.TextReport;
import dev.vmcase.analysis.rules.RuleOutcome.Status;
import org.junit.jupiter.api.Test;

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
        assertEquals("no QMP or libvirt log of the unplug", OutcomeText.missing(unacked, Locale.ROOT));
        assertTrue(OutcomeText.missing(unacked, Locale.SIMPLIFIED_CHINESE).contains("QMP"));
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
}
