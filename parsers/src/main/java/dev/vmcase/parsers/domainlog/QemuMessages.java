package dev.vmcase.parsers.domainlog;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.SourceRef;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies one line of QEMU stderr: strips the {@code -msg timestamp=on} timestamp and the program prefix, and
 * recognises the incoming-migration failures of every QEMU generation (migration/savevm.c, migration/ram.c):
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
    /** {@code qemu-system-x86_64: }, {@code qemu-kvm: }, {@code kvm: }, {@code /usr/bin/qemu-system-x86_64: }. */
    static final Pattern PROG = Pattern.compile("^((?:\\S*/)?(?:qemu[\\w.-]*|kvm)):\\s+(.*)$");

    private static final Pattern UNKNOWN_SECTION = Pattern.compile(
            "Unknown (?:savevm )?section or instance '([^']+)' (\\d+)");
    private static final Pattern UNKNOWN_RAMBLOCK = Pattern.compile("Unknown ramblock \"([^\"]+)\"");
    private static final Pattern LOAD_STATE = Pattern.compile(
            "error while loading state for instance (0x[0-9a-fA-F]+) of device '([^']+)'");
    private static final Pattern FOOTER = Pattern.compile("Missing section footer for (\\S+)");
    private static final Pattern OTHER_LOAD = Pattern.compile(
            "Unknown savevm section (?:type )?\\d+|savevm: unsupported version|Unable to read ID string for section"
                    + "|Not a migration stream|check_section_footer: |Length mismatch: ");
    private static final Pattern LOAD_FAILED = Pattern.compile("load of migration failed(?::\\s*(.*))?");

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
        Map<String, String> d = new LinkedHashMap<>();
        String idstr = null;
        String kind = null;
        Matcher m;
        if ((m = UNKNOWN_SECTION.matcher(msg)).find()) {
            idstr = m.group(1);
            d.put("section-instance", m.group(2));
            kind = "section";
        } else if ((m = UNKNOWN_RAMBLOCK.matcher(msg)).find()) {
            idstr = m.group(1);
            kind = "ramblock";
        } else if ((m = LOAD_STATE.matcher(msg)).find()) {
            idstr = m.group(2);
            d.put("section-instance", m.group(1));
            kind = "device-state";
        } else if ((m = FOOTER.matcher(msg)).find()) {
            idstr = m.group(1);
            kind = "section-footer";
        }
        Matcher failed = LOAD_FAILED.matcher(msg);
        boolean isFailed = failed.find();
        if (isFailed && failed.group(1) != null) {
            d.put("reason", failed.group(1));
        }
        if (idstr == null && !isFailed && !OTHER_LOAD.matcher(msg).find()) {
            return Optional.empty();
        }
        EventKind ek;
        if (idstr != null || !isFailed) {
            ek = EventKind.MIGRATION_LOAD_ERROR;
        } else {
            ek = EventKind.MIGRATION_LOAD_FAILED;
        }
        if (isFailed) {
            d.put("failed", "true");
        }
        DeviceObservation obs = null;
        if (idstr != null) {
            d.put("idstr", idstr);
            d.put("kind", kind);
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
        for (Pattern p : List.of(UNKNOWN_SECTION, UNKNOWN_RAMBLOCK, LOAD_STATE, FOOTER, OTHER_LOAD, LOAD_FAILED)) {
            if (p.matcher(t).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private static final String BARE_WARNING = "qemu: warning: ";

    /** A cheap test that spares ordinary lines the patterns below: every migration failure has one of these words. */
    private static boolean mayBeMigration(String raw) {
        return raw.contains("migration") || raw.contains("section") || raw.contains("ramblock")
                || raw.contains("loading state") || raw.contains("savevm") || raw.contains("Length mismatch");
    }

    /** A migration failure line and, when it names a device section, that section as an observation. */
    public record Classified(Event event, DeviceObservation observation) {
        public List<DeviceObservation> observations() {
            return observation == null ? List.of() : List.of(observation);
        }
    }
}
