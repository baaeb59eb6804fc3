package dev.vmcase.views.timeline;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.nova.NovaLogParser;
import dev.vmcase.views.Selection;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time-zone field beside the clock offsets, for a nova log whose host's zone nobody knows yet. */
@ExtendWith(ApplicationExtension.class)
class TimeZoneFieldsTest {
    private TimelineView view;

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("vmcase-zones");
        Files.writeString(dir.resolve("nova-compute.log"), NovaLogParser.SAMPLE);
        AnalysisResult r = Analysis.of(List.of(dir), ProgressMonitor.NONE);
        view = new TimelineView(new Selection());
        view.show(r);
        stage.setScene(new Scene(view, 1000, 420));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
        stage.requestFocus();
    }

    @Test
    void aZoneTypedForTheHostIsOfferedAndNonsenseIsRefused(FxRobot robot) {
        robot.clickOn("#timeline-offsets-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".label").queryAllAs(Label.class).stream()
                .anyMatch(l -> "Not on the timeline: time zone unknown".equals(l.getText())), "the status is shown");
        robot.clickOn("#zone-_").write("CST").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Map.of(), view.timeZones().zonesProperty().get(), "an ambiguous abbreviation is refused");
        TextField f = robot.lookup("#zone-_").queryAs(TextField.class);
        assertTrue(f.getTooltip() != null && f.getTooltip().getText().contains("several"), "and says why");
        robot.doubleClickOn("#zone-_").eraseText(3).write("Europe/Paris").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Map.of("*", "Europe/Paris"), view.timeZones().zonesProperty().get());
    }
}
