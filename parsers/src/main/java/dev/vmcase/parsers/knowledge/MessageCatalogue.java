package dev.vmcase.parsers.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmcase.model.MessageClass;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The message catalogue: what QEMU, libvirt, nova and the tools around them write when something goes wrong, as data
 * ({@code dev/vmcase/parsers/knowledge/*.json}, one file per component; {@code docs/adding-a-message.md}), in the manner
 * of lnav's log formats: each entry has a pattern, a class ({@link MessageClass}), the groups that name what it is about
 * and the real lines it was seen as, which {@code MessageCatalogueTest} checks. Parsers recognise lines through it and
 * rules act on the classes; no message's words are written in Java.
 * <pre>
 * {"id": "qemu.load.ramblock-unknown", "class": "load/ramblock-unknown", "needle": "Unknown ramblock \"",
 *  "pattern": "Unknown ramblock \"(?&lt;ramblock&gt;[^\"]++)\", cannot accept migration",
 *  "names": {"ramblock": "…"}, "since": "2.0", "versions": "…",
 *  "samples": [{"line": "qemu-system-x86_64: Unknown ramblock \"0000:00:04.0:01.0/e1000.rom\", cannot accept migration",
 *               "source": "https://github.com/sandia-minimega/minimega/issues/847", "seen": "QEMU 2.5.0"}]}
 * </pre>
 * A line is recognised by the first entry, in file order, whose needle it contains and whose pattern it matches: a more
 * specific entry comes before a more general one. Patterns are found anywhere in the text and must stay linear on any
 * line (possessive or negated repetition, no nested ambiguous groups): they run over pasted tickets and gigabyte logs.
 */
public final class MessageCatalogue {
    /** The catalogue's files, in the order their entries are tried. */
    static final List<String> FILES = List.of("qemu.json", "libvirt.json", "nova.json", "tools.json", "bugs.json");
    private static final String DIR = "/dev/vmcase/parsers/knowledge/";
    private static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private static volatile MessageCatalogue instance;

    private final List<Message> messages;
    private final Map<String, Message> byId;
    private final List<Message> bugs;

    MessageCatalogue(List<Message> messages) {
        this.messages = List.copyOf(messages);
        this.bugs = messages.stream().filter(m -> m.bug() != null).toList();
        Map<String, Message> ids = new LinkedHashMap<>();
        for (Message m : messages) {
            if (ids.put(m.id(), m) != null) {
                throw new IllegalStateException("message catalogue: the id " + m.id() + " is used twice");
            }
        }
        this.byId = Collections.unmodifiableMap(ids);
    }

    /** The catalogue of the bundled files, read once. */
    public static MessageCatalogue get() {
        MessageCatalogue c = instance;
        if (c == null) {
            synchronized (MessageCatalogue.class) {
                c = instance;
                if (c == null) {
                    c = load();
                    instance = c;
                }
            }
        }
        return c;
    }

    private static MessageCatalogue load() {
        ObjectMapper json = new ObjectMapper();
        List<Message> all = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = MessageCatalogue.class.getResourceAsStream(DIR + file)) {
                if (in == null) {
                    throw new IllegalStateException("message catalogue: " + DIR + file + " is missing");
                }
                all.addAll(read(json.readTree(in), file));
            } catch (IOException e) {
                throw new UncheckedIOException("message catalogue: " + file + " is unreadable", e);
            }
        }
        return new MessageCatalogue(all);
    }

    /** The entries of one catalogue file; a malformed entry stops the load, naming the file and the entry. */
    static List<Message> read(JsonNode root, String file) {
        String component = text(root, "component", file);
        List<Message> out = new ArrayList<>();
        for (JsonNode e : root.path("messages")) {
            String id = text(e, "id", file);
            String where = file + " " + id;
            MessageClass cls = MessageClass.of(text(e, "class", where));
            if (cls == null) {
                throw new IllegalStateException("message catalogue: " + where + " has an unknown class "
                        + e.path("class").asText());
            }
            String needle = text(e, "needle", where);
            String regex = text(e, "pattern", where);
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException ex) {
                throw new IllegalStateException("message catalogue: " + where + " has a bad pattern: "
                        + ex.getDescription(), ex);
            }
            List<String> groups = new ArrayList<>();
            Matcher g = GROUP.matcher(regex);
            while (g.find()) {
                groups.add(g.group(1));
            }
            List<Message.Sample> samples = new ArrayList<>();
            for (JsonNode s : e.path("samples")) {
                samples.add(new Message.Sample(text(s, "line", where), text(s, "source", where),
                        s.path("seen").asText(null)));
            }
            String who = e.hasNonNull("component") ? e.get("component").asText() : component;
            // a known bug's signature says which bug and which versions fixed it, or it is no use to the user
            String bug = root.path("bugs").asBoolean(false) ? text(e, "bug", where) : null;
            String fixedIn = bug != null ? text(e, "fixed-in", where) : null;
            out.add(new Message(id, who, cls, needle, pattern, groups, strings(e.path("names")),
                    strings(e.path("details")), e.path("since").asText(null), e.path("until").asText(null),
                    e.path("versions").asText(""), samples, bug, fixedIn));
        }
        return out;
    }

    private static String text(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalStateException("message catalogue: " + where + " has no '" + key + "'");
        }
        return v.asText();
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            out.put(f.getKey(), f.getValue().asText());
        }
        return out;
    }

    public List<Message> messages() {
        return messages;
    }

    /** The known upstream bugs' signatures ({@code bugs.json}), in file order. */
    public List<Message> bugs() {
        return bugs;
    }

    /** The first known bug whose signature a text shows, or null. */
    public Message knownBug(String text) {
        MessageMatch m = match(text, bugs);
        return m == null ? null : m.message();
    }

    /** The entry of an id, or null. */
    public Message byId(String id) {
        return byId.get(id);
    }

    /** The entries of some classes, in catalogue order. */
    public List<Message> of(Set<MessageClass> classes) {
        return messages.stream().filter(m -> classes.contains(m.messageClass())).toList();
    }

    /** The entries one component writes, in catalogue order. */
    public List<Message> ofComponent(String component) {
        return messages.stream().filter(m -> m.component().equals(component)).toList();
    }

    /** The first entry that recognises the text, or null. */
    public MessageMatch match(String text) {
        return match(text, messages);
    }

    /** The first of the entries that recognises the text, or null. */
    public static MessageMatch match(String text, List<Message> entries) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        for (Message m : entries) {
            MessageMatch found = m.find(text);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The first entry that recognises the text among those {@code which} accepts, or null. */
    public MessageMatch match(String text, Predicate<Message> which) {
        return match(text, messages.stream().filter(which).toList());
    }

    /** Every entry that recognises the text, in catalogue order (a folded line can be two messages at once). */
    public List<MessageMatch> all(String text) {
        List<MessageMatch> out = new ArrayList<>();
        for (Message m : messages) {
            MessageMatch found = m.find(text);
            if (found != null) {
                out.add(found);
            }
        }
        return out;
    }

    /** The needles of some entries, each once: the fixed phrases a byte-level prefilter looks for. */
    public static List<String> needles(List<Message> entries) {
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (Message m : entries) {
            if (seen.add(m.needle())) {
                out.add(m.needle());
            }
        }
        return out;
    }
}
