package dev.vmcase.parsers;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineReaderTest {
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        try (LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            String l;
            while ((l = r.next()) != null) {
                out.add(l);
                assertEquals(out.size(), r.number());
            }
        }
        return out;
    }

    @Test
    void everyLineEndingEndsALine() {
        assertEquals(List.of("a", "b", "c", "", "d"), lines("a\nb\r\nc\r\rd"));
        assertEquals(List.of("last line without newline"), lines("last line without newline"));
        assertEquals(List.of(), lines(""));
        assertEquals(List.of(""), lines("\n"));
    }

    @Test
    void aCrLfSplitAcrossTheBufferIsOneLineEnd() {
        String first = "x".repeat((1 << 16) - 1);
        assertEquals(List.of(first, "second"), lines(first + "\r\nsecond\n"));
    }

    @Test
    void aRunawayLineIsCutAndTheNextLineIsWhole() {
        String text = "y".repeat(LineReader.MAX_LINE + 5) + "\nnext\n";
        try (LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(LineReader.MAX_LINE, r.next().length());
            assertTrue(r.wasCut());
            assertEquals("next", r.next());
            assertFalse(r.wasCut());
        }
    }

    @Test
    void cjkAndMalformedBytesSurvive() {
        byte[] ok = "迁移\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[ok.length + 2];
        System.arraycopy(ok, 0, bytes, 0, ok.length);
        bytes[ok.length] = (byte) 0xff;
        bytes[ok.length + 1] = '\n';
        List<Integer> told = new ArrayList<>();
        try (LineReader r = new LineReader(new ByteArrayInputStream(bytes)).onNotUtf8(told::add)) {
            assertEquals("迁移", r.next());
            assertEquals("\u00ff", r.next(), "a stray byte is read as its Latin-1 character");
        }
        assertEquals(List.of(2), told);
    }
}
