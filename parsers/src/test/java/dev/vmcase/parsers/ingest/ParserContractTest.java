package dev.vmcase.parsers.ingest;

import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.Parsing;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every parser's sample is recognised by that parser and by no other; every parser is registered once. */
class ParserContractTest {

    @TestFactory
    Stream<DynamicTest> everySampleIsRecognisedByItsOwnParserOnly() {
        return ParserRegistry.formats().stream().map(owner -> DynamicTest.dynamicTest(owner.format(), () -> {
            Head head = Head.of(owner.sample());
            assertTrue(owner.recognizes(head), owner.format() + " does not recognise its own sample");
            List<String> others = new ArrayList<>();
            for (EvidenceParser p : ParserRegistry.formats()) {
                if (p != owner && p.recognizes(head)) {
                    others.add(p.format());
                }
            }
            assertEquals(List.of(), others, "other parsers claim the sample of " + owner.format());
            assertEquals(owner, ParserRegistry.detect(head).orElseThrow());
        }));
    }

    @TestFactory
    Stream<DynamicTest> everySampleParsesIntoEvidenceWithoutProblems() {
        return ParserRegistry.all().stream().map(p -> DynamicTest.dynamicTest(p.format(), () -> {
            EvidenceSink sink = Parsing.parse(p, "sample-" + p.format(), p.sample());
            int found = sink.events().size() + sink.qmpMessages().size() + sink.observations().size()
                    + sink.backtraces().size();
            assertTrue(found > 0, p.format() + " found nothing in its own sample");
            assertEquals(List.of(), sink.problems(), p.format() + " has problems with its own sample");
        }));
    }

    @Test
    void theFallbackSampleIsClaimedByNoFormatParser() {
        EvidenceParser fallback = ParserRegistry.fallback();
        assertTrue(fallback.recognizes(Head.of(fallback.sample())));
        assertTrue(ParserRegistry.detect(Head.of(fallback.sample())).isEmpty());
    }

    @Test
    void everyParserIsRegisteredOnceWithADistinctFormat() {
        Set<String> formats = new HashSet<>();
        Set<Class<?>> classes = new HashSet<>();
        for (EvidenceParser p : ParserRegistry.all()) {
            assertTrue(formats.add(p.format()), "duplicate format " + p.format());
            assertTrue(classes.add(p.getClass()), "registered twice: " + p.getClass());
        }
        assertFalse(formats.contains("unrecognized"));
        // the formats a user can meet in issue 2; a new parser must be added to this list too
        assertEquals(Set.of("gdb-backtrace", "qmp-transcript", "qmp-json", "hmp-info-qtree", "hmp-info-pci",
                "hmp-info-block", "qemu-domain-log", "libvirtd-debug-log", "libvirt-domain-xml", "nova-compute-log", "host-clock", "tz-file", "virsh-transcript", "lspci", "journal", "text-with-evidence"), formats);
    }
}
