package dev.vmcase.views.log;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ingest.IngestOptions;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.lines.ArtifactFiles;
import dev.vmcase.parsers.lines.FilteredLines;
import dev.vmcase.parsers.lines.LineFilter;
import dev.vmcase.parsers.lines.LineSearch;
import dev.vmcase.parsers.lines.LogEvents;
import dev.vmcase.parsers.lines.LogFile;
import dev.vmcase.parsers.lines.LogLines;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.Texts;
import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import javafx.collections.SetChangeListener;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
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
import javafx.util.StringConverter;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.model.ReadOnlyStyledDocumentBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The raw log viewer: one artifact at a time, windowed over its {@link LogFile} line index, so the text area only
 * ever holds the lines on screen (a multi-GB log opens with a bounded heap). Its own scroll bar runs over the whole
 * (or filtered) line count; the gutter shows the file's real line numbers, a bracket over multi-line events, and
 * marks for the selected, highlighted ({@link Selection#highlighted()}), annotated and search-hit lines.
 *
 * <p>Follows {@link Selection#lineProperty()}: switches to that artifact, scrolls the line into view and marks its
 * event; a click on a line selects it (its event's first line). Ctrl+F opens the search bar (regex toggle, F3 /
 * Shift+F3, match count); the tool bar filters by level and text and chooses the artifact, narrowed by host and layer.
 * Reading, indexing, filtering and counting run on a background thread; FX thread only otherwise.
 */
public final class LogView extends BorderPane {
    static final String BUNDLE = "dev.vmcase.views.log.Log";
    private static final int MAX_DISPLAY_CHARS = 5_000;
    private static final int MAX_MATCHES_COUNTED = 1_000_000;

    private final Selection selection;
    private final ArtifactFiles files;
    private final ResourceBundle texts = Texts.of(BUNDLE);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmcase-log-view");
        t.setDaemon(true);
        return t;
    });
    private final LogHighlighter highlighter = new LogHighlighter();
    private final ObservableSet<LineRef> annotated = FXCollections.observableSet();

    // tool bar
    private final ComboBox<String> hostBox = new ComboBox<>();
    private final ComboBox<String> layerBox = new ComboBox<>();
    private final ComboBox<Artifact> artifactBox = new ComboBox<>();
    private final ComboBox<Byte> levelBox = new ComboBox<>();
    private final TextField filterField = new TextField();
    private final Label status = new Label();
    // text
    private final StyleClassedTextArea area = new StyleClassedTextArea();
    private final ScrollBar scroll = new ScrollBar();
    // search bar
    private final HBox searchBar = new HBox(6);
    private final TextField searchField = new TextField();
    private final CheckBox regexBox = new CheckBox();
    private final Label searchCount = new Label();

    private final ReadOnlyObjectWrapper<Artifact> artifact = new ReadOnlyObjectWrapper<>(this, "artifact");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);

    private List<Artifact> artifacts = List.of();
    private final Map<String, LogFile> open = new LinkedHashMap<>(16, 0.75f, true);
    private LogFile file;
    private FilteredLines filtered;
    private int top;
    private int rows = 30;
    private double lineHeight = 16;
    /** The real line numbers shown, one per paragraph, and where each one's event starts (paragraph index). */
    private int[] windowLines = new int[0];
    private int[] windowEventStart = new int[0];
    private int[] windowEventEnd = new int[0];
    private LogEvents.Span selectedEvent;
    private int selectedLine = -1;
    private int searchLine = -1;
    private Pattern searchPattern;
    private int[] matches;
    private AtomicBoolean loadCancel = new AtomicBoolean();
    private AtomicBoolean filterCancel = new AtomicBoolean();
    private AtomicBoolean countCancel = new AtomicBoolean();
    private LineRef pendingLine;
    private boolean settingSelection;
    private boolean updatingChooser;

    /** A log viewer on {@code selection}, extracting archive members into the default cache folder. */
    public LogView(Selection selection) {
        this(selection, ArtifactFiles.of(IngestOptions.DEFAULTS));
    }

    public LogView(Selection selection, ArtifactFiles files) {
        this.selection = Objects.requireNonNull(selection);
        this.files = files;
        getStyleClass().add("log-view");
        getStylesheets().add(Objects.requireNonNull(LogView.class.getResource("log.css")).toExternalForm());
        setTop(toolBar());
        setCenter(textPane());
        setBottom(searchBar());
        selection.lineProperty().addListener((o, was, now) -> {
            if (now != null && !settingSelection) {
                goTo(now);
            }
        });
        selection.highlighted().addListener((SetChangeListener<LineRef>) c -> refreshGutter());
        annotated.addListener((SetChangeListener<LineRef>) c -> refreshGutter());
        addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
        render();
    }

    // ---------------------------------------------------------------- public API

    /** Gives the viewer the analysis' artifacts (text ones; archives themselves are left out) and device names. */
    public void show(AnalysisResult result) {
        artifacts = result.evidence().artifacts().stream()
                .filter(a -> !Artifact.ARCHIVE.equals(a.format()) && a.size() > 0).toList();
        Set<String> names = new LinkedHashSet<>();
        List<DeviceRow> rows = new ArrayList<>(result.devices().source());
        rows.addAll(result.devices().destination());
        for (DeviceRow r : rows) {
            names.add(r.qdevId());
            if (r.backend() != null) {
                names.add(r.backend());
            }
        }
        highlighter.devices(names);
        updatingChooser = true;
        TreeSet<String> hosts = new TreeSet<>();
        artifacts.forEach(a -> hosts.add(hostOf(a)));
        hostBox.getItems().setAll(all());
        hostBox.getItems().addAll(hosts);
        hostBox.getSelectionModel().selectFirst();
        TreeSet<String> layers = new TreeSet<>();
        artifacts.forEach(a -> layers.add(layerOf(a)));
        layerBox.getItems().setAll(all());
        layerBox.getItems().addAll(layers);
        layerBox.getSelectionModel().selectFirst();
        updatingChooser = false;
        narrowChooser();
        LineRef line = selection.lineProperty().get();
        if (line != null && byId(line.sha256()) != null) {
            goTo(line);
        } else if (!artifactBox.getItems().isEmpty()) {
            Artifact first = artifactBox.getItems().stream().filter(a -> !Artifact.UNRECOGNIZED.equals(a.format()))
                    .findFirst().orElse(artifactBox.getItems().get(0));
            open(first);
        }
    }

    /** Shows {@code a} (indexing it in the background, extracting it first when it is an archive member). */
    public void open(Artifact a) {
        if (a == null || (artifact.get() != null && artifact.get().sha256().equals(a.sha256()) && file != null)) {
            return;
        }
        loadCancel.set(true);
        AtomicBoolean cancel = new AtomicBoolean();
        loadCancel = cancel;
        artifact.set(a);
        if (!artifactBox.getItems().contains(a)) {
            updatingChooser = true;
            hostBox.getSelectionModel().selectFirst();
            layerBox.getSelectionModel().selectFirst();
            updatingChooser = false;
            narrowChooser();
        }
        selectInChooser(a);
        file = null;
        filtered = null;
        matches = null;
        top = 0;
        selectedEvent = null;
        selectedLine = -1;
        searchLine = -1;
        LogFile cached = open.get(a.sha256());
        if (cached != null) {
            loaded(a, cached);
            return;
        }
        busy.set(true);
        progress.set(-1);
        status.setText(MessageFormat.format(texts.getString("log.status.opening"), a.path()));
        render();
        ProgressMonitor monitor = monitor(cancel);
        worker.submit(() -> {
            try {
                Path p = files.fileFor(a, monitor);
                LogFile f = LogFile.open(p, monitor);
                Platform.runLater(() -> {
                    if (cancel.get()) {
                        closeQuietly(f);
                    } else {
                        open.put(a.sha256(), f);
                        trimOpen();
                        loaded(a, f);
                    }
                });
            } catch (CancellationException e) {
                Platform.runLater(() -> busy.set(!cancel.get() && busy.get()));
            } catch (IOException | RuntimeException e) {
                Platform.runLater(() -> {
                    if (!cancel.get()) {
                        busy.set(false);
                        status.setText(MessageFormat.format(texts.getString("log.status.error"), a.path(),
                                e.getMessage()));
                    }
                });
            }
        });
    }

    /** Stops the running indexing, filtering or counting. */
    public void cancel() {
        loadCancel.set(true);
        filterCancel.set(true);
        countCancel.set(true);
        busy.set(false);
    }

    /** Lines annotated by the user, marked in the gutter (for annotations to come). */
    public ObservableSet<LineRef> annotatedLines() {
        return annotated;
    }

    /** The artifact shown. */
    public ReadOnlyObjectProperty<Artifact> artifactProperty() {
        return artifact.getReadOnlyProperty();
    }

    /** Whether indexing, filtering or counting is running (for the window's status bar). */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The running work's progress, 0..1, or -1 when unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    /** The real line number shown at the top (1-based), or 0 when nothing is shown. */
    public int topLine() {
        return windowLines.length == 0 ? 0 : windowLines[0];
    }

    /** The real line numbers on screen. */
    public int[] visibleLines() {
        return windowLines.clone();
    }

    /** The open file's line count (0 while none is open). */
    public int lineCount() {
        return file == null ? 0 : file.lineCount();
    }

    /** Lines after the filter (the whole file when none is set). */
    public int shownLineCount() {
        return file == null ? 0 : filtered == null ? file.lineCount() : filtered.size();
    }

    /** The line the search is on, or -1. */
    public int searchLine() {
        return searchLine;
    }

    /** The selected event's lines on this artifact, or null. */
    public LogEvents.Span selectedEvent() {
        return selectedEvent;
    }

    /** Shuts the background thread and closes the files. */
    public void dispose() {
        cancel();
        worker.shutdownNow();
        open.values().forEach(LogView::closeQuietly);
        open.clear();
    }

    // ---------------------------------------------------------------- building

    private String all() {
        return texts.getString("log.all");
    }

    private Node toolBar() {
        hostBox.setId("logHost");
        layerBox.setId("logLayer");
        artifactBox.setId("logArtifact");
        levelBox.setId("logLevel");
        filterField.setId("logFilterText");
        status.setId("logStatus");
        hostBox.setPromptText(texts.getString("log.host"));
        layerBox.setPromptText(texts.getString("log.layer"));
        layerBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(String s) {
                return s == null ? "" : s.equals(all()) ? texts.getString("log.layer.all")
                        : texts.containsKey("log.layer." + s) ? texts.getString("log.layer." + s) : s;
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        hostBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(String s) {
                return s == null ? "" : s.equals(all()) ? texts.getString("log.host.all") : s.isEmpty()
                        ? texts.getString("log.host.unknown") : s;
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        hostBox.valueProperty().addListener((o, a, b) -> narrowChooser());
        layerBox.valueProperty().addListener((o, a, b) -> narrowChooser());
        artifactBox.setPrefWidth(280);
        artifactBox.setCellFactory(l -> new ArtifactCell());
        artifactBox.setButtonCell(new ArtifactCell());
        artifactBox.valueProperty().addListener((o, a, b) -> {
            if (!updatingChooser && b != null) {
                open(b);
            }
        });
        levelBox.getItems().setAll(Timeline.DEBUG, Timeline.INFO, Timeline.WARNING, Timeline.ERROR);
        levelBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(Byte b) {
                return b == null ? "" : texts.getString("log.level." + b);
            }

            @Override
            public Byte fromString(String s) {
                return null;
            }
        });
        levelBox.getSelectionModel().selectFirst();
        levelBox.valueProperty().addListener((o, a, b) -> refilter());
        filterField.setPromptText(texts.getString("log.filter.prompt"));
        filterField.setPrefColumnCount(14);
        filterField.setOnAction(e -> refilter());
        filterField.textProperty().addListener((o, a, b) -> {
            if (b.isEmpty()) {
                refilter();
            }
        });
        levelBox.setTooltip(new javafx.scene.control.Tooltip(texts.getString("log.level")));
        ToolBar bar = new ToolBar(hostBox, layerBox, artifactBox, levelBox, filterField, status);
        bar.getStyleClass().add("log-toolbar");
        return bar;
    }

    private Node textPane() {
        area.setId("logText");
        area.getStyleClass().add("log-area");
        area.setEditable(false);
        area.setWrapText(false);
        area.setParagraphGraphicFactory(this::gutter);
        area.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0 && file != null) {
                int by = (int) Math.signum(-e.getDeltaY()) * Math.max(1, (int) Math.round(Math.abs(e.getDeltaY())
                        / lineHeight));
                scrollTo(top + by);
                e.consume();
            }
        });
        area.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                clickedParagraph(area.getCurrentParagraph());
            }
        });
        VirtualizedScrollPane<StyleClassedTextArea> pane = new VirtualizedScrollPane<>(area);
        pane.setVbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setId("logScroll");
        scroll.setOrientation(Orientation.VERTICAL);
        scroll.setMin(0);
        scroll.valueProperty().addListener((o, a, b) -> {
            int v = (int) Math.round(b.doubleValue());
            if (v != top) {
                top = v;
                render();
            }
        });
        StackPane holder = new StackPane(pane);
        holder.heightProperty().addListener((o, a, b) -> resize());
        area.totalHeightEstimateProperty().addListener((o, a, b) -> measure());
        holder.setMinWidth(0);
        holder.setPrefWidth(200);
        scroll.setMinWidth(Region.USE_PREF_SIZE);
        HBox box = new HBox(holder, scroll);
        HBox.setHgrow(holder, Priority.ALWAYS);
        return box;
    }

    private Node searchBar() {
        searchBar.setId("logSearchBar");
        searchBar.getStyleClass().add("log-search");
        searchBar.setAlignment(Pos.CENTER_LEFT);
        searchField.setId("logSearch");
        searchField.setPromptText(texts.getString("log.search.prompt"));
        searchField.setPrefColumnCount(30);
        regexBox.setId("logRegex");
        regexBox.setText(texts.getString("log.search.regex"));
        searchCount.setId("logSearchCount");
        Button prev = new Button(texts.getString("log.search.previous"));
        prev.setId("logSearchPrevious");
        prev.setOnAction(e -> search(false));
        Button next = new Button(texts.getString("log.search.next"));
        next.setId("logSearchNext");
        next.setOnAction(e -> search(true));
        Button close = new Button(texts.getString("log.search.close"));
        close.setOnAction(e -> hideSearch());
        searchField.setOnAction(e -> search(true));
        searchField.textProperty().addListener((o, a, b) -> searchChanged());
        regexBox.selectedProperty().addListener((o, a, b) -> searchChanged());
        searchBar.getChildren().setAll(new Label(texts.getString("log.search")), searchField, regexBox, prev, next,
                searchCount, close);
        searchBar.setVisible(false);
        searchBar.setManaged(false);
        return searchBar;
    }

    private void keys(KeyEvent e) {
        if (new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN).match(e)) {
            showSearch();
            e.consume();
        } else if (e.getCode() == KeyCode.F3) {
            search(!e.isShiftDown());
            e.consume();
        } else if (e.getCode() == KeyCode.ENTER && e.isShiftDown() && searchField.isFocused()) {
            search(false);
            e.consume();
        } else if (e.getCode() == KeyCode.ESCAPE && searchBar.isVisible()) {
            hideSearch();
            e.consume();
        } else if (area.isFocused() && file != null) {
            switch (e.getCode()) {
                case UP -> scrollTo(top - 1);
                case DOWN -> scrollTo(top + 1);
                case PAGE_UP -> scrollTo(top - rows);
                case PAGE_DOWN -> scrollTo(top + rows);
                case HOME -> scrollTo(0);
                case END -> scrollTo(Integer.MAX_VALUE);
                default -> {
                    return;
                }
            }
            e.consume();
        }
    }

    // ---------------------------------------------------------------- artifacts

    private static String hostOf(Artifact a) {
        return a.host() == null ? "" : a.host();
    }

    /** The layer an artifact's format belongs to (for the layer filter). */
    static String layerOf(Artifact a) {
        String f = a.format();
        if (f.startsWith("libvirt")) {
            return "libvirt";
        }
        if (f.startsWith("nova")) {
            return "nova";
        }
        if (f.startsWith("qmp")) {
            return "qmp";
        }
        if (f.startsWith("qemu") || f.startsWith("hmp")) {
            return "qemu";
        }
        if (f.startsWith("gdb")) {
            return "gdb";
        }
        return "other";
    }

    private Artifact byId(String sha) {
        if (artifact.get() != null && artifact.get().sha256().equals(sha)) {
            return artifact.get();
        }
        return artifacts.stream().filter(a -> a.sha256().equals(sha)).findFirst().orElse(null);
    }

    private void narrowChooser() {
        if (updatingChooser) {
            return;
        }
        String host = hostBox.getValue();
        String layer = layerBox.getValue();
        List<Artifact> shown = artifacts.stream()
                .filter(a -> host == null || host.equals(all()) || host.equals(hostOf(a)))
                .filter(a -> layer == null || layer.equals(all()) || layer.equals(layerOf(a))).toList();
        updatingChooser = true;
        artifactBox.getItems().setAll(shown);
        updatingChooser = false;
        Artifact current = artifact.get();
        if (current != null && shown.contains(current)) {
            selectInChooser(current);
        } else if (!shown.isEmpty() && current != null) {
            open(shown.get(0));
        }
    }

    private void selectInChooser(Artifact a) {
        updatingChooser = true;
        artifactBox.setValue(a);
        updatingChooser = false;
    }

    private final class ArtifactCell extends ListCell<Artifact> {
        @Override
        protected void updateItem(Artifact a, boolean empty) {
            super.updateItem(a, empty);
            if (empty || a == null) {
                setText(null);
                return;
            }
            String p = a.path();
            int cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf("!/") + 1);
            String name = cut >= 0 && cut < p.length() - 1 ? p.substring(cut + 1) : p;
            setText(name + (a.host() == null ? "" : "  · " + a.host()));
            setTooltip(new javafx.scene.control.Tooltip(p));
        }
    }

    private void loaded(Artifact a, LogFile f) {
        busy.set(false);
        progress.set(0);
        file = f;
        if (!levelBox.getValue().equals(Timeline.DEBUG) || !filterField.getText().isEmpty()) {
            refilter();
        }
        searchChanged();
        if (pendingLine != null && pendingLine.sha256().equals(a.sha256())) {
            LineRef l = pendingLine;
            pendingLine = null;
            goTo(l);
        } else {
            render();
        }
    }

    private void trimOpen() {
        // the eldest files go, never the one on screen (it stays open and in the map, so it is closed later)
        var it = open.entrySet().iterator();
        while (open.size() > 8 && it.hasNext()) {
            LogFile f = it.next().getValue();
            if (f != file) {
                it.remove();
                closeQuietly(f);
            }
        }
    }

    private static void closeQuietly(LogFile f) {
        try {
            f.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private ProgressMonitor monitor(AtomicBoolean cancel) {
        return new ProgressMonitor() {
            private long lastShown;

            @Override
            public void progress(long done, long total, String what) {
                long now = System.nanoTime();
                if (now - lastShown < 100_000_000L && done < total) {
                    return;
                }
                lastShown = now;
                double p = total <= 0 ? -1 : done / (double) total;
                Platform.runLater(() -> {
                    if (!cancel.get()) {
                        progress.set(p);
                        if (file == null) {
                            status.setText(MessageFormat.format(texts.getString("log.status.indexing"),
                                    Math.round(p * 100)));
                        }
                    }
                });
            }

            @Override
            public boolean isCancelled() {
                return cancel.get();
            }
        };
    }

    // ---------------------------------------------------------------- selection

    private void goTo(LineRef ref) {
        Artifact a = byId(ref.sha256());
        if (a == null) {
            return;
        }
        if (file == null || artifact.get() == null || !artifact.get().sha256().equals(ref.sha256())) {
            pendingLine = ref;
            open(a);
            return;
        }
        int line = Math.max(1, Math.min(ref.line(), file.lineCount()));
        if (filtered != null && !filtered.contains(line)) {
            // the line is hidden by the filter: show everything again so it can be seen
            filterField.setText("");
            levelBox.setValue(Timeline.DEBUG);
            filtered = null;
        }
        selectedLine = line;
        selectedEvent = LogEvents.around(file, line);
        int pos = positionOf(line);
        if (pos < top || pos >= top + rows - 1) {
            top = pos - rows / 3;
        }
        render();
    }

    private void clickedParagraph(int par) {
        if (par < 0 || par >= windowLines.length || artifact.get() == null) {
            return;
        }
        int line = windowLines[par];
        selectedEvent = LogEvents.around(file, line);
        selectedLine = selectedEvent.first();
        settingSelection = true;
        try {
            selection.lineProperty().set(new LineRef(artifact.get().sha256(), selectedLine));
        } finally {
            settingSelection = false;
        }
        render();
    }

    // ---------------------------------------------------------------- window

    private int positionOf(int line) {
        return filtered == null ? line - 1 : filtered.positionOf(line);
    }

    private int shown() {
        return shownLineCount();
    }

    private void scrollTo(int pos) {
        int max = Math.max(0, shown() - rows);
        int t = Math.max(0, Math.min(pos, max));
        if (t != top) {
            top = t;
            render();
        }
    }

    private void measure() {
        int pars = area.getParagraphs().size();
        double total = area.getTotalHeightEstimate();
        if (pars > 0 && total > 0) {
            double h = total / pars;
            if (Math.abs(h - lineHeight) > 0.5) {
                lineHeight = h;
                resize();
            }
        }
    }

    private void resize() {
        double h = ((Region) area.getParent().getParent()).getHeight();
        double bar = 16;
        int r = Math.max(1, (int) Math.floor((h - bar) / lineHeight));
        if (r != rows) {
            rows = r;
            render();
        }
    }

    /** Fills the text area with the lines at positions {@code top..top+rows} and styles them. */
    private void render() {
        int total = shown();
        top = Math.max(0, Math.min(top, Math.max(0, total - rows)));
        scroll.setMax(Math.max(0, total - rows));
        scroll.setVisibleAmount(Math.max(1, Math.min(rows, total)));
        scroll.setBlockIncrement(rows);
        scroll.setUnitIncrement(1);
        if (scroll.getValue() != top) {
            scroll.setValue(top);
        }
        if (file == null) {
            windowLines = new int[0];
            area.replaceText("");
            return;
        }
        int n = Math.min(rows, total - top);
        int[] lines = new int[n];
        List<String> text = new ArrayList<>(n);
        if (filtered == null) {
            List<String> l = file.lines(top + 1, n);
            for (int i = 0; i < l.size(); i++) {
                lines[i] = top + 1 + i;
                text.add(l.get(i));
            }
        } else {
            int i = 0;
            while (i < n) {
                int start = filtered.line(top + i);
                int run = 1;
                while (i + run < n && filtered.line(top + i + run) == start + run) {
                    run++;
                }
                List<String> l = file.lines(start, run);
                for (int k = 0; k < run; k++) {
                    lines[i + k] = start + k;
                    text.add(k < l.size() ? l.get(k) : "");
                }
                i += run;
            }
        }
        windowLines = lines;
        // events: where each shown line's event starts and ends (within the window)
        boolean firstInEvent = n > 0 && !LogLines.startsWithTimestamp(text.get(0))
                && LogEvents.around(file, lines[0]).first() < lines[0];
        int[] starts = LogEvents.starts(text, firstInEvent);
        int[] ends = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            ends[i] = i + 1 < n && starts[i + 1] == starts[i] ? ends[i + 1] : i;
        }
        windowEventStart = starts;
        windowEventEnd = ends;
        if (n == 0) {
            area.replaceText("");
        } else {
            // one document, built whole: text, spans and paragraph styles replace the window in one change
            ReadOnlyStyledDocumentBuilder<Collection<String>, String, Collection<String>> doc =
                    new ReadOnlyStyledDocumentBuilder<>(area.getSegOps(), List.of());
            for (int i = 0; i < n; i++) {
                String s = text.get(i);
                if (s.length() > MAX_DISPLAY_CHARS) {
                    s = s.substring(0, MAX_DISPLAY_CHARS) + " …";
                }
                List<String> par = new ArrayList<>(2);
                par.add("log-line");
                if (selectedEvent != null && selectedEvent.contains(lines[i])) {
                    par.add("selected-event");
                }
                if (lines[i] == searchLine) {
                    par.add("search-line");
                }
                doc.addParagraph(s, highlighter.spans(s, searchPattern), par);
            }
            area.replace(0, area.getLength(), doc.build());
        }
        area.scrollYToPixel(0);
        updateStatus();
    }

    private void refreshGutter() {
        for (int i = 0; i < area.getParagraphs().size(); i++) {
            area.recreateParagraphGraphic(i);
        }
    }

    private Node gutter(int par) {
        HBox g = new HBox();
        g.getStyleClass().add("log-gutter");
        g.setAlignment(Pos.CENTER_RIGHT);
        if (par >= windowLines.length || artifact.get() == null) {
            return g;
        }
        int line = windowLines[par];
        String sha = artifact.get().sha256();
        LineRef ref = new LineRef(sha, line);
        Region mark = new Region();
        mark.getStyleClass().add("log-mark");
        if (line == selectedLine) {
            mark.getStyleClass().add("mark-selected");
        } else if (selection.highlighted().contains(ref)) {
            mark.getStyleClass().add("mark-highlighted");
        } else if (annotated.contains(ref)) {
            mark.getStyleClass().add("mark-annotated");
        } else if (line == searchLine) {
            mark.getStyleClass().add("mark-search");
        }
        Label number = new Label(Integer.toString(line));
        number.getStyleClass().add("log-line-number");
        number.setMinWidth(Region.USE_PREF_SIZE);
        int digits = Integer.toString(Math.max(1, file == null ? 1 : file.lineCount())).length();
        number.setPrefWidth(digits * 7.5 + 8);
        number.setAlignment(Pos.CENTER_RIGHT);
        Region bracket = new Region();
        bracket.getStyleClass().add("log-bracket");
        if (par < windowEventStart.length) {
            boolean multi = windowEventStart[par] != windowEventEnd[par];
            if (multi) {
                if (windowEventStart[par] == par) {
                    bracket.getStyleClass().add("bracket-first");
                } else if (windowEventEnd[par] == par) {
                    bracket.getStyleClass().add("bracket-last");
                } else {
                    bracket.getStyleClass().add("bracket-middle");
                }
            }
        }
        g.getChildren().setAll(mark, number, bracket);
        return g;
    }

    private void updateStatus() {
        if (file == null || busy.get()) {
            return;
        }
        String s = filtered == null
                ? MessageFormat.format(texts.getString("log.status.lines"), file.lineCount())
                : MessageFormat.format(texts.getString("log.status.filtered"), filtered.size(), file.lineCount());
        status.setText(s);
    }

    // ---------------------------------------------------------------- filters

    private void refilter() {
        if (file == null) {
            return;
        }
        filterCancel.set(true);
        AtomicBoolean cancel = new AtomicBoolean();
        filterCancel = cancel;
        Pattern text = null;
        if (!filterField.getText().isEmpty()) {
            try {
                text = LineSearch.pattern(filterField.getText(), regexBox.isSelected());
            } catch (PatternSyntaxException e) {
                status.setText(texts.getString("log.search.bad"));
                return;
            }
        }
        LineFilter filter = new LineFilter(levelBox.getValue() == null ? Timeline.DEBUG : levelBox.getValue(), text);
        int keep = topLine();
        if (filter.isAll()) {
            filtered = null;
            top = Math.max(0, keep - 1);
            render();
            return;
        }
        LogFile f = file;
        busy.set(true);
        progress.set(-1);
        ProgressMonitor monitor = monitor(cancel);
        worker.submit(() -> {
            try {
                FilteredLines result = filter.apply(f, monitor);
                Platform.runLater(() -> {
                    if (!cancel.get() && f == file) {
                        busy.set(false);
                        filtered = result;
                        top = keep <= 0 ? 0 : result.positionOf(keep);
                        render();
                        searchChanged();
                    }
                });
            } catch (CancellationException e) {
                // a newer filter or artifact replaced it
            } catch (RuntimeException e) {
                Platform.runLater(() -> {
                    busy.set(false);
                    status.setText(MessageFormat.format(texts.getString("log.status.error"), f.path(),
                            e.getMessage()));
                });
            }
        });
    }

    // ---------------------------------------------------------------- search

    private void showSearch() {
        searchBar.setVisible(true);
        searchBar.setManaged(true);
        searchField.requestFocus();
        searchField.selectAll();
    }

    private void hideSearch() {
        searchBar.setVisible(false);
        searchBar.setManaged(false);
        searchPattern = null;
        searchLine = -1;
        render();
        area.requestFocus();
    }

    private Pattern currentPattern() {
        String s = searchField.getText();
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return LineSearch.pattern(s, regexBox.isSelected());
        } catch (PatternSyntaxException e) {
            // an unfinished regular expression while the user types: no search until it is one
            return null;
        }
    }

    /** The search text or mode changed: new pattern, recount in the background. */
    private void searchChanged() {
        countCancel.set(true);
        matches = null;
        searchPattern = currentPattern();
        if (searchPattern == null) {
            searchCount.setText(searchField.getText().isEmpty() ? "" : texts.getString("log.search.bad"));
            if (file != null) {
                render();
            }
            return;
        }
        if (file == null) {
            return;
        }
        render();
        AtomicBoolean cancel = new AtomicBoolean();
        countCancel = cancel;
        searchCount.setText(texts.getString("log.search.counting"));
        LogFile f = file;
        FilteredLines fl = filtered;
        Pattern p = searchPattern;
        worker.submit(() -> {
            try {
                int[] found = new int[256];
                int[] size = {0};
                int[][] holder = {found};
                f.scan(1, f.lineCount(), monitor(cancel), (n, s) -> {
                    if ((fl == null || fl.contains(n)) && p.matcher(s).find()) {
                        if (size[0] == holder[0].length) {
                            holder[0] = java.util.Arrays.copyOf(holder[0], holder[0].length * 2);
                        }
                        holder[0][size[0]++] = n;
                    }
                    return size[0] < MAX_MATCHES_COUNTED;
                });
                int[] result = java.util.Arrays.copyOf(holder[0], size[0]);
                Platform.runLater(() -> {
                    if (!cancel.get() && f == file && p == searchPattern) {
                        matches = result;
                        updateSearchCount();
                    }
                });
            } catch (CancellationException e) {
                // replaced
            }
        });
    }

    private void updateSearchCount() {
        if (matches == null) {
            return;
        }
        if (matches.length == 0) {
            searchCount.setText(texts.getString("log.search.none"));
            return;
        }
        int i = java.util.Arrays.binarySearch(matches, searchLine);
        String total = matches.length >= MAX_MATCHES_COUNTED ? matches.length + "+" : Integer.toString(matches.length);
        searchCount.setText(i >= 0 ? MessageFormat.format(texts.getString("log.search.count"), i + 1, total)
                : MessageFormat.format(texts.getString("log.search.total"), total));
    }

    /** Moves to the next (or previous) matching line after the selected or search line, wrapping at the ends. */
    void search(boolean forward) {
        if (!searchBar.isVisible()) {
            showSearch();
        }
        Pattern p = currentPattern();
        if (p == null || file == null) {
            return;
        }
        if (searchPattern == null || !p.pattern().equals(searchPattern.pattern())) {
            searchChanged();
        }
        int from = searchLine > 0 ? searchLine : selectedLine > 0 ? selectedLine
                : forward ? topLine() - 1 : topLine() + rows;
        LogFile f = file;
        FilteredLines fl = filtered;
        AtomicBoolean cancel = new AtomicBoolean();
        worker.submit(() -> {
            try {
                ProgressMonitor m = monitor(cancel);
                int hit = LineSearch.find(f, p, from, forward, fl == null ? null : fl::contains, m);
                boolean wrapped = false;
                if (hit < 0) {
                    hit = LineSearch.find(f, p, forward ? 0 : f.lineCount() + 1, forward,
                            fl == null ? null : fl::contains, m);
                    wrapped = hit >= 0;
                }
                int found = hit;
                boolean w = wrapped;
                Platform.runLater(() -> {
                    if (f != file) {
                        return;
                    }
                    if (found < 0) {
                        searchCount.setText(texts.getString("log.search.none"));
                        return;
                    }
                    searchLine = found;
                    int pos = positionOf(found);
                    if (pos < top || pos >= top + rows) {
                        top = pos - rows / 3;
                    }
                    render();
                    updateSearchCount();
                    if (w) {
                        searchCount.setText(searchCount.getText() + " · " + texts.getString("log.search.wrapped"));
                    }
                });
            } catch (CancellationException e) {
                // replaced
            }
        });
    }

    /** For tests: the classes of the text at {@code column} of the shown paragraph {@code par}. */
    Collection<String> styleAt(int par, int column) {
        return area.getStyleOfChar(par, column);
    }

    /** For tests: the style classes of the shown paragraph {@code par}. */
    Collection<String> paragraphStyle(int par) {
        return area.getParagraph(par).getParagraphStyle();
    }

    /** For tests: the gutter node of the shown paragraph {@code par}. */
    Node gutterOf(int par) {
        return area.getParagraphGraphic(par);
    }

    /** For tests: the text of the shown paragraph {@code par}. */
    String textOf(int par) {
        return area.getParagraph(par).getText();
    }

    /** Lines on screen. */
    int rows() {
        return rows;
    }
}
