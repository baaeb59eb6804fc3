package dev.vmcase.parsers.lines;

import dev.vmcase.parsers.ProgressMonitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.CancellationException;

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
        while (pos < size) {
            buf.clear();
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
                }
            }
            pos += n;
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
