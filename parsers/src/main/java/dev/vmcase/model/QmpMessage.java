package dev.vmcase.model;

import java.time.Instant;
import java.util.Map;

/**
 * One QMP message.
 *
 * @param kind      greeting, command, return, error or event
 * @param name      the command ({@code execute}) or event name; for errors the error class
 * @param qmpId     the {@code id} member, if any ({@code libvirt-367}, {@code vmcase-3})
 * @param time      the event timestamp, if any
 * @param arguments flattened top-level arguments (commands) or data (events), values as JSON text without quotes for strings
 * @param json      the whole message as compact JSON
 */
public record QmpMessage(SourceRef source, QmpKind kind, String name, String qmpId, Instant time,
                         Map<String, String> arguments, String json) {
    public QmpMessage {
        arguments = Map.copyOf(arguments);
    }

    public String id() {
        return source.id();
    }

    public String arg(String key) {
        return arguments.get(key);
    }
}
