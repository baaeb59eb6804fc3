package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.model.Detail;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.knowledge.MessageCatalogue;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code UNACKED_UNPLUG}: QEMU accepted a {@code device_del} but no {@code DEVICE_DELETED} naming that device
 * followed. QEMU's {@code {"return": {}}} only means the unplug was <em>requested</em> from the guest (ACPI); the
 * device is gone only when the guest ejects it and the event for the device itself arrives. A lone
 * {@code …/virtio-backend} event does not count. A device whose unplug QEMU died in ({@link QemuCrashedRule}, during
 * {@code unplug}) is left to that rule: the event never came because the process was gone, not because of the guest.
 * A {@code device_del} QEMU refused because an earlier one of the same device is still pending (the catalogue's
 * {@code unplug/in-progress}: "Device X is already in the process of unplug", QEMU 6.x–8.x) is evidence of that pending
 * unplug too, even where the accepted request itself is not in the evidence (another monitor, an earlier log).
 * nova-compute's {@code DeviceDetachFailed} for the same device (named
 * by its target, joined through libvirt's XML or nova's detach XML) is cited with it.
 */
public final class UnackedUnplugRule implements Rule {
    public static final String ID = "UNACKED_UNPLUG";

    @Override
    public String id() {
        return ID;
    }

    /**
     * A QMP conversation (wire transcript, or libvirt's monitor log) that would hold a device_del and the events after
     * it.
     */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("unplug-conversation", EvidenceKind.QMP_CONVERSATION));
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        // one finding per device and conversation: retries and repeated requests are its further evidence
        java.util.Map<String, List<Unplugs.Unplug>> byDevice = new java.util.LinkedHashMap<>();
        // QEMU died during the unplug of a device: the event is missing because the process is gone (QEMU_CRASHED)
        QemuCrashedRule.Crash crash = ctx.unplugs().isEmpty() ? null : QemuCrashedRule.find(ctx);
        String crashedUnplug = crash != null && QemuCrashedRule.UNPLUG.equals(crash.during()) ? crash.device() : null;
        for (Unplugs.Unplug u : ctx.unplugs()) {
            if ((!u.refused() || stillPending(u)) && u.ack() == null && !u.deviceId().equals(crashedUnplug)) {
                byDevice.computeIfAbsent(u.command().conversation() + "\u0000" + u.deviceId(), k -> new ArrayList<>()).add(u);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (List<Unplugs.Unplug> attempts : byDevice.values()) {
            Unplugs.Unplug u = attempts.get(0);
            Findings f = Findings.of(ID, Severity.WARNING)
                    .devices(ctx.devices().sourceById(u.deviceId()).map(r -> r.names()).orElse(List.of(u.deviceId())));
            boolean loneBackendEvent = false;
            for (Unplugs.Unplug a : attempts) {
                f.cite(a.command().source());
                if (a.answer() != null) {
                    f.cite(a.answer().source());
                }
                a.backendEvents().forEach(e -> f.cite(e.source()));
                loneBackendEvent |= !a.backendEvents().isEmpty();
            }
            QmpMessage last = u.conversation().get(u.conversation().size() - 1);
            f.detail("device", u.deviceId())
                    .detail("lone-backend-event", Boolean.toString(loneBackendEvent))
                    .detail("checked-until-line", Integer.toString(last.source().line()));
            if (attempts.size() > 1) {
                f.detail("requests", Integer.toString(attempts.size()))
                        .note("note_unplug_requests", Integer.toString(attempts.size()));
            }
            if (u.command().time() != null && last.time() != null && last.time().isAfter(u.command().time())) {
                long waited = java.time.Duration.between(u.command().time(), last.time()).toSeconds();
                f.detail("covered-seconds", Long.toString(waited)).note("note_unplug_covered", Long.toString(waited));
            }
            // libvirt keeps a device whose unplug never completed in its live XML: the pending-forever state
            ctx.devices().sourceById(u.deviceId()).ifPresent(row -> {
                // the live XML (with the device's alias), not an inactive definition that only shares its address
                List<SourceRef> live = row.observations().stream()
                        .filter(o -> o.layer() == Layer.LIBVIRT_XML && u.deviceId().equals(o.id()))
                        .map(DeviceObservation::source).distinct().toList();
                if (row.presence(Layer.LIBVIRT_XML) == Presence.PRESENT && !live.isEmpty()) {
                    f.cite(live).detail("still-in-libvirt-xml", "true")
                            .note("note_still_in_libvirt_xml", u.deviceId());
                }
            });
            // nova gave up on the same device: its DeviceDetachFailed is part of the story
            List<dev.vmcase.model.Event> novaFailed = NovaRefs.detachFailed(ctx, u.deviceId());
            if (!novaFailed.isEmpty()) {
                novaFailed.forEach(e -> f.cite(e.source()));
                dev.vmcase.model.Event df = novaFailed.get(0);
                f.detail("nova-detach-failed", df.detail(Detail.DEVICE))
                        .detail("nova-detach-failure", df.detail(Detail.DETACH_FAILURE))
                        .detail("nova-instance", df.detail(Detail.INSTANCE))
                        .note("note_nova_detach_failed", df.detail(Detail.DEVICE));
            }
            if (attempts.stream().allMatch(Unplugs.Unplug::refused)) {
                f.detail("refused-as-pending", "true")
                        .message("unacked_unplug_refused_pending", u.deviceId(), Integer.toString(last.source().line()));
            } else if (!loneBackendEvent) {
                f.message("unacked_unplug", u.deviceId(), Integer.toString(last.source().line()));
            } else {
                f.message("unacked_unplug_backend_only", u.deviceId(), Integer.toString(last.source().line()));
            }
            out.add(f.build());
        }
        return out;
    }

    /** QEMU refused this device_del because an earlier one of the device is still in progress (catalogue class). */
    static boolean stillPending(Unplugs.Unplug u) {
        String desc = u.refused() ? u.answer().arg("desc") : null;
        return desc != null
                && MessageCatalogue.get().match(desc, m -> m.messageClass() == MessageClass.UNPLUG_IN_PROGRESS) != null;
    }
}
