package dev.vmcase.parsers.lines;

import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line index, range reads, search and filters over real files on disk. */
class LogFileTest {
    static final Path LIBVIRTD = Path.of("../sample-cases/libvirt-pending-unplug/evidence/libvirtd.log");
    @TempDir
    Path dir;

    LogFile open(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return LogFile.open(p, ProgressMonitor.NONE);
    }

    static List<String> all(LogFile f) {
        return f.lines(1, Integer.MAX_VALUE);
    }

    @Test
    void linesEndAtLfCrlfAndLoneCrAndTheLastNeedsNoNewline() throws IOException {
        try (LogFile f = open("a.log", "one\r\ntwo\nthree\rfour\r\n\r\nsix".getBytes(StandardCharsets.UTF_8))) {
            assertEquals(6, f.lineCount());
            assertEquals(List.of("one", "two", "three", "four", "", "six"), all(f));
        }
        try (LogFile f = open("b.log", "x\ny\n".getBytes(StandardCharsets.UTF_8))) {
            assertEquals(2, f.lineCount(), "a newline at the end starts no line");
            assertEquals(List.of("x", "y"), all(f));
        }
        try (LogFile f = open("c.log", "a\r".getBytes(StandardCharsets.UTF_8))) {
            assertEquals(List.of("a"), all(f));
        }
        try (LogFile f = open("e.log", "x\r\ry\r\n\rz".getBytes(StandardCharsets.UTF_8))) {
            assertEquals(5, f.lineCount(), "lone \\r after \\r, and after \\r\\n, each end a line");
            assertEquals(List.of("x", "", "y", "", "z"), all(f));
        }
        try (LogFile f = open("d.log", new byte[0])) {
            assertEquals(0, f.lineCount());
            assertEquals(List.of(), all(f));
        }
    }

    @Test
    void indexIsSparseAndEveryLineIsReachable() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 1000; i++) {
            sb.append("line ").append(i).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        try (LogFile f = open("n.log", sb.toString().getBytes(StandardCharsets.US_ASCII))) {
            assertEquals(1000, f.lineCount());
            assertTrue(f.index().bytes() < 8 * 40, "one checkpoint per 64 lines: " + f.index().bytes());
            for (int n : new int[]{1, 63, 64, 65, 66, 128, 129, 999, 1000}) {
                assertEquals("line " + n, f.line(n));
            }
            assertEquals(List.of("line 998", "line 999", "line 1000"), f.lines(998, 10));
            assertEquals(List.of(), f.lines(1001, 5));
        }
    }

    @Test
    void cjkAcrossBufferBoundariesAndInvalidBytesSurvive() throws IOException {
        StringBuilder sb = new StringBuilder();
        // lines long enough that multi-byte characters straddle the reader's 64 KiB buffers
        String cjk = "虚拟机热拔插失败：设备未删除";
        for (int i = 0; i < 400; i++) {
            sb.append(i).append(' ').append(cjk.repeat(17)).append('\n');
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'o', 'k', ' ', (byte) 0xff, (byte) 0xe8, (byte) 0x99, ' ', 'e', 'n', 'd', '\n'};
        byte[] all = new byte[text.length + bad.length];
        System.arraycopy(text, 0, all, 0, text.length);
        System.arraycopy(bad, 0, all, text.length, bad.length);
        try (LogFile f = open("cjk.log", all)) {
            assertEquals(401, f.lineCount());
            for (int i = 0; i < 400; i++) {
                assertEquals(i + " " + cjk.repeat(17), f.line(i + 1));
            }
            String last = f.line(401);
            assertTrue(last.startsWith("ok \uFFFD"), last);
            assertTrue(last.endsWith(" end"), last);
        }
    }

    @Test
    void searchGoesBothWaysFromALineAndCounts() throws IOException {
        try (LogFile f = LogFile.open(LIBVIRTD, ProgressMonitor.NONE)) {
            Pattern p = LineSearch.pattern("device_del", false);
            List<Integer> expected = new ArrayList<>();
            f.scan(1, f.lineCount(), ProgressMonitor.NONE, (n, s) -> {
                if (s.contains("device_del")) {
                    expected.add(n);
                }
                return true;
            });
            assertTrue(expected.size() >= 2, expected.toString());
            int first = LineSearch.find(f, p, 0, true, null, ProgressMonitor.NONE);
            assertEquals(expected.get(0), first);
            int second = LineSearch.find(f, p, first, true, null, ProgressMonitor.NONE);
            assertEquals(expected.get(1), second);
            assertEquals(first, LineSearch.find(f, p, second, false, null, ProgressMonitor.NONE));
            int lastHit = expected.get(expected.size() - 1);
            assertEquals(lastHit, LineSearch.find(f, p, f.lineCount() + 1, false, null, ProgressMonitor.NONE));
            assertEquals(-1, LineSearch.find(f, p, lastHit, true, null, ProgressMonitor.NONE));
            assertEquals(-1, LineSearch.find(f, p, first, false, null, ProgressMonitor.NONE));
            assertEquals(expected.size(), LineSearch.count(f, p, null, ProgressMonitor.NONE));
            Pattern re = LineSearch.pattern("\"execute\":\\s*\"device_del\"", true);
            int r = LineSearch.find(f, re, 0, true, null, ProgressMonitor.NONE);
            assertTrue(r > 0 && f.line(r).contains("device_del"), "regex search finds the QMP command");
        }
    }

    @Test
    void levelFilterKeepsEventsWithTheirContinuationLines() throws IOException {
        try (LogFile f = LogFile.open(LIBVIRTD, ProgressMonitor.NONE)) {
            FilteredLines errors = new LineFilter(Timeline.ERROR, null).apply(f, ProgressMonitor.NONE);
            assertTrue(errors.size() > 0);
            for (int i = 0; i < errors.size(); i++) {
                String s = f.line(errors.line(i));
                boolean continuation = !LogLines.startsWithTimestamp(s);
                assertTrue(continuation || LogLines.level(s) == Timeline.ERROR, s);
            }
            FilteredLines all = LineFilter.ALL.apply(f, ProgressMonitor.NONE);
            assertEquals(f.lineCount(), all.size());
            FilteredLines text = new LineFilter(Timeline.DEBUG, LineSearch.pattern("device_del", false))
                    .apply(f, ProgressMonitor.NONE);
            assertTrue(text.size() > 0 && text.size() < f.lineCount());
            int hit = LineSearch.find(f, LineSearch.pattern("device_del", false), 0, true, null, ProgressMonitor.NONE);
            assertTrue(text.contains(hit));
            assertEquals(text.positionOf(hit), text.positionOf(hit - 1) + (text.contains(hit - 1) ? 1 : 0));
        }
    }

    @Test
    void aDumpUnderADebugLineAndANovaTracebackAreOneEvent() throws IOException {
        String log = String.join("\n",
                "2026-11-27 23:30:05.001+0000: 28287: debug : virDomainDefFormat:1 : xml=",
                "<domain type='kvm'>",
                "  <name>instance-0000002a</name>",
                "</domain>",
                "2026-11-27 23:30:05.002+0000: 28287: error : qemuDomainDetach:2 : device not found",
                "Sep 07 19:32:06.850434 node nova-compute[93651]: ERROR nova.compute.manager [instance: 0d59] Traceback (most recent call last):",
                "Sep 07 19:32:06.850434 node nova-compute[93651]: ERROR nova.compute.manager [instance: 0d59]   File \"guest.py\", line 455",
                "Sep 07 19:32:06.850434 node nova-compute[93651]: ERROR nova.compute.manager [instance: 0d59] nova.exception.DeviceDetachFailed: x",
                "Sep 07 19:32:07.000000 node nova-compute[93651]: INFO nova.compute.manager [instance: 0d59] next");
        try (LogFile f = open("ev.log", log.getBytes(StandardCharsets.UTF_8))) {
            assertEquals(new LogEvents.Span(1, 4), LogEvents.around(f, 3));
            assertEquals(new LogEvents.Span(5, 5), LogEvents.around(f, 5));
            assertEquals(new LogEvents.Span(6, 8), LogEvents.around(f, 7));
            assertEquals(new LogEvents.Span(9, 9), LogEvents.around(f, 9));
            FilteredLines errors = new LineFilter(Timeline.ERROR, null).apply(f, ProgressMonitor.NONE);
            assertEquals(4, errors.size(), "line 5 and the traceback's three lines");
            FilteredLines xml = new LineFilter(Timeline.DEBUG, LineSearch.pattern("instance-0000002a", false))
                    .apply(f, ProgressMonitor.NONE);
            assertEquals(4, xml.size(), "the whole event whose dump names it");
            assertEquals(1, xml.line(0));
        }
    }

    @Test
    void aFileWithoutTimestampsHasOneLineEvents() throws IOException {
        try (LogFile f = open("q.jsonl", "{\"execute\":\"qmp_capabilities\"}\n{\"return\": {}}\n".getBytes(StandardCharsets.UTF_8))) {
            assertEquals(new LogEvents.Span(2, 2), LogEvents.around(f, 2));
        }
    }

    @Test
    void indexingCanBeCancelled() throws IOException {
        Path big = dir.resolve("big.log");
        byte[] line = "2026-11-27 23:30:05.001+0000: 28287: debug : x\n".getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i + line.length <= chunk.length; i += line.length) {
            System.arraycopy(line, 0, chunk, i, line.length);
        }
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 70; i++) {
                out.write(chunk);
            }
        }
        ProgressMonitor cancelled = new ProgressMonitor() {
            @Override
            public boolean isCancelled() {
                return true;
            }
        };
        assertThrows(CancellationException.class, () -> LogFile.open(big, cancelled));
    }

    @Test
    void aGrowingIndexShowsWholeLinesOnlyAndEachPartAgreesWithTheWhole() throws IOException {
        List<LogFile> parts = new ArrayList<>();
        try (LogFile whole = LogFile.open(LIBVIRTD, ProgressMonitor.NONE, parts::add)) {
            List<String> lines = all(whole);
            assertTrue(parts.size() >= 1, "a 680 KB log is told after its first 64 KB");
            int before = 0;
            for (LogFile part : parts) {
                int n = part.lineCount();
                assertTrue(n > before && n < whole.lineCount(), n + " lines of " + whole.lineCount());
                assertEquals(lines.subList(0, n), all(part), "the part's lines are the whole's first ones");
                assertEquals(lines.get(n - 1), part.line(n), "its last line is whole, not cut at the read");
                before = n;
            }
        }
        // a line cut by the first read is left out of the part, and a part ends where its last line does
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < (3 << 16); i++) {
            b.append("line ").append(i).append(" ").append("x".repeat(i % 97)).append('\n');
        }
        Path p = dir.resolve("cut.log");
        Files.writeString(p, b, StandardCharsets.UTF_8);
        parts.clear();
        try (LogFile whole = LogFile.open(p, ProgressMonitor.NONE, parts::add)) {
            LogFile first = parts.get(0);
            assertTrue(first.index().fileSize() <= 64 << 10);
            assertEquals(all(whole).subList(0, first.lineCount()), all(first));
            assertEquals(b.substring(0, (int) first.index().fileSize()).split("\n").length, first.lineCount());
        }
    }
}
