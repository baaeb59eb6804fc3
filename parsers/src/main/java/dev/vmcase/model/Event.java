package dev.vmcase.model;

import java.time.Instant;
import java.util.Map;

/**
 * A line (or a few joined lines) of a log that means something on the timeline.
 *
 * @param time    when, if the line says so (UTC); {@code null} for untimed lines
 * @param kind    what sort of line it is
 * @param message the message without its timestamp and program prefix
 * @param details structured values extracted from the line (e.g. {@code idstr}, {@code reason}); what the analysis
 *                reads is named by {@link Detail}
 * @param guest   the VM this record speaks for where its file holds several (nova's {@code [instance: UUID]}), else
 *                null: the artifact's
 */
public record Event(SourceRef source, Instant time, EventKind kind, String message, Map<String, String> details,
                    Guest guest) {
    public Event {
        details = Map.copyOf(details);
    }

    public Event(SourceRef source, Instant time, EventKind kind, String message, Map<String, String> details) {
        this(source, time, kind, message, details, null);
    }

    /** A detail the analysis reads, or null. */
    public String detail(Detail d) {
        return details.get(d.key());
    }

    public Event withSource(SourceRef s) {
        return new Event(s, time, kind, message, details, guest);
    }

    public Event withTime(Instant t) {
        return new Event(source, t, kind, message, details, guest);
    }

    public Event withGuest(Guest g) {
        return new Event(source, time, kind, message, details, g);
    }

    public String id() {
        return source.id();
    }
}
