package dev.vmcase.analysis.timeline;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.analysis.VmResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeline of one VM of a bundle of several: its own spans and markers, none of the others'. */
class VmTimelineTest {
    @Test
    void oneVmsTimelineHoldsOnlyItsOwnUnplugsAndFindings() {
        AnalysisResult r = Analysis.run(Fixtures.load(Path.of("../sample-cases/three-vms/evidence")));
        for (VmResult v : r.vms()) {
            TimelineModel m = TimelineModel.of(v.asResult());
            String own = "/" + v.vm().key() + "/";
            assertFalse(m.spans().isEmpty(), v.vm().key());
            assertTrue(m.spans().stream().allMatch(s -> s.startRef().path().contains(own)), v.vm().key() + ": " + m.spans());
            assertTrue(m.markers().stream().allMatch(k -> k.ref() == null || k.ref().path().contains(own)), v.vm().key());
        }
        // vm-charlie's unplug is pending in its timeline, in nobody else's
        VmResult alpha = r.vm("vm-alpha").orElseThrow();
        assertTrue(TimelineModel.of(alpha.asResult()).spans().stream()
                .noneMatch(s -> s.startRef().path().contains("vm-charlie")));
    }
}
