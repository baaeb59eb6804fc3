package dev.vmcase.app;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.ClockOffsets;
import dev.vmcase.casefile.AtomicFiles;
import dev.vmcase.casefile.CaseAnalysis;
import dev.vmcase.casefile.CaseFile;
import dev.vmcase.casefile.CaseNotes;
import dev.vmcase.casefile.CaseReport;
import dev.vmcase.casefile.ReportImages;
import dev.vmcase.casefile.ReportPictures;
import dev.vmcase.casefile.CaseSession;
import dev.vmcase.casefile.RecentCases;
import dev.vmcase.casefile.Target;
import dev.vmcase.casefile.Tour;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.notes.NotesPanel;
import dev.vmcase.views.notes.TargetResolver;
import dev.vmcase.views.notes.TourEditor;
import dev.vmcase.views.workbench.WorkbenchView;
import dev.vmcase.views.workbench.WorkbenchViewModel;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The case behind the workbench: every evidence the user opens becomes a case (unsaved until File › Save case), the
 * notes, bookmarks, tours and clock offsets live in its {@link CaseSession} (autosaved to a recovery file), and the
 * File menu saves it, opens saved cases, offers recovery after a crash and exports reports with snapshots of the views.
 */
final class CaseController {
    private static final ResourceBundle TEXTS = ResourceBundle.getBundle("dev.vmcase.app.Workbench");
    private static final ExecutorService SAVER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmcase-save");
        t.setDaemon(true);
        return t;
    });

    private final Stage stage;
    private final WorkbenchView view;
    private final WorkbenchViewModel model;
    private final CaseSession session;
    private final Menu recentCases = new Menu(TEXTS.getString("menu.recentCases"));
    private boolean applyingOffsets;
    private List<Path> inputs = List.of();
    private List<Tour> pendingTours = List.of();
    /** How opened evidence is analysed: {@link Analysis#of}; a test holds it back to see the window meanwhile. */
    Analyser analyser = Analysis::of;
    /** The autosave failure the status bar last told of, so it is said once, and its end too. */
    private String shownAutosaveProblem;

    CaseController(Stage stage, WorkbenchView view, WorkbenchViewModel model, CaseSession session) {
        this.stage = stage;
        this.view = view;
        this.model = model;
        this.session = session;
    }

    static String text(String key, Object... args) {
        return args.length == 0 ? TEXTS.getString(key) : MessageFormat.format(TEXTS.getString(key), args);
    }

    /** Adds the case items to the File menu, the notes and tours to their dock, and follows the session. */
    void install() {
        MenuItem open = item("menu.openCase", "Shortcut+Shift+K", this::chooseCase);
        open.setId("menu-open-case");
        MenuItem save = item("menu.saveCase", "Shortcut+S", this::save);
        save.setId("menu-save-case");
        MenuItem saveAs = item("menu.saveCaseAs", "Shortcut+Shift+S", this::saveAs);
        saveAs.setId("menu-save-case-as");
        MenuItem export = item("menu.exportReport", "Shortcut+E", this::exportReport);
        export.setId("menu-export-report");
        view.fileMenu().setOnShowing(e -> fillRecentCases());
        int at = view.fileMenu().getItems().size() - 2; // before the separator and Quit
        view.fileMenu().getItems().addAll(at, List.of(new SeparatorMenuItem(), open, recentCases, save, saveAs,
                new SeparatorMenuItem(), export));
        fillRecentCases();

        Supplier<TargetResolver> resolver = () -> model.resultProperty().get() == null ? TargetResolver.empty()
                : new TargetResolver(model.resultProperty().get(), session.current());
        NotesPanel notesPanel = new NotesPanel(model.selection(), session, resolver);
        TabPane tabs = new TabPane(new Tab(text("tab.notes"), notesPanel),
                new Tab(text("tab.tours"), new TourEditor(model.selection(), session, resolver)));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("notes-tabs");
        view.setNotesContent(tabs);
        view.setResolver(resolver);
        MenuItem annotate = item("menu.annotate", "Shortcut+M", () -> {
            tabs.getSelectionModel().select(0);
            notesPanel.annotateSelection();
        });
        annotate.setId("menu-annotate");
        MenuItem bookmark = item("menu.bookmark", "Shortcut+B", () -> {
            tabs.getSelectionModel().select(0);
            notesPanel.bookmarkSelection();
        });
        bookmark.setId("menu-bookmark");
        Menu notesMenu = new Menu(text("menu.notes"), null, annotate, bookmark);
        notesMenu.setId("menu-notes");
        view.menuBar().getMenus().add(view.menuBar().getMenus().size() - 1, notesMenu);

        session.addListener(() -> Platform.runLater(this::sessionChanged));
        view.timeline().clockOffsetsProperty().addListener((o, was, now) -> offsetsEdited(was, now));
        view.timeline().timeZones().zonesProperty().addListener((o, was, now) -> zonesEdited(was, now));
        model.setOpener(paths -> {
            List<Tour> tours = pendingTours;
            pendingTours = List.of();
            openEvidence(paths, tours);
        });
        stage.setOnCloseRequest(e -> {
            if (!confirmUnsaved()) {
                e.consume();
            }
        });
        sessionChanged();
    }

    private static MenuItem item(String key, String accelerator, Runnable action) {
        MenuItem i = new MenuItem(text(key));
        i.setAccelerator(KeyCombination.valueOf(accelerator));
        i.setOnAction(e -> action.run());
        return i;
    }

    // ---------------------------------------------------------------- opening

    /** Tours the next evidence opened comes with (a sample case's tour). */
    void withTours(List<Tour> tours) {
        pendingTours = List.copyOf(tours);
    }

    /** A new, unsaved case on these files, folders or archives (with tours that come with them), analysed. */
    void openEvidence(List<Path> paths, List<Tour> tours) {
        if (!confirmUnsaved()) {
            return;
        }
        inputs = List.copyOf(paths);
        showTitle(); // what is being read, not "no evidence", until the analysis makes it the case
        // the log shows the evidence's lines while the analysis reads it (a 1 GB log takes seconds to analyse)
        java.util.concurrent.CompletableFuture<Void> shown = model.preview(paths);
        WorkbenchApp.analyse(model, paths.size(), monitor -> {
            // the first lines first: on two cores the analysis' threads would take the FX thread's time (at most 2 s)
            dev.vmcase.views.log.LogViewModel.waitFor(shown, 2);
            AnalysisResult r = analyser.analyse(paths, monitor);
            session.newCase(paths, tours, hashes(r)); // the ingest hashed the files: not read a second time
            return r;
        }, this::caseShown);
    }

    /** Files, folders or archives joining the open case (a capture): its notes stay, the whole case is analysed again. */
    void addEvidence(List<Path> more) {
        WorkbenchApp.analyse(model, more.size(), monitor -> {
            session.addInputs(more, Map.of());
            return CaseAnalysis.run(session.current(), monitor);
        }, this::caseShown);
    }

    /** The sha256 of every plain file the analysis read (archive members are inside their archive's file). */
    private static Map<Path, String> hashes(AnalysisResult r) {
        Map<Path, String> out = new HashMap<>();
        for (dev.vmcase.model.Artifact a : r.evidence().artifacts()) {
            if (!a.path().contains("!/")) {
                try {
                    out.put(Path.of(a.path()).toAbsolutePath().normalize(), a.sha256());
                } catch (java.nio.file.InvalidPathException ignored) {
                    // not a file of this machine
                }
            }
        }
        return out;
    }

    void openCase(Path file) {
        if (!confirmUnsaved()) {
            return;
        }
        WorkbenchApp.analyse(model, 1, monitor -> {
            session.open(file);
            return CaseAnalysis.run(session.current(), monitor);
        }, () -> {
            caseShown();
            List<String> integrity = session.integrity();
            if (!integrity.isEmpty()) {
                Alert a = new Alert(Alert.AlertType.WARNING, text("integrity.text", String.join("\n", integrity)));
                a.setTitle(text("integrity.title"));
                a.initOwner(stage);
                a.show();
            }
            session.recovery().ifPresent(r -> {
                if (ask(text("recover.title"), text("recover.text", r.savedAt()))) {
                    session.recover();
                } else {
                    run(session::discardRecovery);
                }
            });
        });
    }

    /** Whether {@link #offerUntitledRecovery} has something to offer (and so a question to ask). */
    boolean hasUntitledRecovery() {
        return !session.untitledRecoveries().isEmpty();
    }

    /** At start-up: notes of a case never saved that a crash left behind are offered back. */
    boolean offerUntitledRecovery() {
        List<CaseSession.Recovery> found = session.untitledRecoveries();
        if (found.isEmpty()) {
            return false;
        }
        CaseSession.Recovery newest = found.stream().max(java.util.Comparator.comparing(CaseSession.Recovery::savedAt))
                .orElseThrow();
        String what = newest.artifacts().isEmpty() ? "?" : newest.artifacts().get(0).name();
        if (!ask(text("recover.title"), text("recover.untitled", what, newest.savedAt()))) {
            run(session::discardUntitledRecoveries);
            return false;
        }
        session.restoreUntitled(newest);
        run(session::discardUntitledRecoveries);
        WorkbenchApp.analyse(model, 1, monitor -> CaseAnalysis.run(session.current(), monitor), this::caseShown);
        return true;
    }

    private void chooseCase() {
        FileChooser fc = caseChooser();
        File f = fc.showOpenDialog(stage);
        if (f != null) {
            openCase(f.toPath());
        }
    }

    private void fillRecentCases() {
        recentCases.getItems().clear();
        for (Path p : RecentCases.list(CaseSession.defaultWorkRoot())) {
            MenuItem i = new MenuItem(p.toString());
            i.setMnemonicParsing(false);
            i.setOnAction(e -> openCase(p));
            recentCases.getItems().add(i);
        }
        if (recentCases.getItems().isEmpty()) {
            MenuItem none = new MenuItem(text("menu.recentCases.none"));
            none.setDisable(true);
            recentCases.getItems().add(none);
        }
    }

    /** After a case is shown: its clock offsets go to the timeline, its notes' lines to the markers. */
    private void caseShown() {
        applyingOffsets = true;
        try {
            view.timeline().clockOffsetsProperty().set(new ClockOffsets(session.notes().clockOffsets()));
            view.timeline().timeZones().zonesProperty().set(session.notes().timeZones());
        } finally {
            applyingOffsets = false;
        }
        sessionChanged();
    }

    // ---------------------------------------------------------------- following the session

    private void sessionChanged() {
        // a failed autosave means the notes since the last save would not survive a crash: the user must know
        String problem = session.autosaveProblem().orElse(null);
        if (problem != null && !problem.equals(shownAutosaveProblem)) {
            model.statusProperty().set(text("status.autosaveFailed", problem));
        } else if (problem == null && shownAutosaveProblem != null) {
            model.statusProperty().set(text("status.autosaveWorks"));
        }
        shownAutosaveProblem = problem;
        showTitle();
        CaseNotes notes = session.notes();
        if (!notes.tours().equals(model.tours())) {
            model.tours().setAll(notes.tours());
        }
        java.util.Set<LineRef> lines = new java.util.HashSet<>();
        notes.annotations().forEach(a -> lineOf(a.target()).ifPresent(lines::add));
        notes.bookmarks().forEach(b -> lineOf(b.target()).ifPresent(lines::add));
        view.log().annotatedLines().retainAll(lines);
        view.log().annotatedLines().addAll(lines);
        view.timeline().annotatedLines().retainAll(lines);
        view.timeline().annotatedLines().addAll(lines);
    }

    /** The header's and the window's title: the case's name ({@link #caseTitle}), marked when unsaved. */
    private void showTitle() {
        String name = caseTitle();
        model.titleProperty().set(name);
        stage.setTitle(text("title.case", name.isEmpty() ? text("title.untitled") : name,
                session.isDirty() ? " *" : ""));
    }

    /**
     * What the case is called: its file's name once saved (without {@code .vmcase}), else what was opened — a file by
     * its name, a folder by its last two path segments ({@code seed-incident/evidence}), several by the first and
     * how many more. Empty when nothing is open.
     */
    String caseTitle() {
        Path p = session.path();
        if (p != null) {
            return p.getFileName().toString().replaceFirst("\\.vmcase$", "");
        }
        return describeInputs(inputs);
    }

    static String describeInputs(List<Path> paths) {
        if (paths.isEmpty()) {
            return "";
        }
        Path first = paths.get(0).toAbsolutePath().normalize();
        Path name = first.getFileName();
        String s = name == null ? first.toString() : name.toString();
        if (java.nio.file.Files.isDirectory(first) && first.getParent() != null
                && first.getParent().getFileName() != null) {
            s = first.getParent().getFileName() + "/" + s;
        }
        return paths.size() == 1 ? s : text("title.more", s, paths.size() - 1);
    }

    private static Optional<LineRef> lineOf(Target t) {
        return t.isLine() ? Optional.of(new LineRef(t.artifact(), t.line())) : Optional.empty();
    }

    /** The user gave a host's time zone: the case keeps it, and the analysis runs again to place its lines. */
    private void zonesEdited(Map<String, String> was, Map<String, String> now) {
        if (applyingOffsets || now == null) {
            return;
        }
        Map<String, String> before = was == null ? Map.of() : was;
        java.util.Set<String> hosts = new java.util.HashSet<>(before.keySet());
        hosts.addAll(now.keySet());
        boolean changed = false;
        for (String host : hosts) {
            String spec = now.get(host);
            if (!java.util.Objects.equals(spec, before.get(host))) {
                try {
                    session.setTimeZone(host, spec);
                    changed = true;
                } catch (IllegalArgumentException e) {
                    return; // the field refuses what is not a zone before it gets here
                }
            }
        }
        if (changed) {
            WorkbenchApp.analyse(model, 1, monitor -> CaseAnalysis.run(session.current(), monitor), this::caseShown);
        }
    }

    /** The user moved a host's clock on the timeline: the case keeps it. */
    private void offsetsEdited(ClockOffsets was, ClockOffsets now) {
        if (applyingOffsets || now == null) {
            return;
        }
        Map<String, Long> before = was == null ? Map.of() : was.micros();
        Map<String, Long> changed = new HashMap<>(now.micros());
        before.keySet().forEach(h -> changed.putIfAbsent(h, 0L));
        changed.forEach((host, micros) -> {
            if (!micros.equals(before.getOrDefault(host, 0L))) {
                session.setClockOffset(host, micros);
            }
        });
    }

    // ---------------------------------------------------------------- saving

    private void save() {
        if (session.path() == null) {
            saveAs();
        } else {
            saveTo(session.path());
        }
    }

    private void saveAs() {
        FileChooser fc = caseChooser();
        fc.setInitialFileName("case.vmcase");
        File f = fc.showSaveDialog(stage);
        if (f != null) {
            Path p = f.toPath();
            saveTo(p.getFileName().toString().endsWith(".vmcase") ? p : p.resolveSibling(p.getFileName() + ".vmcase"));
        }
    }

    /** Saves on a worker (the evidence bytes go into the case); the window stays usable. */
    private void saveTo(Path target) {
        SAVER.submit(() -> {
            try {
                session.saveAs(target);
                Platform.runLater(() -> {
                    model.statusProperty().set(text("status.saved", target));
                    showOmitted();
                });
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> model.statusProperty().set(text("status.saveFailed", target, e.getMessage())));
            }
        });
    }

    /** After a save: what the case left out of the evidence and why (it is in the case too), if anything. */
    private void showOmitted() {
        CaseFile c = session.current();
        if (c == null || c.omitted().isEmpty()) {
            return;
        }
        String list = c.omitted().stream().map(o -> o.name() + ": " + o.reason())
                .collect(java.util.stream.Collectors.joining("\n"));
        Alert a = new Alert(Alert.AlertType.WARNING, text("omitted.text", list));
        a.setTitle(text("omitted.title"));
        a.initOwner(stage);
        a.show();
    }

    /** Saves and waits (before the window closes or another case replaces this one). */
    private boolean saveNow() {
        try {
            Path p = session.path();
            if (p == null) {
                FileChooser fc = caseChooser();
                fc.setInitialFileName("case.vmcase");
                File f = fc.showSaveDialog(stage);
                if (f == null) {
                    return false;
                }
                p = f.toPath();
            }
            session.saveAs(p);
            return true;
        } catch (IOException | RuntimeException e) {
            model.statusProperty().set(text("status.saveFailed", session.path(), e.getMessage()));
            return false;
        }
    }

    /** Whether the work may go on: the notes are saved, or the user chose to save or drop them. */
    boolean confirmUnsaved() {
        if (!session.isDirty()) {
            return true;
        }
        ButtonType save = new ButtonType(text("unsaved.save"), ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType(text("unsaved.discard"), ButtonBar.ButtonData.NO);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, text("unsaved.text"), save, discard, ButtonType.CANCEL);
        a.setTitle(text("unsaved.title"));
        a.initOwner(stage);
        Optional<ButtonType> choice = a.showAndWait();
        if (choice.isEmpty() || choice.get() == ButtonType.CANCEL) {
            return false;
        }
        if (choice.get() == save) {
            return saveNow();
        }
        run(session::discardRecovery); // dropped on purpose: not to be offered back at the next start
        return true;
    }

    private FileChooser caseChooser() {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(text("filter.case"), "*.vmcase"));
        return fc;
    }

    // ---------------------------------------------------------------- reports

    private void exportReport() {
        AnalysisResult r = model.resultProperty().get();
        if (r == null) {
            return;
        }
        FileChooser fc = new FileChooser();
        FileChooser.ExtensionFilter md = new FileChooser.ExtensionFilter(text("filter.markdown"), "*.md");
        FileChooser.ExtensionFilter html = new FileChooser.ExtensionFilter(text("filter.html"), "*.html");
        fc.getExtensionFilters().addAll(html, md);
        fc.setInitialFileName("report.html");
        File f = fc.showSaveDialog(stage);
        if (f != null) {
            exportReport(f.toPath(), f.getName().endsWith(".md") || fc.getSelectedExtensionFilter() == md);
        }
    }

    /**
     * Writes the report of the case on a worker: its pictures are drawn for the page (a diagram of the devices across
     * layers, a chart of the timeline; light print theme whatever the window shows), never read from the screen.
     */
    void exportReport(Path target, boolean markdown) {
        AnalysisResult r = model.resultProperty().get();
        CaseFile c = session.current();
        Map<String, Long> offsets = session.notes().clockOffsets();
        String name = caseTitle();
        String title = name.isEmpty() ? text("title.untitled") : name;
        SAVER.submit(() -> {
            try {
                ReportImages images = ReportPictures.of(r, offsets, Locale.getDefault());
                CaseReport report = new CaseReport(title, c, r, images, Locale.getDefault());
                AtomicFiles.writeShared(target, os -> {
                    Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                    if (markdown) {
                        String stem = target.getFileName().toString().replaceFirst("\\.(md|markdown)$", "");
                        report.markdown(w, target.resolveSibling(stem));
                    } else {
                        report.html(w);
                    }
                    w.flush();
                });
                Platform.runLater(() -> model.statusProperty().set(text("status.exported", target)));
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> model.statusProperty().set(text("status.exportFailed", target, e.getMessage())));
            }
        });
    }

    // ---------------------------------------------------------------- small helpers

    private boolean ask(String title, String question) {
        ButtonType yes = new ButtonType(text("recover.yes"), ButtonBar.ButtonData.YES);
        ButtonType no = new ButtonType(text("recover.no"), ButtonBar.ButtonData.NO);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, question, yes, no);
        a.setTitle(title);
        a.initOwner(stage);
        return a.showAndWait().filter(yes::equals).isPresent();
    }

    /** Analyses opened evidence (on the worker). */
    interface Analyser {
        AnalysisResult analyse(List<Path> paths, dev.vmcase.parsers.ProgressMonitor monitor) throws Exception;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void run(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            model.statusProperty().set(e.getMessage());
        }
    }
}
