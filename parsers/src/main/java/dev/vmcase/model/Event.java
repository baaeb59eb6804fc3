package dev.vmcase.model;

import java.time.Instant;
import java.util.Map;

/**
 * A line (or a few joined lines) of a log that means something on the timeline.
 *
 * @param time    when, if the line says so (UTC); {@code null} for untimed lines
 * @param kind    what sort of line it is
 * @param message the message without its timestamp and program prefix
 * @param details structured values extracted from the line (e.g. {@code idstr}, {@code reason})
 */
public record Event(SourceRef source, Instant time, EventKind kind, String message, Map<String, String> details) {
    public Event {
        details = Map.copyOf(details);
    }

    public String id() {
        return source.id();
    }
}
