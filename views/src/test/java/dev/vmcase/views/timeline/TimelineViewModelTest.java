package dev.vmcase.views.timeline;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.Hit;
import dev.vmcase.analysis.timeline.Span;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeline's state on the real orphaned-disk capture, without a toolkit. */
class TimelineViewModelTest {
    static AnalysisResult disk;
    static AnalysisResult seed;

    @BeforeAll
    static void analyse() {
        disk = Analysis.of(List.of(Path.of("../sample-cases/orphaned-disk-qemu/evidence")), ProgressMonitor.NONE);
        seed = Analysis.of(List.of(Path.of("../sample-cases/seed-incident/evidence")), ProgressMonitor.NONE);
    }

    private static TimelineViewModel model(Selection s, double w, double h) {
        TimelineViewModel vm = new TimelineViewModel(s);
        vm.setSize(w, h);
        vm.setModel(TimelineModel.of(disk));
        return vm;
    }

    @Test
    void lanesShareTheHeightWithinBoundsAndScrollWhenTheyCannot() {
        TimelineViewModel tall = model(new Selection(), 1000, 600);
        assertEquals(0, tall.scrollMax(), "three lanes fit in 600 px");
        assertEquals(TimelineViewModel.MAX_LANE_H, tall.laneHeight(), "and do not grow past what reads well");
        assertTrue(tall.tracks() >= 2, "room for two rows of labelled spans");
        TimelineViewModel low = model(new Selection(), 1000, 150);
        assertEquals(TimelineViewModel.MIN_LANE_H, low.laneHeight());
        assertTrue(low.scrollMax() > 0, "in 150 px they scroll");
        int last = low.model().lanes().size() - 1;
        assertTrue(low.laneTop(last) + low.laneHeight() > low.height(), "the last lane is below the fold");
    }

    @Test
    void zoomKeepsTheTimeUnderThePointerAndFitShowsEverything() {
        TimelineViewModel vm = model(new Selection(), 1000, 400);
        TimelineModel m = vm.model();
        assertTrue(vm.visibleStart() < m.start() && vm.visibleEnd() > m.end());
        double x = TimelineViewModel.LABEL_W + 200;
        long at = vm.timeAt(x);
        long before = vm.visibleEnd() - vm.visibleStart();
        vm.zoom(4, x);
        assertEquals(before / 4, vm.visibleEnd() - vm.visibleStart(), before / 1000.0);
        assertTrue(Math.abs(vm.timeAt(x) - at) <= before / 1000, "the time under the pointer stays under it");
        vm.pan(true);
        assertTrue(vm.timeAt(x) > at);
        vm.fitAll();
        assertEquals(before, vm.visibleEnd() - vm.visibleStart());
    }

    @Test
    void aPointPicksTheNearestEventAndSelectsItsLine() {
        Selection s = new Selection();
        TimelineViewModel vm = model(s, 1200, 400);
        Span unplug = vm.model().spans().stream().filter(sp -> sp.kind() == Span.Kind.UNPLUG).findFirst()
                .orElseThrow();
        long t = vm.model().startOf(unplug);
        vm.setVisibleRange(t - 10, t + 10);
        vm.selectAt(vm.xOf(t), vm.yOf(unplug.startLane()));
        assertEquals(new LineRef(unplug.startRef().artifact(), unplug.startRef().line()), s.lineProperty().get());
        assertEquals(unplug.startRef().line(), vm.selectedHit().line());
        // far from any event: nothing is picked
        assertEquals(null, vm.hitAt(TimelineViewModel.LABEL_W - 5, vm.yOf(0)));
        // a line selected elsewhere is brought into view
        vm.setVisibleRange(t - 100_000_000, t - 90_000_000);
        LineRef failure = LineRef.of(disk.findings().stream().filter(f -> f.rule().equals("MIGRATION_STATE_MISMATCH"))
                .findFirst().orElseThrow().evidence().get(0));
        s.lineProperty().set(failure);
        Hit h = vm.selectedHit();
        assertNotNull(h);
        assertTrue(vm.visibleStart() <= h.micros() && h.micros() <= vm.visibleEnd());
    }

    @Test
    void theHoverSaysTimeAndPlaceAtOnceAndTheTextWhenItIsRead() {
        // a libvirtd debug log: most of its lines are dated but held by no record, their text is in the file only
        TimelineViewModel vm = new TimelineViewModel(new Selection());
        vm.setSize(1200, 400);
        vm.setModel(TimelineModel.of(Analysis.of(List.of(Path.of("../sample-cases/libvirt-pending-unplug/evidence")),
                ProgressMonitor.NONE)));
        List<Consumer<String>> pending = new ArrayList<>();
        vm.setLineText((sha, line, onFx) -> pending.add(onFx));
        Hit h = null;
        TimelineModel m = vm.model();
        for (int lane = 0; lane < m.lanes().size() && h == null; lane++) {
            for (int k = 1; k < 20 && h == null; k++) {
                Hit c = m.nearest(lane, m.start() + (m.end() - m.start()) * k / 20);
                if (c != null && m.knownText(c.sha256(), c.line()) == null) {
                    h = c;
                }
            }
        }
        assertNotNull(h, "an event whose text is only in its file");
        List<String> shown = new ArrayList<>();
        vm.describe(h, "(estimated)", shown::add);
        assertEquals(1, shown.size(), "time and place at once");
        assertTrue(shown.get(0).contains(":" + h.line()), shown.get(0));
        assertEquals(1, pending.size(), "the text is asked for, not read on the caller's thread");
        pending.get(0).accept("2026-11-27T22:57:21.845123Z qemu-system-x86_64: the line");
        assertEquals(2, shown.size());
        assertTrue(shown.get(1).endsWith("the line"), shown.get(1));
    }

    @Test
    void evidenceWithoutADatedLineHasNoEventsToDraw() {
        TimelineViewModel vm = new TimelineViewModel(new Selection());
        vm.setSize(800, 300);
        vm.setLoading(true);
        assertTrue(vm.loading());
        vm.setModel(TimelineModel.of(seed));
        vm.setLoading(false);
        assertFalse(vm.hasEvents(), "the seed is a pasted note: no line has a date");
    }

    @Test
    void aGrowingModelKeepsTheWholeRangeInViewUnlessTheUserZoomed() {
        var seg = disk.evidence().timeline().segments().get(0);
        var art = disk.evidence().artifacts().stream().filter(a -> a.sha256().equals(seg.artifact())).findFirst()
                .orElseThrow();
        dev.vmcase.model.Timeline.Segment half = new dev.vmcase.model.Timeline.Segment();
        var whole = dev.vmcase.model.Timeline.of(List.of(seg));
        for (int i = 0; i < whole.size() / 2; i++) {
            half.add(whole.line(i), whole.epochMicros(i), whole.level(i));
        }
        TimelineModel first = TimelineModel.reading(art, half.of(seg.artifact()));
        TimelineModel more = TimelineModel.reading(art, seg);
        TimelineViewModel vm = new TimelineViewModel(new Selection());
        vm.setSize(800, 300);
        vm.grow(first);
        assertTrue(vm.visibleStart() < first.start() && vm.visibleEnd() > first.end(), "the whole read so far");
        vm.grow(more);
        assertTrue(vm.visibleEnd() > more.end(), "the range grew with the rows");
        long s0 = more.start() + (more.end() - more.start()) / 4;
        long s1 = more.start() + (more.end() - more.start()) / 3;
        vm.setVisibleRange(s0, s1);
        long zoomed0 = vm.visibleStart();
        long zoomed1 = vm.visibleEnd();
        vm.grow(TimelineModel.reading(art, seg));
        assertEquals(zoomed0, vm.visibleStart(), "the user's range stays");
        assertEquals(zoomed1, vm.visibleEnd());
    }
}
