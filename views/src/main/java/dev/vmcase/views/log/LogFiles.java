package dev.vmcase.views.log;

import dev.vmcase.model.Artifact;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.lines.ArtifactFiles;
import dev.vmcase.parsers.lines.LogFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The evidence files the workbench reads lines from, each indexed once ({@link LogFile}) and kept while it is among
 * the {@value #KEEP} used last — the log viewer's window, its searches and the timeline's hover share them. Safe from
 * any thread; {@link #get} blocks (call it off the FX thread), and a file asked for twice at once is indexed once.
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
        CompletableFuture<LogFile> f;
        boolean mine = false;
        synchronized (this) {
            f = open.get(a.sha256());
            if (f == null) {
                f = new CompletableFuture<>();
                open.put(a.sha256(), f);
                mine = true;
            }
        }
        if (mine) {
            try {
                LogFile lf = LogFile.open(files.fileFor(a, monitor), monitor);
                f.complete(lf);
                trim();
                return lf;
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    open.remove(a.sha256(), f); // the next request tries again (a cancelled index, say)
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
    public synchronized LogFile cached(String sha256) {
        CompletableFuture<LogFile> f = open.get(sha256);
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }

    /** The file on screen: never closed to make room. */
    public void pin(String sha256) {
        pinned = sha256;
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
