package dev.vmcase.views.log;

import atlantafx.base.theme.PrimerLight;
import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ingest.IngestOptions;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.lines.ArtifactFiles;
import dev.vmcase.parsers.lines.LogLines;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import javafx.application.Application;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log viewer on a real libvirtd debug log (libvirt-pending-unplug) and the seed's Chinese ticket. */
@ExtendWith(ApplicationExtension.class)
class LogViewTest {
    static final Path CASE = Path.of("../sample-cases/libvirt-pending-unplug/evidence");
    static final Path SEED = Path.of("../sample-cases/seed-incident/evidence");
    static AnalysisResult result;
    static AnalysisResult seed;
    Selection selection;
    LogView view;
    Stage stage;

    @BeforeAll
    static void analyse() {
        result = Analysis.of(List.of(CASE), ProgressMonitor.NONE);
        seed = Analysis.of(List.of(SEED), ProgressMonitor.NONE);
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        selection = new Selection();
        Path cache = Files.createTempDirectory("logview-test");
        view = new LogView(selection, new ArtifactFiles(cache, IngestOptions.DEFAULTS));
        stage.setScene(new Scene(view, 1200, 640));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
    }

    @AfterEach
    void dispose() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> view.dispose()).get(5, TimeUnit.SECONDS);
    }

    @Test
    void theFilterPromptIsReadableWhereTheToolBarIsShort(FxRobot robot) throws Exception {
        robot.interact(() -> {
            stage.setWidth(800); // the log's share of a 1366 px window beside the widest findings column (560 px)
            view.show(result);
        });
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.TextField f = robot.lookup("#logFilterText").queryAs(javafx.scene.control.TextField.class);
        double needed = fx(() -> {
            javafx.scene.text.Text t = new javafx.scene.text.Text(f.getPromptText());
            t.setFont(f.getFont());
            return t.getLayoutBounds().getWidth() + f.snappedLeftInset() + f.snappedRightInset();
        });
        assertTrue(f.getWidth() >= needed, "the prompt fits: " + f.getWidth() + " < " + needed);
        javafx.scene.Node find = robot.lookup("#logFind").query();
        assertTrue(fx(() -> find.localToScene(find.getBoundsInLocal()).getMaxX()) <= fx(() -> view.getWidth()) + 1,
                "the tool bar's last button stays in the view: " + fx(() -> ((javafx.scene.layout.Pane) f.getParent())
                        .getChildren().stream().map(n -> n.getId() + "=" + n.getLayoutBounds().getWidth() + "/"
                                + ((javafx.scene.layout.Region) n).minWidth(-1)).toList()));
    }

    static Artifact libvirtd() {
        return result.evidence().artifacts().stream().filter(a -> a.path().endsWith("libvirtd.log")).findFirst()
                .orElseThrow();
    }

    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    static void until(Callable<Boolean> c) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!fx(c)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting");
            }
            Thread.sleep(20);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    int rowOf(int line) throws Exception {
        int[] lines = fx(view::visibleLines);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i] == line) {
                return i;
            }
        }
        return -1;
    }

    void showAndSelect(int line) throws Exception {
        fx(() -> {
            view.show(result);
            selection.lineProperty().set(new LineRef(libvirtd().sha256(), line));
            return null;
        });
        until(() -> Arrays.stream(view.visibleLines()).anyMatch(l -> l == line));
    }

    @Test
    void selectingALineSwitchesToItsArtifactScrollsToItAndMarksIt(FxRobot robot) throws Exception {
        fx(() -> {
            view.show(result);
            return null;
        });
        showAndSelect(3894);
        int row = rowOf(3894);
        assertTrue(row > 0, "line 3894 is on screen but not at the very top");
        assertEquals(libvirtd(), fx(() -> view.artifactProperty().get()));
        assertTrue(fx(() -> view.paragraphStyle(row)).contains("selected-event"));
        Node gutter = fx(() -> view.gutterOf(row));
        assertTrue(gutter.lookup(".mark-selected") != null, "selected line marked in the gutter");
        javafx.scene.text.Text number = (javafx.scene.text.Text) gutter.lookup(".log-line-number");
        assertEquals("3894", number.getText().strip(), "the gutter shows the file's line number");
        String text = fx(() -> view.textOf(row));
        assertTrue(text.contains("\"execute\":\"device_del\""), text);
        int col = text.indexOf("virtio-disk1");
        assertTrue(fx(() -> view.styleAt(row, col + 1)).contains("device"), "device id highlighted");
        assertTrue(fx(() -> view.styleAt(row, 3)).contains("ts"), "timestamp highlighted");
        int lv = text.indexOf("info :");
        assertTrue(fx(() -> view.styleAt(row, lv + 1)).contains("level-info"), "level highlighted");
        assertTrue(fx(() -> view.styleAt(row, text.indexOf("\"execute\"") + 2)).contains("json-key"));
        // the document holds only what is on screen
        assertTrue(fx(view::visibleLines).length <= fx(view::rows));
        assertTrue(fx(view::lineCount) > 4000);
        // highlighted (a finding's evidence) and annotated lines get their own marks
        int other = fx(view::visibleLines)[row + 2];
        fx(() -> {
            selection.highlighted().add(new LineRef(libvirtd().sha256(), other));
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> view.gutterOf(row + 2)).lookup(".mark-highlighted") != null);
        snapshot("log-selected-line.png");
    }

    @Test
    void clickingALineSelectsIt(FxRobot robot) throws Exception {
        showAndSelect(3894);
        int row = rowOf(3896);
        assertTrue(row >= 0);
        Bounds b = fx(() -> view.lookup("#logText") instanceof org.fxmisc.richtext.GenericStyledArea<?, ?, ?> a
                ? a.getCharacterBoundsOnScreen(a.getAbsolutePosition(row, 5), a.getAbsolutePosition(row, 6))
                .orElseThrow() : null);
        robot.clickOn(b.getCenterX(), b.getCenterY());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new LineRef(libvirtd().sha256(), 3896), selection.lineProperty().get());
        assertTrue(fx(() -> view.paragraphStyle(row)).contains("selected-event"));
        assertTrue(fx(() -> view.gutterOf(row)).lookup(".mark-selected") != null);
    }

    @Test
    void ctrlFFindsNextAndPreviousAndCounts(FxRobot robot) throws Exception {
        fx(() -> {
            view.show(result);
            view.open(libvirtd());
            return null;
        });
        until(() -> view.lineCount() > 0);
        robot.clickOn("#logText");
        robot.press(KeyCode.CONTROL).press(KeyCode.F).release(KeyCode.F).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#logSearchBar").query().isVisible());
        robot.write("\"execute\":\"device_del\"");
        robot.type(KeyCode.ENTER);
        until(() -> view.searchLine() == 3894);
        robot.type(KeyCode.F3);
        until(() -> view.searchLine() == 3896);
        until(() -> ((Label) view.lookup("#logSearchCount")).getText().startsWith("2 "));
        robot.press(KeyCode.SHIFT).press(KeyCode.F3).release(KeyCode.F3).release(KeyCode.SHIFT);
        until(() -> view.searchLine() == 3894);
        String count = fx(() -> ((Label) view.lookup("#logSearchCount")).getText());
        assertTrue(count.startsWith("1 of "), count);
        int row = rowOf(3894);
        int col = fx(() -> view.textOf(row)).indexOf("\"execute\"");
        assertTrue(fx(() -> view.styleAt(row, col + 1)).contains("search-hit"));
        // regex: both device_del commands (SEND_MSG and IO_WRITE lines) and nothing else
        robot.clickOn("#logRegex");
        robot.doubleClickOn("#logSearch").eraseText(40).write("device_del\"[^}]*virtio-disk1");
        until(() -> ((Label) view.lookup("#logSearchCount")).getText().matches(".*\\d.*"));
        snapshot("log-search.png");
    }

    @Test
    void levelFilterShowsOnlyErrorEvents(FxRobot robot) throws Exception {
        fx(() -> {
            view.show(result);
            view.open(libvirtd());
            return null;
        });
        until(() -> view.lineCount() > 0);
        int all = fx(view::shownLineCount);
        @SuppressWarnings("unchecked")
        ComboBox<Byte> level = (ComboBox<Byte>) robot.lookup("#logLevel").query();
        fx(() -> {
            level.setValue(Timeline.ERROR);
            return null;
        });
        until(() -> view.shownLineCount() < all && !view.busyProperty().get());
        int shown = fx(view::shownLineCount);
        assertTrue(shown > 0);
        int[] lines = fx(view::visibleLines);
        assertEquals(Math.min(shown, fx(view::rows)), lines.length);
        for (int i = 0; i < lines.length; i++) {
            int r = i;
            String text = fx(() -> view.textOf(r));
            assertTrue(!LogLines.startsWithTimestamp(text) || LogLines.level(text) == Timeline.ERROR, text);
        }
        assertTrue(robot.lookup("#logStatus").queryLabeled().getText().contains(String.valueOf(shown)));
        snapshot("log-errors-only.png");
        fx(() -> {
            level.setValue(Timeline.DEBUG);
            return null;
        });
        until(() -> view.shownLineCount() == all);
    }

    @Test
    void hostAndLayerNarrowTheChooserAndChineseRenders(FxRobot robot) throws Exception {
        fx(() -> {
            view.show(seed);
            return null;
        });
        until(() -> view.lineCount() > 0);
        @SuppressWarnings("unchecked")
        ComboBox<Artifact> chooser = (ComboBox<Artifact>) robot.lookup("#logArtifact").query();
        assertTrue(fx(() -> view.textOf(0)).contains("热迁移"), "Chinese text of the seed ticket");
        snapshot("log-seed-cjk.png");
        fx(() -> {
            view.show(result);
            return null;
        });
        @SuppressWarnings("unchecked")
        ComboBox<String> layer = (ComboBox<String>) robot.lookup("#logLayer").query();
        int before = fx(() -> chooser.getItems().size());
        fx(() -> {
            layer.setValue("libvirt");
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        List<Artifact> items = fx(() -> List.copyOf(chooser.getItems()));
        assertTrue(items.size() < before && !items.isEmpty(), items.toString());
        assertTrue(items.stream().allMatch(a -> LogView.layerOf(a).equals("libvirt")), items.toString());
        assertTrue(items.stream().anyMatch(a -> a.path().endsWith("libvirtd.log")));
    }

    void snapshot(String name) throws Exception {
        dev.vmcase.views.ViewTestSupport.snapshot(stage.getScene(), name);
    }
}
