package dev.vmcase.parsers;

import java.io.Closeable;
import java.io.InputStream;

/**
 * Reads UTF-8 lines with their numbers; {@code \r\n}, {@code \n} and {@code \r} all end a line, and a line longer than
 * {@link #MAX_LINE} characters is cut (the rest of it is skipped and {@link #wasCut()} says so) so one runaway line
 * cannot exhaust memory. A line that is not valid UTF-8 keeps its valid characters and reads each stray byte as
 * Latin-1 (a Latin-1 mail keeps its words); whoever {@link #onNotUtf8 listens} is told its number. The lines of a
 * {@link ByteLineReader}, decoded.
 */
public final class LineReader implements Closeable {
    public static final int MAX_LINE = 1 << 20;

    private final ByteLineReader bytes;

    /** Told every {@link #TICK} lines how many bytes were read; answers whether to go on. */
    public interface Ticker {
        boolean goOn(long bytesRead, int line);
    }

    /** How many lines between two ticks. */
    public static final int TICK = 1 << 16;

    public LineReader(InputStream stream, Ticker ticker) {
        this.bytes = new ByteLineReader(stream, ticker, 1 << 16);
    }

    public LineReader(InputStream stream) {
        this(stream, null);
    }

    /** Who is told of lines that are not valid UTF-8. */
    public LineReader onNotUtf8(ByteLineReader.NotUtf8 listener) {
        bytes.onNotUtf8(listener);
        return this;
    }

    /** The next line, or null at the end (or when the ticker said stop). */
    public String next() {
        return bytes.next() ? bytes.text() : null;
    }

    /** Number of the line last returned by {@link #next()}, 1-based. */
    public int number() {
        return bytes.number();
    }

    /** Whether the line last returned was longer than {@link #MAX_LINE} and cut. */
    public boolean wasCut() {
        return bytes.wasCut();
    }

    @Override
    public void close() {
        bytes.close();
    }
}
