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
 * {@code …/virtio-backend} event does not count; but a later {@code device_del} of the device answered DeviceNotFound
 * proves it gone (Launchpad bug 1894804: only the backend's event came), which is {@link StaleDeviceReferenceRule}'s
 * then, not a guest that never answered. A device whose unplug QEMU died in ({@link QemuCrashedRule}, during
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
     * it, or a tool's record of the detach (a harness's, an orchestrator's, virsh's).
     */
    @Override
    public Needs needs() {
        return Needs.of(Unplugs.RECORD);
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        // one finding per device and conversation: retries and repeated requests are its further evidence
        java.util.Map<String, List<Unplugs.Unplug>> byDevice = new java.util.LinkedHashMap<>();
        // QEMU died during the unplug of a device: the event is missing because the process is gone (QEMU_CRASHED)
        QemuCrashedRule.Crash crash = ctx.unplugs().isEmpty() ? null : QemuCrashedRule.find(ctx);
        String crashedUnplug = crash != null && QemuCrashedRule.UNPLUG.equals(crash.during()) ? crash.device() : null;
        // a device_del a tool's record shows refused at once (UNPLUG_REJECTED's) never reached the guest
        java.util.Set<SourceRef> refusedByTools = ctx.unplugs().isEmpty() ? java.util.Set.of() : Unplugs.refusedByTools(ctx);
        Unplugs.GoneLater goneLater = new Unplugs.GoneLater();
        for (Unplugs.Unplug u : ctx.unplugs()) {
            // a later DeviceNotFound for the device proves the unplug was carried out, events or not: the references
            // left above QEMU are STALE_DEVICE_REFERENCE's
            if ((!u.refused() || stillPending(u)) && u.ack() == null && !u.deviceId().equals(crashedUnplug)
                    && !goneLater.test(u) && !refusedByTools.contains(u.command().source())) {
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
            } else if (!loneBackendEvent && attempts.stream().allMatch(a -> a.answer() == null)) {
                // no answer in the evidence: that QEMU accepted the request is not shown, and the words say so
                f.detail("answer-seen", "false")
                        .message("unacked_unplug_unanswered", u.deviceId(), Integer.toString(last.source().line()));
            } else if (!loneBackendEvent) {
                f.message("unacked_unplug", u.deviceId(), Integer.toString(last.source().line()));
            } else {
                f.message("unacked_unplug_backend_only", u.deviceId(), Integer.toString(last.source().line()));
            }
            out.add(f.build());
        }
        java.util.Set<String> shown = new java.util.HashSet<>();
        byDevice.values().forEach(a -> shown.add(a.get(0).deviceId()));
        out.addAll(refusedAsPendingByTools(ctx, shown));
        out.addAll(waitRanOut(ctx, shown));
        return out;
    }

    /**
     * QEMU's "already in the process of unplug" as a tool relayed it (libvirt's exception in an orchestrator's log,
     * virsh's error): the earlier request is pending although the evidence holds no QMP of it. An orchestrator that gave
     * up waiting for a detach in the same file, naming the same device or none while this is the file's only such
     * device, is cited with it.
     */
    private static List<Finding> refusedAsPendingByTools(RuleContext ctx, java.util.Set<String> shown) {
        java.util.Map<String, List<dev.vmcase.model.Event>> byDevice = new java.util.LinkedHashMap<>();
        for (dev.vmcase.model.Event e : Unplugs.toolRecords(ctx, MessageClass.UNPLUG_IN_PROGRESS)) {
            String device = e.detail(Detail.DEVICE);
            if (device != null && !shown.contains(device)) {
                byDevice.computeIfAbsent(device, k -> new ArrayList<>()).add(e);
            }
        }
        List<dev.vmcase.model.Event> gaveUp = Unplugs.toolRecords(ctx, MessageClass.UNPLUG_GAVE_UP);
        List<Finding> out = new ArrayList<>();
        byDevice.forEach((device, refusals) -> {
            shown.add(device);
            dev.vmcase.model.Event last = refusals.get(refusals.size() - 1);
            Findings f = Findings.of(ID, Severity.WARNING).devices(names(ctx, device));
            for (dev.vmcase.model.Event g : gaveUp) {
                Unplugs.Request named = Unplugs.named(g);
                boolean sameFile = g.source().artifact().equals(last.source().artifact());
                if (named != null ? device.equals(named.device()) : sameFile && byDevice.size() == 1) {
                    f.cite(g.source()).note("note_unplug_gave_up", Integer.toString(g.source().line()));
                }
            }
            refusals.forEach(e -> f.cite(e.source()));
            place(ctx, device, f);
            out.add(f.detail("device", device).detail("refused-as-pending", "true")
                    .message("unacked_unplug_refused_pending", device, Integer.toString(last.source().line()))
                    .build());
        });
        return out;
    }

    /**
     * A live detach a tool timed (a harness's record of {@code virsh detach-* --live}, a transcript's exit line after
     * virsh's {@code … detached successfully}) that returned 0 only after
     * libvirt's wait for {@code DEVICE_DELETED} (the catalogue entry's {@code wait-seconds}): libvirt returns success
     * then although the guest has not ejected the device, which stays in its live XML until the event comes. The
     * device is what the command names (alias, disk target, MAC), or for a device XML file the one device the same
     * file's XML pieces describe.
     */
    private static List<Finding> waitRanOut(RuleContext ctx, java.util.Set<String> shown) {
        List<Finding> out = new ArrayList<>();
        List<dev.vmcase.model.Event> timed = new ArrayList<>(Unplugs.toolRecords(ctx, MessageClass.UNPLUG_COMMAND_DURATION));
        timed.addAll(Unplugs.toolRecords(ctx, MessageClass.UNPLUG_REPORTED_DONE));
        for (dev.vmcase.model.Event e : timed) {
            double seconds = number(e.detail(Detail.SECONDS));
            double wait = number(e.detail(Detail.WAIT_SECONDS));
            if (!"0".equals(e.detail(Detail.STATUS)) || Double.isNaN(seconds) || Double.isNaN(wait) || seconds < wait) {
                continue;
            }
            String device = deviceOf(ctx, e);
            if (device == null || !shown.add(device)) {
                continue;
            }
            Findings f = Findings.of(ID, Severity.WARNING).devices(names(ctx, device)).cite(e.source());
            // virsh's "success" printed after the wait is part of the story, not proof of the removal
            Unplugs.toolRecords(ctx, MessageClass.UNPLUG_REPORTED_DONE).stream()
                    .filter(d -> d.source().artifact().equals(e.source().artifact())
                            && d.source().line() > e.source().line() && d.source().line() <= e.source().line() + 3)
                    .forEach(d -> f.cite(d.source()));
            place(ctx, device, f);
            String secs = new java.math.BigDecimal(seconds).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
            out.add(f.detail("device", device).detail("command-seconds", secs)
                    .detail("libvirt-wait-seconds", e.detail(Detail.WAIT_SECONDS)).detail("removal-confirmed", "false")
                    .message("unacked_unplug_libvirt_wait", e.detail(Detail.COMMAND), device, secs,
                            Integer.toString(e.source().line()), e.detail(Detail.WAIT_SECONDS))
                    .build());
        }
        return out;
    }

    /**
     * The device a timed command removed: its own name for it, resolved through the devices' rows (an alias, a disk
     * target, a MAC); for a device XML file, the one device the XML pieces of the same file describe (the file's
     * content is not in the evidence otherwise). Null when that is not one device.
     */
    private static String deviceOf(RuleContext ctx, dev.vmcase.model.Event e) {
        Unplugs.Request named = Unplugs.named(e);
        String file = e.detail(Detail.FILE);
        if (named != null && !named.device().equals(file)) {
            String value = named.device();
            return ctx.devices().source().stream()
                    .filter(r -> r.qdevId().equals(value) || r.observations().stream().anyMatch(
                            o -> o.layer() == Layer.LIBVIRT_XML && o.attributes().containsValue(value)))
                    .map(r -> r.qdevId()).filter(id -> !id.isEmpty()).findFirst().orElse(value);
        }
        List<String> described = ctx.devices().source().stream()
                .filter(r -> !r.qdevId().isEmpty() && r.observations().stream().anyMatch(o -> o.layer() == Layer.LIBVIRT_XML
                        && o.source().artifact().equals(e.source().artifact())))
                .map(r -> r.qdevId()).distinct().toList();
        return described.size() == 1 ? described.get(0) : null;
    }

    /** The device's names, as its row has them. */
    private static List<String> names(RuleContext ctx, String device) {
        return ctx.devices().sourceById(device).map(r -> r.names()).orElse(List.of(device));
    }

    /** The device's PCI address and slot, where its row has them, and the lines that show them. */
    private static void place(RuleContext ctx, String device, Findings f) {
        ctx.devices().sourceById(device).filter(r -> r.pci() != null).ifPresent(r -> f
                .detail("pci", r.pci().toString()).detail("slot", Integer.toString(r.pci().slot()))
                .cite(r.observations().stream().filter(o -> o.layer() == Layer.LIBVIRT_XML)
                        .map(DeviceObservation::source).distinct().toList()));
    }

    private static double number(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException ex) {
            return Double.NaN;
        }
    }

    /** QEMU refused this device_del because an earlier one of the device is still in progress (catalogue class). */
    static boolean stillPending(Unplugs.Unplug u) {
        String desc = u.refused() ? u.answer().arg("desc") : null;
        return desc != null
                && MessageCatalogue.get().match(desc, m -> m.messageClass() == MessageClass.UNPLUG_IN_PROGRESS) != null;
    }
}
