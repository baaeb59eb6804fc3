package dev.vmcase.parsers.lines;

import dev.vmcase.parsers.ProgressMonitor;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * A text file read line by line on demand over its {@link LineIndex}: nothing but the index stays in memory. Lines are
 * 1-based, decoded as UTF-8 (invalid bytes become U+FFFD), a line longer than {@link #MAX_LINE_BYTES} is cut there.
 * Reads are positional, so several threads may read at once.
 */
public final class LogFile implements Closeable {
    public static final int MAX_LINE_BYTES = 4 << 20;
    private static final int BUFFER = 1 << 16;

    private final Path path;
    private final FileChannel channel;
    private final LineIndex index;

    private LogFile(Path path, FileChannel channel, LineIndex index) {
        this.path = path;
        this.channel = channel;
        this.index = index;
    }

    /** Opens and indexes {@code path} (the slow part: one pass over the file, cancellable through the monitor). */
    public static LogFile open(Path path, ProgressMonitor monitor) throws IOException {
        return open(path, monitor, null);
    }

    /**
     * As {@link #open(Path, ProgressMonitor)}, handing {@code partial} (when not null, on this thread) a file over the
     * whole lines indexed so far as the scan goes on ({@link LineIndex#build(FileChannel, String, ProgressMonitor,
     * java.util.function.Consumer)}): the first lines of a big file can be shown long before its last. A partial file
     * shares this file's channel: it is never closed itself, and reads nothing once the whole file is closed.
     */
    public static LogFile open(Path path, ProgressMonitor monitor, java.util.function.Consumer<LogFile> partial)
            throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new LogFile(path, ch, LineIndex.build(ch, path.toString(), monitor,
                    partial == null ? null : idx -> partial.accept(new LogFile(path, ch, idx))));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public LineIndex index() {
        return index;
    }

    public int lineCount() {
        return index.lineCount();
    }

    /** Line {@code n} (1-based). */
    public String line(int n) {
        List<String> l = lines(n, 1);
        if (l.isEmpty()) {
            throw new IndexOutOfBoundsException("line " + n + " of " + lineCount());
        }
        return l.get(0);
    }

    /** Up to {@code count} lines from line {@code first} (1-based); fewer at the end of the file. */
    public List<String> lines(int first, int count) {
        List<String> out = new ArrayList<>(Math.max(0, Math.min(count, 4096)));
        if (first < 1 || first > lineCount() || count <= 0) {
            return out;
        }
        try (Cursor c = cursor(first)) {
            String s;
            while (out.size() < count && (s = c.next()) != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** A reader of consecutive lines starting at line {@code first}. */
    public Cursor cursor(int first) {
        return new Cursor(Math.max(1, first));
    }

    /** Visits lines {@code from..to} (inclusive) in order until the visitor says stop; checks the monitor. */
    public void scan(int from, int to, ProgressMonitor monitor, LineVisitor visitor) {
        int last = Math.min(to, lineCount());
        try (Cursor c = cursor(from)) {
            for (int n = Math.max(1, from); n <= last; n++) {
                String s = c.next();
                if (s == null) {
                    return;
                }
                if ((n & 0x3fff) == 0) {
                    if (monitor.isCancelled()) {
                        throw new CancellationException();
                    }
                    monitor.progress(n - from, last - from + 1L, path.toString());
                }
                if (!visitor.visit(n, s)) {
                    return;
                }
            }
        }
    }

    /** Told each line; answers whether to go on. */
    @FunctionalInterface
    public interface LineVisitor {
        boolean visit(int line, String text);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Sequential reader from one line on (not thread-safe; one per reader). */
    public final class Cursor implements AutoCloseable {
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        private final Utf8Lines utf8 = new Utf8Lines();
        private byte[] line = new byte[256];
        private long pos;
        private int nextLine;

        private Cursor(int first) {
            if (first > lineCount()) {
                nextLine = first;
                pos = index.fileSize();
                buf.limit(0);
                return;
            }
            int k = (first - 1) / LineIndex.STEP;
            pos = index.checkpoint(k);
            nextLine = k * LineIndex.STEP + 1;
            buf.limit(0);
            while (nextLine < first) {
                skipLine();
            }
        }

        /** The number of the line {@link #next()} returns. */
        public int lineNumber() {
            return nextLine;
        }

        private boolean fill() {
            buf.clear();
            try {
                int n = channel.read(buf, pos);
                buf.flip();
                if (n <= 0) {
                    buf.limit(0);
                    return false;
                }
                pos += n;
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void skipLine() {
            readLine(false);
        }

        /** The next line, or null at the end. */
        public String next() {
            if (nextLine > lineCount()) {
                return null;
            }
            int len = readLine(true);
            return utf8.decode(line, len);
        }

        private int readLine(boolean keep) {
            int len = 0;
            while (true) {
                if (!buf.hasRemaining() && !fill()) {
                    nextLine++;
                    return len;
                }
                byte b = buf.get();
                if (b == '\n') {
                    nextLine++;
                    return len;
                }
                if (b == '\r') {
                    if (!buf.hasRemaining()) {
                        fill();
                    }
                    if (buf.hasRemaining() && buf.get(buf.position()) == '\n') {
                        buf.get();
                    }
                    nextLine++;
                    return len;
                }
                if (keep && len < MAX_LINE_BYTES) {
                    if (len == line.length) {
                        line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
                    }
                    line[len++] = b;
                }
            }
        }

        @Override
        public void close() {
        }
    }
}
