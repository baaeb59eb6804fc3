package dev.vmcase.app;

import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliProgressTest {
    private static final ResourceBundle EN = ResourceBundle.getBundle("dev.vmcase.app.Cli", Locale.ROOT);
    private static final long MB = 1 << 20;

    @TempDir
    Path tmp;

    private Path file(String name, long size) throws IOException {
        Path f = tmp.resolve(name);
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}), size - 1); // a sparse file of that size
        }
        return f;
    }

    @Test
    void bytesOfEveryInputRateAndTimeLeftAndTheLineIsClearedAtTheEnd() throws IOException {
        Path a = file("a.log", 30 * MB);
        Path b = file("b.log", 10 * MB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(1_000_000_000L);
        CliProgress p = new CliProgress(new PrintStream(out, true, StandardCharsets.UTF_8), EN,
                CliProgress.bytes(List.of(tmp)), now::get);
        p.progress(0, 2, a.toString());
        now.addAndGet(2_000_000_000L);
        p.read(a.toString(), 20 * MB, 30 * MB);
        // 20 of 40 MB in 2 s: 10 MB/s, 2 s left
        assertEquals("reading " + CliProgress.shortened(a.toString(), 40) + ": 20.0 MB of 40.0 MB, 10.0 MB/s, 2 s left",
                p.line(now.get()));
        now.addAndGet(1_000_000_000L);
        p.progress(1, 2, b.toString()); // a is read whole
        assertEquals(30 * MB, p.done());
        p.read(b.toString(), 50 * MB, 10 * MB); // never past a file's size
        assertEquals(40 * MB, p.done());
        p.progress(2, 2, "");
        assertEquals(40 * MB, p.done());
        p.analysing();
        p.clear();
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("\rreading "), shown);
        assertTrue(shown.contains("\ranalysing…"), shown);
        assertTrue(shown.endsWith("\r"), "the line is blanked before the report: " + shown);
        // the two calls within a quarter of a second of the last line shown did not rewrite it
        assertEquals(3, shown.split("\rreading ", -1).length - 1, shown);
    }

    @Test
    void theRateIsTheLastSecondsNotTheSlowStarts() throws IOException {
        Path a = file("a.log", 400 * MB);
        AtomicLong now = new AtomicLong();
        CliProgress p = new CliProgress(new PrintStream(new ByteArrayOutputStream()), EN, 400 * MB, now::get);
        p.progress(0, 1, a.toString());
        for (int s = 1; s <= 6; s++) {
            now.set(s * 1_000_000_000L);
            p.read(a.toString(), (s <= 3 ? 10 * s : 30 + 100 * (s - 3)) * MB, 400 * MB); // 10 MB/s, then 100
        }
        // 330 MB read, the last 3 s at 100 MB/s: 70 MB left take 1 s (the average since the start would say 4 s)
        assertTrue(p.line(now.get()).endsWith("330.0 MB of 400.0 MB, 100.0 MB/s, 1 s left"), p.line(now.get()));
    }

    @Test
    void aMinuteOrMoreLeftAndLongPaths() {
        CliProgress p = new CliProgress(new PrintStream(new ByteArrayOutputStream()), EN, 1, () -> 0);
        assertEquals("59 s", p.duration(59.4));
        assertEquals("2 min 05 s", p.duration(125));
        assertEquals("…/c/d.log", CliProgress.shortened("/a/b/c/d.log", 9));
        assertEquals("d.log", CliProgress.shortened("d.log", 9));
    }

    @Test
    void noneWhenQuietWhenStandardErrorIsNoTerminalOrForSmallInputs() throws IOException {
        Path big = file("big.log", 8 * MB);
        Path small = file("small.log", 1 * MB);
        PrintStream err = new PrintStream(new ByteArrayOutputStream());
        assertSame(ProgressMonitor.NONE, CliProgress.of(List.of(big), true, err, EN));
        // the test's standard error is a pipe to Maven, not a terminal
        assertEquals(false, CliProgress.stderrIsTerminal());
        assertSame(ProgressMonitor.NONE, CliProgress.of(List.of(big), false, err, EN));
        assertTrue(CliProgress.bytes(List.of(small)) < CliProgress.MIN_BYTES);
        assertEquals(9 * MB, CliProgress.bytes(List.of(tmp)));
    }
}
