package dev.vmcase.parsers.ingest;

import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The decodable beginning of an xz file cut short (an upload limit, an interrupted copy: sosreports are {@code .tar.xz}).
 *
 * <p>xz-java reads an LZMA2 chunk (up to 64 KiB compressed, 2 MiB decoded) whole before it decodes any of it, so a
 * cut inside a small file's only chunk would give nothing at all, although every byte before the cut is there. This
 * decodes the file twice, its missing end supplied once as zero bytes and once as {@code 0xFF} bytes: what both
 * decodings agree on came from the bytes that are there; where they first differ, the made-up bytes took over, and this
 * stream ends there with an {@link EOFException}, as a cut stream does. (LZMA decodes strictly in order, so nothing
 * before the cut depends on what follows it; a byte or two past the cut may agree by chance, which the tar reader's
 * own checks — header checksums, member sizes — then meet like any other damage.)
 *
 * <p>Used only when {@link #isCut} says the file lacks the footer every complete xz stream ends with; a whole file is
 * decoded once, as before.
 */
final class CutXzInputStream extends InputStream {
    /** Bytes made up after the cut: more than one LZMA2 chunk and its block header need. */
    private static final int PAD = 128 * 1024;

    private final InputStream zeros;
    private final InputStream ones;
    private final Path file;
    private byte[] other = new byte[8192];
    private boolean ended;
    private long agreed;

    /**
     * @param in   the file's bytes as the caller reads them (hashed and counted there): decoded with zeros after the cut
     * @param file the same file, opened again for the second decoding
     */
    CutXzInputStream(InputStream in, Path file, int memoryLimitKib) throws IOException {
        this.file = file;
        this.zeros = decoder(in, (byte) 0, memoryLimitKib);
        InputStream again = Files.newInputStream(file);
        try {
            this.ones = decoder(again, (byte) 0xFF, memoryLimitKib);
        } catch (IOException | RuntimeException e) {
            again.close();
            throw e;
        }
    }

    private static InputStream decoder(InputStream raw, byte pad, int memoryLimitKib) throws IOException {
        return new XZCompressorInputStream(new Padded(raw, pad), true, memoryLimitKib);
    }

    /**
     * Whether {@code file} (an xz stream by its magic) lacks the stream footer's closing {@code YZ} after any stream
     * padding (zero bytes, a multiple of four): then it was cut short, or damaged at its end.
     */
    static boolean isCut(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long end = f.length();
            byte[] tail = new byte[4];
            while (end >= 12 + 12) {
                f.seek(end - 4);
                f.readFully(tail);
                if (tail[0] == 0 && tail[1] == 0 && tail[2] == 0 && tail[3] == 0) {
                    end -= 4;
                    continue;
                }
                return !(tail[2] == 'Y' && tail[3] == 'Z');
            }
            return true;
        } catch (IOException e) {
            // unreadable here: the ordinary decoder meets the same failure and reports it
            return false;
        }
    }

    @Override
    public int read() throws IOException {
        return readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            throw cut();
        }
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            n = zeros.read(b, off, len);
        } catch (IOException e) {
            // the made-up bytes broke the first decoding before the two disagreed: the cut is here
            ended = true;
            throw cut();
        }
        if (n < 0) {
            // the made-up bytes happened to close the stream: still a cut file, whose end must not look clean
            ended = true;
            throw cut();
        }
        if (other.length < n) {
            other = new byte[n];
        }
        int m;
        try {
            m = ones.readNBytes(other, 0, n);
        } catch (IOException e) {
            m = 0;
        }
        int same = Arrays.mismatch(b, off, off + n, other, 0, n);
        if (same < 0 && m == n) {
            agreed += n;
            return n;
        }
        int good = same < 0 ? m : Math.min(same, m);
        ended = true;
        if (good == 0) {
            throw cut();
        }
        agreed += good;
        return good;
    }

    private EOFException cut() {
        return new EOFException("the xz data of " + file + " is cut short: " + agreed
                + " bytes could be decoded from what is there");
    }

    @Override
    public void close() throws IOException {
        try {
            zeros.close();
        } finally {
            ones.close();
        }
    }

    /** A stream that, where its bytes end, goes on with {@link #PAD} copies of one byte before it ends too. */
    private static final class Padded extends InputStream {
        private final InputStream in;
        private final byte pad;
        private boolean padding;
        private int left = PAD;

        Padded(InputStream in, byte pad) {
            this.in = in;
            this.pad = pad;
        }

        @Override
        public int read() throws IOException {
            return readOne(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!padding) {
                int n = in.read(b, off, len);
                if (n >= 0) {
                    return n;
                }
                padding = true;
            }
            if (left == 0) {
                return -1;
            }
            int n = Math.min(len, left);
            Arrays.fill(b, off, off + n, pad);
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** One byte, read as a block of one: both streams here do their work in {@code read(byte[], int, int)}. */
    private static int readOne(InputStream in) throws IOException {
        byte[] one = new byte[1];
        int n = in.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }
}
