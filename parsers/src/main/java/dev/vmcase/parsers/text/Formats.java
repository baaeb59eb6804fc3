package dev.vmcase.parsers.text;

import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineRecords;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The format parsers a paste's regions are handed to, as the registry lists them (given to
 * {@link EmbeddedEvidenceParser}, so the pasted-text reader names no parser of its own): those whose records one line
 * tells ({@link LineRecords}) and all of them for blocks.
 */
final class Formats {
    private final List<EvidenceParser> all;
    private final List<EvidenceParser> lineRecords;

    Formats(List<EvidenceParser> formats) {
        this.all = List.copyOf(formats);
        this.lineRecords = all.stream().filter(p -> p instanceof LineRecords).toList();
    }

    /** The {@link LineRecords} format whose record this line starts, or null. */
    EvidenceParser recordFormat(String t) {
        for (EvidenceParser p : lineRecords) {
            if (((LineRecords) p).startsRecord(t)) {
                return p;
            }
        }
        return null;
    }

    /** Whether the line begins something of its own: then it never continues the line before it. */
    boolean startsAnything(String t) {
        return !t.isEmpty() && (recordFormat(t) != null || PasteForms.startsLineForm(t));
    }

    /**
     * The first format parser that recognises a block from its head, as the registry asks them; a detector that
     * throws is told to {@code crashed}.
     */
    Optional<EvidenceParser> detect(Head head, BiConsumer<EvidenceParser, RuntimeException> crashed) {
        return EvidenceParser.firstRecognising(all, head, crashed);
    }
}
