package dev.vmcase.parsers.ingest;

import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.clock.HostClockParser;
import dev.vmcase.parsers.clock.TzifParser;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.gdb.GdbBacktraceParser;
import dev.vmcase.parsers.journal.JournalParser;
import dev.vmcase.parsers.libvirt.DomainXmlParser;
import dev.vmcase.parsers.libvirt.LibvirtdLogParser;
import dev.vmcase.parsers.lspci.LspciParser;
import dev.vmcase.parsers.nova.NovaLogParser;
import dev.vmcase.parsers.qemu.HmpBlockParser;
import dev.vmcase.parsers.qemu.HmpPciParser;
import dev.vmcase.parsers.qemu.HmpQtreeParser;
import dev.vmcase.parsers.qmp.QmpJsonParser;
import dev.vmcase.parsers.qmp.QmpTranscriptParser;
import dev.vmcase.parsers.text.EmbeddedEvidenceParser;
import dev.vmcase.parsers.virsh.VirshTranscriptParser;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Every parser, in an explicit list (no reflection). {@link #detect(Head)} asks the format parsers in order; the
 * embedded-evidence parser is the fallback for files none of them claims.
 */
public final class ParserRegistry {
    private static final List<EvidenceParser> FORMATS = List.of(
            new GdbBacktraceParser(),
            new VirshTranscriptParser(),
            new LibvirtdLogParser(),
            new NovaLogParser(),
            new JournalParser(),
            new DomainXmlParser(),
            new QmpTranscriptParser(),
            new QmpJsonParser(),
            new HmpQtreeParser(),
            new HmpPciParser(),
            new HmpBlockParser(),
            new LspciParser(),
            new HostClockParser(),
            new TzifParser(),
            new DomainLogParser());

    /** Reads pasted text; hands each region of it to the format parser of its form, from {@link #FORMATS}. */
    private static final EvidenceParser FALLBACK = new EmbeddedEvidenceParser(FORMATS);
    private static final System.Logger LOG = System.getLogger(ParserRegistry.class.getName());

    private ParserRegistry() {
    }

    /** The format parsers, without the fallback. */
    public static List<EvidenceParser> formats() {
        return FORMATS;
    }

    /** Every parser including the fallback. */
    public static List<EvidenceParser> all() {
        return java.util.stream.Stream.concat(FORMATS.stream(), java.util.stream.Stream.of(FALLBACK)).toList();
    }

    public static EvidenceParser fallback() {
        return FALLBACK;
    }

    public static Optional<EvidenceParser> detect(Head head) {
        return detect(FORMATS, head, (parser, e) -> { });
    }

    /**
     * The first format parser that claims {@code head}. A sniffer that throws does not claim it, and {@code crashed}
     * hears which one and why: ingest makes that a problem of the file, so a bug in a detector is seen instead of
     * turning into a silent "unrecognized".
     */
    public static Optional<EvidenceParser> detect(Head head, BiConsumer<EvidenceParser, RuntimeException> crashed) {
        return detect(FORMATS, head, crashed);
    }

    static Optional<EvidenceParser> detect(List<EvidenceParser> parsers, Head head,
                                           BiConsumer<EvidenceParser, RuntimeException> crashed) {
        return EvidenceParser.firstRecognising(parsers, head, (p, e) -> {
            LOG.log(System.Logger.Level.WARNING, "the " + p.format() + (e.getCause() instanceof StackOverflowError
                    ? " format detector overflowed its stack" : " format detector failed"), e);
            crashed.accept(p, e);
        });
    }
}
