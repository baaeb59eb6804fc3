package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.model.Attr;
import dev.vmcase.model.Detail;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code MIGRATION_STATE_MISMATCH}: the destination rejected a section ({@code Unknown savevm section or instance
 * '0000:00:06.0/virtio-blk' 0}), a RAM block ({@code Unknown ramblock "0000:00:08.0/virtio-net-pci.rom"}) or a
 * device's state. The section's whole PCI path is joined to the source's device there — behind a root port or
 * bridge ({@code 0000:00:07.0:00.0/virtio-blk}) that is the device in the port's slot 0, never the port, whatever bus
 * number the firmware gave it; the destination's own view (its command line) tells whether it lacks the device.
 * The short root bus {@code 0000:06.0} of QEMU 1.6 / {@code pc-*-1.6} machine types is decoded and pointed out.
 * The finding carries the failure's class ({@code failure-class}: the device is missing on the destination, or its state
 * was rejected although it has it), which the message catalogue's entry for the rejecting line states, and cites the
 * cause lines QEMU printed just before the rejection ({@code VQ 2 size 0x80 < last_avail_idx …},
 * {@code Bad config data: …}, {@code Failed to load virtio-balloon:virtio}).
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
        // the same rejection repeated (retries, several logs of one failure) is one finding citing every line
        Map<String, List<Event>> causes = causes(ctx);
        Map<String, List<DeviceObservation>> byIdstr = new LinkedHashMap<>();
        ctx.devices().rejectedSections()
                .forEach(o -> byIdstr.computeIfAbsent(o.attr(Attr.IDSTR), k -> new ArrayList<>()).add(o));
        for (List<DeviceObservation> same : byIdstr.values()) {
            DeviceObservation section = same.get(0);
            String idstr = section.attr(Attr.IDSTR);
            // the whole path: behind a root port or bridge the device is the last hop, never the port
            Optional<PciPath> path = section.pciPath();
            Optional<DeviceRow> src = path.flatMap(p -> ctx.devices().sourceAt(p));
            Optional<DeviceRow> dst = path.flatMap(p -> ctx.devices().destinationAt(p));
            String pci = path.map(PciPath::toString).orElse("");
            Findings f = Findings.of(ID, Severity.ERROR);
            same.forEach(o -> f.cite(o.source()));
            // why QEMU rejected it: the cause lines it printed just before (a virtqueue index, a config byte, a field)
            same.forEach(o -> f.cite(causesBefore(causes, o.source())));
            String failureClass = section.attr(Attr.FAILURE_CLASS);
            if (failureClass != null) {
                f.detail("failure-class", failureClass).note("note_failure_class_" + failureClass, idstr);
            }
            f.detail("idstr", idstr).detail("vmsd", section.attr(Attr.VMSD)).detail("kind", section.attr(Attr.KIND))
                    .detail("pci", path.isEmpty() ? null : pci);
            if (path.isPresent()) {
                f.detail("slot", Integer.toString(path.get().device().slot()));
                path.get().bridge().ifPresent(b -> f.detail("bridge", b.toString()).note("note_behind_bridge", b.toString()));
            }
            if ("true".equals(section.attr(Attr.SHORT_ROOT_BUS))) {
                f.detail("short-root-bus", "true").note("note_short_root_bus", idstr);
            }
            if (src.isPresent()) {
                DeviceRow row = src.get();
                citeDevice(f, row).detail("source-device", row.qdevId()).detail("source-type", row.type());
            } else if (dst.isPresent()) {
                // only the destination's side is in the evidence (its own domain log): the device it loads into is there
                DeviceRow row = dst.get();
                citeDevice(f, row).detail("destination-device", row.qdevId()).detail("destination-type", row.type());
            } else if (path.isPresent()) {
                f.devices(List.of(pci));
            }
            if (destinationKnown && path.isPresent()) {
                f.detail("destination-has-device", Boolean.toString(dst.isPresent()));
                if (dst.isEmpty()) {
                    ctx.devices().destination().stream().flatMap(r -> r.evidence(Layer.COMMAND_LINE).stream())
                            .findFirst().ifPresent(f::cite);
                }
            }
            String slot = path.map(p -> Integer.toString(p.device().slot())).orElse("");
            if (src.isPresent()) {
                String dstText = destinationKnown ? (dst.isPresent() ? "has" : "lacks") : "unknown";
                f.message("migration_mismatch_device_" + dstText, idstr, pci, src.get().label(), src.get().type(), slot);
            } else if (dst.isPresent()) {
                f.message("migration_mismatch_destination_device", idstr, pci, dst.get().label(), dst.get().type(), slot);
            } else if (path.isPresent()) {
                f.message("migration_mismatch", idstr, pci, section.type(), slot);
            } else {
                f.message("migration_mismatch_nopci", idstr, section.type());
            }
            out.add(f.build());
        }
        return out;
    }

    /** The device the rejected state belongs to, named and cited by the layers that show it. */
    private static Findings citeDevice(Findings f, DeviceRow row) {
        return f.devices(row.names()).cite(row.evidence(Layer.QDEV)).cite(row.evidence(Layer.PCI))
                .cite(row.evidence(Layer.COMMAND_LINE));
    }

    /** Each artifact's events in line order: where a rejection's cause lines are looked for. */
    private static Map<String, List<Event>> causes(RuleContext ctx) {
        Map<String, List<Event>> out = new HashMap<>();
        for (Event e : ctx.evidence().events()) {
            out.computeIfAbsent(e.source().artifact(), k -> new ArrayList<>()).add(e);
        }
        out.values().forEach(l -> l.sort(java.util.Comparator.comparingInt(e -> e.source().line())));
        return out;
    }

    private static boolean isCause(Event e) {
        return e.kind() == EventKind.MIGRATION_LOAD_ERROR
                && MessageClass.LOAD_STATE_CAUSE.value().equals(e.detail(Detail.MESSAGE_CLASS));
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
