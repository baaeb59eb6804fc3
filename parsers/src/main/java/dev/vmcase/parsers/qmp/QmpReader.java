package dev.vmcase.parsers.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.model.Attr;
import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Guest;
import dev.vmcase.model.Layer;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Role;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.qemu.QmpResults;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns QMP messages (already parsed JSON) into {@link QmpMessage}s, remembers which command each id asked so a
 * {@code return} of {@code query-pci}/{@code query-block}/{@code query-named-block-nodes} becomes device observations,
 * and recognises such results by their shape when the command is not in the file (a {@code virsh
 * qemu-monitor-command --pretty} dump holds only the answer).
 */
public final class QmpReader {
    /** Attribute naming the line of the QMP answer an observation came from. */
    public static final String SNAPSHOT = Attr.SNAPSHOT.key();
    /** The longest JSON text a message keeps. */
    public static final int MAX_JSON = 1024;

    private final EvidenceSink sink;
    private final String channel;
    private final Map<String, String> commandById = new HashMap<>();
    private String lastCommand;

    public QmpReader(EvidenceSink sink) {
        this(sink, "");
    }

    /** A reader for one of several conversations in a file (a libvirtd log has one per monitor). */
    public QmpReader(EvidenceSink sink, String channel) {
        this(sink, channel, false);
    }

    /**
     * @param lean leave out the housekeeping a management layer does all the time ({@code qom-*}, {@code query-*} but
     *             {@code query-migrate}, {@code qmp_capabilities}, {@code device-list-properties}) and their answers:
     *             libvirt sends hundreds of {@code qom-get} per domain start, and probes the capabilities of each
     *             QEMU binary it finds. Their results still become device observations; errors are kept.
     */
    public QmpReader(EvidenceSink sink, String channel, boolean lean) {
        this.sink = sink;
        this.channel = channel;
        this.lean = lean;
    }

    private final boolean lean;
    private final java.util.Set<String> quietIds = new java.util.HashSet<>();

    /**
     * Whether a lean reader makes nothing of a successful answer to {@code command}: housekeeping whose answer is no
     * device view (not {@code query-pci}, {@code query-block}, {@code query-named-block-nodes}), such as the
     * capabilities probe's {@code query-qmp-schema} (hundreds of KB) or libvirt's hundreds of {@code qom-get}. A reader
     * of a big log may then read past the command and such an answer without parsing them; an error answer must still
     * be read ({@link #asked} names its command).
     */
    public static boolean answerUnread(String command) {
        // query-name and query-uuid answer who the VM is (identity)
        return housekeeping(command) && ResultShape.ofCommand(command) == ResultShape.UNKNOWN
                && !command.equals("query-name") && !command.equals("query-uuid");
    }

    private static boolean housekeeping(String command) {
        // device-list-properties asks what a device type could be given (libvirt's capabilities probe asks for every
        // type it knows): no device's state
        return command != null && (command.startsWith("qom-") || command.equals("qmp_capabilities")
                || command.equals("device-list-properties")
                || (command.startsWith("query-") && !command.equals("query-migrate")));
    }

    /** A command with this id was asked in this conversation though the reader never saw it (read past unparsed). */
    public void asked(String id, String command) {
        commandById.put(id, command);
    }

    /** @return false when the JSON is not a QMP message */
    public boolean accept(JsonNode node, SourceRef ref) {
        return accept(node, ref, null);
    }

    /**
     * @param lineTime when the line carrying the message was written (a libvirtd log's timestamp); events keep their
     *                 own QMP timestamp
     * @return false when the JSON is not a QMP message
     */
    public boolean accept(JsonNode node, SourceRef ref, Instant lineTime) {
        return accept(node, null, ref, lineTime);
    }

    /**
     * @param text the message's JSON as written on one line, kept (cut to {@link #MAX_JSON}) as the message's text;
     *             null: the node written compactly
     */
    public boolean accept(JsonNode node, String text, SourceRef ref, Instant lineTime) {
        if (!node.isObject()) {
            return false;
        }
        String id = node.has("id") ? Json.text(node, "id") : null;
        java.util.function.Supplier<String> compactText = () -> abbreviate(text != null ? text : node.toString());
        if (node.has("QMP")) {
            sink.qmp(new QmpMessage(ref, QmpKind.GREETING, "QMP", null, lineTime,
                    Json.flatten(node.path("QMP").path("version").path("qemu")), compactText.get(), channel));
        } else if (node.has("execute") || node.has("exec-oob")) {
            String cmd = node.has("execute") ? Json.text(node, "execute") : Json.text(node, "exec-oob");
            lastCommand = cmd;
            if (id != null) {
                commandById.put(id, cmd);
            }
            if (lean && housekeeping(cmd)) {
                if (id != null) {
                    quietIds.add(id);
                }
                return true;
            }
            if ("migrate".equals(cmd)) {
                sink.role(Role.SOURCE);
            } else if ("migrate-incoming".equals(cmd)) {
                sink.role(Role.DESTINATION);
            }
            sink.qmp(new QmpMessage(ref, QmpKind.COMMAND, cmd, id, lineTime, Json.flatten(node.get("arguments")),
                    compactText.get(), channel));
        } else if (node.has("return")) {
            String cmd = id != null ? commandById.getOrDefault(id, lastCommand) : lastCommand;
            JsonNode ret = node.get("return");
            if (lean && id != null && quietIds.remove(id)) {
                // the answer to housekeeping: only what it says about devices is kept
                Answer seen = snapshot(cmd, ret, ref);
                identity(cmd, ret, ref);
                if (text != null && ResultShape.ofCommand(cmd) != ResultShape.UNKNOWN) {
                    List<Answer> recent = lastAnswers.computeIfAbsent(cmd, c -> new java.util.LinkedList<>());
                    recent.add(0, seen.said(withoutId(text, id)));
                    if (recent.size() > RECENT_ANSWERS) {
                        recent.remove(RECENT_ANSWERS);
                    }
                }
                return true;
            }
            Map<String, String> args = ret.isObject() ? Json.flatten(ret) : Map.of();
            sink.qmp(new QmpMessage(ref, QmpKind.RETURN, cmd, id, lineTime, args, compactText.get(), channel));
            snapshot(cmd, ret, ref);
            identity(cmd, ret, ref);
        } else if (node.has("error")) {
            JsonNode err = node.get("error");
            String cmd = id != null ? commandById.getOrDefault(id, lastCommand) : lastCommand;
            Map<String, String> args = new HashMap<>(Json.flatten(err));
            if (cmd != null) {
                args.put("command", cmd);
            }
            sink.qmp(new QmpMessage(ref, QmpKind.ERROR, Json.text(err, "class"), id, lineTime, args, compactText.get(),
                    channel));
        } else if (node.has("event")) {
            Instant t = timestamp(node);
            if (lineTime == null) { // inside a libvirtd log the record carrying it is indexed already
                sink.index(ref.line(), t, dev.vmcase.model.Timeline.INFO);
            }
            sink.qmp(new QmpMessage(ref, QmpKind.EVENT, Json.text(node, "event"), null, t == null ? lineTime : t,
                    Json.flatten(node.get("data")), compactText.get(), channel));
        } else {
            return false;
        }
        return true;
    }

    /**
     * A {@code return} whose value is a JSON string, told by its id and its JSON text as written (the string itself
     * not decoded): HMP's output to a {@code human-monitor-command} ({@code info qtree}, kilobytes at a time). Such a
     * string is no device view and names no VM, so the message is all {@link #accept} would make of it: it is made
     * here, and true returned. False, nothing done, when the answer may say more (a device-view or identity query, an
     * answer to housekeeping of a lean reader, an unknown command): the caller then parses it for {@link #accept}.
     */
    public boolean acceptStringReturn(String id, String text, SourceRef ref, Instant lineTime) {
        String cmd = commandById.getOrDefault(id, lastCommand);
        if (cmd == null || lean && quietIds.contains(id) || ResultShape.ofCommand(cmd) != ResultShape.UNKNOWN
                || cmd.equals("query-name") || cmd.equals("query-uuid")) {
            return false;
        }
        sink.qmp(new QmpMessage(ref, QmpKind.RETURN, cmd, id, lineTime, Map.of(), abbreviate(text), channel));
        return true;
    }

    /** A bare result (no envelope), recognised by its shape. */
    public boolean acceptBareResult(JsonNode value, SourceRef ref) {
        List<DeviceObservation> obs = observations(null, value, ref);
        obs.forEach(sink::observation);
        ResultShape shape = ResultShape.of(value);
        covers(shape, ref);
        return !obs.isEmpty() || shape != ResultShape.UNKNOWN;
    }

    /**
     * One answer is one snapshot of its layer: a later answer in the same file supersedes it. Returns what it saw
     * (without its text), which {@link #repeated} tells again of an answer that says the same.
     */
    private Answer snapshot(String command, JsonNode ret, SourceRef ref) {
        List<DeviceObservation> obs = observations(command, ret, ref);
        ResultShape shape = command == null ? ResultShape.of(ret) : ResultShape.ofCommand(command);
        if (shape == ResultShape.UNKNOWN && command != null) {
            shape = ResultShape.of(ret);
        }
        Answer seen = new Answer(null, obs, shape);
        emit(seen, ref);
        return seen;
    }

    /** What an answer showed, told of the answer at {@code ref}: its devices as a snapshot, its channel, its coverage. */
    private void emit(Answer seen, SourceRef ref) {
        for (DeviceObservation o : seen.observations()) {
            Map<String, String> attrs = new HashMap<>(o.attributes());
            attrs.put(SNAPSHOT, Integer.toString(ref.line()));
            sink.observation(o.withSource(ref).withAttributes(attrs));
        }
        if (!seen.observations().isEmpty() || seen.shape() != ResultShape.UNKNOWN) {
            sink.onChannel(ref.line(), channel);
        }
        covers(seen.shape(), ref);
    }

    /**
     * What an answer shows completely: {@code query-pci} every PCI device, {@code query-block} every BlockBackend (the
     * disks). {@code query-named-block-nodes} lists nodes, which a {@code -drive} disk's name is not among: some.
     */
    private void covers(ResultShape shape, SourceRef ref) {
        switch (shape) {
            case QUERY_PCI:
                sink.coversAll(Layer.PCI, ref);
                break;
            case QUERY_BLOCK:
                sink.covers(Layer.BLOCK, Set.of(DeviceClass.DISK), Coverage.Extent.ALL, ref);
                break;
            case NAMED_BLOCK_NODES:
                sink.covers(Layer.BLOCK, Set.of(DeviceClass.DISK), Coverage.Extent.SOME, ref);
                break;
            default:
                break;
        }
    }

    /**
     * {@code query-name} answers the guest name QEMU was started with ({@code -name guest=…}), {@code query-uuid} its
     * {@code -uuid}: the conversation's VM.
     */
    private void identity(String command, JsonNode ret, SourceRef ref) {
        Guest g = null;
        if ("query-name".equals(command) && ret.path("name").isTextual()) {
            g = Guest.of(ret.path("name").asText(), null);
        } else if ("query-uuid".equals(command) && ret.path("UUID").isTextual()
                && !ret.path("UUID").asText().equals("00000000-0000-0000-0000-000000000000")) {
            g = Guest.of(null, ret.path("UUID").asText());
        }
        if (g == null) {
            return;
        }
        if (channel.isEmpty()) {
            sink.guest(g);
        } else {
            sink.guestOfChannel(channel, ref.line(), g);
        }
    }

    /** A device-view answer of this conversation: its JSON text without its id, what it showed and its shape. */
    private record Answer(String text, List<DeviceObservation> observations, ResultShape shape) {
        Answer said(String written) {
            return new Answer(written, observations, shape);
        }
    }

    /**
     * The last few distinct answers to each device-view query ({@code query-pci}, …) of a lean conversation, newest
     * first: libvirt asks {@code query-block} as a domain starts and again after each disk operation, and answers
     * can take turns.
     */
    private final Map<String, List<Answer>> lastAnswers = new HashMap<>();
    private static final int RECENT_ANSWERS = 4;

    /**
     * A lean reader's shortcut for a management layer that asks the same question again and again: when
     * {@code text}, the JSON of an answer as written, is the answer to a device-view query of this conversation and
     * says word for word what one of the last few answers to that query said (its id aside), the devices of that
     * answer are observed again as a snapshot at {@code ref}, as parsing it would, and true is returned: the caller
     * need not parse it. False when it must be read ({@link #accept}).
     */
    public boolean repeated(String text, SourceRef ref) {
        if (!lean || lastAnswers.isEmpty()) {
            return false;
        }
        int at = text.lastIndexOf(REPLY_ID);
        int end = at < 0 ? -1 : text.indexOf('"', at + REPLY_ID.length());
        if (end < 0) {
            return false;
        }
        String id = text.substring(at + REPLY_ID.length(), end);
        List<Answer> recent = quietIds.contains(id) ? lastAnswers.get(commandById.get(id)) : null;
        if (recent == null) {
            return false;
        }
        // the text is compared around its id, in place: a repeated answer (kilobytes) is not copied to be compared
        // (as withoutId, the last "id": "…" is left out: it runs from at to the quote at end)
        int after = end + 1;
        for (Answer a : recent) {
            String t = a.text();
            if (t.length() == text.length() - (after - at) && text.regionMatches(0, t, 0, at)
                    && text.regionMatches(after, t, at, text.length() - after)) {
                quietIds.remove(id);
                emit(a, ref);
                return true;
            }
        }
        return false;
    }

    /** How QEMU writes an answer's id: {@code "id": "libvirt-437"}. */
    private static final String REPLY_ID = "\"id\": \"";

    /** The answer's text without its (last) id: two answers to the same question differ in their ids. */
    private static String withoutId(String text, String id) {
        String written = REPLY_ID + id + '"';
        int at = text.lastIndexOf(written);
        return at < 0 ? text : text.substring(0, at) + text.substring(at + written.length());
    }

    /** Big answers (query-block of many disks) are kept short: the line itself stays in the file. */
    private static String abbreviate(String json) {
        return json.length() > MAX_JSON ? json.substring(0, MAX_JSON) + "…" : json;
    }

    static List<DeviceObservation> observations(String command, JsonNode ret, SourceRef ref) {
        ResultShape shape = command == null ? ResultShape.of(ret) : ResultShape.ofCommand(command);
        if (shape == ResultShape.UNKNOWN && command != null) {
            shape = ResultShape.of(ret);
        }
        switch (shape) {
            case QUERY_PCI:
                return QmpResults.fromQueryPci(ret, ref);
            case QUERY_BLOCK:
                return QmpResults.fromQueryBlock(ret, ref);
            case NAMED_BLOCK_NODES:
                return QmpResults.fromNamedBlockNodes(ret, ref);
            default:
                return List.of();
        }
    }

    /** 9999-12-31T23:59:59Z: a later "seconds" is not a time (and would not fit an Instant). */
    private static final long MAX_SECONDS = 253_402_300_799L;

    private static Instant timestamp(JsonNode node) {
        JsonNode ts = node.get("timestamp");
        if (ts == null || !ts.has("seconds")) {
            return null;
        }
        long s = ts.path("seconds").asLong(-1);
        long us = ts.path("microseconds").asLong(0);
        if (s < 0 || s > MAX_SECONDS || us < 0 || us >= 1_000_000) {
            return null; // QEMU sets both to -1 when it could not read the host clock; past year 9999 is no time
        }
        return Instant.ofEpochSecond(s, us * 1000);
    }

    /** Which query a result answers. */
    enum ResultShape {
        QUERY_PCI, QUERY_BLOCK, NAMED_BLOCK_NODES, UNKNOWN;

        static ResultShape ofCommand(String command) {
            switch (command) {
                case "query-pci":
                    return QUERY_PCI;
                case "query-block":
                    return QUERY_BLOCK;
                case "query-named-block-nodes":
                    return NAMED_BLOCK_NODES;
                default:
                    return UNKNOWN;
            }
        }

        static ResultShape of(JsonNode value) {
            if (value == null || !value.isArray() || value.isEmpty() || !value.get(0).isObject()) {
                return UNKNOWN;
            }
            JsonNode first = value.get(0);
            if (first.has("bus") && first.has("devices")) {
                return QUERY_PCI;
            }
            if (first.has("device") && (first.has("locked") || first.has("removable"))) {
                return QUERY_BLOCK;
            }
            if (first.has("node-name") && first.has("drv")) {
                return NAMED_BLOCK_NODES;
            }
            return UNKNOWN;
        }
    }
}
