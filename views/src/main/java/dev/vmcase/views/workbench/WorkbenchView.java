package dev.vmcase.views.workbench;

import dev.vmcase.analysis.FindingText;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import dev.vmcase.views.Texts;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.shell.Dock;
import dev.vmcase.views.shell.DockArea;
import dev.vmcase.views.shell.RecentItems;
import dev.vmcase.views.shell.Shortcut;
import dev.vmcase.views.shell.ShortcutSheet;
import dev.vmcase.views.shell.Theme;
import dev.vmcase.views.timeline.TimelineView;
import dev.vmcase.views.log.LogView;
import dev.vmcase.views.diff.DeviceDiffView;
import dev.vmcase.views.walker.CallChainWalkerView;
import dev.vmcase.analysis.AnalysisResult;
import javafx.scene.Node;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The workbench window: a menu bar; the timeline across the top, the log viewer below it, findings, devices and the
 * call chain beside it, each in a dock the user can close, resize and bring back from the View menu; a status bar
 * with a progress bar and a cancel button bound to the work running. Evidence is opened from File › Open, from the
 * recent items or by dropping files, folders or archives onto the window; the model's opener does the work.
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
    private final Map<String, Dock> docks = new LinkedHashMap<>();
    private final MenuBar menuBar = new MenuBar();
    private final Menu fileMenu = new Menu(Texts.get("menu.file"));
    private final Menu recentMenu = new Menu(Texts.get("menu.recent"));
    private final Menu viewMenu = new Menu(Texts.get("menu.view"));
    private final List<Shortcut> viewShortcuts = new ArrayList<>();
    private final TimelineView timelineView;
    private final LogView logView;
    private final DeviceDiffView diffView;
    private final CallChainWalkerView walkerView;

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
        model.resultProperty().addListener((o, was, r) -> {
            if (r != null) {
                diffView.show(r);
                walkerView.show(r);
            }
        });
        timelineView = new TimelineView(model.selection());
        model.timelineProperty().addListener((o, was, tm) -> {
            timelineView.setModel(tm);
            // evidence with no dated line (a pasted note) leaves the timeline's room to the other views
            docks.get(TIMELINE).shownProperty().set(tm != null && tm.size() > 0);
        });
        addShortcuts(List.of(new Shortcut("Plus", Texts.get("key.timeline.zoomIn")),
                new Shortcut("Minus", Texts.get("key.timeline.zoomOut")),
                new Shortcut("0", Texts.get("key.timeline.fit")),
                new Shortcut("Z", Texts.get("key.timeline.zoomSelection")),
                new Shortcut("Left", Texts.get("key.timeline.pan")),
                new Shortcut("Page_Down", Texts.get("key.timeline.lanes"))));
        dock(TIMELINE, timelineView);
        // archive members the log viewer extracts go to the user's own vmcase folder, not a shared /tmp one
        logView = new LogView(model.selection(), dev.vmcase.parsers.lines.ArtifactFiles.of(
                dev.vmcase.parsers.ingest.IngestOptions.DEFAULTS.withWorkDir(dev.vmcase.casefile.CaseSession.defaultWorkRoot())));
        model.resultProperty().addListener((o, was, r) -> {
            if (r != null) {
                logView.show(r);
            }
        });
        addShortcuts(List.of(new Shortcut("Shortcut+F", Texts.get("key.log.find")),
                new Shortcut("F3", Texts.get("key.log.next")),
                new Shortcut("Shift+F3", Texts.get("key.log.previous"))));
        dock(LOG, logView);
        dock(FINDINGS, findingsList());
        dock(DEVICES, diffView);
        dock(CALLCHAIN, walkerView);
        dock(NOTES, new javafx.scene.layout.StackPane()); // the application puts the case's notes and tours here
        DockArea left = new DockArea(Orientation.VERTICAL, new double[] {0.42, 0.58}, docks.get(FINDINGS), docks.get(LOG));
        DockArea right = new DockArea(Orientation.VERTICAL, new double[] {0.45, 0.3, 0.25},
                docks.get(DEVICES), docks.get(CALLCHAIN), docks.get(NOTES));
        DockArea lower = new DockArea(Orientation.HORIZONTAL, new double[] {0.48, 0.52}, left, right);
        DockArea main = new DockArea(Orientation.VERTICAL, new double[] {0.27, 0.73}, docks.get(TIMELINE), lower);
        main.setId("docks");
        // the call chain dock shows itself when the evidence has a backtrace and gives its room away when not
        model.resultProperty().addListener((obs, old, r) -> docks.get(CALLCHAIN).shownProperty()
                .set(r != null && !r.evidence().backtraces().isEmpty()));

        buildMenus();
        setTop(menuBar);
        setCenter(main);
        setBottom(statusBar());
        acceptDrops();
        getStylesheets().add(WorkbenchView.class.getResource("workbench.css").toExternalForm());
    }

    /** The dock of that key ({@link #TIMELINE}, {@link #LOG}, ...), to put a view into it. */
    public Dock dock(String key) {
        return docks.get(key);
    }

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

    /**
     * "Explain" a finding: the device diff shows its device, the walker the frames that touch its slot; both docks are
     * brought back if the user had closed them.
     */
    public void explain(Finding f) {
        AnalysisResult r = model.resultProperty().get();
        if (f == null || r == null) {
            return;
        }
        docks.get(DEVICES).shownProperty().set(true);
        diffView.explain(f);
        if (!r.evidence().backtraces().isEmpty()) {
            docks.get(CALLCHAIN).shownProperty().set(true);
            walkerView.explain(f, r.devices());
        }
    }

    /** The File menu, for items other parts of the application add (case files, reports, capture). */
    public Menu fileMenu() {
        return fileMenu;
    }

    public MenuBar menuBar() {
        return menuBar;
    }

    /** Shortcuts a view handles itself, for the Help › Shortcuts sheet. */
    public void addShortcuts(List<Shortcut> shortcuts) {
        viewShortcuts.addAll(shortcuts);
    }

    /** Every shortcut: the menus' accelerators, then the views' own keys. */
    public List<Shortcut> shortcuts() {
        List<Shortcut> all = new ArrayList<>();
        for (Menu m : menuBar.getMenus()) {
            collect(m, all);
        }
        all.addAll(viewShortcuts);
        return all;
    }

    private static void collect(Menu menu, List<Shortcut> out) {
        for (MenuItem i : menu.getItems()) {
            if (i instanceof Menu sub) {
                collect(sub, out);
            } else if (i.getAccelerator() != null) {
                out.add(new Shortcut(i.getAccelerator().getName(), i.getText()));
            }
        }
    }

    private void dock(String key, Node content) {
        docks.put(key, new Dock(key, Texts.get("dock." + key), content, Texts.get("dock.close")));
    }

    private void buildMenus() {
        MenuItem openFiles = item("menu.openFiles", "Shortcut+O", e -> chooseFiles());
        MenuItem openFolder = item("menu.openFolder", "Shortcut+Shift+O", e -> chooseFolder());
        fileMenu.setOnShowing(e -> fillRecent());
        fillRecent();
        MenuItem quit = item("menu.quit", "Shortcut+Q", e -> javafx.application.Platform.exit());
        quit.setId("menu-quit");
        fileMenu.getItems().addAll(openFiles, openFolder, recentMenu, new SeparatorMenuItem(), quit);
        fileMenu.setId("menu-file");

        for (Dock d : docks.values()) {
            CheckMenuItem c = new CheckMenuItem(d.title());
            c.setId("menu-view-" + d.key());
            c.selectedProperty().bindBidirectional(d.shownProperty());
            viewMenu.getItems().add(c);
        }
        viewMenu.getItems().add(new SeparatorMenuItem());
        ToggleGroup themes = new ToggleGroup();
        Menu theme = new Menu(Texts.get("menu.theme"));
        for (Theme t : Theme.values()) {
            RadioMenuItem r = new RadioMenuItem(Texts.get("theme." + t.name().toLowerCase(Locale.ROOT)));
            r.setId("menu-theme-" + t.name().toLowerCase(Locale.ROOT));
            r.setToggleGroup(themes);
            r.setSelected(Theme.current() == t);
            r.setOnAction(e -> {
                t.apply();
                t.save(java.util.prefs.Preferences.userRoot().node("dev/vmcase/workbench"));
            });
            theme.getItems().add(r);
        }
        MenuItem toggleTheme = item("menu.toggleTheme", "Shortcut+Shift+T", e -> {
            Theme next = Theme.current() == Theme.LIGHT ? Theme.DARK : Theme.LIGHT;
            themes.getToggles().get(next.ordinal()).setSelected(true);
            next.apply();
            next.save(java.util.prefs.Preferences.userRoot().node("dev/vmcase/workbench"));
        });
        theme.getItems().addAll(new SeparatorMenuItem(), toggleTheme);
        viewMenu.getItems().add(theme);
        viewMenu.setId("menu-view");

        Menu help = new Menu(Texts.get("menu.help"));
        help.setId("menu-help");
        MenuItem sheet = item("menu.shortcuts", "F1", e -> ShortcutSheet.show(getScene().getWindow(), shortcuts()));
        sheet.setId("menu-shortcuts");
        help.getItems().add(sheet);
        menuBar.getMenus().addAll(fileMenu, viewMenu, help);
    }

    private static MenuItem item(String key, String accelerator, javafx.event.EventHandler<javafx.event.ActionEvent> action) {
        MenuItem i = new MenuItem(Texts.get(key));
        if (accelerator != null) {
            i.setAccelerator(KeyCombination.valueOf(accelerator));
        }
        i.setOnAction(action);
        return i;
    }

    private void fillRecent() {
        recentMenu.getItems().clear();
        List<List<Path>> items = recent.list();
        for (List<Path> paths : items) {
            String label = paths.size() == 1 ? paths.get(0).toString()
                    : paths.get(0) + " " + MessageFormat.format(Texts.get("menu.recent.more"), paths.size() - 1);
            MenuItem i = new MenuItem(label);
            i.setMnemonicParsing(false);
            i.setOnAction(e -> open(paths));
            recentMenu.getItems().add(i);
        }
        if (items.isEmpty()) {
            MenuItem none = new MenuItem(Texts.get("menu.recent.none"));
            none.setDisable(true);
            recentMenu.getItems().add(none);
        } else {
            MenuItem clear = new MenuItem(Texts.get("menu.recent.clear"));
            clear.setOnAction(e -> recent.clear());
            recentMenu.getItems().addAll(new SeparatorMenuItem(), clear);
        }
    }

    private void chooseFiles() {
        FileChooser fc = new FileChooser();
        fc.setTitle(Texts.get("menu.openFiles"));
        List<java.io.File> files = fc.showOpenMultipleDialog(getScene().getWindow());
        if (files != null && !files.isEmpty()) {
            open(files.stream().map(java.io.File::toPath).toList());
        }
    }

    private void chooseFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle(Texts.get("menu.openFolder"));
        java.io.File dir = dc.showDialog(getScene().getWindow());
        if (dir != null) {
            open(List.of(dir.toPath()));
        }
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

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(model.statusProperty());
        ProgressBar bar = new ProgressBar();
        bar.setId("progress");
        bar.progressProperty().bind(model.progressProperty());
        Button cancel = new Button(Texts.get("cancel"));
        cancel.setId("cancel");
        cancel.setOnAction(e -> model.cancel());
        HBox working = new HBox(8, bar, cancel);
        working.setAlignment(Pos.CENTER_LEFT);
        working.visibleProperty().bind(model.busyProperty());
        working.managedProperty().bind(model.busyProperty());
        // the log viewer's own work (indexing a big file, a search or filter over all of it)
        Label logWork = new Label(Texts.get("status.logWork"));
        ProgressBar logBar = new ProgressBar();
        logBar.setId("log-progress");
        logBar.progressProperty().bind(logView.progressProperty());
        Button logCancel = new Button(Texts.get("cancel"));
        logCancel.setId("log-cancel");
        logCancel.setOnAction(e -> logView.cancel());
        HBox logWorking = new HBox(8, logWork, logBar, logCancel);
        logWorking.setAlignment(Pos.CENTER_LEFT);
        logWorking.visibleProperty().bind(logView.busyProperty());
        logWorking.managedProperty().bind(logView.busyProperty());
        Label selected = new Label();
        selected.setId("selected-line");
        selected.getStyleClass().add("selected-line");
        model.selection().lineProperty().addListener((o, was, now) -> selected.setText(now == null ? ""
                : model.describe(now)));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox statusBar = new HBox(12, status, working, logWorking, grow, selected);
        statusBar.setAlignment(Pos.CENTER_LEFT);
        statusBar.setPadding(new Insets(4, 8, 4, 8));
        statusBar.getStyleClass().add("status-bar");
        return statusBar;
    }

    private ListView<Finding> findingsList() {
        ListView<Finding> list = new ListView<>(model.findings());
        list.setId("findings");
        Label placeholder = new Label();
        // while the evidence is being read, "no findings" would be a claim nobody made yet
        placeholder.textProperty().bind(javafx.beans.binding.Bindings.when(model.busyProperty())
                .then(Texts.get("reading")).otherwise(Texts.get("noFindings")));
        list.setPlaceholder(placeholder);
        list.getSelectionModel().selectedItemProperty().addListener((o, was, f) -> model.select(f));
        MenuItem explain = new MenuItem(Texts.get("finding.explain"));
        explain.setId("finding-explain");
        explain.setOnAction(e -> explain(list.getSelectionModel().getSelectedItem()));
        list.setContextMenu(new javafx.scene.control.ContextMenu(explain));
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                explain(list.getSelectionModel().getSelectedItem());
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER) {
                explain(list.getSelectionModel().getSelectedItem());
            }
        });
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Finding f, boolean empty) {
                super.updateItem(f, empty);
                getStyleClass().removeIf(c -> c.startsWith("severity-"));
                if (empty || f == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                getStyleClass().add("severity-" + f.severity().jsonName());
                Label head = new Label(Texts.get("severity." + f.severity().jsonName()) + "  " + f.rule() + "   " + String.join(", ", f.devices()));
                head.getStyleClass().add("finding-head");
                Label summary = new Label(FindingText.summary(f, Locale.getDefault()));
                summary.setWrapText(true);
                summary.getStyleClass().add("finding-summary");
                VBox box = new VBox(2, head, summary);
                if (dev.vmcase.analysis.Witness.fromPastedNote(f)) {
                    // weaker evidence than a log: said in the summary too, tagged here so it shows at a glance
                    Label witness = new Label(Texts.get("finding.pastedNote"));
                    witness.getStyleClass().add("finding-witness");
                    box.getChildren().add(1, witness);
                }
                for (SourceRef s : f.evidence()) {
                    Label ev = new Label(fileName(s.path()) + ":" + s.line() + "  " + s.text().strip());
                    ev.getStyleClass().add("evidence");
                    box.getChildren().add(ev);
                }
                box.maxWidthProperty().bind(v.widthProperty().subtract(30));
                summary.maxWidthProperty().bind(v.widthProperty().subtract(40));
                setText(null);
                setGraphic(box);
            }
        });
        return list;
    }

    private static String fileName(String path) {
        try {
            Path p = Path.of(path).getFileName();
            return p == null ? path : p.toString();
        } catch (RuntimeException e) {
            // an artifact path that is no file system path (archive!/member): shown whole
            return path;
        }
    }


}
