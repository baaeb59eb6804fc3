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
    void framesCarryTheirLayerAndDecodedHints() {
        WorkbenchViewModel m = new WorkbenchViewModel();
        AnalysisResult r = analyse("seed-incident");
        m.show(r);
        assertSame(r, m.resultProperty().get());
        assertEquals(21, m.frames().size());
        WorkbenchViewModel.FrameEntry eject = m.frames().get(9);
        assertEquals("acpi_pcihp_eject_slot", eject.frame().function());
        assertTrue(eject.hints().stream().anyMatch(h -> Integer.valueOf(5).equals(h.slot())));
        assertTrue(!eject.layer().isEmpty(), "the eject frame has a layer");
    }

    @Test
    void devicesOfBothSidesAreListedAndAnotherResultReplacesThem() {
        WorkbenchViewModel m = new WorkbenchViewModel();
        m.show(analyse("orphaned-disk-qemu"));
        assertTrue(m.devices().stream().anyMatch(d -> d.side().equals("destination")));
        assertTrue(m.devices().stream().anyMatch(d -> d.side().equals("source") && d.row().qdevId().equals("virtio-disk1")));
        m.show(analyse("seed-incident"));
        assertEquals(List.of(), m.devices());
        assertEquals(2, m.findings().size());
    }
}
