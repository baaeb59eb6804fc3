package dev.vmcase.app;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.ClockOffsets;
import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.CaseSession;
import dev.vmcase.casefile.Target;
import dev.vmcase.casefile.Tour;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.shell.RecentItems;
import dev.vmcase.views.workbench.WorkbenchView;
import dev.vmcase.views.workbench.WorkbenchViewModel;
import dev.vmcase.views.ViewTestSupport;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walk-through in the real window: open the orphaned-disk case, annotate three things, save, reopen to the
 * same notes and clock offset, export Markdown and HTML with their pictures, and play the seed's tour in the window.
 */
@ExtendWith(ApplicationExtension.class)
class CaseWorkflowTest {
    private static final Path CASES = Path.of("../sample-cases");
    private final Preferences prefs = Preferences.userRoot().node("dev/vmcase/test/case-" + System.nanoTime());
    @TempDir
    Path tmp;
    private WorkbenchViewModel model;
    private WorkbenchView view;
    private CaseSession session;
    private CaseController cases;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        model = new WorkbenchViewModel();
        view = new WorkbenchView(model, new RecentItems(prefs));
        stage.setScene(new Scene(view, 1400, 900));
        stage.sizeToScene(); // an earlier test class may have sized the shared stage
        stage.show();
    }

    @AfterEach
    void cleanUp() throws Exception {
        prefs.removeNode();
        if (session != null) {
            session.close();
        }
    }

    private void install() {
        session = new CaseSession(tmp.resolve("work"));
        cases = new CaseController(stage, view, model, session);
        cases.install();
    }

    private AnalysisResult waitForResult(AnalysisResult before) throws Exception {
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !model.busyProperty().get()
                && model.resultProperty().get() != null && model.resultProperty().get() != before);
        WaitForAsyncUtils.waitForFxEvents();
        return model.resultProperty().get();
    }

    @Test
    void annotateSaveReopenAndExport(FxRobot robot) throws Exception {
        robot.interact(this::install);
        robot.interact(() -> view.open(List.of(CASES.resolve("orphaned-disk-qemu/evidence"))));
        AnalysisResult r = waitForResult(null);
        Finding first = r.findings().get(0);
        SourceRef line = first.evidence().get(0);

        // three notes: on a log line, on the orphaned device, on a finding; and a clock offset for one host
        robot.interact(() -> {
            session.annotate(Target.line(line.artifact(), line.line()), "the **unplug** request", List.of("timing"));
            session.annotate(Target.device("virtio-disk1"), "frontend left behind", List.of("root-cause"));
            session.annotate(Target.finding(first.id()), "驱动已删除，设备仍在", List.of("root-cause"));
            view.timeline().clockOffsetsProperty().set(ClockOffsets.NONE.with("cmp-22", 1_500_000));
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(session.isDirty());
        assertTrue(stage.getTitle().endsWith(" *"), stage.getTitle());
        LineRef marked = new LineRef(line.artifact(), line.line());
        assertTrue(view.log().annotatedLines().contains(marked), "the log gutter marks the annotated line");
        assertTrue(view.timeline().annotatedLines().contains(marked));
        assertFalse(view.timeline().annotatedHits().isEmpty(), "the timeline places the note on its event");
        assertEquals(1_500_000L, session.notes().clockOffsets().get("cmp-22"));

        // evidence joining the case (as File › Capture from host does) keeps the notes
        int before = session.current().artifacts().size();
        robot.interact(() -> cases.addEvidence(List.of(CASES.resolve("seed-incident/evidence"))));
        AnalysisResult joined = waitForResult(r);
        assertEquals(before + 1, session.current().artifacts().size());
        assertEquals(3, session.notes().annotations().size(), "the notes stay when evidence joins the case");
        assertTrue(joined.findings().stream().anyMatch(f -> f.rule().equals("MIGRATION_STATE_MISMATCH")
                && f.evidence().get(0).text().contains("0000:06.0/virtio-blk")), "the joined note's finding is there");

        Path file = tmp.resolve("orphan.vmcase");
        session.saveAs(file);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(stage.getTitle().endsWith(" *"), stage.getTitle());

        // reopen: the same notes, the same finding ids, the offset back on the timeline
        robot.interact(() -> cases.openCase(file));
        AnalysisResult reopened = waitForResult(joined);
        assertEquals(3, session.notes().annotations().size());
        assertTrue(reopened.findings().stream().anyMatch(f -> f.id().equals(first.id())),
                "finding ids survive re-parsing, so the note on the finding still has its target");
        assertEquals(1_500_000L, view.timeline().clockOffsetsProperty().get().of("cmp-22"));
        assertTrue(session.integrity().isEmpty(), session.integrity().toString());

        // export: Markdown with pictures beside it, HTML with them inside
        Path md = tmp.resolve("out/report.md");
        Path html = tmp.resolve("out/report.html");
        Files.createDirectories(md.getParent());
        robot.interact(() -> {
            cases.exportReport(md, true);
            cases.exportReport(html, false);
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> Files.exists(md) && Files.exists(html));
        String m = Files.readString(md);
        assertTrue(m.contains("frontend left behind") && m.contains("驱动已删除，设备仍在"), m);
        assertTrue(Files.exists(tmp.resolve("out/report-images/timeline.png")), "the timeline chart in a folder beside it");
        assertTrue(Files.exists(tmp.resolve("out/report-images/devices.png")), "the device diagram beside it");
        assertTrue(m.contains("](report-images/devices.png)"), "linked relatively: " + m);
        assertTrue(m.startsWith("# vmcase report: orphan"), "the case's name, not the window's title: " + m);
        if (Files.getFileStore(md).supportsFileAttributeView("posix")) {
            // a report is for sharing: the mode a new file gets from the umask, not a temporary file's 600
            Path probe = Files.createFile(tmp.resolve("out/probe"));
            assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(md));
            assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(
                    tmp.resolve("out/report-images/timeline.png")));
        }
        String h = Files.readString(html);
        assertTrue(h.contains("the <strong>unplug</strong> request"), "the note's Markdown rendered in place");
        assertEquals(2, h.split("src=\"data:image/png;base64,", -1).length - 1);
        ViewTestSupport.snapshot(stage.getScene(), "workbench-case-annotated.png");
    }

    @Test
    void theSeedOpensWithItsTourAndStartTourWalksItInsideTheWindow(FxRobot robot) throws Exception {
        robot.interact(this::install);
        List<Tour> tours = CaseIO.readTours(CASES.resolve("seed-incident/tour.json"));
        robot.interact(() -> {
            cases.withTours(tours);
            view.open(List.of(CASES.resolve("seed-incident/evidence")));
        });
        waitForResult(null);
        assertEquals(1, session.notes().tours().size());
        assertFalse(session.isDirty(), "a sample's tour is not a change of the user's");
        assertEquals("seed-incident/evidence", model.titleProperty().get(), "the case is named after what was opened");
        // the header offers the tour: a visible button, clicked as the user clicks it
        assertTrue(robot.lookup("#start-tour").query().isVisible(), "a visible Start tour");
        robot.clickOn("#start-tour");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.tourBar().playingProperty().get());
        Tour.Step step1 = tours.get(0).steps().get(0);
        assertEquals(new LineRef(step1.target().artifact(), step1.target().line()), model.selection().lineProperty().get());
        assertTrue(view.isShown(WorkbenchView.LOG), "a step on a line brings the log forward");
        // the band plays under the views: it covers none of the log it points into
        javafx.geometry.Bounds band = robot.lookup("#tour-bar").query().localToScene(
                robot.lookup("#tour-bar").query().getLayoutBounds());
        javafx.geometry.Bounds log = view.log().localToScene(view.log().getLayoutBounds());
        assertTrue(band.getMinY() >= log.getMaxY() - 0.5, band + " over " + log);
        // next by its button, then by the keyboard
        robot.clickOn("#tour-bar-next");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, view.tourBar().stepProperty().get());
        LineRef second = model.selection().lineProperty().get();
        assertEquals(tours.get(0).steps().get(1).target().line(), second.line());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> java.util.Arrays.stream(view.log().visibleLines())
                .anyMatch(l -> l == second.line()));
        robot.press(javafx.scene.input.KeyCode.ALT).press(javafx.scene.input.KeyCode.RIGHT)
                .release(javafx.scene.input.KeyCode.RIGHT).release(javafx.scene.input.KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, view.tourBar().stepProperty().get());
        // the step on a finding selects it and brings its device forward
        robot.interact(() -> view.tourBar().stepProperty().set(3));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("MIGRATION_STATE_MISMATCH", model.selection().findingProperty().get().rule());
        assertTrue(view.isShown(WorkbenchView.DEVICES));
        ViewTestSupport.snapshot(stage.getScene(), "workbench-seed-tour.png");
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(view.tourBar().playingProperty().get(), "Escape ends the tour");
    }
}
