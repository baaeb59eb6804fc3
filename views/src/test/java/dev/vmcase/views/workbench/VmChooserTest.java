package dev.vmcase.views.workbench;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Finding;
import dev.vmcase.views.ViewTestSupport;
import dev.vmcase.views.shell.RecentItems;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three VMs on two hosts with the same device ids (sample-cases/three-vms): the header offers them, the one with the
 * findings is shown first, another is chosen with the mouse, and the rules say per VM what fired, what was checked
 * and clear, and what could not be checked.
 */
@ExtendWith(ApplicationExtension.class)
class VmChooserTest {
    private static AnalysisResult three;
    private final Preferences prefs = Preferences.userRoot().node("dev/vmcase/test/vms-" + System.nanoTime());
    private WorkbenchViewModel model;
    private WorkbenchView view;

    @BeforeAll
    static void analyse() {
        three = ViewTestSupport.analyseCase("three-vms");
    }

    @Start
    void start(Stage stage) {
        ViewTestSupport.theme();
        model = new WorkbenchViewModel();
        view = new WorkbenchView(model, new RecentItems(prefs));
        stage.setScene(new Scene(view, 1366, 704));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
        model.show(three);
    }

    @AfterEach
    void forget() throws Exception {
        prefs.removeNode();
    }

    private List<String> outcomeTexts(FxRobot robot) {
        return robot.lookup("#rule-outcomes .rule-outcome").queryAll().stream().map(n -> ((Labeled) n).getText())
                .toList();
    }

    @Test
    void theVmWithFindingsFirstAnotherChosenByMouseAndEachRulesOutcome(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        ComboBox<String> chooser = (ComboBox<String>) robot.lookup("#vm-chooser").query();
        assertTrue(chooser.isVisible(), "three VMs: a chooser");
        assertEquals(3, chooser.getItems().size());
        assertEquals(three.primary().vm().key(), chooser.getValue(), "the VM with the findings first");
        List<Finding> alpha = List.copyOf(view.findings().list().getItems());
        assertFalse(alpha.isEmpty());
        assertTrue(alpha.stream().allMatch(f -> f.vm().equals(chooser.getValue())), "only that VM's findings");
        String bravo = chooser.getItems().stream().filter(k -> model.vmLabel(k).contains("bravo")).findFirst()
                .orElseThrow();
        robot.clickOn(chooser);
        Node item = robot.lookup(".combo-box-popup .list-cell").queryAll().stream()
                .filter(n -> model.vmLabel(bravo).equals(((Labeled) n).getText())).findFirst().orElseThrow();
        robot.clickOn(item);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(bravo, chooser.getValue());
        assertTrue(view.findings().list().getItems().isEmpty(), "vm-bravo's guest ejected its disk: no finding");
        // its rules: checked and clear, not a silent empty list
        robot.clickOn("#rule-outcomes-pane");
        WaitForAsyncUtils.waitForFxEvents();
        List<String> outcomes = outcomeTexts(robot);
        assertTrue(outcomes.stream().anyMatch(t -> t.startsWith("\u2713 ORPHANED_FRONTEND") && t.contains("clear")),
                outcomes.toString());
        assertTrue(robot.lookup("#case-summary").queryLabeled().getText().startsWith("no findings"),
                robot.lookup("#case-summary").queryLabeled().getText());
        ViewTestSupport.snapshot(robot.lookup("#workbench").query().getScene(), "workbench-three-vms-bravo.png");
    }
}
