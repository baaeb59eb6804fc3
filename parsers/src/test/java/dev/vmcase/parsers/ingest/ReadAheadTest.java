package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Ids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadAheadTest {
    @TempDir
    Path dir;

    /** More blocks than wait for the parser, and a last block cut short. */
    private Path file(int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path f = dir.resolve("big-" + size + ".log");
        Files.write(f, bytes);
        return f;
    }

    @Test
    void aSniffThenTheParserReadEveryByteOnceAndTheHashIsTheFilesOwn() throws Exception {
        Path f = file(ReadAhead.BLOCK * (ReadAhead.AHEAD + 3) + 12_345);
        ReadAhead ahead = ReadAhead.start(f);
        byte[] sniffed;
        try (InputStream sniff = ahead.open()) {
            sniffed = sniff.readNBytes(8192);
        }
        byte[] read;
        try (InputStream parse = ahead.open()) {
            read = readInOddPieces(parse);
        }
        ahead.detach();
        byte[] expected = Files.readAllBytes(f);
        assertArrayEquals(java.util.Arrays.copyOf(expected, 8192), sniffed);
        assertArrayEquals(expected, read);
        assertEquals(Ids.sha256Of(f), ahead.sha256());
    }

    @Test
    void aStreamOpenedAfterOneTookLaterBlocksReadsTheFileItself() throws Exception {
        Path f = file(ReadAhead.BLOCK * 3 + 7);
        ReadAhead ahead = ReadAhead.start(f);
        try (InputStream first = ahead.open()) {
            first.readNBytes(ReadAhead.BLOCK + 10); // past the first block
        }
        byte[] again;
        try (InputStream second = ahead.open()) {
            again = second.readAllBytes();
        }
        ahead.detach();
        assertArrayEquals(Files.readAllBytes(f), again);
        assertEquals(Ids.sha256Of(f), ahead.sha256());
    }

    @Test
    void theHashIsWholeWhenTheParserStopsEarlyOrNeverReads() throws Exception {
        Path f = file(ReadAhead.BLOCK * (ReadAhead.AHEAD * 2) + 1);
        ReadAhead stopped = ReadAhead.start(f);
        try (InputStream in = stopped.open()) {
            in.readNBytes(ReadAhead.BLOCK * 2 + 5);
        }
        stopped.detach();
        ReadAhead unread = ReadAhead.start(f);
        unread.detach();
        assertEquals(Ids.sha256Of(f), stopped.sha256());
        assertEquals(Ids.sha256Of(f), unread.sha256());
    }

    /** The parser stopping at any point, while the thread reads, hands over and hashes: no block is used twice. */
    @Test
    void stoppingAnywhereNeverCorruptsTheHash() throws Exception {
        Path f = file(ReadAhead.BLOCK * (ReadAhead.AHEAD + ReadAhead.BEHIND) + 999);
        String whole = Ids.sha256Of(f);
        Random r = new Random(42);
        for (int i = 0; i < 12; i++) {
            ReadAhead ahead = ReadAhead.start(f);
            int stopAt = r.nextInt(ReadAhead.BLOCK * (ReadAhead.AHEAD + 4));
            try (InputStream in = ahead.open()) {
                in.readNBytes(stopAt);
            }
            ahead.detach();
            assertEquals(whole, ahead.sha256(), "stopped after " + stopAt + " bytes");
        }
    }

    private static byte[] readInOddPieces(InputStream in) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[100_003];
        int n;
        while ((n = in.read(buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        assertEquals(-1, in.read());
        return out.toByteArray();
    }
}
