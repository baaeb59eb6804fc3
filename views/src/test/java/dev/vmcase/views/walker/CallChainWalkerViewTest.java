package dev.vmcase.views.walker;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.callchain.CallChainWalk.Direction;
import dev.vmcase.analysis.callchain.CallChainWalk.Step;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;
import dev.vmcase.views.Selection;
import dev.vmcase.views.ViewTestSupport;
import javafx.scene.Scene;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.prefs.Preferences;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class CallChainWalkerViewTest {
    private final Selection selection = new Selection();
    private final Preferences prefs = Preferences.userRoot().node("dev/vmcase/test/walker-" + UUID.randomUUID());
    private CallChainWalkerView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        ViewTestSupport.theme();
        this.stage = stage;
        view = new CallChainWalkerView(selection, new WalkerSettings(prefs));
        stage.setScene(new Scene(view, 1280, 800));
        stage.sizeToScene(); // an earlier test class may have sized the shared stage
        stage.show();
    }

    @AfterEach
    void forget() throws Exception {
        prefs.removeNode();
    }

    private void show(AnalysisResult r) {
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> view.show(r));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private String text(FxRobot robot, String id) {
        return ((Label) robot.lookup("#" + id).query()).getText();
    }

    @Test
    void stepsThroughTheSeedFromKvmHandleIoToReleaseDriveAndBack(FxRobot robot) throws Exception {
        show(ViewTestSupport.analyse(ViewTestSupport.SEED));
        assertEquals("kvm_handle_io", view.currentStep().orElseThrow().function());
        assertTrue(text(robot, "step-function").contains("kvm_handle_io"));
        List<String> walked = new ArrayList<>();
        for (int i = 0; i < 30 && !view.currentStep().orElseThrow().function().equals("release_drive"); i++) {
            Step s = view.currentStep().orElseThrow();
            walked.add(s.function());
            // every step: a layer, an explanation, and the card shows them
            assertFalse(text(robot, "step-layer").isBlank(), s.function());
            assertFalse(text(robot, "step-explanation").isBlank(), s.function());
            if (s.function().equals("acpi_pcihp_eject_slot")) {
                String card = robot.lookup("#step-args .label").queryAll().stream().map(n -> ((Label) n).getText())
                        .collect(Collectors.joining("\n"));
                assertTrue(card.contains("slot 5"), card);
                assertTrue(text(robot, "step-no-device").contains("5"));
                ViewTestSupport.snapshot(stage.getScene(), "walker-seed-eject.png");
            }
            robot.clickOn("#walk-next");
            WaitForAsyncUtils.waitForFxEvents();
        }
        walked.add(view.currentStep().orElseThrow().function());
        assertEquals(17, walked.size(), walked.toString());
        assertEquals("kvm_handle_io", walked.get(0));
        assertEquals("release_drive", walked.get(16));
        assertTrue(text(robot, "walk-position").startsWith("step 17 of 17"), text(robot, "walk-position"));
        // the frame's line is the selection's line
        assertEquals(view.currentStep().orElseThrow().frame().source().line(), selection.lineProperty().get().line());
        // the other way round
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> view.directionPicker().setValue(Direction.TOWARD_GUEST));
        robot.clickOn("#walk-next");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("object_property_del_all", view.currentStep().orElseThrow().function());
        robot.clickOn("#walk-previous");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("release_drive", view.currentStep().orElseThrow().function());
        // without a source tree the pane says how to get one
        String help = text(robot, "source-help");
        assertTrue(help.contains("apt-get source qemu") && help.contains("git clone"), help);
        assertTrue(robot.lookup("#source-help").query().isVisible());
    }

    @Test
    void linksTheSlotToItsDeviceAndExplainGoesToTheFrameNamingIt(FxRobot robot) throws Exception {
        // the seed's backtrace with a real PCI dump that has virtio-disk0 in slot 5
        AnalysisResult r = ViewTestSupport.analyse(ViewTestSupport.SEED,
                ViewTestSupport.CASES.resolve("orphaned-disk-qemu/evidence/source-info-pci.txt"));
        show(r);
        Finding f = new Finding("TEST", Severity.INFO, List.of("0000:00:05.0"), List.of(), "k", List.of(), Map.of());
        boolean[] found = new boolean[1];
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> found[0] = view.explain(f, r.devices()));
        assertTrue(found[0]);
        // the first frame naming slot 5: io_mem_write's val=32 at offset 8 of the eject block the vCPU's port 0xae08 is in
        assertEquals("io_mem_write", view.currentStep().orElseThrow().function());
        Hyperlink link = robot.lookup(".step-device").query();
        assertTrue(link.getText().contains("virtio-disk0"), link.getText());
        robot.clickOn(link);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("virtio-disk0", selection.deviceProperty().get());
        // the seed's own finding is about slot 6, which its backtrace does not eject: said, not pretended
        AnalysisResult seed = ViewTestSupport.analyse(ViewTestSupport.SEED);
        show(seed);
        Finding mismatch = seed.findings().stream().filter(x -> x.rule().equals("MIGRATION_STATE_MISMATCH"))
                .findFirst().orElseThrow();
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> found[0] = view.explain(mismatch, seed.devices()));
        assertFalse(found[0]);
        assertTrue(robot.lookup("#walk-note").query().isVisible());
        assertTrue(text(robot, "walk-note").contains("slot 6") && text(robot, "walk-note").contains("slot 5"),
                text(robot, "walk-note"));
    }

    @Test
    void opensTheFramesFileAndLineInTheChosenSourceTree(FxRobot robot, @TempDir Path tree) throws Exception {
        // a stand-in tree: the real layout (hw/acpi/pcihp.c) with numbered lines, enough to check file and line
        Path pcihp = tree.resolve("hw/acpi/pcihp.c");
        Files.createDirectories(pcihp.getParent());
        Files.write(pcihp, IntStream.rangeClosed(1, 400).mapToObj(i -> "/* line " + i + " */").toList());
        show(ViewTestSupport.analyse(ViewTestSupport.SEED));
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> view.setSourceTree(tree));
        // walk to pci_write (hw/acpi/pcihp.c:277)
        for (int i = 0; i < 6; i++) {
            robot.clickOn("#walk-next");
        }
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("pci_write", view.currentStep().orElseThrow().function());
        assertFalse(robot.lookup("#source-help").query().isVisible());
        assertEquals(400, view.sourceArea().getParagraphs().size());
        assertEquals("/* line 277 */", view.sourceArea().getParagraph(276).getText());
        assertEquals(List.of("current-line"), view.sourceArea().getParagraph(276).getParagraphStyle());
        assertEquals(tree.toAbsolutePath().toString(), new WalkerSettings(prefs).sourceTree().orElseThrow().toString());
        ViewTestSupport.snapshot(stage.getScene(), "walker-source.png");
        // memory.c of the seed is not in this tree: the pane says so
        robot.clickOn("#walk-previous");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#source-help").query().isVisible());
        assertTrue(text(robot, "source-help").contains("memory.c"), text(robot, "source-help"));
    }
}
