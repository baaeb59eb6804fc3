package dev.vmcase.app;

import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public corpus's cases at the window sizes of a 1366×768 and a 1920×1080 screen: no text cut without a way to
 * read the rest ({@link WorkbenchLayoutCheck}; the bundled cases are {@link WorkbenchLayoutTest}'s).
 */
class WorkbenchLayoutPublicTest extends WorkbenchLayoutCheck {
    @Start
    void open(Stage stage) {
        start(stage);
    }

    @Test
    void noTextIsCutWithoutAWayToReadItInAnyPublicCaseAtEitherSize(FxRobot robot) throws Exception {
        List<Path> cases = publicCorpus();
        assertTrue(!cases.isEmpty(), "no public case found under " + CASES.resolve("public"));
        check(robot, cases, "");
    }
}
