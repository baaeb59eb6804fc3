package dev.vmcase.app;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Finding;
import dev.vmcase.views.workbench.WorkbenchView;
import dev.vmcase.views.workbench.WorkbenchViewModel;
import javafx.concurrent.Task;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opens the workbench headlessly on the bundled cases and checks what it shows. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchAppTest {
    private static final Path CASES = Path.of("../sample-cases");
    private WorkbenchViewModel model;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        model = new WorkbenchViewModel();
        stage.setScene(new Scene(new WorkbenchView(model), 1280, 820));
        stage.show();
        stage.requestFocus();
    }

    private AnalysisResult open(String caseName) throws Exception {
        Task<AnalysisResult>[] task = new Task[1];
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> task[0] = WorkbenchApp.open(model,
                List.of(CASES.resolve(caseName).resolve("evidence"))));
        AnalysisResult r = task[0].get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return r;
    }

    @Test
    void showsTheSeedsFindingsAndDecodedBacktrace(FxRobot robot) throws Exception {
        open("seed-incident");
        ListView<Finding> findings = robot.lookup("#findings").queryListView();
        assertTrue(findings.getItems().stream().anyMatch(f -> f.rule().equals("MIGRATION_STATE_MISMATCH")));
        TableView<WorkbenchViewModel.FrameEntry> frames = robot.lookup("#frames").queryTableView();
        assertEquals(21, frames.getItems().size());
        WorkbenchViewModel.FrameEntry kvm = frames.getItems().stream()
                .filter(e -> e.frame().function().equals("kvm_handle_io")).findFirst().orElseThrow();
        assertTrue(kvm.hints().stream().anyMatch(h -> h.text().contains("0xae08")), kvm.hints().toString());
        assertTrue(robot.lookup("#status").queryLabeled().getText().contains("1"));
        assertTrue(!robot.lookup("#progress").query().getParent().isVisible(), "no progress bar once the work is done");
        snapshot("workbench-seed.png");
    }

    @Test
    void showsTheOrphanedDiskAcrossLayers(FxRobot robot) throws Exception {
        open("orphaned-disk-qemu");
        TableView<WorkbenchViewModel.DeviceEntry> devices = robot.lookup("#devices").queryTableView();
        WorkbenchViewModel.DeviceEntry orphan = devices.getItems().stream()
                .filter(e -> e.side().equals("source") && e.row().qdevId().equals("virtio-disk1")).findFirst().orElseThrow();
        assertEquals("0000:00:06.0", orphan.row().pci().toString());
        robot.interact(() -> devices.scrollTo(orphan)); // the dock is short: bring the row into view
        // the presence cells render the per-layer state
        assertTrue(robot.lookup(".presence-different").tryQuery().isPresent(), "no 'backend gone' cell rendered");
        assertTrue(robot.lookup(".presence-rejected").tryQuery().isPresent(), "no 'rejected' cell rendered");
        ListView<Finding> findings = robot.lookup("#findings").queryListView();
        assertEquals("BACKEND_REMOVED_BEFORE_FRONTEND", findings.getItems().get(0).rule());
        robot.clickOn(robot.lookup("#findings .list-cell").<javafx.scene.Node>query());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, findings.getSelectionModel().getSelectedIndex());
        snapshot("workbench-orphaned-disk.png");
    }

    private void snapshot(String name) throws Exception {
        String dir = System.getProperty("vmcase.screenshots");
        if (dir == null) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        javafx.scene.image.WritableImage[] img = new javafx.scene.image.WritableImage[1];
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> img[0] = stage.getScene().snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png", new File(dir, name));
    }
}
