package dev.vmcase.views.notes;

import atlantafx.base.theme.PrimerLight;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.casefile.CaseAnalysis;
import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.CaseSession;
import dev.vmcase.casefile.Target;
import dev.vmcase.casefile.Tour;
import dev.vmcase.model.Finding;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import javafx.application.Application;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.SplitPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The notes panel, the tour editor and the player on the seed case with its tour. */
@ExtendWith(ApplicationExtension.class)
class NotesViewsTest {
    private static final Path SEED = Path.of("../sample-cases/seed-incident");
    @TempDir
    static Path tmp;
    private Stage stage;
    private CaseSession session;
    private final Selection selection = new Selection();
    private AnalysisResult result;

    @Start
    void start(Stage stage) throws Exception {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        this.stage = stage;
        session = new CaseSession(Files.createTempDirectory("vmcase-notes-test"), Duration.ofHours(1));
        session.newCase(List.of(SEED.resolve("evidence")), CaseIO.readTours(SEED.resolve("tour.json")));
        assertTrue(!session.isDirty() && session.notes().tours().size() == 1);
        result = CaseAnalysis.run(session.current(), ProgressMonitor.NONE);
        String sha = result.evidence().artifacts().get(0).sha256();
        Finding mismatch = result.findings().get(0);
        session.annotate(Target.finding(mismatch.id()), "**Short root-bus form**: QEMU 1.6 machine type", List.of("migration"));
        session.annotate(Target.line(sha, 14), "块设备里已经没有 virtio-disk1 — the block layer lost it", List.of("root-cause", "中文"));
        session.annotate(Target.frame(sha, 123), "port 0xae08 = B0EJ: the guest's eject", List.of("root-cause"));
        session.bookmark(Target.line(sha, 85), "the author's diagnosis");
        TargetResolver resolver = new TargetResolver(result, session.current());
        SplitPane split = new SplitPane(new NotesPanel(selection, session, () -> resolver),
                new TourEditor(selection, session, () -> resolver));
        stage.setScene(new Scene(split, 1100, 620));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
    }

    @AfterEach
    void close() {
        session.close();
    }

    @Test
    void notesListFilterAndJump(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        NotesPanel panel = robot.lookup(".notes-panel").queryAs(NotesPanel.class);
        assertEquals(4, panel.list().getItems().size(), "three notes and a bookmark");
        snapshot("notes-panel.png");
        // jump: clicking the note on line 14 selects that line in every view
        robot.clickOn("块设备里已经没有 virtio-disk1 — the block layer lost it");
        WaitForAsyncUtils.waitForFxEvents();
        String sha = result.evidence().artifacts().get(0).sha256();
        assertEquals(new LineRef(sha, 14), selection.lineProperty().get());
        // a finding's note selects the finding
        robot.clickOn("**Short root-bus form**: QEMU 1.6 machine type");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(result.findings().get(0), selection.findingProperty().get());
        // filter by tag
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> panel.tagFilter().setValue("root-cause"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, panel.list().getItems().size());
        assertTrue(panel.tagFilter().getItems().containsAll(List.of("migration", "root-cause", "中文")));
        // a change made elsewhere shows
        session.annotate(Target.device("virtio-disk1"), "late", List.of("root-cause"));
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(200);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3, panel.list().getItems().size());
    }

    @Test
    void annotateTheSelectionThroughTheEditor(FxRobot robot) throws Exception {
        String sha = result.evidence().artifacts().get(0).sha256();
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> selection.lineProperty().set(new LineRef(sha, 16)));
        robot.clickOn("#annotate");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#noteText").write("PCI still has it; block and libvirt do not");
        robot.clickOn("#noteTags").write("root-cause, pci");
        javafx.scene.Scene dialog = robot.lookup("#noteText").query().getScene();
        javafx.scene.image.WritableImage[] img = new javafx.scene.image.WritableImage[1];
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> img[0] = dialog.snapshot(null));
        String dir = System.getProperty("vmcase.screenshots");
        if (dir != null) {
            ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png", new File(dir, "annotation-editor.png"));
        }
        robot.clickOn("OK");
        WaitForAsyncUtils.waitForFxEvents();
        var added = session.notes().annotations().get(session.notes().annotations().size() - 1);
        assertEquals(Target.line(sha, 16), added.target());
        assertEquals("PCI still has it; block and libvirt do not", added.text());
        assertEquals(List.of("root-cause", "pci"), added.tags());
    }

    @Test
    void tourEditorAddsAndReordersSteps(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        TourEditor editor = robot.lookup(".tour-editor").queryAs(TourEditor.class);
        Tour seed = session.notes().tours().get(0);
        assertEquals(seed.steps().size(), editor.steps().getItems().size());
        String sha = result.evidence().artifacts().get(0).sha256();
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> {
            editor.steps().getSelectionModel().select(0);
            selection.lineProperty().set(new LineRef(sha, 5));
        });
        robot.clickOn("#addStep");
        WaitForAsyncUtils.waitForFxEvents();
        Tour t = session.notes().tours().get(0);
        assertEquals(seed.steps().size() + 1, t.steps().size());
        assertEquals(Target.line(sha, 5), t.steps().get(1).target(), "added after the selected step");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, editor.steps().getSelectionModel().getSelectedIndex());
        robot.clickOn("#stepUp");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Target.line(sha, 5), session.notes().tours().get(0).steps().get(0).target());
        robot.clickOn("#stepNote").write("the first warning the author saw");
        robot.clickOn("#applyStep");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("the first warning the author saw", session.notes().tours().get(0).steps().get(0).note());
        assertTrue(session.isDirty());
        snapshot("tour-editor.png");
    }

    @Test
    void playerShowsStepsLargeAndSelectsTheirTargets(FxRobot robot) throws Exception {
        Tour seed = session.notes().tours().get(0);
        TargetResolver resolver = new TargetResolver(result, session.current());
        TourPlayer[] player = new TourPlayer[1];
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> {
            player[0] = new TourPlayer(seed, selection, resolver);
            stage.setScene(new Scene(player[0], 1100, 620));
            stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        });
        WaitForAsyncUtils.waitForFxEvents();
        String sha = result.evidence().artifacts().get(0).sha256();
        assertEquals(new LineRef(sha, 3), selection.lineProperty().get());
        robot.clickOn("#tourNext");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new LineRef(sha, 9), selection.lineProperty().get());
        assertEquals("Step 2 of " + seed.steps().size(), robot.lookup("#tourProgress").queryLabeled().getText());
        for (int i = 0; i < 8; i++) {
            robot.clickOn("#tourNext");
        }
        WaitForAsyncUtils.waitForFxEvents();
        Tour.Step tenth = seed.steps().get(9);
        assertEquals(Target.Kind.FRAME, tenth.target().kind());
        assertEquals(new LineRef(sha, tenth.target().line()), selection.lineProperty().get());
        assertTrue(robot.lookup("#tourStepTitle").queryLabeled().getFont().getSize() >= 28, "presentation type is large");
        snapshot("tour-player.png");
        robot.clickOn("#tourPrevious");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(8, player[0].stepProperty().get());
    }

    private void snapshot(String name) throws Exception {
        dev.vmcase.views.ViewTestSupport.snapshot(stage.getScene(), name);
    }
}
