package dev.vmcase.parsers;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of {@link LineReader}, as bytes: a parser reading millions of lines looks at a line's raw UTF-8 bytes
 * ({@link #buf()}, {@link #start()}, {@link #end()}) and decodes only the lines it keeps ({@link #text()}). Line ends,
 * numbers, cut lines and ticks are those of {@link LineReader}: {@code \r\n}, {@code \n} and {@code \r} each end a
 * line; {@link #text()} is the line {@link LineReader#next()} returns (stray bytes as Latin-1, cut to
 * {@link LineReader#MAX_LINE} characters, {@link #wasCut()} then true); the ticker is told bytes read. A line
 * that is not valid UTF-8 keeps its valid characters and reads each stray byte as Latin-1 ({@link #onNotUtf8}).
 */
public final class ByteLineReader implements Closeable {
    /** Bytes of a line kept at most: enough for {@link LineReader#MAX_LINE} characters of any UTF-8 text. */
    static final int MAX_BYTES = 3 * LineReader.MAX_LINE + 4;

    private final InputStream in;
    private final LineReader.Ticker ticker;
    private byte[] buf;
    private int pos;
    private int len;
    private long consumed;
    private boolean eof;
    private boolean stopped;
    private boolean skipLf;
    private int number;
    private boolean cut;
    private byte[] lineBuf;
    private int lineStart;
    private int lineEnd;
    private String text;

    public ByteLineReader(InputStream in, LineReader.Ticker ticker) {
        this(in, ticker, 1 << 20);
    }

    ByteLineReader(InputStream in, LineReader.Ticker ticker, int bufferSize) {
        this.in = in;
        this.ticker = ticker;
        this.buf = new byte[Math.max(bufferSize, 16)];
    }

    /** Steps to the next line; false at the end (or when the ticker said stop). */
    public boolean next() {
        if (ticker != null && number > 0 && number % LineReader.TICK == 0 && !stopped) {
            stopped = !ticker.goOn(consumed + pos, number);
        }
        if (stopped) {
            return false;
        }
        try {
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean read() throws IOException {
        text = null;
        cut = false;
        if (skipLf) {
            if (pos >= len) {
                fill(pos);
            }
            if (pos < len && buf[pos] == '\n') {
                pos++;
            }
            skipLf = false;
        }
        int start = pos;
        int i = pos;
        while (true) {
            i = nextLineEnd(buf, i, len);
            if (i < len) {
                lineBuf = buf;
                lineStart = start;
                lineEnd = i;
                pos = i + 1;
                skipLf = buf[i] == '\r';
                return found(i - start);
            }
            if (eof) {
                if (i == start) {
                    pos = len;
                    return false;
                }
                lineBuf = buf;
                lineStart = start;
                lineEnd = i;
                pos = len;
                return found(i - start);
            }
            if (i - start >= MAX_BYTES) {
                return runaway(start);
            }
            // the line goes on past the buffer: keep it whole at the front, read more
            int kept = i - start;
            if (start == 0 && len == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(Math.max(buf.length * 2, 16), MAX_BYTES + 1));
            }
            fill(start);
            start = 0;
            i = kept;
        }
    }

    /**
     * Where the first {@code \n} or {@code \r} in {@code b[i, n)} is, or {@code n}: eight bytes a step, looking for any
     * byte below 0x0E (both line ends are, and so are a tab and the other controls up to them, rare in text), then at
     * that byte alone: one subtraction and two masks a word instead of a test for each of the two line ends.
     */
    private static int nextLineEnd(byte[] b, int i, int n) {
        while (i + 8 <= n) {
            long w = (long) LONGS.get(b, i);
            // the lowest flagged byte is exact (Hacker's Delight 6-1: a borrow can flag only bytes above a hit)
            long low = (w - 0x0E0E0E0E0E0E0E0EL) & ~w & 0x8080808080808080L;
            if (low == 0) {
                i += 8;
                continue;
            }
            int k = i + (Long.numberOfTrailingZeros(low) >>> 3);
            if (b[k] == '\n' || b[k] == '\r') {
                return k;
            }
            i = k + 1; // another control byte: on after it
        }
        for (; i < n; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return n;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Moves bytes from {@code keepFrom} to the front and reads more behind them; sets eof at the end. */
    private void fill(int keepFrom) throws IOException {
        int keep = len - keepFrom;
        consumed += keepFrom;
        if (keep > 0 && keepFrom > 0) {
            System.arraycopy(buf, keepFrom, buf, 0, keep);
        }
        len = Math.max(keep, 0);
        pos = 0;
        int n = in.read(buf, len, buf.length - len);
        if (n <= 0) {
            eof = true;
        } else {
            len += n;
        }
    }

    private boolean found(int bytes) {
        number++;
        if (bytes > LineReader.MAX_LINE) {
            decodeLong(lineBuf, lineStart, lineEnd);
        }
        return true;
    }

    /** A line longer than {@link #MAX_BYTES}: its first bytes are kept, the rest read past. */
    private boolean runaway(int start) throws IOException {
        byte[] kept = Arrays.copyOfRange(buf, start, start + MAX_BYTES);
        pos = start + MAX_BYTES;
        while (true) {
            int i = pos;
            while (i < len && buf[i] != '\n' && buf[i] != '\r') {
                i++;
            }
            if (i < len) {
                pos = i + 1;
                skipLf = buf[i] == '\r';
                break;
            }
            pos = len;
            if (eof) {
                break;
            }
            fill(len);
            if (eof && len == 0) {
                break;
            }
        }
        lineBuf = kept;
        lineStart = 0;
        lineEnd = kept.length;
        number++;
        decodeLong(kept, 0, kept.length);
        cut = true;
        return true;
    }

    private void decodeLong(byte[] b, int from, int to) {
        String s = decode(b, from, to);
        if (s.length() > LineReader.MAX_LINE) {
            s = s.substring(0, LineReader.MAX_LINE);
            cut = true;
        }
        text = s;
    }

    /** The bytes of the current line: {@code buf()[start() .. end())}, without its line end. */
    public byte[] buf() {
        return lineBuf;
    }

    public int start() {
        return lineStart;
    }

    public int end() {
        return lineEnd;
    }

    /** The current line as {@link LineReader#next()} would return it. */
    public String text() {
        if (text == null) {
            text = decode(lineBuf, lineStart, lineEnd);
        }
        return text;
    }

    /** Told the number of each line that is not valid UTF-8 (its stray bytes were read as Latin-1). */
    public interface NotUtf8 {
        void line(int number);
    }

    private NotUtf8 notUtf8;

    /** Who is told of lines that are not valid UTF-8. */
    public ByteLineReader onNotUtf8(NotUtf8 listener) {
        this.notUtf8 = listener;
        return this;
    }

    /**
     * UTF-8, the fast way; only a line holding U+FFFD afterwards (a malformed sequence, or a U+FFFD written as such)
     * is decoded again byte by byte, each malformed byte then taken as its Latin-1 character: a Latin-1 mail or a
     * Windows copy keeps its words ({@code é}, not {@code �}) and valid UTF-8 beside them stays as it is.
     */
    private String decode(byte[] b, int from, int to) {
        boolean[] stray = new boolean[1];
        String s = utf8OrLatin1(b, from, to, stray);
        if (stray[0] && notUtf8 != null) {
            notUtf8.line(number);
        }
        return s;
    }

    /**
     * Bytes as UTF-8, each byte that is no part of valid UTF-8 taken as its Latin-1 character ({@code stray[0]} then
     * set): how vmcase reads a text whose encoding it cannot trust (a line of a log, a mail's decoded part).
     */
    public static String utf8OrLatin1(byte[] b, int from, int to, boolean[] stray) {
        String s = new String(b, from, to - from, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') < 0) {
            return s;
        }
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b, from, to - from);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(to - from);
        boolean any = false;
        while (true) {
            java.nio.charset.CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                any = true;
                for (int i = 0; i < r.length(); i++) {
                    out.put((char) (in.get() & 0xff));
                }
            } else {
                break;
            }
        }
        d.flush(out);
        if (!any) {
            return s;
        }
        stray[0] = true;
        out.flip();
        return out.toString();
    }

    /** Number of the current line, 1-based. */
    public int number() {
        return number;
    }

    /** Whether the current line was longer than {@link LineReader#MAX_LINE} characters and cut. */
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
