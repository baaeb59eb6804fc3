package dev.vmcase.parsers;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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

    private final BufferedReader in;
    private int number;
    private boolean cut;
    private final StringBuilder sb = new StringBuilder(256);

    public LineReader(InputStream stream) {
        this.in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
    }

    /** The next line, or null at the end. */
    public String next() {
        try {
            sb.setLength(0);
            cut = false;
            int c;
            boolean any = false;
            while ((c = in.read()) != -1) {
                any = true;
                if (c == '\n') {
                    break;
                }
                if (c == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                    break;
                }
                if (sb.length() < MAX_LINE) {
                    sb.append((char) c);
                } else {
                    cut = true;
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
