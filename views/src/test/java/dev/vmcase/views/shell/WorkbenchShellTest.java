package dev.vmcase.views.shell;

import dev.vmcase.views.workbench.WorkbenchView;
import dev.vmcase.views.workbench.WorkbenchViewModel;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window shell: views brought forward by menu, keys and tabs, opening through the model, recent items, the shortcut sheet, themes. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchShellTest {
    private final Preferences prefs = Preferences.userRoot().node("dev/vmcase/test/shell-" + System.nanoTime());
    private WorkbenchViewModel model;
    private WorkbenchView view;
    private final List<List<Path>> opened = new ArrayList<>();

    @Start
    void start(Stage stage) {
        model = new WorkbenchViewModel();
        model.setOpener(opened::add);
        view = new WorkbenchView(model, new RecentItems(prefs));
        stage.setScene(new Scene(view, 1200, 800));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
    }

    @AfterEach
    void forget() throws Exception {
        prefs.removeNode();
    }

    @Test
    void theViewMenuAndCtrlNumberBringEachViewForward(FxRobot robot) {
        assertEquals(WorkbenchView.DEVICES, view.shownPane(), "the device diff is in front at first");
        robot.press(KeyCode.CONTROL).press(KeyCode.DIGIT3).release(KeyCode.DIGIT3).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(WorkbenchView.TIMELINE, view.shownPane());
        robot.clickOn("#menu-view");
        robot.clickOn("#menu-view-" + WorkbenchView.CALLCHAIN);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(WorkbenchView.CALLCHAIN, view.shownPane());
        // a click on a tab's header too
        javafx.scene.Node first = robot.lookup(".tab").nth(0).query();
        robot.clickOn(first);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(WorkbenchView.DEVICES, view.shownPane());
    }

    @Test
    void openingGoesThroughTheModelAndIsRemembered(FxRobot robot) {
        List<Path> paths = List.of(Path.of("/tmp/a.log"), Path.of("/tmp/b.tar.xz"));
        robot.interact(() -> view.open(paths));
        assertEquals(List.of(paths), opened);
        RecentItems recent = new RecentItems(prefs);
        assertEquals(paths, recent.list().get(0));
        robot.interact(() -> view.open(List.of(Path.of("/tmp/c"))));
        robot.interact(() -> view.open(paths));
        assertEquals(2, recent.list().size(), "the same paths again move to the top, not a second entry");
        assertEquals(paths, recent.list().get(0));
    }

    @Test
    void theShortcutSheetListsTheMenusAcceleratorsAndTheViewsKeys(FxRobot robot) {
        robot.interact(() -> view.addShortcuts(List.of(new Shortcut("Shortcut+F", "search the log"))));
        List<Shortcut> all = view.shortcuts();
        assertTrue(all.stream().anyMatch(s -> s.keys().equals("Shortcut+O")), all.toString());
        assertTrue(all.stream().anyMatch(s -> s.what().equals("search the log")));
        robot.press(KeyCode.F1).release(KeyCode.F1);
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> sheet = robot.lookup("#shortcuts").queryTableView();
        assertEquals(all.size(), sheet.getItems().size());
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    }

    @Test
    void theDarkThemeReplacesTheLightOne(FxRobot robot) {
        String before = Application.getUserAgentStylesheet();
        robot.interact(() -> Theme.DARK.apply());
        assertNotEquals(before, Application.getUserAgentStylesheet());
        assertTrue(Application.getUserAgentStylesheet().contains("dark"), Application.getUserAgentStylesheet());
        robot.interact(() -> Theme.LIGHT.apply());
    }
}
