package dev.vmcase.analysis.rules;

import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.NovaKind;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What kind of load or start one VM's evidence shows, shared by the rules that must not mistake one for another:
 * a QEMU that loaded a saved state (a snapshot, {@code virsh restore}, a managedsave, a saved migration file) says
 * {@code load of migration failed} exactly as a live migration's destination does, and libvirt's
 * {@code shutting down, reason=failed} ends a failed start as well as a failed incoming migration. Each answer rests on
 * the evidence's lines and message classes (the catalogue's), never on a file's name.
 */
final class StateLoads {
    /** The management layers' and QEMU's words that a live migration was under way. */
    private static final Set<NovaKind> NOVA_MIGRATION = Set.of(NovaKind.LIVE_MIGRATION_FAILURE,
            NovaKind.LIVE_MIGRATION_FAILED, NovaKind.LIVE_MIGRATION_ABORTED);
    /** {@code -incoming} transports that carry a stream from another host (not a file read back). */
    private static final List<String> NETWORK_INCOMING = List.of("tcp:", "rdma:", "unix:", "vsock:");
    /** Commands that, inside {@code -incoming exec:}, fetch the stream over the network rather than from a file. */
    private static final List<String> NETWORK_EXEC = List.of("ssh ", "nc ", "ncat ", "socat ", "curl ");

    /** virsh commands that load a saved state (or save one for the next start to load). */
    private static final Set<String> VIRSH_RESTORE = Set.of("restore", "save", "managedsave", "snapshot-revert");

    private StateLoads() {
    }

    static boolean hasClass(Event e, MessageClass c) {
        return c.value().equals(e.detail(Detail.MESSAGE_CLASS));
    }

    /** The lines of QEMU rejecting a state it loads: load errors, the migration verdict, the snapshot verdict. */
    static List<Event> loadFailures(RuleContext ctx) {
        return ctx.once("state-loads.load-failures", StateLoads::findLoadFailures);
    }

    private static List<Event> findLoadFailures(RuleContext ctx) {
        List<Event> out = new ArrayList<>();
        for (Event e : ctx.evidence().events()) {
            if (e.kind() == EventKind.MIGRATION_LOAD_ERROR || e.kind() == EventKind.MIGRATION_LOAD_FAILED
                    || hasClass(e, MessageClass.LOADVM_FAILED)) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The lines that show the load was of a saved state: the snapshot verdict, a restore or save
     * ({@code virsh restore}, {@code managedsave}, a launch from a saved migration file), a command line with
     * {@code -loadvm} or with {@code -incoming exec:} reading a file, a virsh {@code restore}, {@code save},
     * {@code managedsave} or {@code snapshot-revert} in a transcript, and a start where a load failed (it read a
     * managed-save image).
     */
    static List<Event> restoreMarks(RuleContext ctx) {
        return ctx.once("state-loads.restore-marks", StateLoads::findRestoreMarks);
    }

    private static List<Event> findRestoreMarks(RuleContext ctx) {
        List<Event> out = new ArrayList<>();
        // libvirt's start of a domain that has a managed-save image loads that image instead of booting: a start
        // (virsh start, its "Failed to start domain") is a restore where QEMU then failed to load a state
        boolean loadFailed = !loadFailures(ctx).isEmpty();
        for (Event e : ctx.evidence().events()) {
            if (hasClass(e, MessageClass.LOADVM_FAILED) || hasClass(e, MessageClass.RESTORE)
                    || hasClass(e, MessageClass.STATE_SAVED)) {
                out.add(e);
            } else if (e.kind() == EventKind.QEMU_COMMAND_LINE && (e.detail(Detail.LOADVM) != null
                    || fileIncoming(e.detail(Detail.INCOMING)))) {
                out.add(e);
            } else if (e.kind() == EventKind.VIRSH_COMMAND && VIRSH_RESTORE.contains(e.detail(Detail.COMMAND))) {
                out.add(e);
            } else if (loadFailed && "start".equals(e.detail(Detail.COMMAND))) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The lines that show a live migration: a management layer starting or failing one, a {@code -incoming} from the
     * network, a {@code migrate} command sent to a source QEMU or typed at virsh.
     */
    static List<Event> liveMigrationMarks(RuleContext ctx) {
        return ctx.once("state-loads.live-migration-marks", StateLoads::findLiveMigrationMarks);
    }

    private static List<Event> findLiveMigrationMarks(RuleContext ctx) {
        List<Event> out = new ArrayList<>();
        for (Event e : ctx.evidence().events()) {
            NovaKind nova = NovaRefs.kind(e);
            if (hasClass(e, MessageClass.MIGRATION_STARTED) || hasClass(e, MessageClass.MIGRATION_REPORTED_FAILED)
                    || hasClass(e, MessageClass.MIGRATION_COMPLETED) || nova != null && NOVA_MIGRATION.contains(nova)) {
                out.add(e);
            } else if (e.kind() == EventKind.QEMU_COMMAND_LINE && networkIncoming(e.detail(Detail.INCOMING))) {
                out.add(e);
            } else if (e.kind() == EventKind.VIRSH_COMMAND && "migrate".equals(e.detail(Detail.COMMAND))) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    /** Whether QEMU was asked to send its state somewhere ({@code migrate}): the evidence holds a migration source. */
    static boolean migrateCommand(RuleContext ctx) {
        return ctx.once("state-loads.migrate-command", StateLoads::findMigrateCommand);
    }

    private static boolean findMigrateCommand(RuleContext ctx) {
        for (QmpMessage m : ctx.evidence().qmp()) {
            if (m.kind() == QmpKind.COMMAND && "migrate".equals(m.name())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a failed load here was of a saved state and nothing shows a live migration. */
    static boolean isRestore(RuleContext ctx) {
        return !restoreMarks(ctx).isEmpty() && liveMigrationMarks(ctx).isEmpty() && !migrateCommand(ctx);
    }

    /** Whether anything in the evidence migrates: a load, an incoming QEMU, a live migration's own words. */
    static boolean anyMigrationOrLoad(RuleContext ctx) {
        if (!loadFailures(ctx).isEmpty() || !liveMigrationMarks(ctx).isEmpty() || !restoreMarks(ctx).isEmpty()
                || migrateCommand(ctx)) {
            return true;
        }
        for (Event e : ctx.evidence().events()) {
            if (e.kind() == EventKind.QEMU_COMMAND_LINE && e.detail(Detail.INCOMING) != null) {
                return true;
            }
        }
        return false;
    }

    static boolean fileIncoming(String incoming) {
        if (incoming == null) {
            return false;
        }
        String v = incoming.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("\"") || v.startsWith("'")) {
            v = v.substring(1);
        }
        if (!v.startsWith("exec:")) {
            return false;
        }
        for (String n : NETWORK_EXEC) {
            if (v.contains(n)) {
                return false;
            }
        }
        return true;
    }

    private static boolean networkIncoming(String incoming) {
        if (incoming == null) {
            return false;
        }
        String v = incoming.strip().toLowerCase(Locale.ROOT);
        return NETWORK_INCOMING.stream().anyMatch(v::startsWith);
    }
}
