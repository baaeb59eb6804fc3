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

    @Test
    void theLogShowsTheFirstLinesBeforeTheAnalysisEndsAndKeepsThemAfter(FxRobot robot) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch analysing = new CountDownLatch(1);
        robot.interact(() -> {
            session = new CaseSession(tmp.resolve("work"));
            CaseController cases = new CaseController(stage, view, model, session);
            cases.install();
            cases.analyser = (paths, monitor) -> {
                analysing.countDown();
                assertTrue(gate.await(60, TimeUnit.SECONDS), "the test opens the gate");
                return Analysis.of(paths, monitor);
            };
            view.open(List.of(EVIDENCE));
        });
        String firstLine = Files.readAllLines(EVIDENCE.resolve("libvirtd.log")).get(0);
        StyleClassedTextArea area = robot.lookup(".log-area").queryAs(StyleClassedTextArea.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> area.getText().startsWith(firstLine));
        assertTrue(analysing.await(30, TimeUnit.SECONDS), "the analysis started meanwhile");
        assertNull(model.resultProperty().get(), "no analysis yet: the gate is shut");
        assertTrue(model.busyProperty().get(), "the status bar says the evidence is being read");
        assertTrue(view.log().artifactProperty().get().path().endsWith("libvirtd.log"));
        assertEquals(1, view.log().topLine());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.log().lineCount()
                == Files.readAllLines(EVIDENCE.resolve("libvirtd.log")).size());
        robot.interact(() -> view.log().viewModel().scrollTo(200));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.log().topLine() == 201);

        gate.countDown();
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !model.busyProperty().get()
                && model.resultProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        AnalysisResult r = model.resultProperty().get();
        String sha = r.evidence().artifacts().stream().filter(a -> a.path().endsWith("libvirtd.log")).findFirst()
                .orElseThrow().sha256();
        assertEquals(sha, view.log().artifactProperty().get().sha256(), "the analysis' artifact took the file over");
        assertFalse(r.findings().isEmpty());
        // the first finding is selected and its first line shown: the log moved there, in the same file
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            int line = r.findings().get(0).evidence().get(0).line();
            return java.util.Arrays.stream(view.log().visibleLines()).anyMatch(l -> l == line);
        });
    }
}
