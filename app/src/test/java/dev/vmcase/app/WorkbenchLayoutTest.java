package dev.vmcase.app;

import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled sample cases at the window sizes of a 1366×768 and a 1920×1080 screen: no text cut without a way to read
 * the rest ({@link WorkbenchLayoutCheck}; the public corpus is {@link WorkbenchLayoutPublicTest}'s).
 */
class WorkbenchLayoutTest extends WorkbenchLayoutCheck {
    @Start
    void open(Stage stage) {
        start(stage);
    }

    @Test
    void noTextIsCutWithoutAWayToReadItInAnyBundledCaseAtEitherSize(FxRobot robot) throws Exception {
        List<Path> cases = bundled();
        assertTrue(cases.size() >= 8, cases.toString());
        check(robot, cases, "");
    }
}
