package dev.vmcase.views;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.views.diff.DeviceDiffView;
import dev.vmcase.views.walker.CallChainWalkerView;
import dev.vmcase.views.walker.WalkerSettings;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.Locale;
import java.util.UUID;
import java.util.prefs.Preferences;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both views in Simplified Chinese: the texts come from the zh_CN bundles and the CJK glyphs render. */
@ExtendWith(ApplicationExtension.class)
class ChineseViewsTest {
    private final Locale before = Locale.getDefault();
    private final Preferences prefs = Preferences.userRoot().node("dev/vmcase/test/walker-" + UUID.randomUUID());
    private final Selection selection = new Selection();
    private DeviceDiffView diff;
    private CallChainWalkerView walker;
    private Stage stage;

    @Start
    void start(Stage stage) {
        Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
        ViewTestSupport.theme();
        this.stage = stage;
        diff = new DeviceDiffView(selection);
        walker = new CallChainWalkerView(selection, new WalkerSettings(prefs));
        SplitPane both = new SplitPane(diff, walker);
        both.setOrientation(Orientation.VERTICAL);
        stage.setScene(new Scene(both, 1280, 1000));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
    }

    @AfterEach
    void restore() throws Exception {
        Locale.setDefault(before);
        prefs.removeNode();
    }

    @Test
    void showsTheDiffAndTheWalkInChinese(FxRobot robot) throws Exception {
        AnalysisResult lab = ViewTestSupport.analyseCase("lab-orphaned-disk");
        AnalysisResult seed = ViewTestSupport.analyse(ViewTestSupport.SEED);
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> {
            diff.show(lab.devices());
            walker.show(seed);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("只看差异", ((CheckBox) robot.lookup("#only-differences").query()).getText());
        String reason = robot.lookup(".orphan-reason").queryAll().stream().map(n -> ((Label) n).getText())
                .collect(Collectors.joining());
        assertTrue(reason.contains("孤立的前端设备") && reason.contains("virtio-disk1"), reason);
        assertEquals("vCPU 退出", ((Label) robot.lookup("#step-layer").query()).getText());
        assertTrue(((Label) robot.lookup("#source-help").query()).getText().contains("apt-get source qemu"));
        ViewTestSupport.snapshot(stage.getScene(), "views-zh-CN.png");
    }
}
