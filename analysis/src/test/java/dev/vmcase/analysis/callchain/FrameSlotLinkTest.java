package dev.vmcase.analysis.callchain;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Frame;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A frame's decoded slot bitmap points at the device in that slot of the root bus. */
class FrameSlotLinkTest {
    @Test
    void theSeedsEjectOfSlotFiveLinksToWhateverSitsInSlotFive() {
        // the seed's backtrace (slots=32: slot 5) read together with a real PCI dump that has virtio-disk0 in slot 5
        AnalysisResult r = Analysis.run(Fixtures.load(
                Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt"),
                Fixtures.DISK_CASE.resolve("source-info-pci.txt")));
        Frame eject = r.evidence().backtraces().get(0).threads().get(0).frames().get(9);
        assertEquals("acpi_pcihp_eject_slot", eject.function());
        assertEquals(List.of("virtio-disk0 (0000:00:05.0)"),
                FrameHint.devicesIn(r.devices(), FrameHints.standard().hints(eject)));
        Frame release = r.evidence().backtraces().get(0).threads().get(0).frames().get(0);
        assertEquals(List.of(), FrameHint.devicesIn(r.devices(), FrameHints.standard().hints(release)));
    }
}
