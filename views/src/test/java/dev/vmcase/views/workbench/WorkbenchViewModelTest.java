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
        AnalysisResult disk = analyse("orphaned-disk-qemu");
        m.show(disk);
        assertSame(disk, m.resultProperty().get());
        assertEquals(null, m.timelineProperty().get(), "the timeline follows the result, built on a worker");
        assertTrue(m.summaryProperty().get().startsWith("5 findings"), m.summaryProperty().get());
        m.setTimeline(dev.vmcase.analysis.timeline.TimelineModel.of(disk));
        assertTrue(m.timelineProperty().get() != null);
        m.select(m.findings().get(0));
        assertTrue(!m.selection().highlighted().isEmpty());
        assertTrue(m.selection().deviceProperty().get() != null, "the finding's device is selected");
        m.show(analyse("seed-incident"));
        assertEquals(2, m.findings().size());
        assertEquals(null, m.timelineProperty().get(), "the first result's timeline is not the second's");
        assertTrue(m.summaryProperty().get().contains("1 backtrace"), m.summaryProperty().get());
        assertTrue(m.selection().highlighted().isEmpty());
        assertEquals(null, m.selection().lineProperty().get());
        assertEquals(null, m.selection().deviceProperty().get());
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
}
