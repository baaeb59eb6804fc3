package dev.vmcase.analysis.rules;

import dev.vmcase.model.Detail;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code STALE_DEVICE_REFERENCE}: QEMU answered {@code DeviceNotFound} for a device — typically to a repeated
 * {@code device_del} after the guest ejected it and only the {@code …/virtio-backend} event arrived (Launchpad bug
 * 1894804) — while the layers above still refer to it: libvirt's domain XML lists the alias, libvirt itself sent the
 * command (its debug log's monitor traffic) or wrote a verdict naming it, or nova-compute's log names the device
 * (its detach attempts, its {@code detach device xml:} dump, its {@code DeviceDetachFailed}). Cites QEMU's error line,
 * the command it answers and every referring line.
 * <p>
 * A {@code DeviceNotFound} in a bare wire transcript, with nothing above QEMU in the evidence, is not a finding:
 * the QMP ids alone do not prove who still believed in the device.
 */
public final class StaleDeviceReferenceRule implements Rule {
    public static final String ID = "STALE_DEVICE_REFERENCE";

    /** libvirt logs its drop of an id-less DEVICE_DELETED within these many lines of the event's own record. */
    private static final int DROPPED_WITHIN = 12;

    @Override
    public String id() {
        return ID;
    }

    /**
     * A QMP conversation (where QEMU's DeviceNotFound would be) and what may still refer to the device: libvirt's
     * domain XML, libvirt's own log, or nova-compute's log.
     */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("qmp-conversation", EvidenceKind.QMP_CONVERSATION),
                Need.anyOf("management-view", EvidenceKind.LIBVIRT_XML, EvidenceKind.LIBVIRTD_LOG,
                        EvidenceKind.NOVA_LOG));
    }

    /** One DeviceNotFound and the command it answered. */
    private record Refusal(String device, QmpMessage error, QmpMessage command) {
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        Map<String, List<Refusal>> byDevice = new LinkedHashMap<>();
        for (List<QmpMessage> conv : ctx.conversations().values()) {
            for (QmpMessage m : conv) {
                if (m.kind() != QmpKind.ERROR || !"DeviceNotFound".equals(m.name())) {
                    continue;
                }
                QmpMessage cmd = commandOf(conv, m);
                if (cmd != null && cmd.arg("typename") != null) {
                    // device-list-properties, qom-list-properties: QEMU says "Device 'X' not found" of a type name
                    // it does not build (libvirt's capabilities probe asks for every type it knows), not of a device
                    continue;
                }
                String device = cmd == null ? null : Unplugs.deviceDelTarget(cmd);
                if (device == null && cmd != null && cmd.arg("id") != null) {
                    device = cmd.arg("id");
                }
                if (device == null) {
                    device = Unplugs.notFound(m);
                }
                if (device != null) {
                    byDevice.computeIfAbsent(device, k -> new ArrayList<>()).add(new Refusal(device, m, cmd));
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        byDevice.forEach((device, refusals) -> {
            Finding f = finding(ctx, device, refusals);
            if (f != null) {
                out.add(f);
            }
        });
        return out;
    }

    private static Finding finding(RuleContext ctx, String device, List<Refusal> refusals) {
        Findings f = Findings.of(ID, Severity.WARNING)
                .devices(ctx.devices().sourceById(device).map(r -> r.names()).orElse(List.of(device)));
        for (Refusal r : refusals) {
            f.cite(r.error().source());
            if (r.command() != null) {
                f.cite(r.command().source());
            }
        }
        Set<String> referredBy = new LinkedHashSet<>();
        // libvirt's XML still lists the alias
        for (DeviceObservation o : ctx.evidence().observations()) {
            if (o.layer() == Layer.LIBVIRT_XML && device.equals(o.id())) {
                f.cite(o.source());
                if (referredBy.add("libvirt-xml")) {
                    f.note("note_stale_libvirt_xml", device);
                }
            }
        }
        // libvirt itself sent the command QEMU refused (its own monitor log), or wrote a verdict naming the device
        for (Refusal r : refusals) {
            if (r.command() != null && r.command().channel().startsWith("mon=")) {
                if (referredBy.add("libvirt")) {
                    f.note("note_stale_libvirt", device);
                }
            }
        }
        Pattern word = Pattern.compile("(?<![\\w-])" + Pattern.quote(device) + "(?![\\w-])");
        for (Event e : ctx.evidence().events()) {
            if (e.kind() == EventKind.LIBVIRT_MESSAGE && e.detail(Detail.VERDICT) != null
                    && word.matcher(e.message()).find()) {
                f.cite(e.source());
                if (referredBy.add("libvirt")) {
                    f.note("note_stale_libvirt", device);
                }
            }
        }
        // libvirt dropped the only event QEMU sent for the unplug, a DEVICE_DELETED of the device's backend child
        // naming no device (the catalogue's unplug/event-without-device, just after that event): why libvirt still
        // holds it
        for (Unplugs.Unplug u : ctx.unplugs()) {
            if (!u.deviceId().equals(device)) {
                continue;
            }
            for (QmpMessage backend : u.backendEvents()) {
                f.cite(backend.source());
                for (Event e : ctx.evidence().events()) {
                    SourceRef at = e.source();
                    if (StateLoads.hasClass(e, MessageClass.UNPLUG_EVENT_WITHOUT_DEVICE)
                            && at.artifact().equals(backend.source().artifact()) && at.line() > backend.source().line()
                            && at.line() <= backend.source().line() + DROPPED_WITHIN) {
                        f.cite(at).detail("event-dropped-line", Integer.toString(at.line()));
                        if (referredBy.add("libvirt")) {
                            f.note("note_stale_libvirt", device);
                        }
                    }
                }
            }
        }
        // nova-compute names it
        List<Event> nova = NovaRefs.referring(ctx, device);
        List<Event> failed = NovaRefs.detachFailed(ctx, device);
        if (!nova.isEmpty()) {
            referredBy.add("nova");
            nova.forEach(e -> f.cite(e.source()));
            f.detail("nova-instance", firstDetail(nova, Detail.INSTANCE))
                    .detail("nova-request-id", firstDetail(nova, Detail.REQUEST_ID))
                    .detail("nova-host", firstDetail(nova, Detail.HOST));
            if (failed.isEmpty()) {
                f.note("note_stale_nova", device);
            } else {
                Event df = failed.get(0);
                f.detail("nova-detach-failed", df.detail(Detail.DEVICE))
                        .detail("nova-detach-failure", df.detail(Detail.DETACH_FAILURE))
                        .note("note_stale_nova_detach_failed", df.detail(Detail.DEVICE));
            }
        }
        if (referredBy.isEmpty()) {
            return null;
        }
        ctx.devices().sourceById(device).filter(r -> r.pci() != null).ifPresent(r -> f
                .detail("pci", r.pci().toString()).detail("slot", Integer.toString(r.pci().slot())));
        Refusal first = refusals.get(0);
        f.detail("device", device)
                .detail("error-line", Integer.toString(first.error().source().line()))
                .detail("refusals", Integer.toString(refusals.size()))
                .detail("referred-by", String.join(",", referredBy))
                .message("stale_device_reference", device, Integer.toString(first.error().source().line()));
        return f.build();
    }

    private static String firstDetail(List<Event> events, Detail key) {
        return events.stream().map(e -> e.detail(key)).filter(v -> v != null).findFirst().orElse(null);
    }

    /** The command an error answers: the latest earlier command with its id, or the latest earlier command at all. */
    private static QmpMessage commandOf(List<QmpMessage> conv, QmpMessage error) {
        int i = RuleContext.indexOf(conv, error);
        for (int j = i - 1; j >= 0; j--) {
            QmpMessage c = conv.get(j);
            if (c.kind() == QmpKind.COMMAND && (error.qmpId() == null || error.qmpId().equals(c.qmpId()))) {
                return c;
            }
        }
        return null;
    }
}
