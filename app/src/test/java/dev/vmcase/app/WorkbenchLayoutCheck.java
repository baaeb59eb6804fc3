package dev.vmcase.app;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.views.TruncationCheck;
import dev.vmcase.views.shell.RecentItems;
import dev.vmcase.views.workbench.WorkbenchView;
import dev.vmcase.views.workbench.WorkbenchViewModel;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sample case, at the window sizes of a 1366×768 and a 1920×1080 screen (less a desktop's bars): no text in the
 * findings, the device diff, the call-chain walker or the log's tool bars is cut without a way to read the rest. The
 * check, shared by three test classes — the bundled cases ({@link WorkbenchLayoutTest}), the public corpus
 * ({@link WorkbenchLayoutPublicTest}), the bundled cases in Simplified Chinese ({@link WorkbenchLayoutChineseTest}) —
 * rather than three methods of one class: the build's two test JVMs then run them side by side, where one class kept
 * about two minutes of one core's work in one JVM. A subclass's {@code @Start} method calls {@link #start(Stage)}
 * (TestFX looks for it in the test class itself only).
 */
@ExtendWith(ApplicationExtension.class)
abstract class WorkbenchLayoutCheck {
    static final Path CASES = Path.of("../sample-cases");
    /** Window contents on a 1366×768 and a 1920×1080 screen with a desktop's top bar and the window's title bar. */
    static final double[][] SIZES = {{1366, 704}, {1920, 1016}};
    private final Preferences prefs = Preferences.userRoot().node("dev/vmcase/test/layout-" + System.nanoTime());
    /** JavaFX's CSS warnings (an unresolved colour, a bad value): none may appear while the workbench shows a case. */
    private static final List<String> CSS_WARNINGS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final java.util.logging.Logger CSS = java.util.logging.Logger.getLogger("javafx.css");

    static {
        CSS.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    CSS_WARNINGS.add(new java.util.logging.SimpleFormatter().formatMessage(r));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private WorkbenchViewModel model;
    private WorkbenchView view;
    private Stage stage;

    /** The workbench, empty, in the test's stage at the smaller size. */
    void start(Stage stage) {
        this.stage = stage;
        model = new WorkbenchViewModel();
        view = new WorkbenchView(model, new RecentItems(prefs));
        stage.setScene(new Scene(view, SIZES[0][0], SIZES[0][1]));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
    }

    /** A new workbench in the stage, in the default locale as it is now. */
    void rebuild(FxRobot robot) {
        robot.interact(() -> {
            model = new WorkbenchViewModel();
            view = new WorkbenchView(model, new RecentItems(prefs));
            stage.getScene().setRoot(view);
        });
    }

    @AfterEach
    void forget() throws Exception {
        prefs.removeNode();
    }

    /** The bundled cases: every folder with an evidence folder beside the public corpus. */
    static List<Path> bundled() throws IOException {
        return cases().stream().filter(c -> c.getParent().equals(CASES)).toList();
    }

    /** The public corpus's cases: every folder with an evidence folder in {@code sample-cases/public}. */
    static List<Path> publicCorpus() throws IOException {
        return cases().stream().filter(c -> c.getParent().equals(CASES.resolve("public"))).toList();
    }

    /** The bundled cases and the public corpus: every folder with an evidence folder. */
    static List<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path dir : List.of(CASES, CASES.resolve("public"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> Files.isDirectory(p.resolve("evidence"))).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** Shows a case as the application does: the result, then its timeline; waits for the log to show a file. */
    static void show(FxRobot robot, WorkbenchViewModel model, WorkbenchView view, AnalysisResult r) throws Exception {
        TimelineModel tm = TimelineModel.of(r);
        robot.interact(() -> model.show(r));
        robot.interact(() -> model.setTimeline(tm));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> view.log().artifactProperty().get() == null
                || (view.log().lineCount() > 0 && !view.log().busyProperty().get()
                && view.log().visibleLines().length > 0));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The check of {@code cases} in the workbench as it is, {@code label} naming the language in the problems. */
    void check(FxRobot robot, List<Path> cases, String label) throws Exception {
        // the CSS warnings are caught: an unresolvable colour in the scene is one
        robot.interact(() -> {
            javafx.scene.layout.Region probe = new javafx.scene.layout.Region();
            probe.setStyle("-fx-background-color: -color-no-such-colour;");
            ((javafx.scene.layout.BorderPane) stage.getScene().getRoot()).setRight(probe);
            probe.applyCss();
            ((javafx.scene.layout.BorderPane) stage.getScene().getRoot()).setRight(null);
        });
        assertTrue(!CSS_WARNINGS.isEmpty(), "the CSS log is listened to");
        CSS_WARNINGS.clear();
        List<String> problems = new ArrayList<>();
        for (Path c : cases) {
            AnalysisResult r = Analysis.of(List.of(c.resolve("evidence")), ProgressMonitor.NONE);
            show(robot, model, view, r);
            for (double[] size : SIZES) {
                robot.interact(() -> {
                    stage.setWidth(size[0]);
                    stage.setHeight(size[1]);
                });
                WaitForAsyncUtils.waitForFxEvents();
                for (String pane : List.of(WorkbenchView.DEVICES, WorkbenchView.CALLCHAIN, WorkbenchView.LOG)) {
                    robot.interact(() -> view.showPane(pane));
                    WaitForAsyncUtils.waitForFxEvents();
                    List<Node> areas = new ArrayList<>(List.of(view.findings()));
                    areas.add(pane.equals(WorkbenchView.DEVICES) ? view.deviceDiff()
                            : pane.equals(WorkbenchView.CALLCHAIN) ? view.walker() : view.log());
                    if (c.getFileName().toString().equals("seed-incident")
                            || c.getFileName().toString().equals("orphaned-disk-qemu")) {
                        dev.vmcase.views.ViewTestSupport.snapshot(stage.getScene(), "layout-" + label.strip()
                                + (label.isEmpty() ? "" : "-") + c.getFileName() + "-" + (int) size[0] + "-" + pane
                                + ".png");
                    }
                    for (Node area : areas) {
                        List<TruncationCheck.Cut>[] cuts = cutsOf(robot, area);
                        for (TruncationCheck.Cut cut : cuts[0]) {
                            problems.add(label + c.getFileName() + " at " + (int) size[0] + "x" + (int) size[1] + ", "
                                    + pane + ": " + cut);
                        }
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " texts cut with no way to read them:\n"
                + String.join("\n", problems));
        assertTrue(CSS_WARNINGS.isEmpty(), "JavaFX CSS warnings: " + CSS_WARNINGS);
    }

    @SuppressWarnings("unchecked")
    private static List<TruncationCheck.Cut>[] cutsOf(FxRobot robot, Node area) {
        List<TruncationCheck.Cut>[] cuts = new List[1];
        robot.interact(() -> cuts[0] = TruncationCheck.cuts(area));
        return cuts;
    }
}
