package dev.vmcase.app;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.casefile.CaseSession;
import dev.vmcase.views.shell.RecentItems;
import dev.vmcase.views.workbench.WorkbenchView;
import dev.vmcase.views.workbench.WorkbenchViewModel;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.fxmisc.richtext.StyleClassedTextArea;
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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening evidence shows its lines while the analysis is still running: the analysis is held back by a gate the test
 * opens, so what the window shows before it is seen for certain (no timing).
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchPreviewTest {
    private static final Path EVIDENCE = Path.of("../sample-cases/libvirt-pending-unplug/evidence");
    private final Preferences prefs = Preferences.userRoot().node("dev/vmcase/test/preview-" + System.nanoTime());
    @TempDir
    Path tmp;
    private WorkbenchViewModel model;
    private WorkbenchView view;
    private CaseSession session;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        model = new WorkbenchViewModel();
        view = new WorkbenchView(model, new RecentItems(prefs));
        stage.setScene(new Scene(view, 1400, 900));
        stage.sizeToScene();
        stage.show();
    }

    @AfterEach
    void cleanUp() throws Exception {
        prefs.removeNode();
        if (session != null) {
            session.close();
        }
    }

    /** The window's case controller (File menu, opening), its analysis done by {@code analyser}; FX thread. */
    private void install(CaseController.Analyser analyser) {
        session = new CaseSession(tmp.resolve("work"));
        CaseController cases = new CaseController(stage, view, model, session);
        cases.install();
        cases.analyser = analyser;
    }

    @Test
    void aBigLogIsTheFirstThingLaidOutAndTheViewsBehindItWaitUntilChosen(FxRobot robot) throws Exception {
        // 32 MiB of the real sample's lines, over and over: the size at which the log comes forward
        Path big = tmp.resolve("libvirtd-big.log");
        byte[] sample = Files.readAllBytes(EVIDENCE.resolve("libvirtd.log"));
        try (var out = Files.newOutputStream(big)) {
            for (long n = 0; n < 32L << 20; n += sample.length) {
                out.write(sample);
            }
        }
        CountDownLatch gate = new CountDownLatch(1);
        boolean[] forwardAtOnce = new boolean[1];
        robot.interact(() -> {
            // as the application starts with a file named: the window shows after the evidence is opened
            stage.hide();
            model = new WorkbenchViewModel();
            view = new WorkbenchView(model, new RecentItems(prefs));
            stage.setScene(new Scene(view, 1400, 900));
            install((paths, monitor) -> {
                assertTrue(gate.await(60, TimeUnit.SECONDS), "the test opens the gate");
                throw new java.util.concurrent.CancellationException("the test is over");
            });
            view.open(List.of(big));
            // before any line is read: the pane the window lays out first is the log's
            forwardAtOnce[0] = view.isShown(WorkbenchView.LOG);
            stage.show();
        });
        assertTrue(forwardAtOnce[0], "the log came forward when the big file was opened");
        String firstLine = Files.readAllLines(EVIDENCE.resolve("libvirtd.log")).get(0);
        StyleClassedTextArea area = robot.lookup("#perspectives .log-area").queryAs(StyleClassedTextArea.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> area.getText().startsWith(firstLine));
        assertNull(model.resultProperty().get(), "no analysis yet: the gate is shut");
        for (String other : List.of(WorkbenchView.DEVICES, WorkbenchView.CALLCHAIN, WorkbenchView.NOTES)) {
            assertNull(view.perspectives().getTabs().stream().filter(t -> t.getId().equals("tab-" + other))
                    .findFirst().orElseThrow().getContent(), other + ": not in the scene before it is chosen");
        }
        assertTrue(robot.lookup(".device-diff").tryQuery().isEmpty(), "no device table was styled or laid out");
        robot.interact(() -> view.showPane(WorkbenchView.DEVICES));
        assertTrue(robot.lookup("#perspectives").queryAs(javafx.scene.control.TabPane.class).getSelectionModel()
                .getSelectedItem().getContent() == view.deviceDiff(), "chosen, the devices' view is there");
        gate.countDown();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !model.busyProperty().get());
    }

    @Test
    void theTimelineShowsTheRowsReadSoFarBeforeTheAnalysisEndsAndItsOwnTakesThePlace(FxRobot robot) throws Exception {
        // the real sample's lines over and over, enough of them for the ingest to tell the timeline once
        Path big = tmp.resolve("libvirtd-long.log");
        List<String> sample = Files.readAllLines(EVIDENCE.resolve("libvirtd.log"));
        long dated = sample.stream().filter(l -> l.matches("^\\d{4}-\\d\\d-\\d\\d .*")).count();
        try (var out = Files.newBufferedWriter(big)) {
            for (long n = 0; n < dev.vmcase.parsers.EvidenceSink.TIMELINE_EVERY + dated; n += dated) {
                for (String l : sample) {
                    out.write(l);
                    out.write('\n');
                }
            }
        }
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch read = new CountDownLatch(1);
        robot.interact(() -> {
            // the whole ingest and analysis run; only the result waits behind the gate
            install((paths, monitor) -> {
                AnalysisResult r = Analysis.of(paths, monitor);
                read.countDown();
                assertTrue(gate.await(60, TimeUnit.SECONDS), "the test opens the gate");
                return r;
            });
            view.open(List.of(big));
        });
        assertTrue(read.await(120, TimeUnit.SECONDS), "the evidence was read");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.timeline().getModel() != null
                && view.timeline().getModel().size() > 0);
        WaitForAsyncUtils.waitForFxEvents();
        var reading = view.timeline().getModel();
        assertTrue(model.busyProperty().get(), "still being analysed");
        assertNull(model.resultProperty().get(), "no result: the gate is shut");
        assertNull(model.timelineProperty().get(), "the rows are not the analysis' timeline");
        assertTrue(model.findings().isEmpty(), "no finding shown as if the evidence were all read");
        assertTrue(reading.size() >= dev.vmcase.parsers.EvidenceSink.TIMELINE_EVERY, "rows so far: " + reading.size());
        assertTrue(reading.spans().isEmpty() && reading.markers().isEmpty(), "no span or finding before the analysis");
        javafx.scene.control.Label note = robot.lookup("#timeline-empty").queryAs(javafx.scene.control.Label.class);
        assertTrue(note.isVisible() && note.getText().contains(
                java.text.NumberFormat.getIntegerInstance().format(reading.size())), note.getText());

        gate.countDown();
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> model.timelineProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(model.timelineProperty().get(), view.timeline().getModel(), "the analysis' timeline took the place");
        assertTrue(view.timeline().getModel().size() >= reading.size());
        assertNull(model.readingProperty().get());
        assertFalse(note.isVisible(), "no note of reading once it is read");
    }

    @Test
    void theLogShowsTheFirstLinesBeforeTheAnalysisEndsAndKeepsThemAfter(FxRobot robot) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch analysing = new CountDownLatch(1);
        robot.interact(() -> {
            install((paths, monitor) -> {
                analysing.countDown();
                assertTrue(gate.await(60, TimeUnit.SECONDS), "the test opens the gate");
                return Analysis.of(paths, monitor);
            });
            view.open(List.of(EVIDENCE));
        });
        String firstLine = Files.readAllLines(EVIDENCE.resolve("libvirtd.log")).get(0);
        // a small file: the log stays behind the devices' tab (its view joins the scene when that tab is chosen)
        StyleClassedTextArea area = robot.from(view.log()).lookup(".log-area").queryAs(StyleClassedTextArea.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> area.getText().startsWith(firstLine));
        assertTrue(analysing.await(30, TimeUnit.SECONDS), "the analysis started meanwhile");
        assertNull(model.resultProperty().get(), "no analysis yet: the gate is shut");
        assertTrue(model.busyProperty().get(), "the status bar says the evidence is being read");
        assertTrue(view.log().artifactProperty().get().path().endsWith("libvirtd.log"));
        assertEquals(1, view.log().topLine());
        String header = robot.lookup("#case-title").queryAs(javafx.scene.control.Label.class).getText();
        assertEquals(java.text.MessageFormat.format(dev.vmcase.views.Texts.get("header.reading"),
                "libvirt-pending-unplug/evidence"), header, "the header names what is being read");
        assertTrue(stage.getTitle().contains("libvirt-pending-unplug/evidence"), stage.getTitle());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.log().lineCount()
                == Files.readAllLines(EVIDENCE.resolve("libvirtd.log")).size());
        robot.interact(() -> view.log().viewModel().scrollTo(200));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.log().topLine() == 201);

        assertFalse(view.isShown(WorkbenchView.LOG), "a small file's log does not come forward");

        gate.countDown();
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !model.busyProperty().get()
                && model.resultProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        AnalysisResult r = model.resultProperty().get();
        String sha = r.evidence().artifacts().stream().filter(a -> a.path().endsWith("libvirtd.log")).findFirst()
                .orElseThrow().sha256();
        assertEquals(sha, view.log().artifactProperty().get().sha256(), "the analysis' artifact took the file over");
        assertEquals("libvirt-pending-unplug/evidence",
                robot.lookup("#case-title").queryAs(javafx.scene.control.Label.class).getText(), "read: its name");
        assertFalse(r.findings().isEmpty());
        // the first finding is selected and its first line shown: the log moved there, in the same file
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            int line = r.findings().get(0).evidence().get(0).line();
            return java.util.Arrays.stream(view.log().visibleLines()).anyMatch(l -> l == line);
        });
    }
}
