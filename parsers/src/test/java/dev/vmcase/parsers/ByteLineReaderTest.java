package dev.vmcase.parsers;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteLineReaderTest {
    /** Every line with its cut flag, as {@link LineReader} reads it. */
    private static List<String> viaChars(byte[] bytes) {
        List<String> out = new ArrayList<>();
        try (LineReader r = new LineReader(new ByteArrayInputStream(bytes))) {
            String l;
            while ((l = r.next()) != null) {
                out.add(r.number() + (r.wasCut() ? " cut " : " ") + l);
            }
        }
        return out;
    }

    private static List<String> viaBytes(byte[] bytes, int buffer) {
        List<String> out = new ArrayList<>();
        try (ByteLineReader r = new ByteLineReader(new ByteArrayInputStream(bytes), null, buffer)) {
            while (r.next()) {
                String raw = new String(r.buf(), r.start(), r.end() - r.start(), StandardCharsets.UTF_8);
                if (!r.wasCut() && raw.indexOf('\uFFFD') < 0) {
                    assertEquals(raw, r.text(), "the bytes are the line");
                }
                out.add(r.number() + (r.wasCut() ? " cut " : " ") + r.text());
            }
        }
        return out;
    }

    @Test
    void sameLinesAsTheLineReaderWhateverTheBufferSize() {
        Random random = new Random(42);
        String[] pieces = {"a", "迁移", "\n", "\r\n", "\r", "\r\r", "", "2026-11-27 23:30:04.965+0000: 1: debug : f:1 : x",
                " fd=-1", "\uD83D\uDE00", "\u000b\u000c", "\u000e\u0001", "0123456789abcdef", "\t", "\u0000", "a\tb\u0009\u0008c"}; // bytes next to \n and \r, and
                // the other controls below them, which the eight-byte search stops at and reads past
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            if (round % 7 == 0 && bytes.length > 3) {
                bytes[random.nextInt(bytes.length)] = (byte) 0xff; // malformed UTF-8
            }
            List<String> expected = viaChars(bytes);
            for (int buffer : new int[] {16, 17, 31, 1 << 20}) {
                assertEquals(expected, viaBytes(bytes, buffer), "buffer " + buffer + ": " + sb);
            }
        }
    }

    @Test
    void aRunawayLineIsCutAndTheNextLineIsWhole() {
        for (String fill : new String[] {"y", "迁"}) {
            String text = fill.repeat(LineReader.MAX_LINE * 3 + 5) + "\r\nnext\n";
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertEquals(viaChars(bytes), viaBytes(bytes, 1 << 16));
            try (ByteLineReader r = new ByteLineReader(new ByteArrayInputStream(bytes), null)) {
                assertTrue(r.next());
                assertEquals(LineReader.MAX_LINE, r.text().length());
                assertTrue(r.wasCut());
                assertTrue(r.next());
                assertEquals("next", r.text());
                assertFalse(r.wasCut());
                assertFalse(r.next());
            }
        }
    }

    @Test
    void theTickerIsToldBytesAndCanStopReading() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3 * LineReader.TICK; i++) {
            sb.append("line ").append(i).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        List<Long> told = new ArrayList<>();
        try (ByteLineReader r = new ByteLineReader(new ByteArrayInputStream(bytes), (read, line) -> {
            told.add(read);
            return line < 2 * LineReader.TICK;
        })) {
            int lines = 0;
            while (r.next()) {
                lines++;
            }
            assertEquals(2 * LineReader.TICK, lines, "stopped at the second tick");
        }
        String first = sb.substring(0, sb.indexOf("line " + LineReader.TICK + "\n"));
        assertEquals(List.of((long) first.length(), (long) sb.indexOf("line " + 2 * LineReader.TICK + "\n")), told);
    }
}
