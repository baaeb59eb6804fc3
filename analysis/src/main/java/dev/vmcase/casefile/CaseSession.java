package dev.vmcase.casefile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmcase.model.Ids;
import dev.vmcase.parsers.ingest.Folders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The case being worked on (toolkit-free; thread-safe): the current {@link CaseFile}, where it is saved, whether it has
 * unsaved changes, and the safety net: every change is written to a recovery file within {@link #autosaveInterval()}
 * (default 15 s, so no more than 30 s of notes are ever lost), saving is atomic, and opening a case whose recovery file
 * survived a crash offers it ({@link #recovery()}, {@link #recover()}).
 *
 * <p>Listeners are called on the thread that made the change (the GUI wraps them in {@code Platform.runLater}).
 */
public final class CaseSession implements AutoCloseable {
    public static final Duration DEFAULT_AUTOSAVE = Duration.ofSeconds(15);
    private static final System.Logger LOG = System.getLogger(CaseSession.class.getName());

    /** What the recovery file holds: everything the user may have changed since the last save. */
    public record Recovery(int formatVersion, String casePath, String savedAt, List<CaseArtifact> artifacts,
                           Map<String, String> files, CaseNotes notes) {
    }

    private final Path workRoot;
    private final Duration autosave;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Object writeLock = new Object();
    private final ScheduledExecutorService timer;
    private final ObjectMapper json = CaseJson.mapper(CaseLimits.DEFAULT.maxJsonBytes());
    private final String author;

    private CaseFile current;
    private Path path;
    private Path openedWorkDir;
    private List<String> integrity = List.of();
    private String recoveryKey = "untitled-" + UUID.randomUUID();
    private Recovery pendingRecovery;
    private long changes;
    private long savedChanges;
    private long recoveredChanges;
    private volatile String autosaveProblem;

    public CaseSession(Path workRoot) {
        this(workRoot, DEFAULT_AUTOSAVE);
    }

    /** {@code workRoot}: vmcase's working folder (opened cases are extracted below it, recovery files kept in it). */
    public CaseSession(Path workRoot, Duration autosaveInterval) {
        this.workRoot = workRoot.toAbsolutePath();
        this.autosave = autosaveInterval;
        this.author = System.getProperty("user.name", "");
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vmcase-autosave");
            t.setDaemon(true);
            return t;
        });
        long ms = autosaveInterval.toMillis();
        timer.scheduleWithFixedDelay(this::autosaveQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** vmcase's working folder: {@code -Dvmcase.work}, else {@code $XDG_STATE_HOME/vmcase}, else {@code ~/.local/state/vmcase}. */
    public static Path defaultWorkRoot() {
        String p = System.getProperty("vmcase.work");
        if (p != null) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        return (xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state"))
                .resolve("vmcase");
    }

    public Duration autosaveInterval() {
        return autosave;
    }

    public void addListener(Runnable l) {
        listeners.add(l);
    }

    public void removeListener(Runnable l) {
        listeners.remove(l);
    }

    private void fire() {
        listeners.forEach(Runnable::run);
    }

    // ---- state ----

    public synchronized CaseFile current() {
        return current;
    }

    public synchronized CaseNotes notes() {
        return current == null ? CaseNotes.EMPTY : current.notes();
    }

    /** Where the case is saved; null for a case never saved. */
    public synchronized Path path() {
        return path;
    }

    public synchronized boolean isDirty() {
        return changes != savedChanges;
    }

    /** What did not match when the case was opened (changed or missing artifacts). */
    public synchronized List<String> integrity() {
        return integrity;
    }

    // ---- lifecycle ----

    /** Starts a new, unsaved case on these files and folders. */
    public void newCase(List<Path> inputs) throws IOException {
        newCase(inputs, List.of());
    }

    /**
     * Starts a new case on these files and folders with tours that come with them (e.g. a sample case's
     * {@code tour.json}, read with {@link CaseIO#readTours}); the case is not dirty until the user changes it.
     */
    public void newCase(List<Path> inputs, List<Tour> tours) throws IOException {
        newCase(inputs, tours, Map.of());
    }

    /** As {@link #newCase(List, List)}, with the sha256 of files the ingest already hashed (see CaseFile). */
    public void newCase(List<Path> inputs, List<Tour> tours, Map<Path, String> known) throws IOException {
        CaseFile c = CaseFile.fromInputs(inputs, known).withNotes(CaseNotes.EMPTY.withTours(tours));
        synchronized (this) {
            discardWork();
            current = c;
            path = null;
            integrity = List.of();
            recoveryKey = "untitled-" + UUID.randomUUID();
            pendingRecovery = null;
            changes = savedChanges = recoveredChanges = 0;
        }
        fire();
    }

    /** Adds files, folders or archives to the open case (a capture joining it); its notes stay. */
    public void addInputs(List<Path> inputs, Map<Path, String> known) throws IOException {
        CaseFile before = current();
        CaseFile after = before.withInputs(inputs, known);
        synchronized (this) {
            current = after;
            changes++;
        }
        fire();
    }

    /** Opens a case; if a recovery file from a crash exists for it, {@link #recovery()} returns it. */
    public OpenedCase open(Path caseFile) throws IOException {
        OpenedCase o = CaseIO.open(caseFile, workRoot.resolve("cases"));
        synchronized (this) {
            discardWork();
            current = o.file();
            path = o.source();
            openedWorkDir = o.workDir();
            integrity = o.integrity();
            recoveryKey = keyOf(path);
            pendingRecovery = readRecovery(recoveryFile(recoveryKey)).orElse(null);
            if (pendingRecovery != null && pendingRecovery.notes().equals(current.notes())
                    && pendingRecovery.artifacts().equals(current.artifacts())) {
                Files.deleteIfExists(recoveryFile(recoveryKey)); // saved, then crashed before the clean-up
                pendingRecovery = null;
            }
            changes = savedChanges = recoveredChanges = 0;
        }
        RecentCases.add(workRoot, o.source());
        fire();
        return o;
    }

    /** The unsaved work a crash left for the open case, if any. */
    public synchronized Optional<Recovery> recovery() {
        return Optional.ofNullable(pendingRecovery);
    }

    /** Takes the recovered work into the open case (it becomes unsaved changes). */
    public void recover() {
        synchronized (this) {
            if (pendingRecovery == null) {
                return;
            }
            current = current.withNotes(pendingRecovery.notes()).withArtifacts(merge(pendingRecovery.artifacts()));
            pendingRecovery = null;
            changes++;
        }
        fire();
    }

    private List<CaseArtifact> merge(List<CaseArtifact> recovered) {
        Map<String, CaseArtifact> byEntry = new LinkedHashMap<>();
        current.artifacts().forEach(a -> byEntry.put(a.entry(), a));
        for (CaseArtifact r : recovered) {
            CaseArtifact a = byEntry.get(r.entry());
            if (a != null && a.sha256().equals(r.sha256())) {
                byEntry.put(r.entry(), a.withHost(r.host()).withRole(r.role()));
            }
        }
        return new ArrayList<>(byEntry.values());
    }

    /** Drops the recovered work. */
    public void discardRecovery() throws IOException {
        synchronized (this) {
            pendingRecovery = null;
            Files.deleteIfExists(recoveryFile(recoveryKey));
        }
        fire();
    }

    public void save() throws IOException {
        Path p = path();
        if (p == null) {
            throw new IllegalStateException("the case has no file yet: use saveAs");
        }
        saveAs(p);
    }

    /** Saves atomically to {@code target}, which becomes the case's file. */
    public void saveAs(Path target) throws IOException {
        synchronized (writeLock) {
            CaseFile snapshot;
            long at;
            synchronized (this) {
                snapshot = current;
                at = changes;
            }
            CaseFile saved = CaseIO.save(snapshot, target);
            String oldKey;
            synchronized (this) {
                oldKey = recoveryKey;
                path = target.toAbsolutePath();
                recoveryKey = keyOf(path);
                current = current.notes() == snapshot.notes() && current.artifacts() == snapshot.artifacts()
                        ? saved : current;
                savedChanges = at;
            }
            String newKey = keyOf(target.toAbsolutePath());
            if (!oldKey.equals(newKey)) {
                Files.deleteIfExists(recoveryFile(oldKey));
            }
            synchronized (this) {
                if (at == changes) {
                    // nothing newer than what was just saved: the recovery file has nothing to add
                    Files.deleteIfExists(recoveryFile(newKey));
                    recoveredChanges = at;
                } else {
                    recoveredChanges = -1; // changes made while saving: the next tick writes them
                }
            }
            RecentCases.add(workRoot, target.toAbsolutePath());
        }
        fire();
    }

    // ---- edits ----

    /** Applies a change to the notes; the case becomes dirty and listeners are told. */
    public void update(UnaryOperator<CaseNotes> change) {
        synchronized (this) {
            if (current == null) {
                throw new IllegalStateException("no case open");
            }
            current = current.withNotes(change.apply(current.notes()));
            changes++;
        }
        fire();
    }

    public Annotation annotate(Target target, String markdown, List<String> tags) {
        String now = Instant.now().toString();
        Annotation a = new Annotation(UUID.randomUUID().toString(), target, markdown, tags, author, now, now);
        update(n -> n.withAnnotations(append(n.annotations(), a)));
        return a;
    }

    /** Replaces the annotation with the same id (text and tags edited), stamping its modification time. */
    public void edit(Annotation changed) {
        Annotation stamped = new Annotation(changed.id(), changed.target(), changed.text(), changed.tags(),
                changed.author(), changed.created(), Instant.now().toString());
        update(n -> n.withAnnotations(n.annotations().stream().map(a -> a.id().equals(stamped.id()) ? stamped : a).toList()));
    }

    public void removeAnnotation(String id) {
        update(n -> n.withAnnotations(n.annotations().stream().filter(a -> !a.id().equals(id)).toList()));
    }

    public Bookmark bookmark(Target target, String label) {
        Bookmark b = new Bookmark(UUID.randomUUID().toString(), target, label, Instant.now().toString());
        update(n -> n.withBookmarks(append(n.bookmarks(), b)));
        return b;
    }

    public void removeBookmark(String id) {
        update(n -> n.withBookmarks(n.bookmarks().stream().filter(b -> !b.id().equals(id)).toList()));
    }

    /** Adds or replaces (same id) a tour. */
    public void putTour(Tour t) {
        update(n -> {
            List<Tour> out = new ArrayList<>(n.tours());
            int i = indexOf(out, t.id());
            if (i < 0) {
                out.add(t);
            } else {
                out.set(i, t);
            }
            return n.withTours(out);
        });
    }

    public void removeTour(String id) {
        update(n -> n.withTours(n.tours().stream().filter(t -> !t.id().equals(id)).toList()));
    }

    private static int indexOf(List<Tour> tours, String id) {
        for (int i = 0; i < tours.size(); i++) {
            if (tours.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    public void setClockOffset(String host, long micros) {
        update(n -> {
            Map<String, Long> m = new LinkedHashMap<>(n.clockOffsets());
            m.put(host, micros);
            return n.withClockOffsets(m);
        });
    }

    /**
     * Sets a host's time zone ({@code ZONE[@YEAR]}, see {@link dev.vmcase.parsers.time.HostClocks}); blank clears it.
     * The case must be re-analysed to see the effect.
     *
     * @throws IllegalArgumentException when the zone is not one
     */
    public void setTimeZone(String host, String spec) {
        if (spec != null && !spec.isBlank()) {
            new dev.vmcase.parsers.time.HostClocks(Map.of(host, spec.strip())); // refuses what is not a zone
        }
        update(n -> {
            Map<String, String> m = new LinkedHashMap<>(n.timeZones());
            if (spec == null || spec.isBlank()) {
                m.remove(host);
            } else {
                m.put(host, spec.strip());
            }
            return n.withTimeZones(m);
        });
    }

    /** Assigns a host and/or role to an artifact (null clears it); the case must be re-analysed to see the effect. */
    public void assign(String entry, String host, String role) {
        synchronized (this) {
            current = current.withArtifacts(current.artifacts().stream()
                    .map(a -> a.entry().equals(entry) ? a.withHost(host).withRole(role) : a).toList());
            changes++;
        }
        fire();
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    // ---- autosave and recovery ----

    /** Writes the recovery file now if there are changes it does not hold yet (the timer calls this). */
    public void autosave() throws IOException {
        synchronized (writeLock) {
            Recovery r;
            long at;
            String key;
            synchronized (this) {
                if (current == null || changes == recoveredChanges || changes == savedChanges) {
                    return;
                }
                at = changes;
                key = recoveryKey;
                Map<String, String> files = new LinkedHashMap<>();
                current.files().forEach((k, v) -> files.put(k, v.toString()));
                r = new Recovery(CaseFile.FORMAT_VERSION, path == null ? null : path.toString(),
                        Instant.now().toString(), current.artifacts(), path == null ? files : Map.of(), current.notes());
            }
            byte[] bytes = json.writeValueAsBytes(r);
            AtomicFiles.write(recoveryFile(key), out -> out.write(bytes));
            synchronized (this) {
                recoveredChanges = at;
            }
        }
    }

    /** The timer's autosave: a failure is logged and kept for {@link #autosaveProblem()}, and listeners are told. */
    void autosaveQuietly() {
        String problem;
        try {
            autosave();
            problem = null;
        } catch (IOException | RuntimeException e) {
            Path where;
            synchronized (this) {
                where = recoveryFile(recoveryKey);
            }
            LOG.log(System.Logger.Level.WARNING, "autosave to " + where + " failed", e);
            problem = where + ": " + e;
        }
        String before = autosaveProblem;
        autosaveProblem = problem;
        if (!java.util.Objects.equals(before, problem)) {
            listeners.forEach(Runnable::run);
        }
    }

    /**
     * Why the last autosave failed (the recovery file and the error), or empty when it worked: the notes since the
     * last save are then not safe from a crash, which the user must be told.
     */
    public Optional<String> autosaveProblem() {
        return Optional.ofNullable(autosaveProblem);
    }

    /** Recovery files of cases never saved (offered at start-up). */
    public List<Recovery> untitledRecoveries() {
        List<Recovery> out = new ArrayList<>();
        Path dir = workRoot.resolve("recovery");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().startsWith("untitled-")
                    && f.getFileName().toString().endsWith(".json")).toList()) {
                readRecovery(p).ifPresent(out::add);
            }
        } catch (IOException ignored) {
            // none then
        }
        return out;
    }

    /** Deletes the recovery files of cases never saved (the user declined them), except the open case's own. */
    public void discardUntitledRecoveries() throws IOException {
        Path dir = workRoot.resolve("recovery");
        if (!Files.isDirectory(dir)) {
            return;
        }
        String own;
        synchronized (this) {
            own = recoveryKey + ".json";
        }
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().startsWith("untitled-")
                    && f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().equals(own)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Starts an unsaved case from a recovery of a case that was never saved. */
    public void restoreUntitled(Recovery r) {
        Map<String, Path> files = new LinkedHashMap<>();
        r.files().forEach((k, v) -> files.put(k, Path.of(v)));
        String now = Instant.now().toString();
        synchronized (this) {
            discardWork();
            current = new CaseFile(now, now, r.artifacts(), files, r.notes());
            path = null;
            changes = 1;
            savedChanges = recoveredChanges = 0;
        }
        fire();
    }

    public Path recoveryFile(String key) {
        return workRoot.resolve("recovery").resolve(key + ".json");
    }

    private Optional<Recovery> readRecovery(Path f) {
        try {
            if (!Files.isRegularFile(f) || Files.size(f) > CaseLimits.DEFAULT.maxJsonBytes()) {
                return Optional.empty();
            }
            return Optional.of(json.readValue(Files.readAllBytes(f), Recovery.class));
        } catch (IOException | RuntimeException e) {
            // a recovery file that cannot be read is not offered; it stays on disk for whoever wants to look at it
            LOG.log(System.Logger.Level.WARNING, "unreadable recovery file " + f, e);
            return Optional.empty();
        }
    }

    static String keyOf(Path casePath) {
        byte[] h = Ids.sha256().digest(casePath.toAbsolutePath().normalize().toString()
                .getBytes(StandardCharsets.UTF_8));
        return "case-" + HexFormat.of().formatHex(h, 0, 12);
    }

    private void discardWork() {
        if (openedWorkDir != null) {
            Folders.deleteTree(openedWorkDir);
            openedWorkDir = null;
        }
    }

    /** Stops autosave; keeps the recovery file when there are unsaved changes (the user may want them back). */
    @Override
    public void close() {
        timer.shutdownNow();
        synchronized (this) {
            if (!isDirty()) {
                try {
                    Files.deleteIfExists(recoveryFile(recoveryKey));
                } catch (IOException ignored) {
                    // best effort
                }
            }
            discardWork();
        }
    }
}
