package dev.vmcase.views.log;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.TimeAxis;
import dev.vmcase.model.Artifact;
import dev.vmcase.parsers.ingest.IngestOptions;
import dev.vmcase.parsers.lines.ArtifactFiles;
import dev.vmcase.parsers.lines.LogEvents;
import dev.vmcase.views.LineLookup;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.Texts;
import dev.vmcase.views.UiExecutors;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import javafx.collections.SetChangeListener;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.model.ReadOnlyStyledDocumentBuilder;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.ResourceBundle;

/**
 * The raw log viewer: one artifact at a time, windowed over its line index, so the text area only ever holds the
 * lines on screen (a multi-GB log opens with a bounded heap). Its own scroll bar runs over the whole (or filtered)
 * line count; the gutter shows the file's real line numbers, a QMP message's time, a bracket over multi-line events,
 * and marks for the selected, highlighted ({@link Selection#highlighted()}), annotated and search-hit lines. Under the
 * text, the selected line in full, wrapped, whatever its length.
 *
 * <p>Follows {@link Selection#lineProperty()}: switches to that artifact, scrolls the line into view and marks its
 * event; a click on a line selects it (its event's first line). Ctrl+F opens the search bar (regex toggle, F3 /
 * Shift+F3, match count); the tool bar chooses the artifact (narrowed by host and layer), filters by level and text,
 * and wraps long lines. The state and every read of the file live in {@link LogViewModel}, off the FX thread.
 */
public final class LogView extends BorderPane {
    static final String BUNDLE = "dev.vmcase.views.log.Log";
    private static final int MAX_DISPLAY_CHARS = 5_000;
    /** The QMP time column: "22:57:21.576021" in the gutter's 10 px monospace type, with its padding. */
    private static final double TIME_W = 100;

    private final Selection selection;
    private final ResourceBundle texts = Texts.of(BUNDLE);
    private final UiExecutors work = UiExecutors.standard("vmcase-log-view");
    private final UiExecutors reads = UiExecutors.standard("vmcase-log-window");
    private final UiExecutors lookups = UiExecutors.standard("vmcase-line-text");
    private final LogFiles files;
    private final LogViewModel vm;
    private final LogHighlighter highlighter = new LogHighlighter();
    private final ObservableSet<LineRef> annotated = FXCollections.observableSet();
    private final LogToolbar toolbar;
    private final LogSearchBar searchBar;
    private final StyleClassedTextArea area = new StyleClassedTextArea();
    private final ScrollBar scroll = new ScrollBar();
    private final Label lineDetail = new Label();
    private final Label lineWhere = new Label();
    private final VBox lineStrip;
    private double lineHeight = 16;
    /** Whether a line of the window carries a QMP timestamp: then every line's gutter has the time column. */
    private boolean timeColumn;
    private boolean updatingScroll;
    private boolean gutterPending;
    /** The digits the gutter pads line numbers to, set with each window ({@link #render}). */
    private int gutterDigits = 1;

    /** A log viewer on {@code selection}, extracting archive members into the default cache folder. */
    public LogView(Selection selection) {
        this(selection, ArtifactFiles.of(IngestOptions.DEFAULTS));
    }

    public LogView(Selection selection, ArtifactFiles artifactFiles) {
        this.selection = Objects.requireNonNull(selection);
        this.files = new LogFiles(artifactFiles);
        this.vm = new LogViewModel(selection, files, work, reads);
        getStyleClass().add("log-view");
        getStylesheets().add(Objects.requireNonNull(LogView.class.getResource("log.css")).toExternalForm());
        toolbar = new LogToolbar(vm, texts, this::showSearch);
        searchBar = new LogSearchBar(vm, texts, this::hideSearch);
        setTop(toolbar);
        setCenter(textPane());
        lineStrip = lineStrip();
        setBottom(new VBox(searchBar, lineStrip));
        vm.windowProperty().addListener((o, was, w) -> render(w));
        vm.setAfterLayout(this::afterLayout);
        vm.wrapProperty().addListener((o, was, now) -> {
            area.setWrapText(now);
            render(vm.windowProperty().get());
        });
        area.setWrapText(vm.wrapProperty().get());
        selection.highlighted().addListener((SetChangeListener<LineRef>) c -> refreshGutterSoon());
        annotated.addListener((SetChangeListener<LineRef>) c -> refreshGutterSoon());
        addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
        render(vm.windowProperty().get());
    }

    // ---------------------------------------------------------------- public API

    /** The state behind the view. */
    public LogViewModel viewModel() {
        return vm;
    }

    /** Gives the viewer the analysis' artifacts (text ones; archives themselves are left out) and device names. */
    public void show(AnalysisResult result) {
        vm.show(result);
        highlighter.devices(vm.deviceNames());
    }

    /**
     * Shows the biggest plain file of evidence whose analysis is starting, at once and while its index grows
     * ({@link LogViewModel#preview}); completed once its first lines are on screen, or when there is nothing to show.
     */
    public java.util.concurrent.CompletableFuture<Void> preview(java.util.List<java.nio.file.Path> paths) {
        return vm.preview(paths);
    }

    /**
     * Whether {@code paths} name a plain file (not a folder; folders are searched by {@link #preview} off the FX
     * thread) of at least {@code bytes} that {@link #preview} would show. A stat and the file's first 4 KB: cheap
     * enough for the FX thread.
     */
    public static boolean namesPlainFile(java.util.List<java.nio.file.Path> paths, long bytes) {
        for (java.nio.file.Path p : paths) {
            try {
                if (!java.nio.file.Files.isDirectory(p) && java.nio.file.Files.size(p) >= bytes
                        && LogViewModel.showable(p)) {
                    return true;
                }
            } catch (java.io.IOException | RuntimeException e) {
                // unreadable: the analysis will say so
            }
        }
        return false;
    }

    /** Shows {@code a} (indexing it in the background, extracting it first when it is an archive member). */
    public void open(Artifact a) {
        vm.open(a);
    }

    /** Stops the running indexing, filtering or counting. */
    public void cancel() {
        vm.cancel();
    }

    /** The text of any line of the evidence, read off the FX thread (the timeline's hover). */
    public LineLookup lineLookup() {
        return vm.lineLookup(lookups);
    }

    /** Lines annotated by the user, marked in the gutter. */
    public ObservableSet<LineRef> annotatedLines() {
        return annotated;
    }

    public ReadOnlyObjectProperty<Artifact> artifactProperty() {
        return vm.artifactProperty();
    }

    /** Whether indexing, filtering or counting is running (for the window's status bar). */
    public ReadOnlyBooleanProperty busyProperty() {
        return vm.busyProperty();
    }

    /** The running work's progress, 0..1, or -1 when unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return vm.progressProperty();
    }

    /** The real line number shown at the top (1-based), or 0 when nothing is shown. */
    public int topLine() {
        LogViewModel.Window w = vm.windowProperty().get();
        return w.size() == 0 ? 0 : w.lines()[0];
    }

    /** The real line numbers on screen. */
    public int[] visibleLines() {
        return vm.windowProperty().get().lines().clone();
    }

    public int lineCount() {
        return vm.lineCount();
    }

    public int shownLineCount() {
        return vm.shownLineCount();
    }

    public int searchLine() {
        return vm.searchLine();
    }

    public LogEvents.Span selectedEvent() {
        return vm.selectedEvent();
    }

    /** Shuts the background threads and closes the files. */
    public void dispose() {
        vm.cancel();
        work.shutdown();
        reads.shutdown();
        lookups.shutdown();
        files.close();
    }

    // ---------------------------------------------------------------- building

    private Node textPane() {
        area.setId("logText");
        area.getStyleClass().add("log-area");
        area.setEditable(false);
        area.setParagraphGraphicFactory(this::gutter);
        area.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0 && vm.lineCount() > 0) {
                int by = (int) Math.signum(-e.getDeltaY()) * Math.max(1, (int) Math.round(Math.abs(e.getDeltaY())
                        / lineHeight));
                vm.scrollBy(by);
                e.consume();
            }
        });
        area.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                vm.clicked(area.getCurrentParagraph());
            }
        });
        VirtualizedScrollPane<StyleClassedTextArea> pane = new VirtualizedScrollPane<>(area);
        pane.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setId("logScroll");
        scroll.setOrientation(Orientation.VERTICAL);
        scroll.setMin(0);
        scroll.valueProperty().addListener((o, a, b) -> {
            if (!updatingScroll) {
                vm.scrollTo((int) Math.round(b.doubleValue()));
            }
        });
        StackPane holder = new StackPane(pane);
        holder.heightProperty().addListener((o, a, b) -> resize(b.doubleValue()));
        area.totalHeightEstimateProperty().addListener((o, a, b) -> measure(holder.getHeight()));
        holder.setMinWidth(0);
        holder.setMinHeight(0);
        holder.setPrefWidth(200);
        scroll.setMinWidth(Region.USE_PREF_SIZE);
        HBox box = new HBox(holder, scroll);
        HBox.setHgrow(holder, Priority.ALWAYS);
        return box;
    }

    /** The selected line in full under the text: the key line stays readable however long it is. */
    private VBox lineStrip() {
        lineWhere.setId("logLineWhere");
        lineWhere.getStyleClass().add("log-line-where");
        lineWhere.setMinWidth(Region.USE_PREF_SIZE);
        Label status = new Label();
        status.setId("logStatus");
        status.getStyleClass().add("log-status");
        status.textProperty().bind(vm.statusProperty());
        status.setMinWidth(Region.USE_PREF_SIZE);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox head = new HBox(8, lineWhere, grow, status);
        head.setAlignment(Pos.CENTER_LEFT);
        lineDetail.setId("logLineDetail");
        lineDetail.getStyleClass().add("log-line-detail");
        lineDetail.setWrapText(true);
        lineDetail.setMinHeight(Region.USE_PREF_SIZE);
        ScrollPane s = new ScrollPane(lineDetail);
        s.setFitToWidth(true);
        s.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        s.setMaxHeight(78);
        s.getStyleClass().add("edge-to-edge");
        s.managedProperty().bind(lineDetail.textProperty().isNotEmpty());
        s.visibleProperty().bind(s.managedProperty());
        VBox strip = new VBox(2, head, s);
        strip.getStyleClass().add("log-line-strip");
        return strip;
    }

    private void showSearch() {
        searchBar.open();
    }

    private void hideSearch() {
        searchBar.close();
        vm.endSearch();
        area.requestFocus();
    }

    private void keys(KeyEvent e) {
        if (new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN).match(e)) {
            showSearch();
            e.consume();
        } else if (e.getCode() == KeyCode.F3) {
            searchBar.open();
            vm.search(!e.isShiftDown());
            e.consume();
        } else if (e.getCode() == KeyCode.ENTER && e.isShiftDown() && searchBar.fieldFocused()) {
            vm.search(false);
            e.consume();
        } else if (e.getCode() == KeyCode.ESCAPE && searchBar.isVisible()) {
            hideSearch();
            e.consume();
        } else if (area.isFocused() && vm.lineCount() > 0) {
            switch (e.getCode()) {
                case UP -> vm.scrollBy(-1);
                case DOWN -> vm.scrollBy(1);
                case PAGE_UP -> vm.scrollBy(-vm.rows());
                case PAGE_DOWN -> vm.scrollBy(vm.rows());
                case HOME -> vm.scrollTo(0);
                case END -> vm.scrollTo(Integer.MAX_VALUE);
                default -> {
                    return;
                }
            }
            e.consume();
        }
    }

    // ---------------------------------------------------------------- drawing the window

    /** Runs {@code r} after the next layout pulse of the scene this view is in, or at once when it is in none. */
    private void afterLayout(Runnable r) {
        javafx.scene.Scene scene = getScene();
        if (scene == null) {
            r.run();
        } else {
            dev.vmcase.views.UiExecutors.afterNextLayout(scene, r);
        }
    }

    private void measure(double height) {
        int pars = area.getParagraphs().size();
        double total = area.getTotalHeightEstimate();
        if (pars > 0 && total > 0 && !area.isWrapText()) {
            double h = total / pars;
            if (Math.abs(h - lineHeight) > 0.5) {
                lineHeight = h;
                resize(height);
            }
        }
    }

    private void resize(double height) {
        if (height <= 0) {
            return; // not laid out (its tab not chosen yet): the rows stay what they were
        }
        double bar = 16;
        vm.setRows(Math.max(1, (int) Math.floor((height - bar) / lineHeight)));
    }

    /** Fills the text area with the window's lines and styles them; one document replaces the last in one change. */
    private void render(LogViewModel.Window w) {
        updatingScroll = true;
        try {
            int total = vm.shownLineCount();
            scroll.setMax(vm.scrollMax());
            scroll.setVisibleAmount(Math.max(1, Math.min(vm.rows(), total)));
            scroll.setBlockIncrement(vm.rows());
            scroll.setUnitIncrement(1);
            scroll.setValue(w.top());
        } finally {
            updatingScroll = false;
        }
        int n = w.size();
        timeColumn = w.texts().stream().anyMatch(t -> QmpTime.of(t).isPresent());
        // the gutter's width for this window's rows: a row made later (the view grew) pads as wide as the rest,
        // though the index has grown meanwhile
        gutterDigits = Integer.toString(Math.max(1, vm.lineCount())).length();
        if (n == 0) {
            area.replaceText("");
        } else {
            LogEvents.Span event = vm.selectedEvent();
            ReadOnlyStyledDocumentBuilder<Collection<String>, String, Collection<String>> doc =
                    new ReadOnlyStyledDocumentBuilder<>(area.getSegOps(), List.of());
            for (int i = 0; i < n; i++) {
                String s = w.texts().get(i);
                if (s.length() > MAX_DISPLAY_CHARS) {
                    s = s.substring(0, MAX_DISPLAY_CHARS) + " …";
                }
                List<String> par = new ArrayList<>(2);
                par.add("log-line");
                if (event != null && event.contains(w.lines()[i])) {
                    par.add("selected-event");
                }
                if (w.lines()[i] == vm.searchLine()) {
                    par.add("search-line");
                }
                doc.addParagraph(s, highlighter.spans(s, vm.searchPattern()), par);
            }
            area.replace(0, area.getLength(), doc.build());
        }
        area.scrollYToPixel(0);
        showSelectedLine(w);
    }

    private void showSelectedLine(LogViewModel.Window w) {
        int line = vm.selectedLine();
        Artifact a = vm.artifactProperty().get();
        for (int i = 0; i < w.size(); i++) {
            if (w.lines()[i] == line && a != null) {
                lineWhere.setText(MessageFormat.format(texts.getString("log.selected"), line));
                lineDetail.setText(w.texts().get(i).strip());
                return;
            }
        }
        lineWhere.setText(a == null ? "" : texts.getString("log.noneSelected"));
        lineDetail.setText("");
    }

    /**
     * The gutter redrawn once after a burst of changes: selecting a finding highlights each of its (up to 40) lines one
     * by one, and redrawing every paragraph's gutter at each was a noticeable part of the FX thread's work when a big
     * log's analysis arrived.
     */
    private void refreshGutterSoon() {
        if (!gutterPending) {
            gutterPending = true;
            javafx.application.Platform.runLater(() -> {
                gutterPending = false;
                refreshGutter();
            });
        }
    }

    private void refreshGutter() {
        for (int i = 0; i < area.getParagraphs().size(); i++) {
            area.recreateParagraphGraphic(i);
        }
    }

    private Node gutter(int par) {
        HBox g = new HBox();
        g.getStyleClass().add("log-gutter");
        g.setAlignment(Pos.TOP_RIGHT);
        LogViewModel.Window w = vm.windowProperty().get();
        Artifact a = vm.artifactProperty().get();
        if (par >= w.size() || a == null) {
            return g;
        }
        int line = w.lines()[par];
        LineRef ref = new LineRef(a.sha256(), line);
        Region mark = new Region();
        mark.getStyleClass().add("log-mark");
        if (line == vm.selectedLine()) {
            mark.getStyleClass().add("mark-selected");
        } else if (selection.highlighted().contains(ref)) {
            mark.getStyleClass().add("mark-highlighted");
        } else if (annotated.contains(ref)) {
            mark.getStyleClass().add("mark-annotated");
        } else if (line == vm.searchLine()) {
            mark.getStyleClass().add("mark-search");
        }
        // a Text, not a Label: a gutter is made for every row of every window (the gutters were about a third of the
        // FX thread's time for a big log's first frame of lines), and a Text has no skin and fewer CSS properties;
        // the number is right-aligned by padding it to the widest number's digits (the type is monospaced)
        int digits = Math.max(gutterDigits, Integer.toString(line).length());
        javafx.scene.text.Text number = new javafx.scene.text.Text(" ".repeat(
                Math.max(0, digits - Integer.toString(line).length())) + line + " ");
        number.getStyleClass().add("log-line-number");
        Region bracket = new Region();
        bracket.getStyleClass().add("log-bracket");
        if (par < w.eventStart().length && w.eventStart()[par] != w.eventEnd()[par]) {
            bracket.getStyleClass().add(w.eventStart()[par] == par ? "bracket-first"
                    : w.eventEnd()[par] == par ? "bracket-last" : "bracket-middle");
        }
        g.getChildren().setAll(mark, number);
        // a QMP message's {"seconds": …, "microseconds": …} as the time it is
        if (timeColumn) { // the same width on every line, so the text keeps one left edge
            OptionalLong qmp = QmpTime.of(w.texts().get(par));
            Label time = new Label(qmp.isPresent() ? TimeAxis.clock(qmp.getAsLong()) : "");
            time.getStyleClass().add("log-qmp-time");
            time.setMinWidth(TIME_W);
            time.setPrefWidth(TIME_W);
            if (qmp.isPresent()) {
                time.setTooltip(new javafx.scene.control.Tooltip(TimeAxis.full(qmp.getAsLong()) + " UTC"));
            }
            g.getChildren().add(time);
        }
        g.getChildren().add(bracket);
        return g;
    }

    // ---------------------------------------------------------------- for tests

    /** The classes of the text at {@code column} of the shown paragraph {@code par}. */
    Collection<String> styleAt(int par, int column) {
        return area.getStyleOfChar(par, column);
    }

    /** The style classes of the shown paragraph {@code par}. */
    Collection<String> paragraphStyle(int par) {
        return area.getParagraph(par).getParagraphStyle();
    }

    /** The gutter node of the shown paragraph {@code par}. */
    Node gutterOf(int par) {
        return area.getParagraphGraphic(par);
    }

    /** The text of the shown paragraph {@code par}. */
    String textOf(int par) {
        return area.getParagraph(par).getText();
    }

    /** Lines on screen. */
    int rows() {
        return vm.rows();
    }

    /** The artifact chooser's layer of an artifact. */
    static String layerOf(Artifact a) {
        return LogViewModel.layerOf(a);
    }
}
