package dev.vmcase.parsers.text;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.ingest.ParserRegistry;
import dev.vmcase.parsers.TextSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed itself: a Chinese ops note with a backtrace and log lines pasted among prose and '-' separator lines. */
class EmbeddedEvidenceParserTest {
    static final Path SEED = Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt");

    private static EvidenceSink parseSeed() throws IOException {
        TextSource src = TextSource.of(SEED, "seed");
        EvidenceSink sink = EvidenceSink.forSource(src);
        new EmbeddedEvidenceParser().parse(src, sink);
        return sink;
    }

    @Test
    void noFormatParserClaimsTheSeed() throws IOException {
        assertTrue(ParserRegistry.detect(dev.vmcase.parsers.Head.of(Files.readString(SEED))).isEmpty());
    }

    @Test
    void findsTheSeedsMigrationErrorAmongTheProse() throws IOException {
        EvidenceSink sink = parseSeed();
        Event err = sink.events().stream().filter(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR).findFirst().orElseThrow();
        assertEquals("0000:06.0/virtio-blk", err.details().get("idstr"));
        assertEquals("0000:00:06.0", err.details().get("pci"));
        assertEquals(9, err.source().line());
        assertTrue(sink.events().stream().anyMatch(e -> e.kind() == EventKind.MIGRATION_LOAD_FAILED && e.source().line() == 11));
        assertEquals(Role.UNKNOWN, sink.role(), "quoting a destination's error does not make a note the destination's log");
    }

    @Test
    void findsTheSeedsBacktraceWithAllTwentyOneFrames() throws IOException {
        List<Backtrace> bts = parseSeed().backtraces();
        assertEquals(1, bts.size());
        List<Frame> frames = bts.get(0).threads().get(0).frames();
        assertEquals(21, frames.size());
        assertEquals("release_drive", frames.get(0).function());
        assertEquals("44552", frames.get(16).arg("port"));
        assertEquals("32", frames.get(9).arg("slots"));
        assertEquals(444, frames.get(11).line());
    }

    @Test
    void theOldBareQemuMessagesAreOnTheTimeline() throws IOException {
        List<Event> msgs = parseSeed().events().stream().filter(e -> e.kind() == EventKind.QEMU_MESSAGE).toList();
        assertTrue(msgs.stream().anyMatch(e -> e.message().startsWith("char device redirected to /dev/pts/17")));
        assertTrue(msgs.stream().anyMatch(e -> e.message().startsWith("Warning: option deprecated")));
    }

    @Test
    void proseWithoutEvidenceIsNotRecognised() {
        assertTrue(!new EmbeddedEvidenceParser().recognizes(dev.vmcase.parsers.Head.of("好久不处理线上问题了\n问题分析:\n")));
    }
}
