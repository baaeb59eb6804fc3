package dev.vmcase.app;

import dev.vmcase.parsers.ProgressMonitor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * {@code analyze}'s progress on a terminal: one line on standard error, rewritten in place a few times a second, with
 * the file being read, the bytes read of all the inputs', the rate and the time left; cleared before the report is
 * printed. Bytes are counted as the parsers report them ({@link ProgressMonitor#read}), a file's whole size once it is
 * done (an archive advances by whole archives: its members' bytes are not its own).
 */
final class CliProgress implements ProgressMonitor {
    /** Inputs smaller than this are read in about a second: no progress for them. */
    static final long MIN_BYTES = 4 << 20;
    private static final long EVERY_NANOS = 250_000_000L;

    private final PrintStream out;
    private final ResourceBundle texts;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private long doneBefore;
    private String current = "";
    private long currentSize;
    private long currentRead;
    private long lastShown = Long.MIN_VALUE;
    private int shownWidth;

    CliProgress(PrintStream out, ResourceBundle texts, long totalBytes, LongSupplier nanoClock) {
        this.out = out;
        this.texts = texts;
        this.total = totalBytes;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    /** The progress for {@code inputs} on {@code err}, or {@link ProgressMonitor#NONE} where none is shown. */
    static ProgressMonitor of(List<Path> inputs, boolean quiet, PrintStream err, ResourceBundle texts) {
        if (quiet || !stderrIsTerminal()) {
            return ProgressMonitor.NONE;
        }
        long bytes = bytes(inputs);
        return bytes < MIN_BYTES ? ProgressMonitor.NONE : new CliProgress(err, texts, bytes, System::nanoTime);
    }

    /**
     * Standard error is a terminal: {@code /proc/self/fd/2} names a tty (Java 17 can only ask whether standard input
     * and output both are one, and {@code analyze --json > FILE} still wants its progress).
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** The bytes of the regular files of {@code inputs}, folders walked (links in them not followed). */
    static long bytes(List<Path> inputs) {
        long sum = 0;
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    sum += s.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).mapToLong(CliProgress::size)
                            .sum();
                } catch (IOException | java.io.UncheckedIOException e) {
                    // a folder that cannot be listed: ingest names it, the progress goes without it
                }
            } else {
                sum += size(p);
            }
        }
        return sum;
    }

    private static long size(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void progress(long done, long count, String what) {
        // ingest's step to the next input (or an archive's next member): the one before is read whole
        if (current.isEmpty() || !(what.equals(current) || what.startsWith(current + "!/"))) {
            doneBefore += currentSize;
            current = what;
            currentSize = size(Path.of(what.isEmpty() ? "." : what));
            currentRead = 0;
        }
        show(false);
    }

    @Override
    public void read(String what, long bytes, long size) {
        currentRead = Math.min(bytes, currentSize > 0 ? currentSize : bytes);
        show(false);
    }

    /** Bytes read of the inputs so far. */
    long done() {
        return Math.min(total, doneBefore + currentRead);
    }

    /** Says the reading is over and the analysis runs. */
    void analysing() {
        write(texts.getString("analyze.progress.analysing"));
    }

    /** Clears the line, before the report is printed. */
    void clear() {
        if (shownWidth > 0) {
            out.print("\r" + " ".repeat(shownWidth) + "\r");
            out.flush();
            shownWidth = 0;
        }
    }

    private void show(boolean force) {
        long now = clock.getAsLong();
        if (!force && lastShown != Long.MIN_VALUE && now - lastShown < EVERY_NANOS) {
            return;
        }
        lastShown = now;
        write(line(now));
    }

    /** Times and bytes of the lines shown in the last {@link #WINDOW_NANOS} or so, oldest first. */
    private final java.util.ArrayDeque<long[]> recent = new java.util.ArrayDeque<>();
    /** The rate is the last few seconds': a JVM reads its first megabytes slower than the rest (JIT warm-up). */
    private static final long WINDOW_NANOS = 3_000_000_000L;

    /** {@code reading …/libvirtd.log: 412.3 of 1024.0 MB, 301.2 MB/s, 2 s left}. */
    String line(long now) {
        long done = done();
        recent.addLast(new long[] {now, done});
        while (recent.size() > 2 && now - recent.peekFirst()[0] > WINDOW_NANOS && now - secondOldest() >= WINDOW_NANOS) {
            recent.removeFirst();
        }
        long[] from = recent.size() > 1 && now - recent.peekFirst()[0] >= WINDOW_NANOS ? recent.peekFirst()
                : new long[] {start, 0};
        double seconds = (now - from[0]) / 1e9;
        double rate = seconds > 0 ? (done - from[1]) / seconds : 0;
        String left = rate > 0 && done > 0 ? duration((total - done) / rate) : "?";
        return String.format(Locale.ROOT, texts.getString("analyze.progress"), shortened(current, 40),
                megabytes(done), megabytes(total), megabytes((long) rate), left);
    }

    private long secondOldest() {
        java.util.Iterator<long[]> i = recent.iterator();
        i.next();
        return i.next()[0];
    }

    private void write(String text) {
        String pad = shownWidth > text.length() ? " ".repeat(shownWidth - text.length()) : "";
        out.print("\r" + text + pad);
        out.flush();
        shownWidth = text.length();
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    /** {@code 7 s}, {@code 2 min 05 s}. */
    String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? String.format(Locale.ROOT, texts.getString("analyze.progress.seconds"), s)
                : String.format(Locale.ROOT, texts.getString("analyze.progress.minutes"), s / 60, s % 60);
    }

    /** The end of a long path, behind an ellipsis. */
    static String shortened(String path, int max) {
        return path.length() <= max ? path : "…" + path.substring(path.length() - max + 1);
    }
}
