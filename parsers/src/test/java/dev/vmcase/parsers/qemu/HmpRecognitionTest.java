package dev.vmcase.parsers.qemu;

import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.Head;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each HMP parser claims its own sample and real outputs, and nobody else's. */
class HmpRecognitionTest {
    private static final List<EvidenceParser> PARSERS =
            List.of(new HmpQtreeParser(), new HmpPciParser(), new HmpBlockParser());

    /** Other formats of the bundle (real lines from public bug reports and from QEMU 7.2 here). */
    private static final List<String> FOREIGN = List.of(
            Fixtures.text("run-after-query-pci.json"),
            Fixtures.text("run-after-query-block.json"),
            "2024-04-25 18:14:07.263+0000: starting up libvirt version: 9.0.0, qemu version: 7.2.0\n",
            "qemu-system-x86_64: Unknown savevm section or instance '0000:00:06.0/virtio-blk' 0. Make sure that "
                    + "your current VM setup matches your saved VM setup, including any hotplugged devices\n"
                    + "qemu-system-x86_64: load of migration failed: Invalid argument\n",
            "#0  0x00007fb6dec981d0 in ?? ()\n#1  <signal handler called>\n",
            "\u001b[K\u001b[D\n",
            "");

    @Test
    void eachSampleIsRecognisedByItsOwnParserOnly() {
        for (EvidenceParser owner : PARSERS) {
            for (EvidenceParser other : PARSERS) {
                assertEquals(owner == other, other.recognizes(Head.of(owner.sample())),
                        other.format() + " on the sample of " + owner.format());
            }
        }
    }

    @Test
    void realOutputsAreRecognisedByTheirParserOnly() {
        assertOnly("hmp-info-qtree", "run-after-info-qtree.txt");
        assertOnly("hmp-info-qtree", "nofw-after-info-qtree.txt");
        assertOnly("hmp-info-qtree", "stdio-info-qtree.txt");
        assertOnly("hmp-info-pci", "run-after-info-pci.txt");
        assertOnly("hmp-info-block", "run-before-info-block.txt");
        assertOnly("hmp-info-block", "run-after-info-block.txt");
        assertOnly("hmp-info-block", "stdio-info-block--n.txt");
        assertOnly("hmp-info-block", "old-info-block-1.5.txt");
    }

    @Test
    void toleratesALeadingPromptLine() {
        assertTrue(new HmpPciParser().recognizes(Head.of("(qemu) info pci\n" + HmpPciParser.SAMPLE)));
        assertTrue(new HmpBlockParser().recognizes(Head.of("(qemu) info block\n" + HmpBlockParser.SAMPLE)));
    }

    @Test
    void rejectsOtherFormats() {
        for (String text : FOREIGN) {
            for (EvidenceParser p : PARSERS) {
                assertFalse(p.recognizes(Head.of(text)), p.format() + " claimed: " + text);
            }
        }
    }

    private static void assertOnly(String format, String fixture) {
        Head head = Head.of(Fixtures.text(fixture));
        for (EvidenceParser p : PARSERS) {
            assertEquals(p.format().equals(format), p.recognizes(head), p.format() + " on " + fixture);
        }
    }
}
