package dev.vmcase.parsers;

import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ingest.ParserRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lines that made a parser throw (caught by the ingest guard, so the rest of the file was lost), found by the hostile
 * campaign and the fuzz suite (issue 19, item 10): each is put into a real file of the sample cases, which must then
 * be read to its end, with no internal error, and give what the file gives without it.
 */
class ParserCrashTest {
    static final Path DISK = Path.of("..", "sample-cases", "orphaned-disk-qemu", "evidence");

    static Ingest.ReadResult read(String name, String text) {
        return LinearParsingTest.read(name, text);
    }

    static void noInternalError(Ingest.ReadResult r) {
        LinearParsingTest.noInternalError(r);
    }

    /** The ingest's guard: whatever a parser throws, what it read before is kept and the failure is named. */
    @Test
    void whatAParserReadBeforeItFailedIsKept() throws IOException {
        byte[] log = Files.readAllBytes(DISK.resolve("destination-qemu.log"));
        int firstLine = new String(log, java.nio.charset.StandardCharsets.UTF_8).indexOf('\n') + 1;
        // a read that fails past the first line the way a vanished file or a broken spool does
        TextSource src = new TextSource("dst.log", "sha", () -> new java.io.ByteArrayInputStream(log) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                if (pos >= firstLine) {
                    throw new java.io.UncheckedIOException(new IOException("Input/output error"));
                }
                return super.read(b, off, Math.min(len, firstLine - pos));
            }
        });
        Ingest.ReadResult r = Ingest.read(src, log.length, java.util.Arrays.copyOf(log, firstLine));
        assertTrue(r.artifact().problems().stream().anyMatch(p -> p.message().startsWith("internal error")
                && p.message().contains("read only in part")), r.artifact().problems()::toString);
        assertFalse(r.sink().events().isEmpty(), "the first line's event is kept");
    }

    @Test
    void aCommandLineWithNumbersNoIntHoldsIsReadToTheEnd() throws IOException {
        String cmd = Files.readString(DISK.resolve("source-cmdline.txt")).strip();
        String log = Files.readString(DISK.resolve("destination-qemu.log"));
        Ingest.ReadResult plain = read("qemu.log", cmd + "\n" + log);
        for (String odd : List.of("bus=pci.4294967296,addr=0x5", "bus=pci.0,addr=0x…", "bus=pci.…,addr=0x5",
                "bus=pci.0,addr=0x-1.0", "bus=pci.0,addr=.", "bus=pci.0,addr=0xffffffffff")) {
            String bad = cmd.replace("bus=pci.0,addr=0x6", odd);
            Ingest.ReadResult r = read("qemu.log", bad + "\n" + log);
            noInternalError(r);
            assertEquals(plain.sink().events().size(), r.sink().events().size(), odd);
        }
    }

    @Test
    void aBusLineRightUnderABusIsAProblemAndTheTreeGoesOn() throws IOException {
        List<String> lines = Files.readAllLines(DISK.resolve("source-info-qtree.txt"));
        Ingest.ReadResult plain = read("qtree.txt", String.join("\n", lines));
        int bus = lines.indexOf("    bus: pci.0");
        // a lost "dev:" line: the bus below it now sits right under pci.0
        List<String> broken = new java.util.ArrayList<>(lines);
        broken.add(bus + 1, "      bus: isa.0");
        Ingest.ReadResult r = read("qtree.txt", String.join("\n", broken));
        noInternalError(r);
        assertTrue(r.artifact().problems().stream().anyMatch(p -> p.message().contains("bus inside a bus")),
                r.artifact().problems()::toString);
        assertTrue(r.sink().observations().stream().anyMatch(o -> "virtio-disk1".equals(o.id())));
        assertEquals(plain.sink().observations().size(), r.sink().observations().size());
    }

    @Test
    void aQmpTimestampPastYear9999IsNoTimeAndTheTranscriptGoesOn() throws IOException {
        String qmp = Files.readString(DISK.resolve("source-qmp.jsonl"));
        Ingest.ReadResult plain = read("qmp.jsonl", qmp);
        String bad = qmp.replaceFirst("\"seconds\": \\d+", "\"seconds\": 99999999999999999");
        assertFalse(bad.equals(qmp));
        Ingest.ReadResult r = read("qmp.jsonl", bad);
        noInternalError(r);
        assertEquals(plain.sink().qmpMessages().size(), r.sink().qmpMessages().size());
    }
}
