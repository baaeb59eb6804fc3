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

    /** The bytes as they are (a parser of a self-describing format, XML or JSON, reads their encoding itself). */
    public InputStream open() {
        return opener.get();
    }

    /**
     * The text as UTF-8 without a byte-order mark: a UTF-8 BOM is dropped, UTF-16 with a BOM (a Windows copy) is
     * decoded and given as UTF-8; anything else is passed through as it is.
     */
    public InputStream openText() {
        InputStream raw = open();
        try {
            java.io.PushbackInputStream in = new java.io.PushbackInputStream(raw, 3);
            byte[] first = new byte[3];
            int n = in.readNBytes(first, 0, 3);
            switch (bom(first, n)) {
                case UTF8:
                    return in;
                case UTF16LE:
                case UTF16BE:
                    in.unread(first, 2, n - 2);
                    java.nio.charset.Charset cs = bom(first, n) == Bom.UTF16LE ? StandardCharsets.UTF_16LE
                            : StandardCharsets.UTF_16BE;
                    return org.apache.commons.io.input.ReaderInputStream.builder()
                            .setReader(new java.io.InputStreamReader(in, cs))
                            .setCharset(StandardCharsets.UTF_8).get();
                default:
                    in.unread(first, 0, n);
                    return in;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A byte-order mark at the start of a file. */
    enum Bom { NONE, UTF8, UTF16LE, UTF16BE }

    static Bom bom(byte[] b, int n) {
        if (n >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            return Bom.UTF8;
        }
        if (n >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            return Bom.UTF16LE;
        }
        if (n >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            return Bom.UTF16BE;
        }
        return Bom.NONE;
    }

    /**
     * Whether the first {@code n} bytes of a file start with a UTF-16 byte-order mark: its text is read decoded
     * ({@link #openText}), its NUL bytes are half of its ASCII characters, not binary content.
     */
    public static boolean utf16(byte[] head, int n) {
        Bom b = bom(head, n);
        return b == Bom.UTF16LE || b == Bom.UTF16BE;
    }

    /** The first bytes of a file as its text would start: UTF-16 with a BOM decoded to UTF-8, for sniffing. */
    public static byte[] textHead(byte[] head) {
        Bom b = bom(head, head.length);
        if (b == Bom.UTF16LE || b == Bom.UTF16BE) {
            int even = head.length & ~1;
            return new String(head, 2, even - 2, b == Bom.UTF16LE ? StandardCharsets.UTF_16LE
                    : StandardCharsets.UTF_16BE).getBytes(StandardCharsets.UTF_8);
        }
        return b == Bom.UTF8 ? java.util.Arrays.copyOfRange(head, 3, head.length) : head;
    }

    /** A fresh line reader from the start of the source. */
    public LineReader lines() {
        return new LineReader(openText(), ticker()).onNotUtf8(this::notUtf8);
    }

    /**
     * A fresh reader of the same lines as raw bytes, for parsers of big logs that decode only the lines they keep;
     * progress is then told in bytes, the unit of {@code size}.
     */
    public ByteLineReader byteLines() {
        return new ByteLineReader(openText(), ticker()).onNotUtf8(this::notUtf8);
    }

    private volatile int firstNotUtf8;
    /* readers go from the first line on: a line is new when it is past the last one counted */
    private int lastNotUtf8;
    private int notUtf8Count;

    private synchronized void notUtf8(int line) {
        if (firstNotUtf8 == 0 || line < firstNotUtf8) {
            firstNotUtf8 = line;
        }
        if (line > lastNotUtf8) {
            lastNotUtf8 = line;
            notUtf8Count++;
        }
    }

    /** The first line a reader found not to be valid UTF-8, or 0. */
    public int firstNotUtf8Line() {
        return firstNotUtf8;
    }

    /** How many distinct lines readers found not to be valid UTF-8. */
    public synchronized int notUtf8Lines() {
        return notUtf8Count;
    }

    private LineReader.Ticker ticker() {
        if (monitor == ProgressMonitor.NONE) {
            return null;
        }
        return (read, line) -> {
            monitor.read(path, Math.min(read, size), size);
            if (monitor.isCancelled()) {
                cancelledAtLine = line;
                return false;
            }
            return true;
        };
    }
}
