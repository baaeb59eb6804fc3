package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What rules read: the evidence and the reconciled devices, with a few shared look-ups, each worked out once per
 * analysis however many rules ask for it.
 */
public final class RuleContext {
    private final Evidence evidence;
    private final DeviceTable devices;
    private final Map<String, List<QmpMessage>> conversations;
    private List<Unplugs.Unplug> unplugs;
    private final List<RuleOutcome.Undecided> undecided = new ArrayList<>();
    private final Map<String, Object> once = new java.util.HashMap<>();

    public RuleContext(Evidence evidence, DeviceTable devices) {
        this.evidence = evidence;
        this.devices = devices;
        Map<String, List<QmpMessage>> byConversation = new LinkedHashMap<>();
        for (QmpMessage m : evidence.qmp()) {
            byConversation.computeIfAbsent(m.conversation(), k -> new ArrayList<>()).add(m);
        }
        byConversation.values().forEach(l -> l.sort(Comparator.comparingInt(m -> m.source().line())));
        byConversation.replaceAll((k, l) -> List.copyOf(l));
        this.conversations = java.util.Collections.unmodifiableMap(byConversation);
    }

    public Evidence evidence() {
        return evidence;
    }

    /**
     * What {@code compute} works out from this context, computed on the first call with {@code key} and kept: a look-up
     * several rules make (the state loads, the crash) reads the evidence's tens of thousands of events once. Only for
     * what is a function of the context alone and says nothing of its own ({@link #undecided} stays with the rule).
     */
    @SuppressWarnings("unchecked")
    <T> T once(String key, java.util.function.Function<RuleContext, T> compute) {
        Object v = once.get(key);
        if (v == null) {
            v = compute.apply(this);
            once.put(key, v);
        }
        return (T) v;
    }

    /**
     * Says that the rule now evaluating saw something it could not decide ({@code undecided.KEY} of
     * {@code Outcomes.properties} with {@code args}): its outcome is then "partly checked", never "clear".
     */
    public void undecided(String key, Object... args) {
        undecided.add(new RuleOutcome.Undecided(key, java.util.Arrays.stream(args).map(String::valueOf).toList()));
    }

    /** What the rules said they could not decide since the last call; emptied. */
    public List<RuleOutcome.Undecided> takeUndecided() {
        List<RuleOutcome.Undecided> out = List.copyOf(undecided);
        undecided.clear();
        return out;
    }

    public DeviceTable devices() {
        return devices;
    }

    /** QMP messages grouped per conversation (artifact, and monitor when a file holds several), in line order. */
    public Map<String, List<QmpMessage>> conversations() {
        return conversations;
    }

    /** The events of a message class (the catalogue's class a parser gave them), in evidence order. */
    public List<Event> eventsOf(MessageClass c) {
        Map<MessageClass, List<Event>> byClass = once("events-by-class", ctx -> {
            Map<MessageClass, List<Event>> m = new java.util.EnumMap<>(MessageClass.class);
            for (Event e : ctx.evidence.events()) {
                MessageClass k = MessageClass.of(e.detail(Detail.MESSAGE_CLASS));
                if (k != null) {
                    m.computeIfAbsent(k, x -> new ArrayList<>()).add(e);
                }
            }
            return m;
        });
        return java.util.Collections.unmodifiableList(byClass.getOrDefault(c, List.of()));
    }

    /** The device_del requests of every conversation and what became of them. */
    public List<Unplugs.Unplug> unplugs() {
        if (unplugs == null) {
            unplugs = Unplugs.find(this);
        }
        return unplugs;
    }

    /** The answer to a command: the next return/error with the same id (or the next one at all when ids are absent). */
    public static QmpMessage answerTo(List<QmpMessage> conversation, QmpMessage command) {
        int i = indexOf(conversation, command);
        for (int j = i + 1; j < conversation.size(); j++) {
            QmpMessage m = conversation.get(j);
            if (m.kind() == QmpKind.RETURN || m.kind() == QmpKind.ERROR) {
                if (command.qmpId() == null || command.qmpId().equals(m.qmpId())) {
                    return m;
                }
            }
        }
        return null;
    }

    /** By identity and line, not by record equality (which compares every field of every message). */
    static int indexOf(List<QmpMessage> conversation, QmpMessage m) {
        int lo = 0;
        int hi = conversation.size() - 1;
        int line = m.source().line();
        while (lo <= hi) { // conversations are in line order
            int mid = (lo + hi) >>> 1;
            int l = conversation.get(mid).source().line();
            if (l < line) {
                lo = mid + 1;
            } else if (l > line) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return conversation.indexOf(m);
    }

    /** A human-monitor-command's HMP command line, e.g. {@code drive_del drive-virtio-disk1}. */
    public static String hmpCommand(QmpMessage m) {
        return "human-monitor-command".equals(m.name()) ? m.arg("command-line") : null;
    }
}
