package dev.vmcase.parsers.ingest;

import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.qmp.QmpTranscriptParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A format detector that throws claims nothing, and the caller hears which one failed and why. */
class ParserRegistryTest {
    /** A detector with a bug: it fails on every head it is shown. */
    private static final EvidenceParser BROKEN = new dev.vmcase.parsers.BrokenDetector();

    @Test
    void aCrashingDetectorIsPassedOverAndReported() {
        EvidenceParser qmp = new QmpTranscriptParser();
        List<String> crashes = new ArrayList<>();
        Head head = Head.of(QmpTranscriptParser.SAMPLE);
        EvidenceParser chosen = ParserRegistry.detect(List.of(BROKEN, qmp), head,
                (p, e) -> crashes.add(p.format() + ": " + (e instanceof IndexOutOfBoundsException))).orElseThrow();
        assertSame(qmp, chosen, "the next detector still gets its turn");
        assertEquals(List.of("broken-format: true"), crashes);
    }

    @Test
    void withoutACrashNothingIsReported() {
        List<String> crashes = new ArrayList<>();
        assertTrue(ParserRegistry.detect(Head.of(QmpTranscriptParser.SAMPLE), (p, e) -> crashes.add(p.format()))
                .isPresent());
        assertEquals(List.of(), crashes);
    }
}
