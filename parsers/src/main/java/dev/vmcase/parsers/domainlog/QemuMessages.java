package dev.vmcase.parsers.domainlog;

import dev.vmcase.model.Attr;
import dev.vmcase.model.Detail;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Layer;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies one line of QEMU stderr: strips the {@code -msg timestamp=on} timestamp and the program prefix, and
 * recognises the incoming-migration failures of every QEMU generation (migration/savevm.c, migration/ram.c) through the
 * message catalogue ({@code knowledge/qemu.json}: the wordings live there, with their versions and real samples), e.g.
 * <pre>
 * Unknown savevm section or instance '0000:06.0/virtio-blk' 0                      (≤ 2.2, no prefix)
 * 2024-…Z qemu-system-x86_64: Unknown savevm section or instance '0000:00:06.0/virtio-blk' 0. Make sure that …
 * qemu-system-x86_64: load of migration failed: Invalid argument: Unknown section or instance '…' 0. …  (10.2)
 * Unknown ramblock "0000:00:08.0/virtio-net-pci.rom", cannot accept migration
 * error while loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'
 * Missing section footer for 0000:00:01.3/piix4_pm
 * load of migration failed[: Invalid argument]
 * </pre>
 */
public final class QemuMessages {
    /** QEMU's {@code -msg timestamp=on} prefix (microseconds, or none when they are exactly 0). */
    static final Pattern QEMU_TS = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z)\\s+(.*)$");
    /**
     * {@code qemu-system-x86_64: }, {@code qemu-kvm: }, {@code kvm: }, {@code /usr/bin/qemu-system-x86_64: }; after
     * the journal's identifier of the process when the line was copied from a journal without its time and host
     * ({@code QEMU[2538388]: kvm: …}, as Proxmox's journal names its QEMU processes).
     */
    static final Pattern PROG = Pattern.compile(
            "^(?:[\\w.-]{1,64}\\[\\d{1,10}\\]:[ \\t]++)?((?:\\S*/)?(?:qemu[\\w.-]*|kvm)):\\s+(.*)$");

    /**
     * The catalogue's entries of a failed load of a migration stream: what the destination's QEMU names (a section, a
     * RAM block, a section's state) and its verdict. A line is classified by the first of them, in catalogue order, that
     * recognises it; the verdict is looked for on its own too, because QEMU 10.2 writes both in one line.
     */
    private static final List<Message> LOAD = MessageCatalogue.get().of(EnumSet.of(MessageClass.LOAD_SECTION_UNKNOWN,
            MessageClass.LOAD_RAMBLOCK_UNKNOWN, MessageClass.LOAD_RAMBLOCK_SIZE, MessageClass.LOAD_DEVICE_STATE,
            MessageClass.LOAD_STATE_CAUSE, MessageClass.LOAD_SECTION_FOOTER, MessageClass.LOAD_VERSION,
            MessageClass.LOAD_STREAM, MessageClass.LOAD_FAILED));
    /** The verdict entries among them ({@code load of migration failed}). */
    private static final List<Message> LOAD_VERDICTS = LOAD.stream()
            .filter(m -> m.messageClass() == MessageClass.LOAD_FAILED).toList();
    /** The classes whose named section or RAM block is one the destination could not place: a device observation. */
    private static final Set<MessageClass> UNPLACED = EnumSet.of(MessageClass.LOAD_SECTION_UNKNOWN,
            MessageClass.LOAD_RAMBLOCK_UNKNOWN, MessageClass.LOAD_DEVICE_STATE, MessageClass.LOAD_SECTION_FOOTER);
    /** The fixed phrases of those entries: a line with none of them is no migration failure (most lines). */
    private static final List<String> NEEDLES = MessageCatalogue.needles(LOAD);
    /**
     * The catalogue's entries that say what a load or a start was rather than what it rejected: the snapshot verdict
     * ({@code Error -22 while loading VM state}), a restore or a save ({@code Failed to restore domain from …},
     * {@code Domain X state saved by libvirt}, a launch from a saved migration file), a start that failed (QEMU's
     * refusal of an option, libvirt's {@code Failed to start domain}), QEMU going on with another accelerator after
     * KVM's failed ({@code falling back to tcg}). Rules tell a snapshot restore and a failed start from a live migration
     * by them.
     */
    private static final List<Message> CONTEXT = MessageCatalogue.get().of(EnumSet.of(MessageClass.LOADVM_FAILED,
            MessageClass.RESTORE, MessageClass.STATE_SAVED, MessageClass.START_FAILED, MessageClass.START_ERROR,
            MessageClass.START_FALLBACK));

    private QemuMessages() {
    }

    /** A QEMU line split into its parts. */
    public record Line(Instant time, String program, String message) {
    }

    public static Line split(String raw) {
        String rest = raw;
        Instant time = null;
        Matcher ts = QEMU_TS.matcher(rest);
        if (ts.matches()) {
            try {
                time = Instant.parse(ts.group(1));
                rest = ts.group(2);
            } catch (DateTimeParseException e) {
                // shaped like a time but none (a 13th month): the message is kept, untimed
                time = null;
            }
        }
        String program = null;
        Matcher p = PROG.matcher(rest);
        if (p.matches()) {
            program = p.group(1);
            rest = p.group(2);
        }
        return new Line(time, program, rest.strip());
    }

    /** Whether a line carries QEMU's timestamp or program prefix. */
    public static boolean hasQemuPrefix(String raw) {
        Line l = split(raw);
        return l.time() != null || l.program() != null;
    }

    /**
     * Classifies a QEMU line. Returns the migration failure it reports, if any, with the observation of the device
     * section the destination could not place.
     */
    public static Optional<Classified> classifyMigration(String raw, SourceRef ref) {
        if (!mayBeMigration(raw)) {
            return Optional.empty();
        }
        Line l = split(raw);
        String msg = l.message();
        MessageMatch first = MessageCatalogue.match(msg, LOAD);
        if (first == null) {
            return Optional.empty();
        }
        MessageMatch verdict = first.messageClass() == MessageClass.LOAD_FAILED ? first
                : MessageCatalogue.match(msg, LOAD_VERDICTS);
        boolean isFailed = verdict != null;
        Map<String, String> d = new LinkedHashMap<>();
        d.put(MessageMatch.MESSAGE, first.message().id());
        d.put(Detail.MESSAGE_CLASS.key(), first.messageClass().value());
        String idstr = null;
        if (UNPLACED.contains(first.messageClass())) {
            idstr = first.group("section") != null ? first.group("section") : first.group("ramblock");
            if (first.group("instance") != null) {
                d.put("section-instance", first.messageClass() == MessageClass.LOAD_DEVICE_STATE
                        ? "0x" + first.group("instance") : first.group("instance"));
            }
        }
        if (isFailed && verdict.group("reason") != null) {
            d.put("reason", verdict.group("reason").strip());
        }
        EventKind ek = idstr != null || !isFailed ? EventKind.MIGRATION_LOAD_ERROR : EventKind.MIGRATION_LOAD_FAILED;
        if (isFailed) {
            d.put("failed", "true");
        }
        String kind = first.message().details().get("kind");
        String failureClass = first.message().details().get(Attr.FAILURE_CLASS.key());
        if (failureClass != null) {
            d.put(Attr.FAILURE_CLASS.key(), failureClass);
        }
        DeviceObservation obs = null;
        if (idstr != null) {
            d.put("idstr", idstr);
            if (kind != null) {
                d.put("kind", kind);
            }
            Optional<MigrationSection> sec = MigrationSection.parse(idstr);
            if (sec.isPresent()) {
                MigrationSection s = sec.get();
                d.put("vmsd", s.vmsd());
                if (s.shortRootBus()) {
                    d.put("short-root-bus", "true");
                }
                // the whole path, also behind bridges and root ports: the device, never collapsed to its port
                d.put(PciPath.ATTRIBUTE, s.path().toString());
                s.path().bridge().ifPresent(b -> d.put("bridge", b.toString()));
                Map<String, String> attrs = new LinkedHashMap<>(d);
                obs = new DeviceObservation(ref, Layer.MIGRATION, DeviceRole.FRONTEND, "", s.deviceKind(),
                        s.rootBusAddress().orElse(null), null, attrs);
                s.rootBusAddress().ifPresent(a -> d.put("pci", a.toString()));
            }
        }
        return Optional.of(new Classified(new Event(ref, l.time(), ek, msg, d), obs));
    }

    /**
     * Whether the line is itself a migration failure message, as old QEMU printed it bare (no program prefix): the
     * message starts the line, after at most {@code qemu: warning: }. A sentence that mentions such a message in
     * passing ({@code the log said `Unknown savevm section …` and}) is prose, not evidence.
     */
    public static boolean startsWithMigrationFailure(String line) {
        if (!mayBeMigration(line)) {
            return false;
        }
        String t = line.startsWith(BARE_WARNING) ? line.substring(BARE_WARNING.length()) : line;
        for (Message m : LOAD) {
            MessageMatch found = m.find(t);
            if (found != null && found.start() == 0) {
                return true;
            }
        }
        return false;
    }

    private static final String BARE_WARNING = "qemu: warning: ";

    /** A cheap test that spares ordinary lines the patterns: every migration failure has one of the needles. */
    private static boolean mayBeMigration(String raw) {
        for (String n : NEEDLES) {
            if (raw.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The catalogue entry of {@link #CONTEXT} a message (a QEMU line without its prefix, or any pasted line) matches:
     * a snapshot verdict, a restore, a save, a failed start; null for any other line.
     */
    public static MessageMatch classifyContext(String message) {
        return MessageCatalogue.match(message, CONTEXT);
    }

    /** A migration failure line and, when it names a device section, that section as an observation. */
    public record Classified(Event event, DeviceObservation observation) {
        public List<DeviceObservation> observations() {
            return observation == null ? List.of() : List.of(observation);
        }
    }
}
