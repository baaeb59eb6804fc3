package dev.vmcase.app;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Finding;
import dev.vmcase.analysis.callchain.CallChainWalk;
import dev.vmcase.analysis.timeline.Span;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.shell.RecentItems;
import dev.vmcase.views.walker.CallChainWalkerView;
import dev.vmcase.views.workbench.WorkbenchView;
import dev.vmcase.views.workbench.WorkbenchViewModel;
import dev.vmcase.views.ViewTestSupport;
import javafx.concurrent.Task;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opens the workbench headlessly on the bundled cases and checks what it shows. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchAppTest {
    private static final Path CASES = Path.of("../sample-cases");
    private WorkbenchViewModel model;
    private WorkbenchView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        model = new WorkbenchViewModel();
        view = new WorkbenchView(model, new RecentItems(
                java.util.prefs.Preferences.userRoot().node("dev/vmcase/test/app-" + System.nanoTime())));
        stage.setScene(new Scene(view, 1400, 900));
        stage.sizeToScene(); // an earlier test class may have sized the shared stage
        stage.show();
        stage.requestFocus();
    }

    private AnalysisResult open(String caseName) throws Exception {
        Task<AnalysisResult>[] task = new Task[1];
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> task[0] = WorkbenchApp.open(model,
                List.of(CASES.resolve(caseName).resolve("evidence"))));
        AnalysisResult r = task[0].get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return r;
    }

    @Test
    void severalVmsTheHeaderShowsOneTheStatusBarCountsThemAll(FxRobot robot) throws Exception {
        AnalysisResult three = open("three-vms");
        // six findings by hand (sample-cases/three-vms/README.md): vm-alpha's five, vm-charlie's one
        assertEquals(6, three.findings().size());
        int everyVm = three.vms().stream().mapToInt(v -> v.devices().count()).sum();
        assertTrue(everyVm > three.primary().devices().count(), "three VMs' devices, not one's");
        assertEquals(everyVm, WorkbenchApp.devices(three));
        assertTrue(model.statusProperty().get().contains(java.text.MessageFormat.format(
                dev.vmcase.views.Texts.get("status.done"), three.evidence().artifacts().size(), 6, everyVm, 0)),
                model.statusProperty().get());
        assertEquals("vm-alpha", model.vmLabel(model.vmProperty().get()), "the VM with the findings shown first");
        assertEquals(5, robot.lookup("#findings").queryListView().getItems().size());
    }

    @Test
    void theSeedsWalkGoesFromTheEjectWriteToReleaseDrive(FxRobot robot) throws Exception {
        AnalysisResult seed = open("seed-incident");
        ListView<Finding> findings = robot.lookup("#findings").queryListView();
        // the status bar counts the one device the note names: the slot the destination rejected
        assertEquals(1, WorkbenchApp.devices(seed));
        assertTrue(model.statusProperty().get().contains(java.text.MessageFormat.format(
                dev.vmcase.views.Texts.get("status.done"), 1, seed.findings().size(), 1, seed.evidence().backtraces().size())),
                model.statusProperty().get());
        assertTrue(findings.getItems().stream().anyMatch(f -> f.rule().equals("MIGRATION_STATE_MISMATCH")));
        assertTrue(robot.lookup(".finding-witness").queryAll().stream().anyMatch(n -> n.isVisible()),
                "the note's findings are tagged as such");
        assertTrue(view.timeline().getModel() == null || view.timeline().getModel().size() == 0,
                "a note with no dated line has no timeline");
        // step the walker from its first step to its last, as the user does with "next"
        CallChainWalkerView walker = view.walker();
        List<CallChainWalk.Step> steps = new ArrayList<>();
        robot.interact(() -> {
            walker.directionPicker().setValue(CallChainWalk.Direction.TOWARD_RELEASE);
            for (int i = 0; i < 64; i++) {
                walker.step(false); // back to the guest's write
            }
            for (int i = 0; i < 64; i++) {
                walker.currentStep().ifPresent(st -> {
                    if (steps.isEmpty() || steps.get(steps.size() - 1).position() != st.position()) {
                        steps.add(st);
                    }
                });
                walker.step(true);
            }
        });
        List<String> functions = steps.stream().map(CallChainWalk.Step::function).toList();
        assertTrue(functions.contains("kvm_handle_io") && functions.contains("release_drive"), functions.toString());
        CallChainWalk.Step kvm = steps.stream().filter(st -> st.function().equals("kvm_handle_io")).findFirst().orElseThrow();
        assertTrue(kvm.hints().stream().anyMatch(h -> h.text().contains("0xae08")), kvm.hints().toString());
        assertTrue(robot.lookup("#status").queryLabeled().getText().contains("1"));
        assertTrue(!robot.lookup("#progress").query().getParent().isVisible(), "no progress bar once the work is done");
        snapshot("workbench-seed.png");
    }

    @Test
    void theOrphanedDiskShowsInTheDiffTheTimelineAndExplainLinksThem(FxRobot robot) throws Exception {
        open("orphaned-disk-qemu");
        // the diff view names the orphan with its reason
        List<String> reasons = robot.lookup(".orphan-reason").queryAll().stream()
                .map(n -> ((javafx.scene.control.Labeled) n).getText()).toList();
        assertEquals(1, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).contains("virtio-disk1"), reasons.get(0));
        // the timeline has the device_del of virtio-disk1 pending to the end of the evidence
        TimelineModel tm = view.timeline().getModel();
        Span unplug = tm.spans().stream().filter(s -> s.kind() == Span.Kind.UNPLUG).findFirst().orElseThrow();
        assertTrue(unplug.pending(), "no DEVICE_DELETED came for the device_del");
        assertTrue(unplug.startRef().text().contains("virtio-disk1"), unplug.startRef().text());
        // picking the first finding selects its evidence; Enter explains it: the diff selects its device
        ListView<Finding> findings = robot.lookup("#findings").queryListView();
        assertEquals("BACKEND_REMOVED_BEFORE_FRONTEND", findings.getItems().get(0).rule());
        assertTrue(robot.lookup(".finding-witness").queryAll().stream().noneMatch(n -> n.isVisible()),
                "findings on logs are not tagged");
        robot.clickOn(robot.lookup("#findings .list-cell").<javafx.scene.Node>query());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, findings.getSelectionModel().getSelectedIndex());
        assertEquals(LineRef.of(findings.getItems().get(0).evidence().get(0)), model.selection().lineProperty().get());
        assertTrue(robot.lookup("#selected-line").queryLabeled().getText().contains("source-qmp.jsonl:"),
                robot.lookup("#selected-line").queryLabeled().getText());
        // a click on an event of the timeline shows its line in the log viewer
        dev.vmcase.views.timeline.TimelineView tl = view.timeline();
        int lane = tm.lanes().size() - 1;
        dev.vmcase.analysis.timeline.Hit hit = tm.nearest(lane, tm.end());
        robot.interact(() -> tl.selectAt(tl.xOf(hit.micros()), tl.yOf(hit.lane())));
        LineRef clicked = model.selection().lineProperty().get();
        assertEquals(new LineRef(hit.sha256(), hit.line()), clicked);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.log().artifactProperty().get() != null
                && view.log().artifactProperty().get().sha256().equals(hit.sha256())
                && java.util.Arrays.stream(view.log().visibleLines()).anyMatch(l -> l == hit.line()));
        robot.interact(() -> model.selection().deviceProperty().set(null));
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("virtio-disk1", model.selection().deviceProperty().get());
        snapshot("workbench-orphaned-disk.png");
    }

    @Test
    void helpOpenLogShowsTheLogFileOrSaysWhereItWouldBe(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        List<String> shown = new ArrayList<>();
        Path log = Files.writeString(tmp.resolve("vmcase-0.log"), "2026-12-04T17:36:34.356+0000 INFO x: started\n");
        java.util.concurrent.atomic.AtomicReference<java.util.Optional<Path>> current =
                new java.util.concurrent.atomic.AtomicReference<>(java.util.Optional.empty());
        javafx.scene.control.MenuItem item = WaitForAsyncUtils.asyncFx(
                () -> WorkbenchApp.addOpenLog(view, model, current::get, shown::add)).get(5, TimeUnit.SECONDS);
        assertTrue(view.menuBar().getMenus().stream().filter(m -> "menu-help".equals(m.getId()))
                .anyMatch(m -> m.getItems().contains(item)), "Help › Open log");
        WaitForAsyncUtils.asyncFx(item::fire).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), shown, "no log yet: nothing to open");
        assertTrue(model.statusProperty().get().contains("logs"), model.statusProperty().get());
        current.set(java.util.Optional.of(log));
        WaitForAsyncUtils.asyncFx(item::fire).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(log.toUri().toString()), shown);
        assertTrue(model.statusProperty().get().contains(log.toString()), model.statusProperty().get());
    }

    @Test
    void anExceptionEscapingAnEventHandlerIsSaidInTheStatusBar() throws Exception {
        Thread.UncaughtExceptionHandler before = WaitForAsyncUtils.asyncFx(
                () -> Thread.currentThread().getUncaughtExceptionHandler()).get(5, TimeUnit.SECONDS);
        try {
            WaitForAsyncUtils.asyncFx(() -> WorkbenchApp.reportUncaught(model)).get(5, TimeUnit.SECONDS);
            javafx.application.Platform.runLater(() -> {
                throw new IllegalStateException("a handler's bug");
            });
            WaitForAsyncUtils.waitForFxEvents();
            assertTrue(model.statusProperty().get().contains("IllegalStateException: a handler's bug"),
                    model.statusProperty().get());
        } finally {
            WaitForAsyncUtils.asyncFx(() -> Thread.currentThread().setUncaughtExceptionHandler(before))
                    .get(5, TimeUnit.SECONDS);
        }
    }

    private void snapshot(String name) throws Exception {
        ViewTestSupport.snapshot(stage.getScene(), name);
    }
}
