package dev.vmcase.parsers.knowledge;

import dev.vmcase.model.Detail;
import dev.vmcase.model.MessageClass;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A line recognised by the catalogue: the entry, what its named groups captured, and where in the text it stood.
 *
 * @param groups the named groups that matched, by name
 */
public record MessageMatch(Message message, Map<String, String> groups, int start, int end) {
    /** The detail naming the entry's id ({@code qemu.load.ramblock-unknown}). */
    public static final String MESSAGE = "message";
    /** The detail naming the entry's class ({@link MessageClass#value()}). */
    public static final String MESSAGE_CLASS = Detail.MESSAGE_CLASS.key();

    public MessageMatch {
        groups = Map.copyOf(groups);
    }

    public MessageClass messageClass() {
        return message.messageClass();
    }

    public String group(String name) {
        return groups.get(name);
    }

    /**
     * The details an event of this line carries: the entry's id ({@link #MESSAGE}) and class ({@link #MESSAGE_CLASS}),
     * its fixed facts, then what the groups captured (each under its group's name).
     */
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(MESSAGE, message.id());
        d.put(MESSAGE_CLASS, message.messageClass().value());
        d.putAll(message.details());
        d.putAll(groups);
        return d;
    }

    /** Adds {@link #details()} to a map, keeping what it already holds under the same keys. */
    public void addTo(Map<String, String> d) {
        details().forEach(d::putIfAbsent);
    }
}
