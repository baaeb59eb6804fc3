package dev.vmcase.analysis.rules;

import dev.vmcase.model.Attr;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.domainlog.MigrationSection;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a loading QEMU rejected, once for every rule that reports it ({@code MIGRATION_STATE_MISMATCH},
 * {@code MIGRATION_FAILED}, {@code SNAPSHOT_RESTORE_FAILED}), so their {@code failure-class} about the same failure
 * always agree.
 * <p>
 * A rejection names a device's section or RAM block by its PCI path ({@code 0000:00:06.0/virtio-blk}: the device
 * table's rejected sections), or a section or RAM block of no PCI device: the machine's ({@code 'ram'},
 * {@code /rom@etc/acpi/rsdp}, {@code pc.ram}) or a device on no PCI bus ({@code 'serial' 1}, {@code 'fw_cfg'},
 * {@code sd-card}); a RAM block whose size differs is named by the size check, with its device's PCI path when it
 * has one ({@code Size mismatch: 0000:00:05.0/virtio-net-pci.rom: …}). QEMU prints a rejection as a run of lines, the cause first ({@code Length too large: … 0x10000 >
 * 0x1000}, {@code VQ 0 size …}) and the section it gave up on last ({@code error while loading state … of device
 * 'ram'}); one run is one rejection, named by its most specific line (the RAM block before the {@code ram} section it
 * belongs to).
 * <p>
 * Its class: the catalogue entry's {@code failure-class} of the first line of the run that states one (the cause's
 * before the generic {@code error while loading state}); replaced by the class a known bug's entry
 * ({@code bugs.json}) states when a line of the run shows that bug's signature (a section two QEMU versions lay out
 * differently for the same configuration is a {@code config-mismatch}, whatever the message's wording); and a section
 * named in QEMU 1.6's short root-bus form ({@code 0000:02.0/qxl.vram}) where the loading QEMU has a device at that
 * very slot is the same device under the older name: {@code config-mismatch}.
 */
final class Rejections {
    /** The classes of a line that names what the loading QEMU gave up on: a section, a RAM block, a device's state. */
    private static final Set<MessageClass> NAMING = EnumSet.of(MessageClass.LOAD_SECTION_UNKNOWN,
            MessageClass.LOAD_RAMBLOCK_UNKNOWN, MessageClass.LOAD_DEVICE_STATE, MessageClass.LOAD_SECTION_FOOTER);
    /** Class of a rejection no line classifies. */
    static final String UNKNOWN = "unknown";
    /** The class of a short root-bus name of a device the loading QEMU has. */
    static final String CONFIG_MISMATCH = "config-mismatch";

    private Rejections() {
    }

    /**
     * One rejection.
     *
     * @param name         what the finding names: the section's idstr, or the RAM block
     * @param idstr        the section QEMU gave up on (null for a RAM block alone)
     * @param ramblock     the RAM block a size check rejected (null when none)
     * @param lines        the lines that name it, every copy (retries, several logs)
     * @param causes       the cause lines printed before it
     * @param observation  the device table's rejected section (a PCI path), or null
     * @param path         its PCI path, when it has one
     * @param kind         the catalogue's kind of the naming line ({@code section}, {@code ramblock-size}, …)
     * @param failureClass as decided above; {@link #UNKNOWN} when no line states one
     * @param sizes        for a RAM block size: the stream's and the loading side's lengths (hex), else empty
     */
    record Rejection(String name, String idstr, String ramblock, List<SourceRef> lines, List<SourceRef> causes,
                     DeviceObservation observation, Optional<PciPath> path, String kind, String failureClass,
                     List<String> sizes) {
        boolean pci() {
            return path.isPresent();
        }
    }

    /** Every rejection the evidence shows, those with a PCI path first, each once. */
    static List<Rejection> of(RuleContext ctx) {
        Map<String, List<Event>> byFile = eventsByFile(ctx);
        boolean restore = StateLoads.isRestore(ctx);
        List<Rejection> out = new ArrayList<>();
        // the device table's rejected sections, the same idstr (retries, several logs) once
        Map<String, List<DeviceObservation>> byIdstr = new LinkedHashMap<>();
        ctx.devices().rejectedSections()
                .forEach(o -> byIdstr.computeIfAbsent(o.attr(Attr.IDSTR), k -> new ArrayList<>()).add(o));
        for (List<DeviceObservation> same : byIdstr.values()) {
            DeviceObservation o = same.get(0);
            List<SourceRef> lines = same.stream().map(DeviceObservation::source).toList();
            List<SourceRef> causes = new ArrayList<>();
            same.forEach(s -> causes.addAll(causesBefore(byFile, s.source())));
            Optional<PciPath> path = o.pciPath();
            String cls = o.attr(Attr.FAILURE_CLASS);
            if (path.isPresent() && "true".equals(o.attr(Attr.SHORT_ROOT_BUS)) && loaderHas(ctx, path.get(), restore)) {
                cls = CONFIG_MISMATCH;
            }
            cls = knownBugClass(lines, causes, cls);
            out.add(new Rejection(o.attr(Attr.IDSTR), o.attr(Attr.IDSTR), null, lines, causes, o, path,
                    o.attr(Attr.KIND), cls == null ? UNKNOWN : cls, List.of()));
        }
        out.addAll(withoutPci(byFile));
        return out;
    }

    /** The note that says a class; a restore's says "the loading QEMU" where a migration's says "the destination". */
    static String classNote(String failureClass, boolean restore) {
        String key = "note_failure_class_" + failureClass;
        boolean sided = "device-missing-on-destination".equals(failureClass)
                || "device-state-rejected".equals(failureClass);
        return restore && sided ? key + "_restore" : key;
    }

    /** The class of the first rejection, the one a failure's verdict is about; null when nothing was rejected. */
    static String firstClass(RuleContext ctx) {
        List<Rejection> all = of(ctx);
        return all.isEmpty() ? null : all.get(0).failureClass();
    }

    /**
     * Whether the QEMU that loaded the state has a device at the path: the destination's (its command line), or for a
     * restore any device list of the evidence (the restoring QEMU's own command line is the only one there is).
     */
    private static boolean loaderHas(RuleContext ctx, PciPath p, boolean restore) {
        return ctx.devices().destinationAt(p).isPresent() || restore && ctx.devices().sourceAt(p).isPresent();
    }

    /** The class a known bug's entry states for a failure whose lines show its signature, else {@code cls}. */
    private static String knownBugClass(List<SourceRef> lines, List<SourceRef> causes, String cls) {
        MessageCatalogue catalogue = MessageCatalogue.get();
        List<SourceRef> all = new ArrayList<>(causes);
        all.addAll(lines);
        for (SourceRef ref : all) {
            Message bug = catalogue.knownBug(ref.text());
            if (bug != null && bug.details().get(Attr.FAILURE_CLASS.key()) != null) {
                return bug.details().get(Attr.FAILURE_CLASS.key());
            }
        }
        return cls;
    }

    /**
     * The rejections the device table does not hold: each file's runs of load errors that name no PCI device's section,
     * named by a RAM block (a size check's, which may be a PCI device's ROM) or a section, the same name across files
     * once.
     */
    private static List<Rejection> withoutPci(Map<String, List<Event>> byFile) {
        Map<String, List<List<Event>>> byName = new LinkedHashMap<>();
        for (List<Event> file : byFile.values()) {
            for (List<Event> run : runs(file)) {
                if (run.stream().anyMatch(Rejections::namesPciSection)) {
                    continue; // a device's rejection, with the run's other lines its consequences (the 'ram' after it)
                }
                String name = name(run);
                if (name != null) {
                    byName.computeIfAbsent(name, k -> new ArrayList<>()).add(run);
                }
            }
        }
        List<Rejection> out = new ArrayList<>();
        for (Map.Entry<String, List<List<Event>>> e : byName.entrySet()) {
            List<Event> first = e.getValue().get(0);
            Event naming = null;
            Event sized = null;
            String cls = null;
            for (Event ev : first) {
                if (sized == null && StateLoads.hasClass(ev, MessageClass.LOAD_RAMBLOCK_SIZE)) {
                    sized = ev;
                }
                if (naming == null && names(ev)) {
                    naming = ev;
                }
                if (cls == null) {
                    cls = ev.details().get(Attr.FAILURE_CLASS.key());
                }
            }
            List<SourceRef> lines = new ArrayList<>();
            List<SourceRef> causes = new ArrayList<>();
            for (List<Event> run : e.getValue()) {
                for (Event ev : run) {
                    boolean named = names(ev)
                            || StateLoads.hasClass(ev, MessageClass.LOAD_RAMBLOCK_SIZE);
                    (named ? lines : causes).add(ev.source());
                }
            }
            MessageMatch size = sized == null ? null : rematch(sized);
            String ramblock = size == null ? null : size.group("ramblock");
            List<String> sizes = size == null || size.group("received") == null ? List.of()
                    : List.of(size.group("received"), size.group("expected"));
            String idstr = naming == null ? null : naming.details().get(Attr.IDSTR.key());
            // the size line's parser keeps no kind (it names no section): its catalogue entry states it
            String kind = size != null ? size.message().details().get(Attr.KIND.key())
                    : naming.details().get(Attr.KIND.key());
            cls = knownBugClass(lines, causes, cls);
            // a size check names a PCI device's RAM block by its path too (0000:00:05.0/virtio-net-pci.rom)
            Optional<PciPath> path = ramblock == null ? Optional.empty()
                    : MigrationSection.parse(ramblock).map(MigrationSection::path);
            out.add(new Rejection(e.getKey(), idstr, ramblock, lines, causes, null, path, kind == null ? "" : kind,
                    cls == null ? UNKNOWN : cls, sizes));
        }
        return out;
    }

    /** A run's name: the RAM block a size check names, else the section it gave up on; null for causes alone. */
    private static String name(List<Event> run) {
        for (Event ev : run) {
            if (StateLoads.hasClass(ev, MessageClass.LOAD_RAMBLOCK_SIZE)) {
                MessageMatch m = rematch(ev);
                if (m != null && m.group("ramblock") != null) {
                    return m.group("ramblock");
                }
            }
        }
        for (Event ev : run) {
            if (names(ev)) {
                return ev.details().get(Attr.IDSTR.key());
            }
        }
        return null;
    }

    /** The catalogue entry's match of an event's message: what it names beyond what its parser kept. */
    private static MessageMatch rematch(Event e) {
        Message m = MessageCatalogue.get().byId(e.details().get(MessageMatch.MESSAGE));
        return m == null ? null : m.find(e.message());
    }

    /** Whether a line names a PCI device's section: the device table holds it as a rejected section. */
    private static boolean namesPciSection(Event e) {
        return names(e) && MigrationSection.parse(e.details().get(Attr.IDSTR.key())).isPresent();
    }

    /** Whether a line names the section, RAM block or device state QEMU gave up on. */
    private static boolean names(Event e) {
        MessageClass c = MessageClass.of(e.details().get(dev.vmcase.model.Detail.MESSAGE_CLASS.key()));
        return c != null && NAMING.contains(c) && e.details().get(Attr.IDSTR.key()) != null;
    }

    /** A file's unbroken runs of load errors (another event, the verdict among them, ends a run). */
    private static List<List<Event>> runs(List<Event> file) {
        List<List<Event>> out = new ArrayList<>();
        List<Event> run = new ArrayList<>();
        for (Event e : file) {
            if (e.kind() == EventKind.MIGRATION_LOAD_ERROR) {
                run.add(e);
                if (MessageCatalogue.get().match(e.message(), m -> m.messageClass() == MessageClass.LOAD_FAILED) != null) {
                    // QEMU 10.2 folds the section and the verdict into one line: the run ends with it
                    out.add(run);
                    run = new ArrayList<>();
                }
            } else if (!run.isEmpty()) {
                out.add(run);
                run = new ArrayList<>();
            }
        }
        if (!run.isEmpty()) {
            out.add(run);
        }
        return out;
    }

    /** Each artifact's events in line order. */
    static Map<String, List<Event>> eventsByFile(RuleContext ctx) {
        Map<String, List<Event>> out = new HashMap<>();
        for (Event e : ctx.evidence().events()) {
            out.computeIfAbsent(e.source().artifact(), k -> new ArrayList<>()).add(e);
        }
        out.values().forEach(l -> l.sort(Comparator.comparingInt(e -> e.source().line())));
        return out;
    }

    /** A line that says why a state was rejected: a virtqueue index, a config byte, a field, a RAM block's size. */
    private static boolean isCause(Event e) {
        return e.kind() == EventKind.MIGRATION_LOAD_ERROR && (StateLoads.hasClass(e, MessageClass.LOAD_STATE_CAUSE)
                || StateLoads.hasClass(e, MessageClass.LOAD_RAMBLOCK_SIZE));
    }

    /**
     * The cause lines QEMU printed right before a rejection: the unbroken run of cause events before the rejection's
     * own event in its file (a wrapped paste puts continuation lines between them, which are no events), and any on its
     * own line. A cause after another kind of event belongs to another failure.
     */
    private static List<SourceRef> causesBefore(Map<String, List<Event>> events, SourceRef at) {
        List<Event> file = events.getOrDefault(at.artifact(), List.of());
        List<SourceRef> out = new ArrayList<>();
        int i = 0;
        while (i < file.size() && file.get(i).source().line() < at.line()) {
            i++;
        }
        for (int j = i; j < file.size() && file.get(j).source().line() == at.line(); j++) {
            if (isCause(file.get(j))) {
                out.add(file.get(j).source());
            }
        }
        for (int j = i - 1; j >= 0 && isCause(file.get(j)); j--) {
            out.add(0, file.get(j).source());
        }
        return out;
    }
}
