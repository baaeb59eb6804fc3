package dev.vmcase.views.log;

import dev.vmcase.model.Artifact;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.lines.ArtifactFiles;
import dev.vmcase.parsers.lines.LogFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The evidence files the workbench reads lines from, each indexed once ({@link LogFile}) and kept while it is among
 * the {@value #KEEP} used last — the log viewer's window, its searches and the timeline's hover share them. Safe from
 * any thread; {@link #get} blocks (call it off the FX thread), and a file asked for twice at once is indexed once.
 * Files are known by {@linkplain #key where they are}, not by their hash: a file the viewer shows before the analysis
 * has hashed it ({@link LogViewModel#preview}) is the same entry as its artifact afterwards, indexed once.
 */
public final class LogFiles {
    static final int KEEP = 8;
    private final ArtifactFiles files;
    private final Map<String, CompletableFuture<LogFile>> open = new LinkedHashMap<>(16, 0.75f, true);
    private volatile String pinned;

    public LogFiles(ArtifactFiles files) {
        this.files = files;
    }

    /** The artifact's file, indexed (extracted first when it is an archive member); blocks until it is. */
    public LogFile get(Artifact a, ProgressMonitor monitor) throws IOException {
        return get(a, monitor, null);
    }

    /**
     * As {@link #get(Artifact, ProgressMonitor)}; when this call indexes the file, {@code partial} (may be null) is
     * handed the file over the lines indexed so far as the scan goes on ({@link LogFile#open(java.nio.file.Path,
     * ProgressMonitor, java.util.function.Consumer)}), on the calling thread.
     */
    public LogFile get(Artifact a, ProgressMonitor monitor, Consumer<LogFile> partial) throws IOException {
        CompletableFuture<LogFile> f;
        boolean mine = false;
        String key = key(a);
        synchronized (this) {
            f = open.get(key);
            if (f == null) {
                f = new CompletableFuture<>();
                open.put(key, f);
                mine = true;
            }
        }
        if (mine) {
            try {
                LogFile lf = LogFile.open(files.fileFor(a, monitor), monitor, partial);
                f.complete(lf);
                trim();
                return lf;
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    open.remove(key, f); // the next request tries again (a cancelled index, say)
                }
                f.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException(new IOException(c));
        }
    }

    /** The file if it is indexed already, else null; never blocks. */
    public synchronized LogFile cached(Artifact a) {
        CompletableFuture<LogFile> f = open.get(key(a));
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }

    /** The file on screen: never closed to make room. */
    public void pin(Artifact a) {
        pinned = key(a);
    }

    /**
     * Where an artifact's bytes are: a loose file by its absolute path (the same before and after the analysis hashed
     * it), an archive member by its hash (its extracted copy is named after it).
     */
    static String key(Artifact a) {
        String p = a.path();
        if (p.contains("!/")) {
            return a.sha256();
        }
        try {
            return "file:" + Path.of(p).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return a.sha256();
        }
    }

    private void trim() {
        synchronized (this) {
            Iterator<Map.Entry<String, CompletableFuture<LogFile>>> it = open.entrySet().iterator();
            while (open.size() > KEEP && it.hasNext()) {
                Map.Entry<String, CompletableFuture<LogFile>> e = it.next();
                if (!e.getKey().equals(pinned) && e.getValue().isDone() && !e.getValue().isCompletedExceptionally()) {
                    it.remove();
                    close(e.getValue().join());
                }
            }
        }
    }

    /** Closes every file (the workbench closes). */
    public synchronized void close() {
        for (CompletableFuture<LogFile> f : open.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                close(f.join());
            }
        }
        open.clear();
    }

    private static void close(LogFile f) {
        try {
            f.close();
        } catch (IOException e) {
            // nothing to do: the file is only read
        }
    }
}
