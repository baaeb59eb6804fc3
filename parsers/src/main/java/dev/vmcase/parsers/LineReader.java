package dev.vmcase.parsers;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads UTF-8 lines with their numbers; malformed bytes become U+FFFD, {@code \r\n}, {@code \n} and {@code \r}
 * all end a line, and a line longer than {@link #MAX_LINE} characters is cut (the rest of it is skipped and
 * {@link #wasCut()} says so) so one runaway line cannot exhaust memory.
 */
public final class LineReader implements Closeable {
    public static final int MAX_LINE = 1 << 20;

    private final Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private boolean eof;
    private int number;
    private boolean cut;
    private final StringBuilder sb = new StringBuilder(256);

    /** Told every {@link #TICK} lines how many characters were read; answers whether to go on. */
    public interface Ticker {
        boolean goOn(long charsRead, int line);
    }

    /** How many lines between two ticks. */
    public static final int TICK = 1 << 16;

    private Ticker ticker;
    private long consumed;
    private boolean stopped;

    public LineReader(InputStream stream, Ticker ticker) {
        this(stream);
        this.ticker = ticker;
    }

    public LineReader(InputStream stream) {
        this.in = new InputStreamReader(stream, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        consumed += len;
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
            eof = true;
            len = 0;
            return false;
        }
        return true;
    }

    /** The next line, or null at the end (or when the ticker said stop). */
    public String next() {
        if (ticker != null && number > 0 && number % TICK == 0 && !stopped) {
            stopped = !ticker.goOn(consumed + pos, number);
        }
        if (stopped) {
            return null;
        }
        try {
            sb.setLength(0);
            cut = false;
            boolean any = false;
            while (true) {
                if (pos >= len && !fill()) {
                    break;
                }
                any = true;
                int start = pos;
                while (pos < len && buf[pos] != '\n' && buf[pos] != '\r') {
                    pos++;
                }
                if (pos < len && sb.length() == 0 && pos - start <= MAX_LINE) {
                    // the whole line is in the buffer: one copy instead of two
                    String line = new String(buf, start, pos - start);
                    skipLineEnd();
                    number++;
                    return line;
                }
                append(start, pos);
                if (pos < len) {
                    skipLineEnd();
                    break;
                }
            }
            if (!any) {
                return null;
            }
            number++;
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** At a line end: steps over it, a {@code \r\n} as one. */
    private void skipLineEnd() throws IOException {
        char end = buf[pos++];
        if (end == '\r') {
            if (pos >= len) {
                fill();
            }
            if (pos < len && buf[pos] == '\n') {
                pos++;
            }
        }
    }

    private void append(int from, int to) {
        int room = MAX_LINE - sb.length();
        int n = to - from;
        if (n > room) {
            cut = true;
            n = Math.max(room, 0);
        }
        sb.append(buf, from, n);
    }

    /** Number of the line last returned by {@link #next()}, 1-based. */
    public int number() {
        return number;
    }

    /** Whether the line last returned was longer than {@link #MAX_LINE} and cut. */
    public boolean wasCut() {
        return cut;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
