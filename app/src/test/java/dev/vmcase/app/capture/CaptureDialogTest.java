package dev.vmcase.app.capture;

import dev.vmcase.views.ViewTestSupport;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The dialog on libvirt's test:///default: connect, pick the domain, capture read-only, get the bundle back. */
@ExtendWith(ApplicationExtension.class)
class CaptureDialogTest {
    private static final Path PARENT;

    static {
        try {
            PARENT = Files.createTempDirectory("vmcase-capture-dialog");
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void cleanUp() throws Exception {
        LibvirtLabCaptureTest.deleteTree(PARENT);
    }

    private final CompletableFuture<Path> bundle = new CompletableFuture<>();
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        CaptureDialog d = new CaptureDialog("test:///default", PARENT, bundle::complete);
        stage.setScene(new Scene(d.content()));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
    }

    @Test
    void connectsPicksCapturesAndHandsTheBundleBack(FxRobot robot) throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0"))
                || "true".equals(System.getenv("CI")), "libvirt0 is not installed");
        assertTrue(robot.lookup("#captureStart").queryButton().isDisabled(), "nothing to capture before connecting");
        robot.clickOn("#captureReadOnly");
        robot.clickOn("#captureConnect");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> !robot.lookup("#captureDomains").queryListView().getItems().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        ListView<LibvirtCapture.DomainEntry> domains = robot.lookup("#captureDomains").queryListView();
        assertEquals("test", domains.getSelectionModel().getSelectedItem().name());
        assertTrue(robot.lookup("#captureOut").queryTextInputControl().getText().contains("capture-test-"));
        robot.clickOn("#captureStart");
        Path folder = bundle.get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(Files.exists(folder.resolve("domain-live.xml")), folder + ": " + (Files.exists(folder.resolve(CaptureManifest.FILE)) ? Files.readString(folder.resolve(CaptureManifest.FILE)) : "no manifest"));
        assertTrue(Files.exists(folder.resolve(CaptureManifest.FILE)));
        Label status = robot.lookup("#captureStatus").queryAs(Label.class);
        assertTrue(status.getText().contains("partial"), status.getText());
        assertTrue(robot.lookup("#captureSteps").<String>queryListView().getItems().stream()
                .anyMatch(l -> l.contains("read only access prevents virDomainQemuMonitorCommand")));
        assertTrue(!robot.lookup("#captureStart").queryButton().isDisabled(), "ready for another capture");
        snapshot("capture-dialog.png");
    }

    @Test
    void theChineseDialogShowsChinese(FxRobot robot) throws Exception {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.SIMPLIFIED_CHINESE);
            java.util.ResourceBundle.clearCache();
            WaitForAsyncUtils.waitForAsyncFx(5000, () -> stage.getScene().setRoot(
                    new CaptureDialog("qemu:///system", PARENT, p -> { }).content()));
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals("连接", robot.lookup("#captureConnect").queryButton().getText());
            assertEquals("只读连接", robot.lookup("#captureReadOnly").queryAs(javafx.scene.control.CheckBox.class).getText());
            snapshot("capture-dialog-zh.png");
        } finally {
            java.util.Locale.setDefault(before);
            java.util.ResourceBundle.clearCache();
        }
    }

    private void snapshot(String name) throws Exception {
        ViewTestSupport.snapshot(stage.getScene(), name);
    }
}
