package dev.vmcase.views.workbench;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.model.Finding;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.ViewTestSupport;
import dev.vmcase.views.shell.RecentItems;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workbench driven as a user drives it, by mouse and keyboard: a finding clicked and explained with Enter, an
 * evidence line clicked through to the log, the findings column dragged wider, the Help menu, the log's wrap
 * toggle, and files dropped on the window.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchInputTest {
    private static AnalysisResult disk;
    private final Preferences prefs = Preferences.userRoot().node("dev/vmcase/test/input-" + System.nanoTime());
    private final List<List<Path>> opened = new ArrayList<>();
    private WorkbenchViewModel model;
    private WorkbenchView view;
    private Stage stage;

    @BeforeAll
    static void analyse() {
        disk = ViewTestSupport.analyseCase("orphaned-disk-qemu");
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        ViewTestSupport.theme();
        model = new WorkbenchViewModel();
        model.setOpener(opened::add);
        view = new WorkbenchView(model, new RecentItems(prefs));
        stage.setScene(new Scene(view, 1366, 704));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
        stage.requestFocus();
        model.show(disk);
        model.setTimeline(TimelineModel.of(disk));
    }

    @AfterEach
    void forget() throws Exception {
        prefs.removeNode();
    }

    @SuppressWarnings("unchecked")
    private ListView<Finding> findings(FxRobot robot) {
        return view.findings().list();
    }

    @Test
    void aFindingClickedAndExplainedWithEnterShowsItsDevice(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        ListView<Finding> list = findings(robot);
        assertEquals(0, list.getSelectionModel().getSelectedIndex(), "the first finding is selected at once");
        robot.clickOn("#tab-timeline"); // somewhere else first, so Explain has to bring the diff back
        Finding unacked = list.getItems().stream().filter(f -> f.rule().equals("UNACKED_UNPLUG")).findFirst()
                .orElseThrow();
        int at = list.getItems().indexOf(unacked);
        Node cell = robot.lookup("#findings .list-cell").queryAll().stream()
                .filter(n -> ((javafx.scene.control.ListCell<?>) n).getIndex() == at).findFirst().orElseThrow();
        robot.clickOn(cell, MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(unacked, list.getSelectionModel().getSelectedItem());
        assertTrue(robot.lookup("#finding-detail .detail-head").queryLabeled().getText().contains("UNACKED_UNPLUG"));
        assertEquals(LineRef.of(unacked.evidence().get(0)), model.selection().lineProperty().get());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.isShown(WorkbenchView.DEVICES), "Enter explains: the diff comes forward");
        assertEquals("virtio-disk1", model.selection().deviceProperty().get());
        assertEquals("virtio-disk1", view.deviceDiff().leftTree().getSelectionModel().getSelectedItem().getValue()
                .row().left().row().qdevId());
    }

    @Test
    void anEvidenceLineClickedShowsItInTheLog(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Finding first = findings(robot).getItems().get(0);
        var line = first.evidence().get(1);
        Node link = robot.lookup("#finding-detail .evidence-link").queryAll().stream()
                .filter(n -> ((javafx.scene.control.Hyperlink) n).getText().endsWith(":" + line.line()))
                .findFirst().orElseThrow();
        robot.clickOn(link);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.isShown(WorkbenchView.LOG));
        assertEquals(LineRef.of(line), model.selection().lineProperty().get());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Arrays.stream(view.log().visibleLines())
                .anyMatch(l -> l == line.line()));
        // the selected line in full under the log, whatever its length
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#logLineDetail").queryLabeled().getText()
                .contains("drive_del drive-virtio-disk1"));
        // the wrap toggle, clicked
        robot.clickOn("#logWrap");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.log().viewModel().wrapProperty().get());
        assertTrue(((org.fxmisc.richtext.StyleClassedTextArea) robot.lookup("#logText").query()).isWrapText());
        ViewTestSupport.snapshot(stage.getScene(), "workbench-log-wrapped.png");
    }

    @Test
    void theFindingsColumnDraggedWiderStaysSoWhenTheWindowGrows(FxRobot robot) {
        WaitForAsyncUtils.waitForFxEvents();
        SplitPane main = (SplitPane) robot.lookup("#docks").query();
        Region findings = view.findings();
        double before = findings.getWidth();
        Node divider = main.lookupAll(".split-pane-divider").stream().filter(n -> n.getParent() == main).findFirst()
                .orElseThrow();
        Bounds b = divider.localToScreen(divider.getLayoutBounds());
        robot.drag(b.getCenterX(), b.getCenterY(), MouseButton.PRIMARY).dropBy(150, 0);
        WaitForAsyncUtils.waitForFxEvents();
        double dragged = findings.getWidth();
        assertTrue(dragged > before + 100, before + " -> " + dragged);
        robot.interact(() -> stage.setWidth(1560));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(Math.abs(findings.getWidth() - dragged) < 0.2 * dragged || findings.getWidth() >= dragged,
                "the user's width is not reset: " + findings.getWidth());
        robot.interact(() -> stage.setWidth(1366));
    }

    @Test
    void helpListsEveryRuleAndF1EveryShortcutEnterAndEscapeIncluded(FxRobot robot) {
        robot.clickOn("#menu-help");
        robot.clickOn("#menu-rules");
        WaitForAsyncUtils.waitForFxEvents();
        Node rules = robot.lookup("#help-rules").query();
        for (var r : dev.vmcase.analysis.rules.RuleRegistry.all()) {
            assertTrue(rules.lookupAll(".help-rule-id").stream()
                    .anyMatch(n -> ((javafx.scene.control.Label) n).getText().equals(r.id())), r.id());
        }
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#findings");
        robot.type(KeyCode.F1);
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> sheet = robot.lookup("#shortcuts").queryTableView();
        List<String> keys = sheet.getItems().stream().map(s -> ((dev.vmcase.views.shell.Shortcut) s).keys()).toList();
        assertTrue(keys.contains("Enter") && keys.contains("Escape"), keys.toString());
        robot.type(KeyCode.ESCAPE);
    }

    @Test
    void filesDroppedOnTheWindowAreOpened(FxRobot robot) throws Exception {
        Path file = Files.createTempFile("vmcase-drop", ".log");
        try {
            // a drag source offering files, as a file manager does (in the window: the headless toolkit drags within one)
            javafx.scene.control.Label handle = new javafx.scene.control.Label("evidence.log");
            handle.setId("drag-source");
            handle.setOnDragDetected(e -> {
                var board = handle.startDragAndDrop(TransferMode.COPY);
                ClipboardContent c = new ClipboardContent();
                c.putFiles(List.of(new File(file.toString())));
                board.setContent(c);
                e.consume();
            });
            javafx.scene.layout.VBox bottom = (javafx.scene.layout.VBox) view.getBottom();
            robot.interact(() -> bottom.getChildren().add(handle));
            robot.drag("#drag-source", MouseButton.PRIMARY).dropTo("#findings");
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(() -> bottom.getChildren().remove(handle));
            assertEquals(List.of(List.of(file)), opened, "the dropped file is opened");
        } finally {
            Files.deleteIfExists(file);
        }
        assertFalse(opened.isEmpty());
    }

    @Test
    void theDarkThemeByItsKeysReachesTheTimelineBehindAnotherTab(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(view.isShown(WorkbenchView.DEVICES));
        robot.clickOn("#findings");
        // the key saves the choice in the user's preferences: put back what was there
        Preferences user = Preferences.userRoot().node("dev/vmcase/workbench");
        dev.vmcase.views.shell.Theme saved = dev.vmcase.views.shell.Theme.saved(user);
        try {
            robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.T).release(KeyCode.T, KeyCode.SHIFT, KeyCode.CONTROL);
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(dev.vmcase.views.shell.Theme.DARK, dev.vmcase.views.shell.Theme.current());
            robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
            WaitForAsyncUtils.waitForFxEvents();
            javafx.scene.image.WritableImage[] img = new javafx.scene.image.WritableImage[1];
            robot.interact(() -> img[0] = view.timeline().canvas().snapshot(null, null));
            double y = view.timeline().yOf(0);
            assertTrue(img[0].getPixelReader().getColor(5, (int) y).getBrightness() < 0.3,
                    "the canvas was repainted dark while behind the diff");
            ViewTestSupport.snapshot(stage.getScene(), "workbench-dark-timeline.png");
        } finally {
            robot.interact(() -> dev.vmcase.views.shell.Theme.LIGHT.apply());
            saved.save(user);
        }
    }
}
