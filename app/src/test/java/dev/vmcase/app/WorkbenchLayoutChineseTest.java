package dev.vmcase.app;

import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * The bundled sample cases in Simplified Chinese at the window sizes of a 1366×768 and a 1920×1080 screen: other
 * words, other widths, the same check ({@link WorkbenchLayoutCheck}).
 */
class WorkbenchLayoutChineseTest extends WorkbenchLayoutCheck {
    @Start
    void open(Stage stage) {
        start(stage);
    }

    /** The same in Simplified Chinese, on the bundled cases: other words, other widths. */
    @Test
    void theChineseWorkbenchReadsAtBothSizesToo(FxRobot robot) throws Exception {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.SIMPLIFIED_CHINESE);
            rebuild(robot);
            check(robot, bundled(), "zh_CN ");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
