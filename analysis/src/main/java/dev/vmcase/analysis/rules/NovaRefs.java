package dev.vmcase.analysis.rules;

import dev.vmcase.model.Attr;
import dev.vmcase.model.Detail;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Layer;
import dev.vmcase.model.NovaKind;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What nova-compute's log says about a device. Nova names a disk by its target ({@code vdb}); QEMU and libvirt by
 * the alias ({@code virtio-disk1}). The two are joined by libvirt's XML ({@code <target dev>} next to
 * {@code <alias name>}) or by nova's own {@code detach device xml:} dump, which holds both.
 */
final class NovaRefs {
    private NovaRefs() {
    }

    static boolean isNova(Event e) {
        return e.kind() == EventKind.NOVA_MESSAGE;
    }

    static NovaKind kind(Event e) {
        return isNova(e) ? NovaKind.of(e.detail(Detail.KIND)) : null;
    }

    /** The names a device goes by: its qdev id / alias and the targets libvirt or nova give it. */
    static Set<String> names(RuleContext ctx, String qdevId) {
        Set<String> names = new LinkedHashSet<>();
        names.add(qdevId);
        for (DeviceObservation o : ctx.evidence().observations()) {
            if (o.layer() == Layer.LIBVIRT_XML && qdevId.equals(o.id()) && o.attr(Attr.TARGET) != null) {
                names.add(o.attr(Attr.TARGET));
            }
        }
        for (Event e : ctx.evidence().events()) {
            if (isNova(e) && qdevId.equals(e.detail(Detail.ALIAS)) && e.detail(Detail.TARGET) != null) {
                names.add(e.detail(Detail.TARGET));
            }
        }
        return names;
    }

    /** nova's events naming the device (by alias, or by a target the device is known under), in evidence order. */
    static List<Event> referring(RuleContext ctx, String qdevId) {
        Set<String> names = names(ctx, qdevId);
        List<Event> out = new ArrayList<>();
        for (Event e : ctx.evidence().events()) {
            if (!isNova(e)) {
                continue;
            }
            String alias = e.detail(Detail.ALIAS);
            String device = e.detail(Detail.DEVICE);
            if (qdevId.equals(alias) || alias == null && device != null && names.contains(device)) {
                out.add(e);
            }
        }
        return out;
    }

    /** nova's {@code DeviceDetachFailed} for the device. */
    static List<Event> detachFailed(RuleContext ctx, String qdevId) {
        return referring(ctx, qdevId).stream().filter(e -> kind(e) == NovaKind.DEVICE_DETACH_FAILED).toList();
    }
}
