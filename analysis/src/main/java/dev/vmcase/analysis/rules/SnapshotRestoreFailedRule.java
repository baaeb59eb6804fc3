package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.model.Attr;
import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Finding;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.Severity;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code SNAPSHOT_RESTORE_FAILED}: QEMU failed to load a <em>saved</em> state — an internal snapshot ({@code -loadvm},
 * {@code snapshot-load}, HMP {@code loadvm}, {@code virsh snapshot-revert}: QEMU's verdict {@code Error -22 while
 * loading VM state}), a {@code virsh save} / {@code managedsave} image read back by {@code virsh restore} or the next
 * start, a saved migration stream fed through {@code -incoming "exec:cat FILE"}. QEMU reads the last three through
 * its incoming-migration code and says {@code load of migration failed}, so the restore is told by the evidence around
 * the failure (the snapshot verdict, libvirt's and virsh's restore and save lines, {@code -loadvm} or a file-reading
 * {@code -incoming exec:} on the command line) and by the absence of anything that shows a live migration (a source's
 * {@code migrate}, nova's or libvirt's migration lines, a network {@code -incoming}): {@link StateLoads}. It is then
 * never {@code MIGRATION_FAILED}.
 * <p>
 * The finding cites QEMU's load errors and verdict and the lines that show it was a restore, names the section or RAM
 * block QEMU rejected and its device when the error names one (with {@code pci}, {@code slot} and the
 * {@code failure-class} of the catalogue's entry), as {@code MIGRATION_STATE_MISMATCH} does for the same lines.
 * The rejection and its class are {@link Rejections}' (a path in QEMU 1.6's short root-bus form where the loading
 * QEMU has a device at that slot is the same device under the older name: {@code config-mismatch}), so both rules
 * say the same of the same lines.
 */
public final class SnapshotRestoreFailedRule implements Rule {
    public static final String ID = "SNAPSHOT_RESTORE_FAILED";

    @Override
    public String id() {
        return ID;
    }

    /** The loading QEMU's log (its load errors) or the libvirt domain log it wrote into. */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("load-record", EvidenceKind.DESTINATION_LOG, EvidenceKind.DOMAIN_LOG));
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        List<Event> failures = StateLoads.loadFailures(ctx);
        if (failures.isEmpty() || !StateLoads.isRestore(ctx)) {
            return List.of();
        }
        List<Event> marks = StateLoads.restoreMarks(ctx);
        Findings f = Findings.of(ID, Severity.ERROR);
        failures.stream().sorted(Comparator.comparing((Event e) -> e.source().artifact())
                .thenComparingInt(e -> e.source().line())).forEach(e -> f.cite(e.source()));
        marks.forEach(e -> f.cite(e.source()));
        boolean snapshot = marks.stream().anyMatch(e -> StateLoads.hasClass(e, MessageClass.LOADVM_FAILED)
                || e.detail(Detail.LOADVM) != null);
        f.detail("restore-kind", snapshot ? "snapshot" : "saved-state");
        marks.stream().map(e -> e.detail(Detail.FILE)).filter(java.util.Objects::nonNull).findFirst()
                .ifPresent(file -> f.detail("saved-file", file));
        marks.stream().map(e -> e.detail(Detail.LOADVM)).filter(java.util.Objects::nonNull).findFirst()
                .ifPresent(tag -> f.detail("snapshot", tag));
        // the line that says most plainly it was a restore: a restore or the snapshot verdict before a mere save
        Event shown = marks.stream().filter(e -> !StateLoads.hasClass(e, MessageClass.STATE_SAVED)).findFirst()
                .orElse(marks.get(0));
        String how = describe(shown);
        String reason = failures.stream().filter(e -> e.kind() == EventKind.MIGRATION_LOAD_FAILED
                || StateLoads.hasClass(e, MessageClass.LOADVM_FAILED)).map(Event::message).findFirst()
                .orElse(failures.get(0).message());
        f.detail("reason", reason);
        // what the loading QEMU rejected, and its class, as MIGRATION_STATE_MISMATCH says it of the same lines
        List<Rejections.Rejection> rejections = Rejections.of(ctx);
        Optional<Rejections.Rejection> rejected = rejections.stream().findFirst();
        String section = rejected.map(Rejections.Rejection::name).orElse(null);
        String failureClass = rejected.map(Rejections.Rejection::failureClass).orElse(null);
        rejected.map(Rejections.Rejection::observation).filter(o -> "true".equals(o.attr(Attr.SHORT_ROOT_BUS)))
                .ifPresent(o -> f.detail("short-root-bus", "true").note("note_short_root_bus", o.attr(Attr.IDSTR)));
        rejected.flatMap(Rejections.Rejection::path).ifPresent(p -> {
            f.detail("pci", p.toString()).detail("slot", Integer.toString(p.device().slot()));
            p.bridge().ifPresent(b -> f.detail("bridge", b.toString()));
            Optional<DeviceRow> src = ctx.devices().sourceAt(p);
            f.devices(src.map(DeviceRow::names).orElse(List.of(p.toString())));
        });
        // the section QEMU gave up on ('ram'), and the RAM block a size check named in it
        f.detail("idstr", rejected.map(Rejections.Rejection::idstr).orElse(section))
                .detail("ramblock", rejected.map(Rejections.Rejection::ramblock).orElse(null))
                .detail("failure-class", failureClass);
        if (failureClass != null) {
            f.note(Rejections.classNote(failureClass, true), section);
        }
        if (section != null) {
            f.message("snapshot_restore_failed_section", section, how);
        } else {
            f.message("snapshot_restore_failed", reason, how);
        }
        return List.of(f.build());
    }

    /** A restore mark as the user would recognise it: a command line by its option, any other line by its text. */
    private static String describe(Event mark) {
        if (mark.kind() == EventKind.QEMU_COMMAND_LINE) {
            return mark.detail(Detail.LOADVM) != null ? "-loadvm " + mark.detail(Detail.LOADVM)
                    : "-incoming " + mark.detail(Detail.INCOMING);
        }
        return mark.message();
    }
}
