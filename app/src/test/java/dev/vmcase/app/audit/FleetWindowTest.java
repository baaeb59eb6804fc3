package dev.vmcase.app.audit;

import dev.vmcase.views.ViewTestSupport;
import dev.vmcase.views.fleet.FleetRows;
import dev.vmcase.views.fleet.FleetView;
import javafx.scene.Scene;
import javafx.scene.control.TextArea;
import javafx.scene.control.TreeItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import javafx.stage.Window;
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
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet case of the real sample in the fleet view: what it shows (screenshots at 1366×768 and 1920×1080 in
 * target/screenshots), and {@code vmcase open --case} on it: the fleet window beside the workbench, a blocked VM opened
 * there handing its bundle's files to the workbench.
 */
@ExtendWith(ApplicationExtension.class)
class FleetWindowTest {
    @TempDir
    static Path tmp;

    private Stage stage;

    @Start
    void start(Stage stage) {
        // the shared primary stage is only the fleet window's owner: never shown, never resized, so the test classes
        // after this one find it as they expect
        ViewTestSupport.theme();
        this.stage = stage;
    }

    private static Path fleetCase(String name) throws Exception {
        Path file = tmp.resolve(name);
        if (!Files.exists(file)) {
            FleetMerge.merge(List.of(FleetSample.HOSTS), List.of(new FleetMerge.Missing("fleet-gone",
                    "unreachable: Data could not be sent to remote host \"127.0.0.1\". Make sure this host can be reached "
                            + "over ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused")),
                    FleetMerge.Evidence.PROBLEMS, file, s -> { });
        }
        return file;
    }

    @Test
    void theSampleFleetShowsItsBlockedVmsFirstWithTheirEvidence(FxRobot robot) throws Exception {
        FleetDocument doc = FleetMerge.merge(List.of(FleetSample.HOSTS), List.of(new FleetMerge.Missing("fleet-gone",
                        "unreachable: ssh: connect to host 127.0.0.1 port 1: Connection refused")),
                FleetMerge.Evidence.PROBLEMS, tmp.resolve("shown.vmcase"), s -> { }).fleet();
        FleetRows rows = FleetWindow.rows(doc, "fleet.vmcase", Locale.ENGLISH);
        // the screenshots: off screen (the headless screen is smaller than 1920×1080)
        for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
            AtomicReference<Scene> scene = new AtomicReference<>();
            WaitForAsyncUtils.waitForAsyncFx(10_000, () -> {
                FleetView off = new FleetView();
                off.show(rows);
                scene.set(new Scene(off, size[0], size[1]));
            });
            WaitForAsyncUtils.waitForFxEvents();
            ViewTestSupport.snapshot(scene.get(), "fleet-" + size[0] + "x" + size[1] + ".png");
        }
        AtomicReference<FleetView> view = new AtomicReference<>();
        AtomicReference<Stage> own = new AtomicReference<>();
        WaitForAsyncUtils.waitForAsyncFx(10_000, () -> {
            FleetView v = new FleetView();
            v.show(rows);
            view.set(v);
            Stage s = new Stage();
            s.setScene(new Scene(v, 1366, 768));
            s.show();
            own.set(s);
        });
        WaitForAsyncUtils.waitForFxEvents();
        try {
            shown(robot, view.get());
        } finally {
            robot.interact(() -> own.get().close());
        }
    }

    private static void shown(FxRobot robot, FleetView v) {
        List<String> hosts = v.tree().getRoot().getChildren().stream().map(i -> i.getValue().host().name()).toList();
        // the two hosts with a blocked VM, the one with an unknown, the one that sent nothing
        assertEquals(List.of("fleet-a", "fleet-b", "fleet-c", "fleet-gone"), hosts);
        TreeItem<FleetView.Line> firstVm = v.tree().getRoot().getChildren().get(0).getChildren().get(0);
        assertEquals("instance-0000a001", firstVm.getValue().vm().name());
        assertEquals(FleetRows.Status.BLOCKED, firstVm.getValue().vm().status());
        String details = robot.lookup("#fleet-details").queryAs(TextArea.class).getText();
        assertTrue(details.contains("ORPHANED_FRONTEND") && details.contains("hmp-info-qtree.txt:"), details);
        assertTrue(firstVm.getValue().vm().openable());
        FleetRows.Vm ready = v.tree().getRoot().getChildren().get(0).getChildren().get(1).getValue().vm();
        assertEquals(FleetRows.Status.READY, ready.status());
        assertFalse(ready.openable(), "a ready VM's bundle is not in a problems-only case");
    }

    @Test
    void openingAFleetCaseShowsItsWindowAndOpensAVmsBundleInTheWorkbench(FxRobot robot) throws Exception {
        Path file = fleetCase("open.vmcase");
        assertTrue(FleetWindow.isFleetCase(file));
        Path notFleet = tmp.resolve("plain.vmcase");
        dev.vmcase.casefile.CaseIO.save(dev.vmcase.casefile.CaseFile.fromInputs(
                List.of(Path.of("../sample-cases/seed-incident/evidence"))), notFleet);
        assertFalse(FleetWindow.isFleetCase(notFleet));

        AtomicReference<List<Path>> opened = new AtomicReference<>();
        robot.interact(() -> FleetWindow.show(stage, file, opened::set));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> Window.getWindows().stream()
                .anyMatch(w -> w != stage && w.getScene() != null && w.getScene().getRoot() instanceof FleetView));
        Stage fleet = (Stage) Window.getWindows().stream()
                .filter(w -> w != stage && w.getScene() != null && w.getScene().getRoot() instanceof FleetView)
                .findFirst().orElseThrow();
        try {
            FleetView v = (FleetView) fleet.getScene().getRoot();
            assertEquals("instance-0000a001", v.selectedProperty().get().name());
            // Enter on the tree, as the key reaches it (not through the window focus other tests' stages may hold)
            robot.interact(() -> v.tree().fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.ENTER,
                    false, false, false, false)));
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> opened.get() != null);
            List<String> names = opened.get().stream().map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(10, names.size(), names.toString());
            assertTrue(names.contains("hmp-info-qtree.txt") && names.contains("libvirtd-excerpt.log"), names.toString());
            assertNotNull(fleet.getTitle());
        } finally {
            robot.interact(fleet::close); // never left open for the next test class
        }
    }
}
