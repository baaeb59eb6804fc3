package dev.vmcase.views.workbench;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The view model adapts an analysis result; no toolkit needed. */
class WorkbenchViewModelTest {
    private static AnalysisResult analyse(String sampleCase) {
        return Analysis.of(List.of(Path.of("../sample-cases", sampleCase, "evidence")), ProgressMonitor.NONE);
    }

    @Test
    void anotherResultReplacesTheFirstAndClearsTheSelection() {
        WorkbenchViewModel m = new WorkbenchViewModel();
        List<AnalysisResult> asked = new java.util.ArrayList<>();
        m.setTimelineBuilder(asked::add); // as the application does: built elsewhere, handed back later
        AnalysisResult disk = analyse("orphaned-disk-qemu");
        m.show(disk);
        assertEquals(List.of(disk), asked, "the timeline of the result shown is asked for");
        assertSame(disk, m.resultProperty().get());
        assertEquals(null, m.timelineProperty().get(), "the timeline follows the result, built on a worker");
        assertTrue(m.summaryProperty().get().startsWith("5 findings"), m.summaryProperty().get());
        m.setTimeline(disk, dev.vmcase.analysis.timeline.TimelineModel.of(disk));
        assertTrue(m.timelineProperty().get() != null);
        m.select(m.findings().get(0));
        assertTrue(!m.selection().highlighted().isEmpty());
        assertTrue(m.selection().deviceProperty().get() != null, "the finding's device is selected");
        AnalysisResult seed = analyse("seed-incident");
        m.show(seed);
        assertEquals(2, m.findings().size());
        assertEquals(null, m.timelineProperty().get(), "the first result's timeline is not the second's");
        m.setTimeline(disk, dev.vmcase.analysis.timeline.TimelineModel.of(disk));
        assertEquals(null, m.timelineProperty().get(), "a timeline built for the first, arriving late, is dropped");
        assertTrue(m.summaryProperty().get().contains("1 backtrace"), m.summaryProperty().get());
        assertTrue(m.selection().highlighted().isEmpty());
        assertEquals(null, m.selection().lineProperty().get());
        assertEquals(null, m.selection().deviceProperty().get());
    }

    @Test
    void theTimelineReadSoFarIsShownOnlyWhileReadingAndTheAnalysisOwnReplacesIt() {
        WorkbenchViewModel m = new WorkbenchViewModel();
        m.setTimelineBuilder(r -> { });
        AnalysisResult disk = analyse("orphaned-disk-qemu");
        dev.vmcase.analysis.timeline.TimelineModel soFar = dev.vmcase.analysis.timeline.TimelineModel.reading(
                disk.evidence().artifacts().get(0), disk.evidence().timeline().segments().get(0));
        m.showReading(soFar);
        assertEquals(null, m.readingProperty().get(), "nothing is being read: a late model is dropped");
        m.busyProperty().set(true);
        m.showReading(soFar);
        assertSame(soFar, m.readingProperty().get());
        m.show(disk);
        assertSame(soFar, m.readingProperty().get(), "the rows stay until the analysis' timeline is built");
        dev.vmcase.analysis.timeline.TimelineModel whole = dev.vmcase.analysis.timeline.TimelineModel.of(disk);
        m.setTimeline(disk, whole);
        assertEquals(null, m.readingProperty().get());
        assertSame(whole, m.timelineProperty().get());
    }

    @Test
    void aFindingsEvidenceIsHighlightedAndItsFirstLineSelected() {
        WorkbenchViewModel m = new WorkbenchViewModel();
        m.show(analyse("orphaned-disk-qemu"));
        var f = m.findings().get(0);
        m.select(f);
        assertEquals(f.evidence().size(), m.selection().highlighted().size());
        assertEquals(f.evidence().get(0).line(), m.selection().lineProperty().get().line());
        assertTrue(m.describe(m.selection().lineProperty().get()).endsWith(":" + f.evidence().get(0).line()));
    }

    @Test
    void evidenceOfSeveralVmsShowsTheOneWithFindingsFirstAndAnotherWhenChosen() {
        WorkbenchViewModel m = new WorkbenchViewModel();
        List<AnalysisResult> asked = new java.util.ArrayList<>();
        m.setTimelineBuilder(asked::add);
        AnalysisResult three = analyse("three-vms");
        m.show(three);
        assertEquals(3, m.vms().size(), m.vms().toString());
        // vm-alpha's orphan is critical (checked by hand: sample-cases/three-vms/README.md); vm-charlie only warns
        assertEquals("vm-alpha", m.vmLabel(m.vmProperty().get()));
        assertTrue(!m.findings().isEmpty() && m.findings().stream().allMatch(f -> f.vm().equals(m.vmProperty().get())),
                "only the chosen VM's findings");
        assertEquals(1, asked.size(), "one timeline, of the VM shown");
        assertEquals(m.resultProperty().get(), asked.get(0));
        String bravo = m.vms().stream().filter(k -> m.vmLabel(k).equals("vm-bravo")).findFirst().orElseThrow();
        m.vmProperty().set(bravo);
        assertTrue(m.findings().isEmpty(), "vm-bravo's guest ejected its disk");
        assertTrue(m.summaryProperty().get().startsWith("no findings"), m.summaryProperty().get());
        assertEquals(2, asked.size(), "the chosen VM's timeline is asked for");
        assertTrue(asked.get(1).evidence().artifacts().stream().allMatch(a -> a.path().contains("vm-bravo")),
                "the chosen VM's evidence only");
        assertTrue(!m.resultProperty().get().outcomes().isEmpty(), "its rules' outcomes come with it");
        m.show(analyse("seed-incident"));
        assertTrue(m.vms().isEmpty(), "one VM: no chooser");
        assertEquals(null, m.vmProperty().get());
    }
}
