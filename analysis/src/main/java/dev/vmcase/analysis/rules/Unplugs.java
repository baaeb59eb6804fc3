package dev.vmcase.analysis.rules;

import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code device_del} requests of each QMP conversation and what became of them. A virtio device emits two
 * {@code DEVICE_DELETED} events when the guest ejects it: first its id-less backend child
 * ({@code …/virtio-disk1/virtio-backend}), then the device itself; only the second acknowledges the unplug.
 */
public final class Unplugs {
    /**
     * Where a record of an unplug would be, for the rules that read one: a QMP conversation (a wire transcript, or
     * libvirt's monitor log) with the device_del, its answer and the events after it, or a tool's record of the detach
     * (virsh, a test harness, an orchestrator).
     */
    static final Need RECORD = Need.anyOf("unplug-record", EvidenceKind.QMP_CONVERSATION, EvidenceKind.TOOL_LOG);

    private Unplugs() {
    }

    /**
     * @param command       the device_del
     * @param answer        QEMU's answer, null if the file holds none
     * @param ack           the DEVICE_DELETED naming the device, null if none arrived
     * @param backendEvents DEVICE_DELETED events of the device's children only
     * @param conversation  the conversation it belongs to
     */
    public record Unplug(String deviceId, QmpMessage command, QmpMessage answer, QmpMessage ack,
                  List<QmpMessage> backendEvents, List<QmpMessage> conversation) {
        public boolean refused() {
            return answer != null && answer.kind() == QmpKind.ERROR;
        }

        /** Pending at a line of the same conversation: requested before it and not acknowledged before it. */
        public boolean pendingAt(int line) {
            return !refused() && command.source().line() < line && (ack == null || ack.source().line() > line);
        }
    }

    static List<Unplug> find(RuleContext ctx) {
        List<Unplug> out = new ArrayList<>();
        for (Map.Entry<String, List<QmpMessage>> e : ctx.conversations().entrySet()) {
            List<QmpMessage> conv = e.getValue();
            // where each device's DEVICE_DELETED events stand: by the device they name, and the id-less ones of a
            // device's children by the device in their path (a long log holds thousands of device_del)
            Map<String, List<Integer>> acks = new HashMap<>();
            Map<String, List<Integer>> children = new HashMap<>();
            for (int j = 0; j < conv.size(); j++) {
                QmpMessage n = conv.get(j);
                if (n.kind() != QmpKind.EVENT || !"DEVICE_DELETED".equals(n.name())) {
                    continue;
                }
                String parent = n.arg("device") == null ? parentOf(n.arg("path")) : null;
                if (n.arg("device") != null) {
                    acks.computeIfAbsent(n.arg("device"), k -> new ArrayList<>()).add(j);
                } else if (parent != null) {
                    children.computeIfAbsent(parent, k -> new ArrayList<>()).add(j);
                }
            }
            for (int i = 0; i < conv.size(); i++) {
                QmpMessage m = conv.get(i);
                String id = deviceDelTarget(m);
                if (id == null) {
                    continue;
                }
                int ackAt = firstAfter(acks.getOrDefault(id, List.of()), i);
                QmpMessage ack = ackAt < 0 ? null : conv.get(ackAt);
                List<QmpMessage> backend = new ArrayList<>();
                List<Integer> own = children.getOrDefault(id, List.of());
                for (int k = Math.max(0, firstIndexAfter(own, i)); k < own.size(); k++) {
                    if (ackAt >= 0 && own.get(k) > ackAt) {
                        break;
                    }
                    backend.add(conv.get(own.get(k)));
                }
                out.add(new Unplug(id, m, RuleContext.answerTo(conv, m), ack, backend, conv));
            }
        }
        return out;
    }

    /**
     * The device QEMU says it no longer has in an error (DeviceNotFound's {@code Device 'X' not found}, the catalogue's
     * {@code device/not-found}), or null.
     */
    static String notFound(QmpMessage error) {
        String desc = error.kind() == QmpKind.ERROR ? error.arg("desc") : null;
        dev.vmcase.parsers.knowledge.MessageMatch m = desc == null ? null
                : dev.vmcase.parsers.knowledge.MessageCatalogue.get().match(desc,
                        e -> e.messageClass() == MessageClass.DEVICE_NOT_FOUND && e.bug() == null);
        return m == null ? null : m.group("device");
    }

    /**
     * Whether QEMU said after an unplug's request, in the same conversation, that it no longer has the device: a later
     * request for it answered DeviceNotFound. The unplug was carried out then, whatever events went missing. Each
     * conversation is read once, for where each device was last answered so (a long log holds thousands of device_del
     * in one conversation of tens of thousands of messages).
     */
    static final class GoneLater {
        private final Map<List<QmpMessage>, Map<String, Integer>> lastNotFound = new java.util.IdentityHashMap<>();

        boolean test(Unplug u) {
            Integer at = lastNotFound.computeIfAbsent(u.conversation(), GoneLater::lastNotFound).get(u.deviceId());
            return at != null && at > RuleContext.indexOf(u.conversation(), u.command());
        }

        private static Map<String, Integer> lastNotFound(List<QmpMessage> conversation) {
            Map<String, Integer> out = new HashMap<>();
            for (int i = 0; i < conversation.size(); i++) {
                String device = notFound(conversation.get(i));
                if (device != null) {
                    out.put(device, i);
                }
            }
            return out;
        }
    }

    /**
     * The requests QEMU refused at once as a tool relayed it (the catalogue's {@code unplug/refused} records: a
     * harness's line after the {@code device_del} it logged, virsh's error): the request each refusal answers, by the
     * line that made it. Such a request never reached the guest, so nothing is pending for it.
     */
    static java.util.Set<SourceRef> refusedByTools(RuleContext ctx) {
        java.util.Set<SourceRef> out = new java.util.HashSet<>();
        for (Event e : toolRecords(ctx, MessageClass.UNPLUG_REFUSED)) {
            Request named = named(e);
            Request r = named == null ? requestBefore(ctx, e) : null;
            if (named != null) {
                // the latest request for the device the refusal names, before it in the same file
                for (Unplug u : ctx.unplugs()) {
                    SourceRef s = u.command().source();
                    if (u.deviceId().equals(named.device()) && s.artifact().equals(e.source().artifact())
                            && s.line() < e.source().line() && (r == null || s.line() > r.source().line())) {
                        r = new Request(u.deviceId(), s);
                    }
                }
            }
            if (r != null) {
                out.add(r.source());
            }
        }
        return out;
    }

    /** A request to remove a device, as some record names it, and the line that made it. */
    record Request(String device, SourceRef source) {
    }

    /**
     * The records of one catalogue class whoever logged them ({@link EventKind#TOOL_MESSAGE}: a harness, an
     * orchestrator, virsh's output; a line of a log read as QEMU's or nova's that the catalogue classes so), in order.
     */
    static List<Event> toolRecords(RuleContext ctx, MessageClass c) {
        return ctx.eventsOf(c);
    }

    /**
     * The device a record names itself: the catalogue group {@code device}, else what the virsh command it carries
     * names (the alias, the disk's target, the interface's MAC, the device XML's file); null when it names none.
     */
    static Request named(Event e) {
        for (Detail d : List.of(Detail.DEVICE, Detail.ALIAS, Detail.TARGET, Detail.MAC, Detail.FILE)) {
            String v = e.detail(d);
            if (v != null && !v.isBlank()) {
                return new Request(v, e.source());
            }
        }
        return null;
    }

    /**
     * The request a record without a device answers: the latest removal request before it in the same file — a
     * {@code device_del} (QMP, HMP), a virsh {@code detach-*} command, a harness's record of the {@code device_del}
     * it sent ({@code unplug/requested}). Null when the file has none before it.
     */
    static Request requestBefore(RuleContext ctx, Event record) {
        String artifact = record.source().artifact();
        int line = record.source().line();
        Request best = null;
        for (Unplug u : ctx.unplugs()) {
            SourceRef s = u.command().source();
            if (s.artifact().equals(artifact) && s.line() < line && (best == null || s.line() > best.source().line())) {
                best = new Request(u.deviceId(), s);
            }
        }
        for (Event e : ctx.evidence().events()) {
            SourceRef s = e.source();
            if (!s.artifact().equals(artifact) || s.line() >= line
                    || best != null && s.line() <= best.source().line()) {
                continue;
            }
            boolean request = e.kind() == EventKind.VIRSH_COMMAND && e.detail(Detail.COMMAND) != null
                    && e.detail(Detail.COMMAND).startsWith("detach-")
                    || e.kind() == EventKind.TOOL_MESSAGE
                    && MessageClass.UNPLUG_REQUESTED.value().equals(e.detail(Detail.MESSAGE_CLASS));
            Request named = request ? named(e) : null;
            if (named != null) {
                best = named;
            }
        }
        return best;
    }

    /** The device in a child's QOM path: {@code /machine/peripheral/virtio-disk1/virtio-backend} → virtio-disk1. */
    private static String parentOf(String path) {
        if (path == null || !path.startsWith(PERIPHERAL)) {
            return null;
        }
        int slash = path.indexOf('/', PERIPHERAL.length());
        return slash <= PERIPHERAL.length() ? null : path.substring(PERIPHERAL.length(), slash);
    }

    private static final String PERIPHERAL = "/machine/peripheral/";

    /** The first of the ascending positions after {@code i}, or -1. */
    private static int firstAfter(List<Integer> positions, int i) {
        int k = firstIndexAfter(positions, i);
        return k < 0 ? -1 : positions.get(k);
    }

    /** Where in the ascending positions the first one after {@code i} is, or -1. */
    private static int firstIndexAfter(List<Integer> positions, int i) {
        int k = java.util.Collections.binarySearch(positions, i + 1);
        k = k >= 0 ? k : -k - 1;
        return k < positions.size() ? k : -1;
    }

    /** The id a device_del asks to remove, through QMP or through HMP. */
    static String deviceDelTarget(QmpMessage m) {
        if (m.kind() != QmpKind.COMMAND) {
            return null;
        }
        if ("device_del".equals(m.name())) {
            return m.arg("id");
        }
        String hmp = RuleContext.hmpCommand(m);
        if (hmp != null && hmp.strip().startsWith("device_del ")) {
            return hmp.strip().substring("device_del ".length()).strip();
        }
        return null;
    }
}
