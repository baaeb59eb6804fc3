package dev.vmcase.views.workbench;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.casefile.CaseSession;
import dev.vmcase.casefile.Target;
import dev.vmcase.casefile.Tour;
import dev.vmcase.model.Finding;
import dev.vmcase.parsers.ingest.IngestOptions;
import dev.vmcase.parsers.lines.ArtifactFiles;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Texts;
import dev.vmcase.views.diff.DeviceDiffView;
import dev.vmcase.views.findings.FindingsPane;
import dev.vmcase.views.log.LogView;
import dev.vmcase.views.notes.TargetResolver;
import dev.vmcase.views.notes.TourBar;
import dev.vmcase.views.shell.RecentItems;
import dev.vmcase.views.shell.Shortcut;
import dev.vmcase.views.shell.Theme;
import dev.vmcase.views.timeline.TimelineView;
import dev.vmcase.views.walker.CallChainWalkerView;
import javafx.application.Platform;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.Menu;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The workbench window, laid out around the questions an engineer asks, in order:
 * <pre>
 *  menus
 *  case title · [VM ▾] · counts ······························· [▶ Start tour]
 *  ┌ What went wrong ──────┐┌ [Devices across layers] [Call chain] [Timeline and log] [Notes] ┐
 *  │ finding cards         ││  which device: the diff, glyph per layer, the orphan's reason   │
 *  │ ───────────────────── ││  how: the call chain walked frame by frame                       │
 *  │ the selected finding  ││  when and where: the timeline over the log                        │
 *  │ in full: evidence,    ││                                                                   │
 *  │ details, Explain ⏎    ││                                                                   │
 *  │ ▸ what each rule did  ││                                                                   │
 *  └───────────────────────┘└───────────────────────────────────────────────────────────────────┘
 *  tour band (while a tour plays)
 *  status · progress · cancel ···················································· file:line
 * </pre>
 * The findings stay in sight whatever the right side shows; Explain (Enter) brings the finding's device forward, a
 * click on an evidence line the log. One {@link dev.vmcase.views.Selection} joins every view. Evidence is opened from
 * File › Open, the recent items or by dropping files, folders or archives onto the window.
 */
public final class WorkbenchView extends BorderPane {
    public static final String TIMELINE = "timeline";
    public static final String LOG = "log";
    public static final String FINDINGS = "findings";
    public static final String DEVICES = "devices";
    public static final String CALLCHAIN = "callchain";
    public static final String NOTES = "notes";

    private final WorkbenchViewModel model;
    private final RecentItems recent;
    private final WorkbenchMenus menus;
    private final TimelineView timelineView;
    private final LogView logView;
    private final DeviceDiffView diffView;
    private final CallChainWalkerView walkerView;
    private final FindingsPane findingsPane;
    private final TabPane perspectives = new TabPane();
    private final Map<String, Tab> tabs = new LinkedHashMap<>();
    /** Each tab's view until the tab is first selected ({@link #attach}). */
    private final Map<Tab, Node> unattached = new java.util.HashMap<>();
    private final StackPane notesHolder = new StackPane();
    private final SplitPane timeAndLog;
    private final SplitPane main;
    private final CaseHeader header;
    private final TourBar tourBar;
    private Supplier<TargetResolver> resolver = TargetResolver::empty;
    private boolean userDivider;

    public WorkbenchView(WorkbenchViewModel model) {
        this(model, RecentItems.user());
    }

    public WorkbenchView(WorkbenchViewModel model, RecentItems recent) {
        this.model = model;
        this.recent = recent;
        Theme.ensureApplied();
        getStyleClass().add("workbench");
        setId("workbench");

        diffView = new DeviceDiffView(model.selection());
        walkerView = new CallChainWalkerView(model.selection());
        timelineView = new TimelineView(model.selection());
        // archive members the log viewer extracts go to the user's own vmcase folder, not a shared /tmp one
        logView = new LogView(model.selection(), ArtifactFiles.of(
                IngestOptions.DEFAULTS.withWorkDir(CaseSession.defaultWorkRoot())));
        timelineView.setLineText(logView.lineLookup());
        model.setPreviewer(this::preview);
        findingsPane = new FindingsPane(model.findings(), model.busyProperty(), model.resultProperty(), model::select,
                this::explain, this::showLine);

        model.resultProperty().addListener((o, was, r) -> {
            if (r != null) {
                diffView.show(r);
                walkerView.show(r);
                logView.show(r);
                callChainTab(r);
                // the diagnosis at first sight: the first finding in full, its device in front
                if (!r.findings().isEmpty()) {
                    findingsPane.selectFirst();
                    explain(r.findings().get(0));
                }
            }
        });
        model.timelineProperty().addListener((o, was, tm) -> {
            timelineView.setModel(tm);
            fitTimeline();
        });
        // a big file's timeline as far as it is read, until the analysis' own takes its place
        model.readingProperty().addListener((o, was, tm) -> {
            if (tm != null) {
                timelineView.grow(tm);
                if (was == null) {
                    fitTimeline(); // once: the divider is the user's while the rows grow
                }
            }
        });
        model.busyProperty().addListener((o, was, busy) -> loading(busy));

        timeAndLog = new SplitPane(timelineView, logView);
        timeAndLog.setOrientation(Orientation.VERTICAL);
        timeAndLog.setDividerPositions(0.42);
        timeAndLog.setId("timeline-and-log");
        notesHolder.setId("notes-holder");
        tab(DEVICES, diffView);
        tab(CALLCHAIN, walkerView);
        tab(TIMELINE, timeAndLog);
        tab(NOTES, notesHolder);
        tabs.put(LOG, tabs.get(TIMELINE));
        perspectives.setId("perspectives");
        perspectives.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        perspectives.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (getScene() != null && getScene().getWindow() != null && getScene().getWindow().isShowing()) {
                attach(now);
            }
        });
        sceneProperty().addListener((o, was, scene) -> attachWhenShown(scene));

        main = new SplitPane(findingsPane, perspectives);
        main.setId("docks");
        // the findings column: about a third of the window, within what reads well for a card of text; kept at that
        // width as the window is resized, until the user moves the divider
        main.widthProperty().addListener((o, was, w) -> placeDivider(w.doubleValue()));
        main.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> {
            Node n = e.getPickResult().getIntersectedNode();
            while (n != null && n != main) {
                if (n.getStyleClass().contains("split-pane-divider") && n.getParent() == main) {
                    userDivider = true; // the user drags this divider: the width is theirs from now on
                }
                n = n.getParent();
            }
        });

        header = new CaseHeader(model, this::startTour);
        tourBar = new TourBar(model.selection(), () -> resolver.get(), this::bringForward);
        menus = new WorkbenchMenus(this, model, recent);
        setTop(new VBox(menus.menuBar(), header));
        setCenter(main);
        setBottom(new VBox(tourBar, new StatusBar(model, logView)));
        acceptDrops();
        addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (!tourBar.playingProperty().get()) {
                return;
            }
            if (e.getCode() == KeyCode.ESCAPE) {
                tourBar.stop();
                e.consume();
            } else if (e.isAltDown() && (e.getCode() == KeyCode.RIGHT || e.getCode() == KeyCode.LEFT)) {
                if (e.getCode() == KeyCode.RIGHT) {
                    tourBar.next();
                } else {
                    tourBar.previous();
                }
                e.consume();
            }
        });
        getStylesheets().add(WorkbenchView.class.getResource("workbench.css").toExternalForm());
        loading(model.busyProperty().get());
    }

    /** Sets the findings column to about a third of {@code width} (360 to 560 px) unless the user chose its width. */
    private void placeDivider(double width) {
        if (userDivider || width <= 0) {
            return;
        }
        double left = Math.max(360, Math.min(560, width * 0.32));
        main.setDividerPositions(left / width);
    }

    private void tab(String key, Node content) {
        Tab t = new Tab(Texts.get("tab." + key));
        t.setId("tab-" + key);
        t.setTooltip(new Tooltip(Texts.get("tab." + key + ".question")));
        tabs.put(key, t);
        unattached.put(t, content);
        perspectives.getTabs().add(t);
    }

    /**
     * The tab chosen when the window shows joins the scene then (before the window's first styling and layout), so
     * a choice made before (a big log opened with the window) lays out only the view chosen.
     */
    private void attachWhenShown(javafx.scene.Scene scene) {
        if (scene == null) {
            return;
        }
        java.util.function.Consumer<javafx.stage.Window> watch = w -> {
            if (w == null) {
                return;
            }
            if (w.isShowing()) {
                attach(perspectives.getSelectionModel().getSelectedItem());
            }
            w.addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWING,
                    e -> attach(perspectives.getSelectionModel().getSelectedItem()));
        };
        watch.accept(scene.getWindow());
        scene.windowProperty().addListener((o, was, w) -> watch.accept(w));
    }

    /**
     * A tab's view joins the scene when the tab is first chosen in a window that shows: a TabPane styles and lays out
     * every tab's content, shown or not, and the first frame of the window (or of a big log's first lines) paid for
     * views nobody looked at yet. The views exist from the start and follow the model while detached; only their
     * nodes wait.
     */
    private void attach(Tab t) {
        Node content = t == null ? null : unattached.remove(t);
        if (content != null) {
            t.setContent(content);
        }
    }

    /** The call chain's tab says in its title when the evidence has no backtrace (its view says why). */
    private void callChainTab(AnalysisResult r) {
        int n = r.evidence().backtraces().size();
        tabs.get(CALLCHAIN).setText(n == 0 ? Texts.get("tab.callchain.none") : Texts.get("tab." + CALLCHAIN));
    }

    private void loading(boolean busy) {
        diffView.setLoading(busy);
        walkerView.setLoading(busy);
        timelineView.setLoading(busy || (model.resultProperty().get() != null && model.timelineProperty().get() == null));
    }

    /** Evidence without a dated line leaves the timeline a band that says why; the log takes the room. */
    private void fitTimeline() {
        boolean empty = timelineView.getModel() == null || timelineView.getModel().size() == 0;
        timelineView.setMaxHeight(empty ? 96 : Double.MAX_VALUE);
        Platform.runLater(() -> timeAndLog.setDividerPositions(empty ? 0.05 : 0.42));
        loading(model.busyProperty().get());
    }

    // ---------------------------------------------------------------- what the rest of the application uses

    public TimelineView timeline() {
        return timelineView;
    }

    public LogView log() {
        return logView;
    }

    public DeviceDiffView deviceDiff() {
        return diffView;
    }

    public CallChainWalkerView walker() {
        return walkerView;
    }

    public FindingsPane findings() {
        return findingsPane;
    }

    public TabPane perspectives() {
        return perspectives;
    }

    public TourBar tourBar() {
        return tourBar;
    }

    /** The pane the application fills with the case's notes and tours. */
    public void setNotesContent(Node content) {
        notesHolder.getChildren().setAll(content);
    }

    /** How tour steps and notes find what they point at (the application knows the case). */
    public void setResolver(Supplier<TargetResolver> resolver) {
        this.resolver = resolver == null ? TargetResolver::empty : resolver;
    }

    /**
     * Evidence being analysed is shown in the log at once ({@link LogView#preview}); when the file it shows is big (its
     * analysis takes seconds) and the user has not turned to another view meanwhile, the log comes forward: the window
     * has something to read while the findings are worked out.
     */
    private java.util.concurrent.CompletableFuture<Void> preview(List<Path> paths) {
        if (LogView.namesPlainFile(paths, BIG_LOG)) {
            // a big log named as such comes forward at once: when the window is about to show, its first frame lays
            // out the log, not a view that would be left for it a moment later
            showPane(LOG);
        }
        String before = shownPane();
        javafx.beans.value.ChangeListener<dev.vmcase.model.Artifact> chosen = new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends dev.vmcase.model.Artifact> o,
                                dev.vmcase.model.Artifact was, dev.vmcase.model.Artifact a) {
                if (a == null) {
                    return; // the viewer clears its file before it shows the chosen one
                }
                o.removeListener(this);
                // forward as soon as the file is chosen, before its lines are read: the pane is styled and laid out
                // while the index starts, and its first lines then cost the FX thread only their own rows
                if (a.size() >= BIG_LOG && model.busyProperty().get()
                        && java.util.Objects.equals(before, shownPane())) {
                    showPane(LOG);
                }
            }
        };
        logView.artifactProperty().addListener(chosen);
        java.util.concurrent.CompletableFuture<Void> shown = logView.preview(paths);
        // no file to show, or another preview took over: the listener goes
        shown.whenComplete((v, e) -> Platform.runLater(() -> logView.artifactProperty().removeListener(chosen)));
        return shown;
    }

    /** A file this big takes seconds to analyse (some 100 MB/s): the log is shown meanwhile. */
    private static final long BIG_LOG = 32L << 20;

    /** Brings forward the view that holds {@code key} ({@link #DEVICES}, {@link #LOG}, ...). */
    public void showPane(String key) {
        Tab t = tabs.get(key);
        if (t != null) {
            perspectives.getSelectionModel().select(t);
        }
    }

    /** Whether the view that holds {@code key} is in front (the log and the timeline share one). */
    public boolean isShown(String key) {
        Tab t = tabs.get(key);
        return t != null && t == perspectives.getSelectionModel().getSelectedItem();
    }

    /** The key of the view in front. */
    public String shownPane() {
        Tab t = perspectives.getSelectionModel().getSelectedItem();
        return t == null ? null : t.getId().substring("tab-".length());
    }

    /**
     * "Explain" a finding: the device diff shows its device, the walker the frames that touch its slot. The diff
     * comes forward when the finding names a device it has; else the call chain when a frame touches the slot; else
     * the log at the finding's first line.
     */
    public void explain(Finding f) {
        AnalysisResult r = model.resultProperty().get();
        if (f == null || r == null) {
            return;
        }
        boolean device = diffView.explain(f);
        boolean frames = !r.evidence().backtraces().isEmpty() && walkerView.explain(f, r.devices());
        if (device) {
            showPane(DEVICES);
        } else if (frames) {
            showPane(CALLCHAIN);
        } else if (!f.evidence().isEmpty()) {
            showLine(LineRef.of(f.evidence().get(0)));
        }
    }

    /** Shows a line in the log (and on the timeline above it). */
    public void showLine(LineRef line) {
        model.selection().lineProperty().set(line);
        showPane(LOG);
    }

    /** Plays a tour in the band under the views. */
    public void startTour(Tour t) {
        tourBar.play(t);
    }

    /** A tour step's target was selected: the view that shows it comes forward. */
    private void bringForward(Target t) {
        switch (t.kind()) {
            case DEVICE -> showPane(DEVICES);
            case FRAME -> showPane(CALLCHAIN);
            case FINDING -> resolver.get().finding(t.key()).ifPresent(f -> {
                findingsPane.list().getSelectionModel().select(f);
                explain(f);
            });
            case LINE -> {
                boolean frame = walkerView.showsLine(new LineRef(t.artifact(), t.line()));
                showPane(frame ? CALLCHAIN : LOG);
            }
        }
    }

    /** The File menu, for items other parts of the application add (case files, reports, capture). */
    public Menu fileMenu() {
        return menus.fileMenu();
    }

    public MenuBar menuBar() {
        return menus.menuBar();
    }

    /** Shortcuts a view handles itself, for the Help › Shortcuts sheet. */
    public void addShortcuts(List<Shortcut> shortcuts) {
        menus.addShortcuts(shortcuts);
    }

    /** Every shortcut: the menus' accelerators, then the views' own keys. */
    public List<Shortcut> shortcuts() {
        return new ArrayList<>(menus.shortcuts());
    }

    /** Opens evidence through the model's opener and remembers it among the recent items. */
    public void open(List<Path> paths) {
        if (paths.isEmpty()) {
            return;
        }
        recent.add(paths);
        model.open(paths);
    }

    private void acceptDrops() {
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                open(e.getDragboard().getFiles().stream().map(java.io.File::toPath).toList());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** The tab holding {@code key}, for tests. */
    Tab tab(String key) {
        return tabs.get(key);
    }

    /** For the status line: placeholders of views with nothing to show yet. */
    static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("placeholder");
        l.setWrapText(true);
        return l;
    }
}
