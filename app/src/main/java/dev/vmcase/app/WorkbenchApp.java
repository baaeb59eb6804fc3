package dev.vmcase.app;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.views.Texts;
import dev.vmcase.views.workbench.WorkbenchView;
import dev.vmcase.views.workbench.WorkbenchViewModel;
import javafx.application.Application;
import javafx.concurrent.Task;
import dev.vmcase.app.capture.CaptureDialog;
import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.CaseSession;
import dev.vmcase.casefile.Tour;
import javafx.scene.Scene;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.List;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The workbench window. The analysis runs on a worker; its result reaches the view model on the FX thread. */
public final class WorkbenchApp extends Application {
    private static final System.Logger LOG = System.getLogger(WorkbenchApp.class.getName());
    private static volatile List<Path> initialPaths = List.of();
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(1, r -> {
        Thread t = new Thread(r, "vmcase-analysis");
        t.setDaemon(true);
        return t;
    });

    /** Where File › Capture from host… writes its bundles. */
    static final Path CAPTURES = Path.of(System.getProperty("user.home"), "vmcase", "captures");

    private CaseSession session;
    private static volatile Path initialTour;
    private static volatile Path initialCase;
    /**
     * {@code -Dvmcase.trace=true}: the window's start on standard error ({@code bench window} reads it): seconds since
     * the process started when JavaFX calls {@link #start}, when the window is shown, when its first frame is laid
     * out, when the analysis is done and when the first frame showing it is laid out (the first screen today);
     * {@code -Dvmcase.trace.exit=true} then closes the window.
     */
    private static final Trace TRACE = Trace.ON ? new Trace() : null;
    /** The window's scene, whose layout pulses the trace's marks wait for. */
    private static volatile Scene traced;
    /** Where the trace's line goes: standard error, which only the command line writes to ({@link OpenCommand}). */
    static volatile Consumer<String> traceOut = line -> { };

    public static void launchOn(List<Path> paths, Path tour, Path caseFile) {
        initialPaths = List.copyOf(paths);
        initialTour = tour;
        initialCase = caseFile;
        Application.launch(WorkbenchApp.class);
    }

    @Override
    public void start(Stage stage) {
        mark("fx-start", null);
        WorkbenchViewModel model = new WorkbenchViewModel();
        WorkbenchView view = new WorkbenchView(model);
        reportUncaught(model);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                LOG.log(System.Logger.Level.ERROR, "uncaught on thread " + thread.getName(), e));
        session = new CaseSession(CaseSession.defaultWorkRoot());
        CaseController cases = new CaseController(stage, view, model, session);
        cases.install();
        MenuItem capture = new MenuItem(ResourceBundle.getBundle("dev.vmcase.app.capture.Capture").getString("menu.capture"));
        capture.setId("menu-capture");
        // the snapshot joins the open case, notes and all
        capture.setOnAction(e -> new CaptureDialog("qemu:///system", CAPTURES,
                folder -> cases.addEvidence(List.of(folder))).showIn(stage));
        view.fileMenu().getItems().add(2, capture);
        addOpenLog(view, model, Logs::current, uri -> getHostServices().showDocument(uri));
        stage.setScene(new Scene(view, 1280, 800));
        fitToScreen(stage);
        // evidence named on the command line starts loading before the window shows (nothing to ask first): its
        // file's index starts on the other core while the window is laid out, and a big log's pane is the one laid out
        boolean early = initialCase == null && !initialPaths.isEmpty() && !cases.hasUntitledRecovery();
        if (early) {
            openInitial(cases, view, model);
        }
        stage.show();
        mark("shown", null);
        traced = stage.getScene();
        mark("first-frame", traced);
        if (TRACE != null) {
            traceLoading(view, model);
        }
        if (early || cases.offerUntitledRecovery()) {
            return;
        }
        if (initialCase != null && dev.vmcase.app.audit.FleetWindow.isFleetCase(initialCase)) {
            // a fleet audit: its own window; a VM opened there becomes this workbench's evidence
            dev.vmcase.app.audit.FleetWindow.show(stage, initialCase, view::open);
        } else if (initialCase != null) {
            cases.openCase(initialCase);
        } else if (!initialPaths.isEmpty()) {
            openInitial(cases, view, model);
        }
    }

    /** Opens the evidence named on the command line, with the tour named there. */
    private static void openInitial(CaseController cases, WorkbenchView view, WorkbenchViewModel model) {
        List<Tour> tours = List.of();
        if (initialTour != null) {
            try {
                tours = CaseIO.readTours(initialTour);
            } catch (IOException e) {
                model.statusProperty().set(e.getMessage());
            }
        }
        cases.withTours(tours);
        view.open(initialPaths);
    }

    /**
     * On the calling thread (the JavaFX thread): an exception escaping an event handler is logged and said in the
     * status bar. Otherwise it would be printed to a terminal the user does not see, and the window would go on as if
     * nothing had happened.
     */
    static void reportUncaught(WorkbenchViewModel model) {
        Thread.currentThread().setUncaughtExceptionHandler((thread, e) -> {
            LOG.log(System.Logger.Level.ERROR, "uncaught on the JavaFX thread", e);
            model.statusProperty().set(CaseController.text("status.internalError", String.valueOf(e)));
        });
    }

    /**
     * Help › Open log: the current log file ({@code log}) shown by {@code show} (the desktop's viewer for a file URI),
     * or the status bar says where the log would be.
     */
    static MenuItem addOpenLog(WorkbenchView view, WorkbenchViewModel model, Supplier<Optional<Path>> log,
                               Consumer<String> show) {
        MenuItem openLog = new MenuItem(CaseController.text("menu.openLog"));
        openLog.setId("menu-open-log");
        openLog.setOnAction(e -> {
            Optional<Path> file = log.get().filter(Files::exists);
            if (file.isPresent()) {
                show.accept(file.get().toUri().toString());
                model.statusProperty().set(CaseController.text("status.logOpened", file.get()));
            } else {
                model.statusProperty().set(CaseController.text("status.noLog",
                        Logs.folder(CaseSession.defaultWorkRoot())));
            }
        });
        view.menuBar().getMenus().stream().filter(m -> "menu-help".equals(m.getId())).findFirst()
                .ifPresent(help -> help.getItems().add(openLog));
        return openLog;
    }

    /**
     * The window fills the screen it opens on, up to 1920×1200: the workbench is laid out for 1366×768 and up, and
     * a window bigger than the screen would hide its own edges (no window manager may be there to fit it).
     */
    static void fitToScreen(Stage stage) {
        javafx.geometry.Rectangle2D b = javafx.stage.Screen.getPrimary().getVisualBounds();
        double w = Math.min(b.getWidth(), 1920);
        double h = Math.min(b.getHeight(), 1200);
        stage.setX(b.getMinX() + (b.getWidth() - w) / 2);
        stage.setY(b.getMinY() + (b.getHeight() - h) / 2);
        stage.setWidth(w);
        stage.setHeight(h);
        stage.setMaximized(w >= b.getWidth() && h >= b.getHeight());
    }

    public static Task<AnalysisResult> open(WorkbenchViewModel model, List<Path> paths) {
        return analyse(model, paths.size(), monitor -> Analysis.of(paths, monitor), null);
    }

    /** The autosave stops and the open case's extracted evidence is removed when the window closes. */
    @Override
    public void stop() {
        if (session != null) {
            session.close();
        }
    }

    /** What a background load does: reads and analyses, reporting to the monitor (may throw). */
    interface Job {
        AnalysisResult run(ProgressMonitor monitor) throws Exception;
    }

    /**
     * Runs {@code job} in the background and shows its result; {@code then} (may be null) runs on the FX thread after
     * the result is shown.
     */
    static Task<AnalysisResult> analyse(WorkbenchViewModel model, int inputs, Job job, Runnable then) {
        if (model.busyProperty().get()) {
            model.cancel(); // the evidence opened last replaces what was still loading
        }
        Task<AnalysisResult> task = new Task<>() {
            @Override
            protected AnalysisResult call() throws Exception {
                Task<AnalysisResult> self = this;
                // a big file's timeline shows its rows as they are read; the analysis' own replaces it
                ReadingTimeline reading = new ReadingTimeline(m -> javafx.application.Platform.runLater(() -> {
                    if (!self.isDone()) {
                        model.showReading(m);
                    }
                }), self::isDone);
                AnalysisResult r = job.run(new ProgressMonitor() {
                    @Override
                    public void progress(long done, long total, String what) {
                        updateProgress(done, total);
                    }

                    @Override
                    public void indexed(String what, String format, dev.vmcase.model.Timeline.Segment soFar) {
                        reading.indexed(what, format, soFar);
                    }

                    @Override
                    public boolean isCancelled() {
                        return self.isCancelled();
                    }
                });
                if (isCancelled()) {
                    // a cancelled task's value is dropped: show what was read before the user stopped it
                    javafx.application.Platform.runLater(() -> model.show(r));
                }
                return r;
            }
        };
        // the timeline model takes seconds for millions of lines: built on the worker after the rest is shown
        model.setTimelineBuilder(r -> buildTimeline(model, r));
        model.statusProperty().set(MessageFormat.format(Texts.get("status.loading"), inputs));
        model.progressProperty().bind(task.progressProperty());
        model.busyProperty().bind(task.runningProperty());
        model.setCancel(task::cancel);
        task.setOnSucceeded(e -> {
            AnalysisResult r = task.getValue();
            // the findings, devices, call chain and log at once; the timeline follows (seconds on a big log)
            model.show(r);
            model.statusProperty().set(MessageFormat.format(Texts.get("status.done"),
                    r.evidence().artifacts().size(), r.findings().size(),
                    devices(r), r.evidence().backtraces().size()));
            mark("analysed", null);
            mark("first-screen", traced);
            if (then != null) {
                then.run();
            }
        });
        task.setOnFailed(e -> {
            Throwable t = task.getException();
            String why = t == null ? "" : t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            model.statusProperty().set(MessageFormat.format(Texts.get("status.failed"), why));
        });
        task.setOnCancelled(e -> model.statusProperty().set(Texts.get("status.cancelled")));
        WORKERS.submit(task);
        return task;
    }

    /** The timeline model on the worker (the next job waits behind it), handed to the window when built. */
    private static void buildTimeline(WorkbenchViewModel model, AnalysisResult r) {
        WORKERS.submit(() -> {
            TimelineModel tm = TimelineModel.of(r);
            javafx.application.Platform.runLater(() -> model.setTimeline(r, tm));
        });
    }

    /**
     * The trace's marks of a load: the first frame showing lines of the evidence (the log viewer's first window, which
     * need not wait for the analysis, with the log's tab in front: lines in a hidden tab are on nobody's screen) and
     * the first frame with the timeline's model (built after the analysis).
     */
    private static void traceLoading(WorkbenchView view, WorkbenchViewModel model) {
        boolean[] seen = new boolean[2];
        Runnable lines = () -> {
            if (!seen[0] && view.log().viewModel().windowProperty().get().size() > 0
                    && view.isShown(WorkbenchView.LOG)) {
                seen[0] = true;
                mark("first-lines", traced);
            }
        };
        view.log().viewModel().windowProperty().addListener((o, was, w) -> lines.run());
        view.perspectives().getSelectionModel().selectedItemProperty().addListener((o, was, t) -> lines.run());
        boolean[] rows = new boolean[1];
        model.readingProperty().addListener((o, was, tm) -> {
            if (!rows[0] && tm != null) {
                rows[0] = true;
                mark("reading-timeline", traced); // the first rows of the timeline, before the analysis ends
            }
        });
        model.timelineProperty().addListener((o, was, tm) -> {
            if (!seen[1] && tm != null) {
                seen[1] = true;
                mark("timeline", traced);
            }
        });
    }

    /**
     * Notes a trace mark ({@link #TRACE}) now, or with {@code scene} at the end of its next layout pulse; the
     * timeline mark (the last of a load) ends the trace: its line is printed, and the window closed under
     * {@code vmcase.trace.exit}.
     */
    private static void mark(String what, Scene scene) {
        if (TRACE == null) {
            return;
        }
        if (scene == null) {
            TRACE.mark(what);
            return;
        }
        dev.vmcase.views.UiExecutors.afterNextLayout(scene, () -> {
            TRACE.mark(what);
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            if (threads.isCurrentThreadCpuTimeSupported()) { // the FX thread's own work, whatever the machine's load
                TRACE.figure("fx-cpu " + what, threads.getCurrentThreadCpuTime() / 1e9);
            }
            if (what.equals("timeline")) {
                traceOut.accept(TRACE.line());
                if (Boolean.getBoolean("vmcase.trace.exit")) {
                    javafx.application.Platform.exit();
                }
            }
        });
    }

    /**
     * The devices the status bar counts: every VM's, from the one device model the CLI, the JSON and the reports count
     * with ({@code DeviceTable.count()}: a device both sides have counts once).
     */
    static int devices(AnalysisResult r) {
        return r.vms().stream().mapToInt(v -> v.devices().count()).sum();
    }
}
