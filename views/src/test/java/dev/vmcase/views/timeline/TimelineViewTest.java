package dev.vmcase.views.timeline;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.Hit;
import dev.vmcase.analysis.timeline.Span;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeline on the real-QEMU orphaned-disk capture, driven through mouse and keyboard. */
@ExtendWith(ApplicationExtension.class)
class TimelineViewTest {
    private static final Path CASE = Path.of("../sample-cases/orphaned-disk-qemu/evidence");
    private static AnalysisResult result;
    private Selection selection;
    private TimelineView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        if (result == null) {
            result = Analysis.of(List.of(CASE), ProgressMonitor.NONE);
        }
        this.stage = stage;
        selection = new Selection();
        view = new TimelineView(selection);
        view.show(result);
        stage.setScene(new Scene(view, 1200, 420));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
    }

    private Span pendingUnplug() {
        return view.getModel().spans().stream().filter(s -> s.kind() == Span.Kind.UNPLUG && s.pending())
                .findFirst().orElseThrow();
    }

    private Point2D screen(double x, double y) {
        return view.canvas().localToScreen(x, y);
    }

    private void fx(Runnable r) {
        WaitForAsyncUtils.waitForAsyncFx(5000, r);
    }

    @Test
    void clickSelectsTheNearestEvent(FxRobot robot) throws Exception {
        snapshot("timeline-orphaned-disk.png");
        Span unplug = pendingUnplug();
        TimelineModel m = view.getModel();
        long t = m.startOf(unplug);
        fx(() -> view.setVisibleRange(t - 10, t + 10)); // 20 µs across the canvas: device_del and drive_del apart
        Point2D p = screen(view.xOf(t), view.yOf(unplug.startLane()));
        robot.moveTo(p);
        robot.clickOn(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new LineRef(unplug.startRef().artifact(), 8), selection.lineProperty().get());
        // hover names the event: its text from the transcript
        robot.moveTo(p.add(1, 0));
        WaitForAsyncUtils.waitForFxEvents();
        Label hover = robot.lookup("#timeline-hover").queryAs(Label.class);
        assertTrue(hover.isVisible());
        assertTrue(hover.getText().contains("device_del"), hover.getText());
        snapshot("timeline-zoomed-unplug.png");
    }

    @Test
    void aLineSelectedElsewhereIsMarkedAndScrolledIntoView(FxRobot robot) throws Exception {
        Finding mismatch = result.findings().stream().filter(f -> f.rule().equals("MIGRATION_STATE_MISMATCH"))
                .findFirst().orElseThrow();
        SourceRef failure = mismatch.evidence().get(0);
        TimelineModel m = view.getModel();
        fx(() -> view.setVisibleRange(m.start() - 50_000_000, m.start() - 40_000_000)); // far away
        fx(() -> selection.lineProperty().set(LineRef.of(failure)));
        Hit h = view.selectedHit();
        assertNotNull(h);
        assertEquals(failure.line(), h.line());
        assertTrue(view.visibleStart() <= h.micros() && h.micros() <= view.visibleEnd());
        assertEquals(TimelineModel.DESTINATION, m.lanes().get(h.lane()).host());
        fx(() -> selection.highlighted().add(LineRef.of(pendingUnplug().startRef())));
        assertEquals(1, view.highlightedHits().size());
        snapshot("timeline-selected-failure.png");
    }

    @Test
    void zoomsInAndOutAndFits(FxRobot robot) {
        long full = view.visibleEnd() - view.visibleStart();
        Point2D mid = screen(TimelineView.LABEL_W + 300, view.yOf(0));
        long at = view.visibleStart() + (long) ((300.0 / (view.canvas().getWidth() - TimelineView.LABEL_W)) * full);
        // one wheel notch away from the user, as a desktop reports it (deltaY +40), at that point
        double cx = TimelineView.LABEL_W + 300;
        double cy = view.yOf(0);
        fx(() -> view.canvas().fireEvent(new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL,
                cx, cy, mid.getX(), mid.getY(), false, false, false, false, false, false, 0, 120, 0, 120,
                javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.LINES, 3, 0, null)));
        long zoomed = view.visibleEnd() - view.visibleStart();
        assertTrue(zoomed < full, zoomed + " !< " + full);
        // the time under the cursor stayed under the cursor
        long atAfter = view.visibleStart() + (long) ((300.0 / (view.canvas().getWidth() - TimelineView.LABEL_W)) * zoomed);
        assertTrue(Math.abs(atAfter - at) <= full / 1000, at + " vs " + atAfter);
        // the real wheel through the robot changes the zoom as well
        robot.moveTo(mid);
        robot.scroll(2, javafx.geometry.VerticalDirection.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.visibleEnd() - view.visibleStart() != zoomed);
        fx(() -> view.setVisibleRange(view.visibleStart(), view.visibleStart() + zoomed));
        robot.clickOn(view.canvas());
        robot.type(KeyCode.MINUS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.visibleEnd() - view.visibleStart() > zoomed);
        robot.type(KeyCode.EQUALS);
        robot.type(KeyCode.EQUALS);
        long keysIn = view.visibleEnd() - view.visibleStart();
        assertTrue(keysIn < zoomed);
        // rubber band on the axis: zooms to the dragged range
        double x0 = TimelineView.LABEL_W + 100;
        double x1 = TimelineView.LABEL_W + 400;
        long expect = (long) (300 / (view.canvas().getWidth() - TimelineView.LABEL_W) * keysIn);
        robot.drag(screen(x0, 5), MouseButton.PRIMARY).dropTo(screen(x1, 5));
        WaitForAsyncUtils.waitForFxEvents();
        long band = view.visibleEnd() - view.visibleStart();
        assertTrue(Math.abs(band - expect) <= expect / 50 + 20, band + " vs " + expect);
        robot.clickOn("#timeline-fit");
        assertEquals(full, view.visibleEnd() - view.visibleStart());
        TimelineModel m = view.getModel();
        assertTrue(view.visibleStart() < m.start() && view.visibleEnd() > m.end());
    }

    @Test
    void dragPans(FxRobot robot) {
        long s = view.visibleStart();
        long span = view.visibleEnd() - s;
        robot.drag(screen(TimelineView.LABEL_W + 500, view.yOf(1)), MouseButton.PRIMARY)
                .dropTo(screen(TimelineView.LABEL_W + 300, view.yOf(1)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(span, view.visibleEnd() - view.visibleStart());
        assertTrue(view.visibleStart() > s, "dragging left shows later times");
    }

    @Test
    void aClockOffsetMovesThatHostsEvents(FxRobot robot) throws Exception {
        TimelineModel m = view.getModel();
        SourceRef failure = result.findings().stream().filter(f -> f.rule().equals("MIGRATION_STATE_MISMATCH"))
                .findFirst().orElseThrow().evidence().get(0);
        long before = m.locate(failure.artifact(), failure.line()).micros();
        long sourceBefore = m.startOf(pendingUnplug());
        robot.clickOn("#timeline-offsets-toggle");
        robot.doubleClickOn("#offset-_destination").eraseText(3).write("-1.5").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(-1_500_000L, view.clockOffsetsProperty().get().of(TimelineModel.DESTINATION));
        assertEquals(before - 1_500_000L, m.locate(failure.artifact(), failure.line()).micros());
        assertEquals(sourceBefore, m.startOf(pendingUnplug()), "the source's clock stays");
        snapshot("timeline-offset.png");
        // and set from outside, the field follows
        fx(() -> view.clockOffsetsProperty().set(view.clockOffsetsProperty().get().with(TimelineModel.DESTINATION, 0)));
        assertEquals(before, m.locate(failure.artifact(), failure.line()).micros());
        assertEquals("0", robot.lookup("#offset-_destination").queryTextInputControl().getText());
    }

    @Test
    void lanesScrollWhenTheyDoNotFitAndASelectionScrollsToItsLane(FxRobot robot) throws Exception {
        fx(() -> stage.setHeight(200));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.ScrollBar bar = robot.lookup("#timeline-lanes-scroll").queryAs(
                javafx.scene.control.ScrollBar.class);
        assertTrue(bar.isVisible(), "three lanes and two hosts do not fit in 200 px");
        assertEquals(0, bar.getValue());
        SourceRef failure = result.findings().stream().filter(f -> f.rule().equals("MIGRATION_STATE_MISMATCH"))
                .findFirst().orElseThrow().evidence().get(0);
        fx(() -> selection.lineProperty().set(LineRef.of(failure)));
        assertTrue(bar.getValue() > 0, "the destination's QEMU lane is the last one");
        Hit h = view.selectedHit();
        double y = view.yOf(h.lane());
        assertTrue(y > TimelineView.AXIS_H && y < view.canvas().getHeight(), "lane at " + y);
        snapshot("timeline-scrolled.png");
        fx(() -> stage.setHeight(460)); // the stage is shared with the test classes that run after this one
    }

    @Test
    void twoNamedHostsAndADarkTheme(FxRobot robot) throws Exception {
        Path lab = Path.of("../sample-cases/lab-orphaned-disk/evidence");
        dev.vmcase.model.Evidence e = new dev.vmcase.parsers.ingest.Attribution().host(lab + "=cmp-17")
                .host(lab.resolve("destination") + "=cmp-22")
                .apply(dev.vmcase.parsers.ingest.Ingest.load(List.of(lab), ProgressMonitor.NONE));
        AnalysisResult r = Analysis.run(e);
        fx(() -> view.show(r));
        TimelineModel m = view.getModel();
        assertEquals(List.of("cmp-17", "cmp-22"), m.hosts());
        Span unplug = pendingUnplug();
        assertEquals("cmp-17", m.lanes().get(unplug.startLane()).host());
        assertTrue(m.markers().stream().anyMatch(k -> m.lanes().get(k.lane()).host().equals("cmp-22")
                && k.finding().rule().equals("MIGRATION_STATE_MISMATCH")));
        snapshot("timeline-two-hosts.png");
        try {
            fx(() -> {
                javafx.application.Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerDark()
                        .getUserAgentStylesheet());
                view.applyCss();
            });
            WaitForAsyncUtils.waitForFxEvents();
            fx(() -> view.redraw());
            javafx.scene.image.WritableImage[] img = new javafx.scene.image.WritableImage[1];
            fx(() -> img[0] = view.canvas().snapshot(null, null));
            // the canvas background follows the theme: dark
            assertTrue(img[0].getPixelReader().getColor(5, (int) view.yOf(0)).getBrightness() < 0.3);
            snapshot("timeline-two-hosts-dark.png");
        } finally {
            fx(() -> javafx.application.Application.setUserAgentStylesheet(null));
        }
    }

    private void snapshot(String name) throws Exception {
        dev.vmcase.views.ViewTestSupport.snapshot(stage.getScene(), name);
    }
}
