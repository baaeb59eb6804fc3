package dev.vmcase.parsers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The bytes of one artifact, readable as many times as a parser needs, never held whole in a String.
 */
public final class TextSource {
    private final String path;
    private final String sha256;
    private final Supplier<InputStream> opener;
    private final ProgressMonitor monitor;
    private final long size;
    private volatile int cancelledAtLine;

    public TextSource(String path, String sha256, Supplier<InputStream> opener) {
        this(path, sha256, opener, ProgressMonitor.NONE, 0);
    }

    private TextSource(String path, String sha256, Supplier<InputStream> opener, ProgressMonitor monitor, long size) {
        this.path = path;
        this.sha256 = sha256;
        this.opener = opener;
        this.monitor = monitor;
        this.size = size;
    }

    /**
     * The same source, reporting how far its line readers got (in characters of {@code size}) and stopping them when
     * the monitor is cancelled: a multi-gigabyte log shows progress and can be given up on.
     */
    public TextSource watched(ProgressMonitor m, long sizeBytes) {
        return new TextSource(path, sha256, opener, m, sizeBytes);
    }

    /** The line at which a reader was stopped by cancellation, or 0. */
    public int cancelledAtLine() {
        return cancelledAtLine;
    }

    public static TextSource of(Path file, String sha256) {
        return new TextSource(file.toString(), sha256, () -> {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** For tests and embedded snippets. */
    public static TextSource ofText(String path, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new TextSource(path, dev.vmcase.model.Ids.sha256Hex(bytes), () -> new ByteArrayInputStream(bytes));
    }

    public String path() {
        return path;
    }

    /** The size in bytes given to {@link #watched}, or 0 when unknown. */
    public long size() {
        return size;
    }

    public String sha256() {
        return sha256;
    }

    public InputStream open() {
        return opener.get();
    }

    /** A fresh line reader from the start of the source. */
    public LineReader lines() {
        return new LineReader(open(), ticker());
    }

    /**
     * A fresh reader of the same lines as raw bytes, for parsers of big logs that decode only the lines they keep;
     * progress is then told in bytes, the unit of {@code size}.
     */
    public ByteLineReader byteLines() {
        return new ByteLineReader(open(), ticker());
    }

    private LineReader.Ticker ticker() {
        if (monitor == ProgressMonitor.NONE) {
            return null;
        }
        return (read, line) -> {
            monitor.progress(Math.min(read, size), size, path);
            if (monitor.isCancelled()) {
                cancelledAtLine = line;
                return false;
            }
            return true;
        };
    }
}
