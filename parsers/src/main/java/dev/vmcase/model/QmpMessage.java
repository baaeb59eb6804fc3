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
 * @param channel   which monitor connection the message travelled on, when a file holds several (libvirtd's
 *                  {@code mon=0x7ff734005740}); "" for a file that is one conversation
 * @param guest     the VM the conversation belongs to where the file holds several (libvirtd's monitors), else null:
 *                  the artifact's
 */
public record QmpMessage(SourceRef source, QmpKind kind, String name, String qmpId, Instant time,
                         Map<String, String> arguments, String json, String channel, Guest guest) {
    public QmpMessage {
        arguments = Map.copyOf(arguments);
        channel = channel == null ? "" : channel;
    }

    public QmpMessage(SourceRef source, QmpKind kind, String name, String qmpId, Instant time,
                      Map<String, String> arguments, String json, String channel) {
        this(source, kind, name, qmpId, time, arguments, json, channel, null);
    }

    public QmpMessage withSource(SourceRef s) {
        return new QmpMessage(s, kind, name, qmpId, time, arguments, json, channel, guest);
    }

    public QmpMessage withGuest(Guest g) {
        return new QmpMessage(source, kind, name, qmpId, time, arguments, json, channel, g);
    }

    /** The conversation this message belongs to: its artifact and channel. */
    public String conversation() {
        return channel.isEmpty() ? source.artifact() : source.artifact() + "/" + channel;
    }

    public String id() {
        return source.id();
    }

    public String arg(String key) {
        return arguments.get(key);
    }
}
