package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.model.Attr;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code MIGRATION_STATE_MISMATCH}: the destination rejected a section ({@code Unknown savevm section or instance
 * '0000:00:06.0/virtio-blk' 0}), a RAM block ({@code Unknown ramblock "0000:00:08.0/virtio-net-pci.rom"}) or a
 * device's state. The section's whole PCI path is joined to the source's device there — behind a root port or
 * bridge ({@code 0000:00:07.0:00.0/virtio-blk}) that is the device in the port's slot 0, never the port, whatever bus
 * number the firmware gave it; the destination's own view (its command line) tells whether it lacks the device.
 * The short root bus {@code 0000:06.0} of QEMU 1.6 / {@code pc-*-1.6} machine types is decoded and pointed out.
 * <p>
 * A section or RAM block of no PCI device is reported as well, named as QEMU names it and with no PCI address
 * invented: the machine's RAM ({@code Length too large: /rom@etc/acpi/rsdp: 0x10000 > 0x1000} then
 * {@code error while loading state … of device 'ram'}: one rejection, of the RAM block), a device on no PCI bus
 * ({@code Unknown savevm section or instance 'serial' 1}, {@code … of device 'fw_cfg'}); the finding says that no PCI
 * address could be joined to a device (detail {@code unchecked}).
 * <p>
 * The finding carries the failure's class ({@code failure-class}), decided by {@link Rejections} for every rule alike:
 * the catalogue entry's class of the rejecting or cause line, a known bug's where its signature shows. It cites the
 * cause lines QEMU printed just before the rejection ({@code VQ 2 size 0x80 < last_avail_idx …},
 * {@code Bad config data: …}, {@code Failed to load virtio-balloon:virtio}). Where the evidence is a saved state read
 * back ({@link StateLoads#isRestore}), its sentence speaks of the restored state and the QEMU that loaded it, never of
 * a destination.
 */
public final class MigrationStateMismatchRule implements Rule {
    public static final String ID = "MIGRATION_STATE_MISMATCH";

    @Override
    public String id() {
        return ID;
    }

    /**
     * The destination's QEMU log, where a rejected section or RAM block would be named. To name the device it uses the
     * source's qdev/PCI/command-line view, to confirm the destination lacks it the destination's command line; each
     * finding says which of those it had.
     */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("destination", EvidenceKind.DESTINATION_LOG));
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        List<Finding> out = new ArrayList<>();
        boolean destinationKnown = !ctx.devices().destination().isEmpty();
        // a saved state read back: the QEMU that rejected it is the restoring one, no destination of a migration
        boolean restore = StateLoads.isRestore(ctx);
        for (Rejections.Rejection r : Rejections.of(ctx)) {
            Findings f = Findings.of(ID, Severity.ERROR);
            // the same rejection repeated (retries, several logs of one failure) is one finding citing every line
            f.cite(r.lines());
            // why QEMU rejected it: the cause lines it printed just before (a virtqueue index, a config byte, a size)
            f.cite(r.causes());
            f.detail("failure-class", r.failureClass());
            f.note(Rejections.classNote(r.failureClass(), restore), r.name());
            f.detail("idstr", r.idstr()).detail("ramblock", r.ramblock()).detail("kind", r.kind());
            if (restore) {
                f.detail("restore", "true");
            }
            if (r.pci()) {
                pciFinding(ctx, f, r, destinationKnown, restore);
            } else {
                // a machine's section or RAM block, or a device on no PCI bus: nothing to join to the device table
                f.detail("unchecked", "no-pci-address").note("note_no_pci_address", r.name());
                String prefix = restore ? "migration_mismatch_restore" : "migration_mismatch";
                if (r.ramblock() != null && r.sizes().size() == 2) {
                    f.message(prefix + "_ramblock", r.ramblock(), r.sizes().get(0), r.sizes().get(1));
                } else {
                    f.message(prefix + "_nopci", r.name(), r.kind());
                }
            }
            out.add(f.build());
        }
        return out;
    }

    /** A rejection of a PCI device's section: the device at its whole path on either side, named and cited. */
    private static void pciFinding(RuleContext ctx, Findings f, Rejections.Rejection r, boolean destinationKnown,
                                   boolean restore) {
        DeviceObservation section = r.observation();
        String idstr = r.name();
        // the whole path: behind a root port or bridge the device is the last hop, never the port
        PciPath path = r.path().get();
        Optional<DeviceRow> src = ctx.devices().sourceAt(path);
        Optional<DeviceRow> dst = ctx.devices().destinationAt(path);
        String pci = path.toString();
        f.detail("vmsd", section == null ? null : section.attr(Attr.VMSD)).detail("pci", pci)
                .detail("slot", Integer.toString(path.device().slot()));
        path.bridge().ifPresent(b -> f.detail("bridge", b.toString()).note("note_behind_bridge", b.toString()));
        if (section != null && "true".equals(section.attr(Attr.SHORT_ROOT_BUS))) {
            f.detail("short-root-bus", "true").note("note_short_root_bus", idstr);
        }
        String slot = Integer.toString(path.device().slot());
        String type = section == null ? r.kind() : section.type();
        if (restore) {
            // one VM saved and loads its own state: whichever device list the evidence has is the loading QEMU's
            Optional<DeviceRow> own = dst.isPresent() ? dst : src;
            if (own.isPresent()) {
                DeviceRow row = own.get();
                citeDevice(f, row).detail("loading-device", row.qdevId()).detail("loading-type", row.type());
                f.message("migration_mismatch_restore_device", idstr, pci, row.label(), row.type(), slot);
            } else {
                f.devices(List.of(pci)).message("migration_mismatch_restore", idstr, pci, type, slot);
            }
            return;
        }
        if (src.isPresent()) {
            DeviceRow row = src.get();
            citeDevice(f, row).detail("source-device", row.qdevId()).detail("source-type", row.type());
        } else if (dst.isPresent()) {
            // only the destination's side is in the evidence (its own domain log): the device it loads into is there
            DeviceRow row = dst.get();
            citeDevice(f, row).detail("destination-device", row.qdevId()).detail("destination-type", row.type());
        } else {
            f.devices(List.of(pci));
        }
        if (destinationKnown) {
            f.detail("destination-has-device", Boolean.toString(dst.isPresent()));
            if (dst.isEmpty()) {
                ctx.devices().destination().stream().flatMap(row -> row.evidence(Layer.COMMAND_LINE).stream())
                        .findFirst().ifPresent(f::cite);
            }
        }
        if (src.isPresent()) {
            String dstText = destinationKnown ? (dst.isPresent() ? "has" : "lacks") : "unknown";
            f.message("migration_mismatch_device_" + dstText, idstr, pci, src.get().label(), src.get().type(), slot);
        } else if (dst.isPresent()) {
            f.message("migration_mismatch_destination_device", idstr, pci, dst.get().label(), dst.get().type(), slot);
        } else {
            f.message("migration_mismatch", idstr, pci, type, slot);
        }
    }

    /** The device the rejected state belongs to, named and cited by the layers that show it. */
    private static Findings citeDevice(Findings f, DeviceRow row) {
        return f.devices(row.names()).cite(row.evidence(Layer.QDEV)).cite(row.evidence(Layer.PCI))
                .cite(row.evidence(Layer.COMMAND_LINE));
    }
}
