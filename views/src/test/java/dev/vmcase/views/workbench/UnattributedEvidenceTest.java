package dev.vmcase.views.workbench;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.views.ViewTestSupport;
import dev.vmcase.views.shell.RecentItems;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.TitledPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.prefs.Preferences;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two domains of one libvirtd (sample-cases/two-domains-one-daemon): the daemon's own stderr, the versions file and the
 * libvirtd log's records that name neither domain belong to no VM. Whichever VM is shown, the rules' list names those
 * three files and why they were kept out, instead of leaving them silently unread. Beside them lies a program's binary
 * (this machine's {@code /bin/true}) that someone put among the logs: the rules' list names it too, with why it could
 * not be read (before, only the command line's report did; the workbench's rules said "not checked" as if the file had
 * never been given).
 */
@ExtendWith(ApplicationExtension.class)
class UnattributedEvidenceTest {
    private static AnalysisResult two;
    private final Preferences prefs = Preferences.userRoot().node("dev/vmcase/test/none-" + System.nanoTime());
    private WorkbenchViewModel model;

    @TempDir
    static Path dir;

    @BeforeAll
    static void analyse() throws IOException {
        Path evidence = Files.createDirectories(dir.resolve("evidence"));
        try (Stream<Path> files = Files.list(ViewTestSupport.CASES.resolve("two-domains-one-daemon").resolve("evidence"))) {
            for (Path f : files.toList()) {
                Files.copy(f, evidence.resolve(f.getFileName()));
            }
        }
        Files.copy(Path.of("/bin/true"), evidence.resolve("core-dump.bin"));
        two = ViewTestSupport.analyse(evidence);
    }

    @Start
    void start(Stage stage) {
        ViewTestSupport.theme();
        model = new WorkbenchViewModel();
        WorkbenchView view = new WorkbenchView(model, new RecentItems(prefs));
        stage.setScene(new Scene(view, 1366, 704));
        stage.sizeToScene();
        stage.show();
        model.show(two);
    }

    @AfterEach
    void forget() throws Exception {
        prefs.removeNode();
    }

    private static List<String> rows(FxRobot robot, String styleClass) {
        return robot.lookup("#rule-outcomes ." + styleClass).queryAll().stream().map(n -> ((Labeled) n).getText())
                .toList();
    }

    private static List<String> unattributed(FxRobot robot) {
        return rows(robot, "unattributed");
    }

    @Test
    void everyVmsViewNamesTheFilesOfNoVmAndWhy(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        ComboBox<String> chooser = (ComboBox<String>) robot.lookup("#vm-chooser").query();
        assertEquals(2, chooser.getItems().size(), "two domains");
        TitledPane pane = robot.lookup("#rule-outcomes-pane").queryAs(TitledPane.class);
        assertTrue(pane.getText().contains("3 files of no VM"), pane.getText());
        robot.clickOn("#rule-outcomes-pane");
        WaitForAsyncUtils.waitForFxEvents();
        List<String> rows = unattributed(robot);
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(rows.stream().anyMatch(t -> t.contains("libvirtd.log") && t.contains("speaks for 2 VMs")),
                rows.toString());
        assertTrue(rows.stream().anyMatch(t -> t.contains("libvirtd-stderr.txt") && t.contains("names no VM")),
                rows.toString());
        assertTrue(rows.stream().anyMatch(t -> t.contains("versions.txt")), rows.toString());
        ViewTestSupport.snapshot(robot.lookup("#workbench").query().getScene(), "workbench-unattributed.png");
        // the other domain: the same files, still named
        String other = chooser.getItems().stream().filter(k -> !k.equals(chooser.getValue())).findFirst()
                .orElseThrow();
        robot.interact(() -> chooser.setValue(other));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3, unattributed(robot).size(), "kept out of this VM too: " + unattributed(robot));
        Node title = robot.lookup("#rule-outcomes .unattributed-title").query();
        assertTrue(((Labeled) title).getText().startsWith("Kept out of every VM (3 files)"),
                ((Labeled) title).getText());
    }

    @Test
    void everyVmsViewNamesTheFileThatCouldNotBeReadAndWhy(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        ComboBox<String> chooser = (ComboBox<String>) robot.lookup("#vm-chooser").query();
        TitledPane pane = robot.lookup("#rule-outcomes-pane").queryAs(TitledPane.class);
        assertTrue(pane.getText().contains("1 file read with problems"), pane.getText());
        if (!pane.isExpanded()) {
            robot.clickOn("#rule-outcomes-pane");
        }
        WaitForAsyncUtils.waitForFxEvents();
        List<String> rows = rows(robot, "file-problem");
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains("core-dump.bin") && rows.get(0).contains("binary content"), rows.toString());
        ViewTestSupport.snapshot(robot.lookup("#workbench").query().getScene(), "workbench-file-problems.png");
        String other = chooser.getItems().stream().filter(k -> !k.equals(chooser.getValue())).findFirst()
                .orElseThrow();
        robot.interact(() -> chooser.setValue(other));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(rows, rows(robot, "file-problem"), "named in the other domain's view too");
    }
}
