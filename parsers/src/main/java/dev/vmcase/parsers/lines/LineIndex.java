package dev.vmcase.parsers.lines;

import dev.vmcase.parsers.ProgressMonitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Where a file's lines start, kept sparse: the byte offset of every {@link #STEP}th line start (lines 1, 65, 129, …),
 * so a 5 GB log's index stays a few MB; a line in between is found by scanning from its checkpoint. Lines end at
 * {@code \n}, {@code \r\n} or a lone {@code \r} (as {@link dev.vmcase.parsers.LineReader} reads them); a last line
 * without a newline is a line; a newline at the very end starts none. Immutable once built.
 */
public final class LineIndex {
    /** Lines between two checkpoints. */
    public static final int STEP = 64;
    private static final int BUFFER = 1 << 20;
    private static final long TICK = 64L << 20;
    /** The first read when a partial index is wanted: some hundreds of lines. */
    private static final int FIRST = 64 << 10;

    private final long[] checkpoints;
    private final int lineCount;
    private final long size;

    private LineIndex(long[] checkpoints, int lineCount, long size) {
        this.checkpoints = checkpoints;
        this.lineCount = lineCount;
        this.size = size;
    }

    /**
     * Scans {@code channel} from its start; reports progress to {@code monitor} every 64 MiB.
     *
     * @throws CancellationException when the monitor says cancelled
     */
    public static LineIndex build(FileChannel channel, String what, ProgressMonitor monitor) throws IOException {
        return build(channel, what, monitor, null);
    }

    /**
     * As {@link #build(FileChannel, String, ProgressMonitor)}, telling {@code partial} (when not null, on this thread)
     * the index of the lines read so far after the first read and then every 64 MiB: a viewer shows the first lines of
     * a big file at once and its scroll range grows as the scan goes on. A partial index holds only whole lines (the
     * line the scan is inside is left out, even when it ends the file); its {@link #fileSize()} is where the first
     * line it leaves out starts.
     */
    public static LineIndex build(FileChannel channel, String what, ProgressMonitor monitor,
                                  Consumer<LineIndex> partial) throws IOException {
        long size = channel.size();
        long[] cps = new long[Math.max(16, (int) Math.min(1 << 20, size / (STEP * 80L) + 16))];
        int ncp = 0;
        long lines = 0;
        if (size > 0) {
            cps[ncp++] = 0;
            lines = 1;
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        byte[] bytes = new byte[BUFFER];
        long pos = 0;
        long nextTick = TICK;
        boolean prevCr = false;
        long lastStart = 0; // where line number `lines` starts
        boolean told = false;
        while (pos < size) {
            buf.clear();
            if (partial != null && !told && pos < BUFFER) {
                // the first lines a viewer waits for: a small first read, scanned before the loop is compiled
                buf.limit(FIRST);
            }
            int n = channel.read(buf, pos);
            if (n <= 0) {
                break;
            }
            buf.flip();
            buf.get(bytes, 0, n);
            for (int i = 0; i < n; i++) {
                byte b = bytes[i];
                long start;
                if (b == '\n') {
                    start = pos + i + 1; // after \n or \r\n
                } else if (prevCr) {
                    start = pos + i; // a lone \r ended the line before this byte
                } else {
                    prevCr = b == '\r';
                    continue;
                }
                prevCr = b == '\r';
                if (start < size) {
                    if (lines % STEP == 0) {
                        if (ncp == cps.length) {
                            cps = Arrays.copyOf(cps, cps.length * 2);
                        }
                        cps[ncp++] = start;
                    }
                    lines++;
                    lastStart = start;
                }
            }
            pos += n;
            if (partial != null && pos < size && (!told || pos >= nextTick) && lines > 1) {
                told = true;
                partial.accept(new LineIndex(Arrays.copyOf(cps, ncp), (int) Math.min(Integer.MAX_VALUE, lines - 1),
                        lastStart));
            }
            if (pos >= nextTick) {
                nextTick += TICK;
                if (monitor.isCancelled()) {
                    throw new CancellationException("indexing " + what + " cancelled");
                }
                monitor.progress(pos, size, what);
            }
        }
        if (lines > Integer.MAX_VALUE) {
            throw new IOException(what + " has more than " + Integer.MAX_VALUE + " lines");
        }
        monitor.progress(size, size, what);
        return new LineIndex(Arrays.copyOf(cps, ncp), (int) lines, size);
    }

    public int lineCount() {
        return lineCount;
    }

    /** The indexed file's size in bytes. */
    public long fileSize() {
        return size;
    }

    /** The offset where line {@code 1 + k * STEP} starts. */
    long checkpoint(int k) {
        return checkpoints[k];
    }

    /** Heap the index takes, roughly. */
    public long bytes() {
        return 16L + 8L * checkpoints.length;
    }
}
