package dev.vmcase.parsers.tools;

import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line read through some of the message catalogue's entries, wherever it stands (a paste, a journal): the entry that
 * recognises it, and the line as a {@link EventKind#TOOL_MESSAGE} event carrying the entry's class and id and what its
 * groups name. The readers of this package ({@link UnplugLines}, {@link CrashLines}) each choose their entries.
 */
final class CatalogueLines {
    private final List<Message> entries;
    /** Their fixed phrases: a line with none of them is spared the patterns (most lines). */
    private final List<String> needles;

    CatalogueLines(List<Message> entries) {
        this.entries = entries;
        this.needles = MessageCatalogue.needles(entries);
    }

    /** The catalogue's reading of the line, or null when none of the entries recognises it. */
    MessageMatch match(String line) {
        if (line == null || needles.stream().noneMatch(line::contains)) {
            return null;
        }
        return MessageCatalogue.match(line, entries);
    }

    /** The line as an event of its entry's class, cited by {@code ref}; null when none of the entries recognises it. */
    Event read(String line, SourceRef ref) {
        MessageMatch m = match(line);
        if (m == null) {
            return null;
        }
        Map<String, String> d = new LinkedHashMap<>();
        m.addTo(d);
        return new Event(ref, null, EventKind.TOOL_MESSAGE, line.strip(), d);
    }
}
