package dev.vmcase.views.log;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.ingest.ArchiveMembers;
import dev.vmcase.parsers.lines.FilteredLines;
import dev.vmcase.parsers.lines.LineFilter;
import dev.vmcase.parsers.lines.LineSearch;
import dev.vmcase.parsers.lines.LogEvents;
import dev.vmcase.parsers.lines.LogFile;
import dev.vmcase.parsers.lines.LogLines;
import dev.vmcase.views.LineLookup;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.UiExecutors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The log viewer's state without a scene graph: which artifacts there are (narrowed by host and layer), the one shown
 * and its line index ({@link LogFiles}), the level and text filter, the window of lines on screen, the selected line
 * and its event, the search and its count. Everything that reads the file — indexing, filtering, counting, and the
 * window itself — runs on a background executor and lands on the FX executor ({@link UiExecutors}); with
 * {@link UiExecutors#direct()} it all happens at once, which is how it is tested.
 */
public final class LogViewModel {

    /**
     * The lines on screen: their real line numbers and texts, and for each where its event starts and ends (indices
     * into the window; equal for a one-line event).
     */
    public record Window(int top, int[] lines, List<String> texts, int[] eventStart, int[] eventEnd) {
        static final Window EMPTY = new Window(0, new int[0], List.of(), new int[0], new int[0]);

        public int size() {
            return lines.length;
        }
    }

    private final Selection selection;
    private final LogFiles files;
    private final UiExecutors work;
    private final UiExecutors reads;
    private final ResourceBundle texts;

    private final ObservableList<String> hosts = FXCollections.observableArrayList();
    private final ObservableList<String> layers = FXCollections.observableArrayList();
    private final ObservableList<Artifact> chooser = FXCollections.observableArrayList();
    private final ObjectProperty<String> host = new SimpleObjectProperty<>(this, "host");
    private final ObjectProperty<String> layer = new SimpleObjectProperty<>(this, "layer");
    private final ReadOnlyObjectWrapper<Artifact> artifact = new ReadOnlyObjectWrapper<>(this, "artifact");
    private final ObjectProperty<Byte> level = new SimpleObjectProperty<>(this, "level", Timeline.DEBUG);
    private final StringProperty filterText = new SimpleStringProperty(this, "filterText", "");
    private final BooleanProperty regex = new SimpleBooleanProperty(this, "regex");
    private final BooleanProperty wrap = new SimpleBooleanProperty(this, "wrap", false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final ReadOnlyObjectWrapper<Window> window = new ReadOnlyObjectWrapper<>(this, "window", Window.EMPTY);
    private final AtomicInteger windowRequest = new AtomicInteger();

    private List<Artifact> artifacts = List.of();
    private Set<String> deviceNames = Set.of();
    private LogFile file;
    private FilteredLines filtered;
    private int top;
    private int rows = 30;
    private int selectedLine = -1;
    private LogEvents.Span selectedEvent;
    private AtomicBoolean loadCancel = new AtomicBoolean();
    private AtomicBoolean filterCancel = new AtomicBoolean();
    private final LogSearch search;
    private LineRef pendingLine;
    private boolean updatingChooser;
    private boolean settingSelection;
    /**
     * The file shown before the analysis knew it ({@link #preview}), as a stand-in artifact, until the analysis' own
     * artifact for it takes over; null otherwise.
     */
    private Artifact previewing;
    /** Whether the stand-in's indexing stopped (cancelled, failed): its artifact is then opened afresh. */
    private boolean previewBroken;
    /** Completed once the lines of the file {@link #preview} chose are on screen (or it gave up). */
    private CompletableFuture<Void> firstLines = CompletableFuture.completedFuture(null);
    /**
     * Runs its argument on the FX thread once the window just set is laid out on screen (the view knows its scene);
     * by default at once, after the view took the window. What waits for the first lines (the index, the analysis)
     * waits for this: released earlier, on two cores they would take the time the first frame of lines needs.
     */
    private java.util.function.Consumer<Runnable> afterLayout;
    /** Whether {@link #file} covers only the lines indexed so far (the whole-file index is still being built). */
    private boolean partial;

    /**
     * @param work  indexing, filtering, counting and searching (long scans)
     * @param reads the window's lines and the selected event (short reads, never behind a long scan)
     */
    public LogViewModel(Selection selection, LogFiles files, UiExecutors work, UiExecutors reads) {
        this.selection = Objects.requireNonNull(selection);
        this.files = files;
        this.work = work;
        this.reads = reads;
        this.texts = dev.vmcase.views.Texts.of(LogView.BUNDLE);
        this.afterLayout = r -> reads.fx().execute(r);
        host.addListener((o, a, b) -> narrowChooser());
        layer.addListener((o, a, b) -> narrowChooser());
        level.addListener((o, a, b) -> refilter());
        filterText.addListener((o, a, b) -> {
            if (b.isEmpty()) {
                refilter();
            }
        });
        this.search = new LogSearch(new SearchHost(), work, texts, regex);
        selection.lineProperty().addListener((o, was, now) -> {
            if (now != null && !settingSelection) {
                goTo(now);
            }
        });
    }

    // ---------------------------------------------------------------- properties

    public ObservableList<String> hosts() {
        return hosts;
    }

    public ObservableList<String> layers() {
        return layers;
    }

    /** The artifacts the chooser offers: those of the chosen host and layer. */
    public ObservableList<Artifact> chooser() {
        return chooser;
    }

    public ObjectProperty<String> hostProperty() {
        return host;
    }

    public ObjectProperty<String> layerProperty() {
        return layer;
    }

    public ReadOnlyObjectProperty<Artifact> artifactProperty() {
        return artifact.getReadOnlyProperty();
    }

    /** Lines below this {@link Timeline} level are filtered out (continuation lines follow their event). */
    public ObjectProperty<Byte> levelProperty() {
        return level;
    }

    /** The text filter (applied by {@link #refilter()}, or at once when emptied). */
    public StringProperty filterTextProperty() {
        return filterText;
    }

    public StringProperty searchTextProperty() {
        return search.textProperty();
    }

    /** Search and filter text are regular expressions. */
    public BooleanProperty regexProperty() {
        return regex;
    }

    /** Long lines wrap instead of running off the right edge. */
    public BooleanProperty wrapProperty() {
        return wrap;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty searchCountProperty() {
        return search.countProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    /** The lines on screen. */
    public ReadOnlyObjectProperty<Window> windowProperty() {
        return window.getReadOnlyProperty();
    }

    /** Device ids and backends the evidence names (highlighted in the text). */
    public Set<String> deviceNames() {
        return deviceNames;
    }

    public int selectedLine() {
        return selectedLine;
    }

    public LogEvents.Span selectedEvent() {
        return selectedEvent;
    }

    public int searchLine() {
        return search.line();
    }

    /** The search as a pattern, or null (no search, or one that does not compile). */
    public Pattern searchPattern() {
        return search.pattern();
    }

    public int lineCount() {
        return file == null ? 0 : file.lineCount();
    }

    /** Lines after the filter (the whole file when none is set). */
    public int shownLineCount() {
        return file == null ? 0 : filtered == null ? file.lineCount() : filtered.size();
    }

    public int top() {
        return top;
    }

    public int rows() {
        return rows;
    }

    /** Where the view's scroll bar runs to. */
    public int scrollMax() {
        return Math.max(0, shownLineCount() - rows);
    }

    /** The label of the "all" entry of the host and layer choosers. */
    public String all() {
        return texts.getString("log.all");
    }

    // ---------------------------------------------------------------- artifacts

    /** Takes the analysis' artifacts (text ones; archives themselves are left out) and device names. */
    public void show(AnalysisResult result) {
        artifacts = result.evidence().artifacts().stream()
                .filter(a -> !Artifact.ARCHIVE.equals(a.format()) && a.size() > 0).toList();
        Set<String> names = new LinkedHashSet<>();
        List<DeviceRow> devices = new ArrayList<>(result.devices().source());
        devices.addAll(result.devices().destination());
        for (DeviceRow r : devices) {
            names.add(r.qdevId());
            if (r.backend() != null) {
                names.add(r.backend());
            }
        }
        deviceNames = Set.copyOf(names);
        updatingChooser = true;
        TreeSet<String> hs = new TreeSet<>();
        artifacts.forEach(a -> hs.add(hostOf(a)));
        hosts.setAll(all());
        hosts.addAll(hs);
        host.set(all());
        TreeSet<String> ls = new TreeSet<>();
        artifacts.forEach(a -> ls.add(layerOf(a)));
        layers.setAll(all());
        layers.addAll(ls);
        layer.set(all());
        updatingChooser = false;
        narrowChooser();
        LineRef line = selection.lineProperty().get();
        if (line != null && byId(line.sha256()) != null) {
            goTo(line);
        } else if (!chooser.isEmpty()) {
            Artifact shown = artifact.get();
            // the file shown while the analysis ran stays in view, unless the analysis found it is no log
            Artifact first = chooser.stream().filter(a -> shown != null && !Artifact.UNRECOGNIZED.equals(a.format())
                            && LogFiles.key(a).equals(LogFiles.key(shown)))
                    .findFirst().orElse(chooser.stream().filter(a -> !Artifact.UNRECOGNIZED.equals(a.format()))
                            .findFirst().orElse(chooser.get(0)));
            open(first);
        }
    }

    /**
     * Shows the evidence about to be analysed at once, before the analysis knows its artifacts: the biggest plain text
     * file among {@code paths} (folders searched; archives, compressed and binary files left to the analysis) is
     * indexed in the background and its lines are on screen after its first 64 KB; the scroll range grows as the index
     * does. When
     * the analysis arrives ({@link #show}) its artifact for the same file takes over, at the same place, without a
     * second index.
     */
    public CompletableFuture<Void> preview(List<Path> paths) {
        CompletableFuture<Void> shown = new CompletableFuture<>();
        firstLines.complete(null);
        firstLines = shown;
        loadCancel.set(true);
        AtomicBoolean cancel = new AtomicBoolean();
        loadCancel = cancel;
        previewing = null;
        previewBroken = false;
        clearShown();
        artifact.set(null);
        busy.set(true);
        progress.set(-1);
        List<Path> given = List.copyOf(paths);
        work.background().execute(() -> {
            Path p = biggestText(given);
            if (p == null || cancel.get()) {
                shown.complete(null);
                work.fx().execute(() -> busy.set(!cancel.get() ? false : busy.get()));
                return;
            }
            long size;
            try {
                size = Files.size(p);
            } catch (IOException e) {
                size = 0;
            }
            Artifact a = new Artifact(PREVIEW + p, p.toString(), size, Artifact.UNRECOGNIZED, null, null, List.of());
            work.fx().execute(() -> {
                if (!cancel.get()) {
                    previewing = a;
                    chooser.setAll(a); // first: the tool bar's chooser shows a value it holds by its name
                    artifact.set(a);
                    files.pin(a);
                    status.set(MessageFormat.format(texts.getString("log.status.opening"), a.path()));
                }
            });
            index(a, cancel, shown);
            shown.complete(null);
        });
        return shown;
    }

    /** The stand-in artifact's prefix of a file's hash: never a sha256. */
    private static final String PREVIEW = "preview:";

    /**
     * Indexes the artifact's file (on the background thread), showing its lines as the index grows; after its first
     * lines the index waits (up to two seconds) until they are on screen: on two cores the scan would take the FX
     * thread's time.
     */
    private void index(Artifact a, AtomicBoolean cancel, CompletableFuture<Void> shown) {
        try {
            LogFile f = files.get(a, monitor(cancel), part -> {
                work.fx().execute(() -> grown(a, part, cancel));
                waitFor(shown, 2);
            });
            work.fx().execute(() -> {
                if (!cancel.get() && sameFile(a)) {
                    partial = false;
                    loaded(artifact.get(), f);
                }
            });
        } catch (CancellationException e) {
            work.fx().execute(() -> {
                previewBroken = true;
                busy.set(!cancel.get() && busy.get());
            });
        } catch (IOException | RuntimeException e) {
            work.fx().execute(() -> {
                previewBroken = true;
                if (!cancel.get()) {
                    busy.set(false);
                    status.set(MessageFormat.format(texts.getString("log.status.error"), a.path(), e.getMessage()));
                }
            });
        }
    }

    /** Waits up to {@code seconds} for {@code f} (a head start for the screen, not a condition of anything). */
    public static void waitFor(CompletableFuture<?> f, int seconds) {
        try {
            f.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the screen took longer: the work goes on anyway
        }
    }

    /** More of the file is indexed: its lines so far are shown, the place kept (FX thread). */
    private void grown(Artifact a, LogFile part, AtomicBoolean cancel) {
        if (cancel.get() || !sameFile(a) || (file != null && !partial)
                || (file != null && file.lineCount() >= part.lineCount())) {
            return;
        }
        file = part;
        partial = true;
        requestWindow();
    }

    /** Whether the artifact shown is {@code a}'s file (the stand-in or the analysis' artifact of the same file). */
    private boolean sameFile(Artifact a) {
        return artifact.get() != null && LogFiles.key(artifact.get()).equals(LogFiles.key(a));
    }

    /** The biggest regular file among the paths and the folders' files that is not an archive, compressed or binary. */
    static Path biggestText(List<Path> paths) {
        Path best = null;
        long bestSize = -1;
        for (Path given : paths) {
            List<Path> candidates;
            if (Files.isDirectory(given)) {
                try (java.util.stream.Stream<Path> walk = Files.walk(given, 8)) {
                    candidates = walk.limit(20_000).filter(Files::isRegularFile).toList();
                } catch (IOException | java.io.UncheckedIOException e) {
                    candidates = List.of();
                }
            } else {
                candidates = List.of(given);
            }
            for (Path c : candidates) {
                try {
                    long size = Files.size(c);
                    if (size > bestSize && showable(c)) {
                        best = c.toAbsolutePath().normalize();
                        bestSize = size;
                    }
                } catch (IOException | RuntimeException e) {
                    // unreadable: the analysis will say so
                }
            }
        }
        return bestSize > 0 ? best : null;
    }

    /**
     * Whether {@link #preview} would show the file: a regular file, not an archive, compressed or binary (its first
     * 4 KB read).
     */
    static boolean showable(Path file) throws IOException {
        return Files.isRegularFile(file) && !ArchiveMembers.isArchiveOrCompressed(file) && !binary(file);
    }

    /** Whether the file's first 4 KB hold a NUL byte: a core dump or an image, not a log to show. */
    private static boolean binary(Path file) throws IOException {
        byte[] head = new byte[4096];
        int n;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (dev.vmcase.parsers.TextSource.utf16(head, n)) {
            return false; // UTF-16 text (its NUL bytes are half of its ASCII characters): shown decoded
        }
        for (int i = 0; i < n; i++) {
            if (head[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** Nothing on screen: no file, filter, search, selection or window. */
    private void clearShown() {
        file = null;
        partial = false;
        filtered = null;
        search.reset();
        top = 0;
        selectedEvent = null;
        selectedLine = -1;
        window.set(Window.EMPTY);
    }

    /** Shows {@code a} (indexing it in the background, extracting it first when it is an archive member). */
    public void open(Artifact a) {
        if (a == null || (artifact.get() != null && artifact.get().sha256().equals(a.sha256()) && file != null)) {
            return;
        }
        if (previewing != null && artifact.get() == previewing && !previewBroken
                && LogFiles.key(a).equals(LogFiles.key(previewing))) {
            // the file shown before the analysis: it becomes the analysis' artifact where it is, its index goes on
            previewing = null;
            artifact.set(a);
            files.pin(a);
            return;
        }
        previewing = null;
        loadCancel.set(true);
        AtomicBoolean cancel = new AtomicBoolean();
        loadCancel = cancel;
        artifact.set(a);
        files.pin(a);
        if (!chooser.contains(a)) {
            updatingChooser = true;
            host.set(all());
            layer.set(all());
            updatingChooser = false;
            narrowChooser();
        }
        clearShown();
        LogFile cached = files.cached(a);
        if (cached != null) {
            loaded(a, cached);
            return;
        }
        busy.set(true);
        progress.set(-1);
        status.set(MessageFormat.format(texts.getString("log.status.opening"), a.path()));
        ProgressMonitor monitor = monitor(cancel);
        work.background().execute(() -> {
            try {
                LogFile f = files.get(a, monitor);
                work.fx().execute(() -> {
                    if (!cancel.get()) {
                        loaded(a, f);
                    }
                });
            } catch (CancellationException e) {
                work.fx().execute(() -> busy.set(!cancel.get() && busy.get()));
            } catch (IOException | RuntimeException e) {
                work.fx().execute(() -> {
                    if (!cancel.get()) {
                        busy.set(false);
                        status.set(MessageFormat.format(texts.getString("log.status.error"), a.path(),
                                e.getMessage()));
                    }
                });
            }
        });
    }

    private void loaded(Artifact a, LogFile f) {
        busy.set(false);
        progress.set(0);
        file = f;
        if ((level.get() != null && level.get() != Timeline.DEBUG) || !filterText.get().isEmpty()) {
            refilter();
        }
        searchChanged();
        if (pendingLine != null && pendingLine.sha256().equals(a.sha256())) {
            LineRef l = pendingLine;
            pendingLine = null;
            goTo(l);
        } else {
            requestWindow();
        }
    }

    /** Stops the running indexing, filtering or counting. */
    public void cancel() {
        loadCancel.set(true);
        filterCancel.set(true);
        search.stopCounting();
        busy.set(false);
    }

    static String hostOf(Artifact a) {
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

    Artifact byId(String sha) {
        if (artifact.get() != null && artifact.get().sha256().equals(sha)) {
            return artifact.get();
        }
        return artifacts.stream().filter(a -> a.sha256().equals(sha)).findFirst().orElse(null);
    }

    private void narrowChooser() {
        if (updatingChooser) {
            return;
        }
        String h = host.get();
        String l = layer.get();
        List<Artifact> shown = artifacts.stream()
                .filter(a -> h == null || h.equals(all()) || h.equals(hostOf(a)))
                .filter(a -> l == null || l.equals(all()) || l.equals(layerOf(a))).toList();
        chooser.setAll(shown);
        Artifact current = artifact.get();
        if (!shown.isEmpty() && current != null && !shown.contains(current)) {
            // the file shown before the analysis stays, as the analysis' artifact for it
            open(shown.stream().filter(a -> LogFiles.key(a).equals(LogFiles.key(current))).findFirst()
                    .orElse(shown.get(0)));
        }
    }

    // ---------------------------------------------------------------- the window

    private int positionOf(int line) {
        return filtered == null ? line - 1 : filtered.positionOf(line);
    }

    /** How the view runs something once a new window of lines is laid out ({@link #afterLayout}). */
    void setAfterLayout(java.util.function.Consumer<Runnable> afterLayout) {
        this.afterLayout = Objects.requireNonNull(afterLayout);
    }

    /** The view's height holds this many lines. */
    public void setRows(int r) {
        if (r != rows && r > 0) {
            rows = r;
            requestWindow();
        }
    }

    /** Scrolls so that the line at position {@code pos} (of the shown lines) is at the top. */
    public void scrollTo(int pos) {
        int t = Math.max(0, Math.min(pos, scrollMax()));
        if (t != top) {
            top = t;
            requestWindow();
        }
    }

    public void scrollBy(int lines) {
        scrollTo(top + lines);
    }

    /**
     * Reads the lines at positions {@code top..top+rows} in the background; only the newest request is read (a fast
     * scroll does not queue a read per step) and only a window of the file still shown lands.
     */
    void requestWindow() {
        top = Math.max(0, Math.min(top, scrollMax()));
        int request = windowRequest.incrementAndGet();
        LogFile f = file;
        if (f == null) {
            window.set(Window.EMPTY);
            return;
        }
        FilteredLines fl = filtered;
        int t = top;
        int n = Math.min(rows, (fl == null ? f.lineCount() : fl.size()) - t);
        reads.background().execute(() -> {
            if (windowRequest.get() != request) {
                return; // a newer one follows
            }
            Window w;
            try {
                w = read(f, fl, t, Math.max(0, n));
            } catch (RuntimeException e) {
                reads.fx().execute(() -> status.set(MessageFormat.format(texts.getString("log.status.error"),
                        f.path(), e.getMessage())));
                return;
            }
            reads.fx().execute(() -> {
                if (windowRequest.get() == request && f == file) {
                    window.set(w);
                    updateStatus();
                    if (w.size() > 0 && !firstLines.isDone()) {
                        CompletableFuture<Void> shown = firstLines;
                        afterLayout.accept(() -> shown.complete(null)); // once the view laid them out
                    }
                }
            });
        });
    }

    /** Reads a window (background): the lines, their numbers, where each one's event starts and ends. */
    static Window read(LogFile f, FilteredLines fl, int top, int n) {
        int[] lines = new int[n];
        List<String> text = new ArrayList<>(n);
        if (fl == null) {
            List<String> l = f.lines(top + 1, n);
            for (int i = 0; i < l.size(); i++) {
                lines[i] = top + 1 + i;
                text.add(l.get(i));
            }
            if (l.size() < n) {
                lines = Arrays.copyOf(lines, l.size());
            }
        } else {
            int i = 0;
            while (i < n) {
                int start = fl.line(top + i);
                int run = 1;
                while (i + run < n && fl.line(top + i + run) == start + run) {
                    run++;
                }
                List<String> l = f.lines(start, run);
                for (int k = 0; k < run; k++) {
                    lines[i + k] = start + k;
                    text.add(k < l.size() ? l.get(k) : "");
                }
                i += run;
            }
        }
        int m = lines.length;
        boolean firstInEvent = m > 0 && !LogLines.startsWithTimestamp(text.get(0))
                && LogEvents.around(f, lines[0]).first() < lines[0];
        int[] starts = LogEvents.starts(text, firstInEvent);
        int[] ends = new int[m];
        for (int i = m - 1; i >= 0; i--) {
            ends[i] = i + 1 < m && starts[i + 1] == starts[i] ? ends[i + 1] : i;
        }
        return new Window(top, lines, List.copyOf(text), starts, ends);
    }

    private void updateStatus() {
        if (file == null || busy.get()) {
            return;
        }
        status.set(filtered == null
                ? MessageFormat.format(texts.getString("log.status.lines"), file.lineCount())
                : MessageFormat.format(texts.getString("log.status.filtered"), filtered.size(), file.lineCount()));
    }

    // ---------------------------------------------------------------- selection

    /** Shows a line: switches to its artifact, clears a filter that hides it, scrolls to it, marks its event. */
    public void goTo(LineRef ref) {
        Artifact a = byId(ref.sha256());
        if (a == null) {
            return;
        }
        if (file == null || artifact.get() == null || !artifact.get().sha256().equals(ref.sha256())) {
            pendingLine = ref;
            open(a);
            return;
        }
        if (partial && ref.line() > file.lineCount()) {
            pendingLine = ref; // not indexed yet: shown when the whole index is
            return;
        }
        int line = Math.max(1, Math.min(ref.line(), file.lineCount()));
        if (filtered != null && !filtered.contains(line)) {
            // the line is hidden by the filter: show everything again so it can be seen
            filterCancel.set(true);
            filterText.set("");
            level.set(Timeline.DEBUG);
            filtered = null;
        }
        selectedLine = line;
        selectedEvent = new LogEvents.Span(line, line);
        int pos = positionOf(line);
        if (wrap.get()) {
            top = pos - 1; // wrapped lines above it could push it off the screen: one line of context only
        } else if (pos < top || pos >= top + rows - 1) {
            top = pos - rows / 3;
        }
        requestWindow();
        markEvent(line, false);
    }

    /** A click on the shown line at {@code index} of the window: its event is selected (its first line). */
    public void clicked(int index) {
        Window w = window.get();
        if (index < 0 || index >= w.size() || artifact.get() == null) {
            return;
        }
        int line = w.lines()[index];
        selectedLine = line;
        selectedEvent = new LogEvents.Span(line, line);
        markEvent(line, true);
        requestWindow();
    }

    /** Finds the event around {@code line} in the background; {@code select} puts its first line in the selection. */
    private void markEvent(int line, boolean select) {
        LogFile f = file;
        Artifact a = artifact.get();
        reads.background().execute(() -> {
            LogEvents.Span span = LogEvents.around(f, line);
            reads.fx().execute(() -> {
                if (f != file || selectedLine != line) {
                    return;
                }
                selectedEvent = span;
                if (select) {
                    selectedLine = span.first();
                    settingSelection = true;
                    try {
                        selection.lineProperty().set(new LineRef(a.sha256(), span.first()));
                    } finally {
                        settingSelection = false;
                    }
                }
                window.set(window.get() == null ? Window.EMPTY : copy(window.get())); // repaint the marks
            });
        });
    }

    private static Window copy(Window w) {
        return new Window(w.top(), w.lines(), w.texts(), w.eventStart(), w.eventEnd());
    }

    // ---------------------------------------------------------------- filters

    /** Applies the level and text filters in the background, keeping the top line in view. */
    public void refilter() {
        if (file == null) {
            return;
        }
        filterCancel.set(true);
        AtomicBoolean cancel = new AtomicBoolean();
        filterCancel = cancel;
        Pattern text = null;
        if (!filterText.get().isEmpty()) {
            try {
                text = LineSearch.pattern(filterText.get(), regex.get());
            } catch (PatternSyntaxException e) {
                status.set(texts.getString("log.search.bad"));
                return;
            }
        }
        LineFilter filter = new LineFilter(level.get() == null ? Timeline.DEBUG : level.get(), text);
        Window w = window.get();
        int keep = w.size() == 0 ? 0 : w.lines()[0];
        if (filter.isAll()) {
            filtered = null;
            top = Math.max(0, keep - 1);
            requestWindow();
            return;
        }
        LogFile f = file;
        busy.set(true);
        progress.set(-1);
        ProgressMonitor monitor = monitor(cancel);
        work.background().execute(() -> {
            try {
                FilteredLines result = filter.apply(f, monitor);
                work.fx().execute(() -> {
                    if (!cancel.get() && f == file) {
                        busy.set(false);
                        filtered = result;
                        top = keep <= 0 ? 0 : result.positionOf(keep);
                        requestWindow();
                        searchChanged();
                    }
                });
            } catch (CancellationException e) {
                // a newer filter or artifact replaced it
            } catch (RuntimeException e) {
                work.fx().execute(() -> {
                    busy.set(false);
                    status.set(MessageFormat.format(texts.getString("log.status.error"), f.path(), e.getMessage()));
                });
            }
        });
    }

    // ---------------------------------------------------------------- search

    /** The search text or mode changed (the search bar tells it): a new pattern, recounted. */
    public void searchChanged() {
        search.changed();
    }

    /** Moves to the next (or previous) matching line, wrapping at the ends. */
    public void search(boolean forward) {
        search.find(forward);
    }

    /** The search bar closed: no pattern, no search line. */
    public void endSearch() {
        search.end();
        requestWindow();
    }

    /** The search's view of this viewer: its file and filter, where to start, how to show a match. */
    private final class SearchHost implements LogSearch.Host {
        @Override
        public LogFile file() {
            return file;
        }

        @Override
        public FilteredLines filtered() {
            return filtered;
        }

        @Override
        public int start(boolean forward) {
            Window w = window.get();
            int topLine = w.size() == 0 ? 1 : w.lines()[0];
            return selectedLine > 0 ? selectedLine : forward ? topLine - 1 : topLine + rows;
        }

        @Override
        public void show(int line) {
            int pos = positionOf(line);
            if (pos < top || pos >= top + rows) {
                top = pos - rows / 3;
            }
            requestWindow();
        }

        @Override
        public void repaint() {
            requestWindow();
        }

        @Override
        public ProgressMonitor monitor(AtomicBoolean cancel) {
            return LogViewModel.this.monitor(cancel);
        }
    }

    // ---------------------------------------------------------------- lines for others

    /**
     * The text of any line of the evidence, for the timeline's hover: read through the shared line index on the
     * {@code lookups} thread (never the FX thread, never behind the viewer's own scans).
     */
    public LineLookup lineLookup(UiExecutors lookups) {
        return (sha, line, onFx) -> {
            Artifact a = byId(sha);
            if (a == null || line < 1) {
                onFx.accept(null);
                return;
            }
            lookups.background().execute(() -> {
                String text = null;
                try {
                    LogFile f = files.get(a, ProgressMonitor.NONE);
                    if (line <= f.lineCount()) {
                        text = f.line(line);
                    }
                } catch (IOException | RuntimeException e) {
                    text = null; // the hover shows the time and place without the text
                }
                String t = text;
                lookups.fx().execute(() -> onFx.accept(t));
            });
        };
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
                work.fx().execute(() -> {
                    if (!cancel.get()) {
                        progress.set(p);
                        if (file == null || partial) {
                            status.set(MessageFormat.format(texts.getString("log.status.indexing"),
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
}
