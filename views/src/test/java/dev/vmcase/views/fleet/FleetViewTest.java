package dev.vmcase.views.fleet;

import dev.vmcase.views.ViewTestSupport;
import dev.vmcase.views.fleet.FleetRows.Status;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet view's behaviour on display rows (the application builds them from a fleet case; the app's
 * FleetWindowTest shows a real one): worst first, the filters, the details of the selection, opening only what the
 * case holds.
 */
@ExtendWith(ApplicationExtension.class)
class FleetViewTest {
    private FleetView view;
    private final List<FleetRows.Vm> opened = new ArrayList<>();

    @Start
    void start(Stage stage) {
        ViewTestSupport.theme();
        view = new FleetView();
        view.setOnOpen(opened::add);
        stage.setScene(new Scene(view, 1280, 760));
        stage.sizeToScene();
        stage.show();
        stage.requestFocus();
    }

    private static FleetRows.Vm vm(String host, String name, Status s, boolean openable) {
        return new FleetRows.Vm(host, name, s, s.name().toLowerCase(), "why " + name,
                List.of("detail of " + name), openable, openable ? "in the case" : "stays on the host");
    }

    private static FleetRows rows() {
        return new FleetRows("Fleet", "3 hosts", List.of(
                new FleetRows.Host("cmp-01", Status.READY, "all fine", List.of(vm("cmp-01", "i-1", Status.READY, false),
                        vm("cmp-01", "i-2", Status.READY, false))),
                new FleetRows.Host("cmp-09", Status.NO_RESULT, "no result: unreachable", List.of()),
                new FleetRows.Host("cmp-02", Status.BLOCKED, "runs two", List.of(vm("cmp-02", "i-3", Status.READY, false),
                        vm("cmp-02", "i-4", Status.BLOCKED, true))),
                new FleetRows.Host("cmp-03", Status.UNKNOWN, "runs one", List.of(vm("cmp-03", "i-5", Status.UNKNOWN, true)))));
    }

    private void show() {
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> view.show(rows()));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private List<String> shown() {
        List<String> out = new ArrayList<>();
        for (TreeItem<FleetView.Line> h : view.tree().getRoot().getChildren()) {
            out.add(h.getValue().host().name());
            for (TreeItem<FleetView.Line> v : h.getChildren()) {
                out.add("  " + v.getValue().vm().name());
            }
        }
        return out;
    }

    @Test
    void blockedHostsAndVmsComeFirstAndTheFirstBlockedVmIsSelected(FxRobot robot) {
        show();
        assertEquals(List.of("cmp-02", "  i-4", "  i-3", "cmp-03", "  i-5", "cmp-09", "cmp-01", "  i-1", "  i-2"),
                shown());
        assertEquals("i-4", view.selectedProperty().get().name());
        assertEquals("detail of i-4", robot.lookup("#fleet-details").queryAs(TextArea.class).getText());
        assertTrue(!robot.lookup("#fleet-open").queryAs(Button.class).isDisabled());
    }

    @Test
    void onlyWhatNeedsALookAndTheFilterNarrowTheTree(FxRobot robot) {
        show();
        robot.interact(() -> robot.lookup("#fleet-problems-only").queryAs(CheckBox.class).setSelected(true));
        assertEquals(List.of("cmp-02", "  i-4", "cmp-03", "  i-5", "cmp-09"), shown());
        robot.interact(() -> robot.lookup("#fleet-problems-only").queryAs(CheckBox.class).setSelected(false));
        robot.interact(() -> robot.lookup("#fleet-filter").queryAs(TextField.class).setText("i-2"));
        assertEquals(List.of("cmp-01", "  i-2"), shown());
        robot.interact(() -> robot.lookup("#fleet-filter").queryAs(TextField.class).setText("CMP-03"));
        assertEquals(List.of("cmp-03", "  i-5"), shown());
    }

    @Test
    void enterOpensTheSelectedVmOnlyWhenTheCaseHoldsItsEvidence(FxRobot robot) {
        show();
        robot.clickOn("#fleet-tree");
        robot.interact(() -> view.tree().getSelectionModel().select(1)); // i-4, openable
        robot.type(KeyCode.ENTER);
        assertEquals(List.of("i-4"), opened.stream().map(FleetRows.Vm::name).toList());
        robot.interact(() -> view.tree().getSelectionModel().select(2)); // i-3, not in the case
        robot.type(KeyCode.ENTER);
        assertEquals(1, opened.size());
        assertTrue(robot.lookup("#fleet-open").queryAs(Button.class).isDisabled());
        robot.interact(() -> view.tree().getSelectionModel().select(0)); // a host: its note
        assertNull(view.selectedProperty().get());
        assertEquals("runs two", robot.lookup("#fleet-details").queryAs(TextArea.class).getText());
    }
}
