package dev.vmcase.analysis.rules;

import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.Finding;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code UNPLUG_REJECTED}: QEMU refused a {@code device_del} at once, so the unplug never started and the device stays
 * plugged — the port has no hot-plug ({@code hotplug=off}: "Hot-unplug failed: unsupported by the port device …" up to
 * QEMU 6.0, "Bus '…' does not support hotplugging" from 6.1), or the guest is still busy with the slot
 * ("Hot-unplug failed: guest is busy (power indicator blinking)", QEMU ≥ 6.2). The wordings are the catalogue's
 * {@code unplug/refused} entries ({@code knowledge/qemu.json}), read wherever the refusal was carried: QEMU's error
 * reply to the {@code device_del} (a QMP transcript, libvirtd's monitor traffic), virsh's
 * {@code error: internal error: unable to execute QEMU command 'device_del': …}, a test harness's or an
 * orchestrator's line ({@link Unplugs#toolRecords}). The device is the one the request named: the QMP command, the
 * virsh command's target, MAC, alias or file, or the harness's {@code device_del} record just before the refusal.
 * <p>
 * Nothing is pending after such a refusal, so {@link UnackedUnplugRule} stays silent for it; a refusal because an
 * earlier unplug of the same device is still in progress ({@code unplug/in-progress}) is not a rejection but proof of
 * that pending unplug, and is left to {@link UnackedUnplugRule}.
 */
public final class UnplugRejectedRule implements Rule {
    public static final String ID = "UNPLUG_REJECTED";

    @Override
    public String id() {
        return ID;
    }

    /** Where QEMU's refusal would be: a QMP conversation, or a tool's record of the detach (virsh, a harness). */
    @Override
    public Needs needs() {
        return Needs.of(Unplugs.RECORD);
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        List<Finding> out = new ArrayList<>();
        Set<SourceRef> seen = new HashSet<>();
        // QEMU's own error reply to the device_del
        for (Unplugs.Unplug u : ctx.unplugs()) {
            MessageMatch m = u.refused() ? refusal(u.answer().arg("desc")) : null;
            if (m != null && seen.add(u.answer().source())) {
                out.add(finding(u.deviceId(), m.group(Detail.PORT.key()), m.message().details().get(Detail.REFUSAL.key()),
                        u.answer().source(), u.command().source(), u.answer().arg("desc")));
            }
        }
        // the refusal as virsh, a harness or an orchestrator relayed it
        for (Event e : Unplugs.toolRecords(ctx, MessageClass.UNPLUG_REFUSED)) {
            if (!seen.add(e.source())) {
                continue;
            }
            Unplugs.Request request = Unplugs.named(e);
            if (request == null) {
                request = Unplugs.requestBefore(ctx, e);
            }
            out.add(finding(request == null ? null : request.device(), e.detail(Detail.PORT),
                    e.detail(Detail.REFUSAL), e.source(), request == null ? null : request.source(), e.message()));
        }
        return out;
    }

    /** The catalogue's reading of QEMU's error text when it is an immediate refusal, else null. */
    static MessageMatch refusal(String desc) {
        return desc == null ? null
                : MessageCatalogue.get().match(desc, m -> m.messageClass() == MessageClass.UNPLUG_REFUSED && m.bug() == null);
    }

    private static Finding finding(String device, String port, String refusal, SourceRef cause, SourceRef request,
                                   String text) {
        String line = Integer.toString(cause.line());
        String who = device != null ? device : port;
        Findings f = Findings.of(ID, Severity.WARNING).cite(request).cite(cause)
                .detail("device", device).detail("port", port).detail("refusal", refusal)
                .detail("device-stays", "true");
        if (device != null) {
            f.devices(List.of(device));
        }
        if (who == null) {
            // the request is not in the evidence (a harness's stderr alone): the refusal still stands
            return f.message("unplug_rejected_unnamed", line, text).build();
        }
        if ("not-hotpluggable".equals(refusal) && port != null) {
            f.message("unplug_rejected_not_hotpluggable", who, port, line);
        } else if ("guest-busy".equals(refusal)) {
            f.message("unplug_rejected_guest_busy", who, line);
        } else {
            f.message("unplug_rejected", who, line, text);
        }
        return f.note("note_unplug_rejected_nothing_pending", who).build();
    }
}
