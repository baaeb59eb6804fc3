package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ORPHANED_FRONTEND}: a frontend QEMU still has (qdev tree or PCI bus) whose backend or libvirt definition is
 * gone: the qdev tree shows its {@code drive = ""} (or {@code netdev = ""}), the block layer holds only an anonymous
 * entry with no medium for it, or the libvirt XML no longer lists it. A {@code -blockdev} disk's block entry also has
 * {@code device: ""} but has a node inserted: that is normal and not an orphan.
 */
public final class OrphanedFrontendRule implements Rule {
    public static final String ID = "ORPHANED_FRONTEND";

    @Override
    public String id() {
        return ID;
    }

    /**
     * QEMU's view of the frontends (info qtree, query-pci/info pci) and a view of their backends (info qtree's
     * drive/netdev property, query-block/info block) or libvirt's live XML.
     */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("frontend-view", EvidenceKind.QDEV_TREE, EvidenceKind.PCI_VIEW),
                Need.anyOf("backend-view", EvidenceKind.QDEV_TREE, EvidenceKind.BLOCK_VIEW, EvidenceKind.LIBVIRT_XML));
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        List<Finding> out = new ArrayList<>();
        for (DeviceRow row : ctx.devices().source()) {
            Presence qdev = row.presence(Layer.QDEV);
            Presence pci = row.presence(Layer.PCI);
            boolean inQemu = qdev == Presence.PRESENT || qdev == Presence.DIFFERENT || pci == Presence.PRESENT;
            if (!inQemu) {
                continue;
            }
            List<String> reasons = new ArrayList<>();
            if (qdev == Presence.DIFFERENT) {
                reasons.add("qdev-backend-empty");
            }
            if (row.presence(Layer.BLOCK) == Presence.DIFFERENT) {
                reasons.add("block-anonymous");
            }
            if (row.presence(Layer.BLOCK) == Presence.ABSENT) {
                reasons.add("block-absent");
            }
            if (row.presence(Layer.LIBVIRT_XML) == Presence.ABSENT) {
                reasons.add("libvirt-absent");
            }
            // QEMU keeps showing netdev = "hostnet0" after netdev_del: the command itself is the evidence
            QmpMessage removal = row.backend() == null ? null : removalOf(ctx, row);
            if (removal != null) {
                reasons.add("backend-removed-by-command");
            }
            if (reasons.isEmpty()) {
                continue;
            }
            Findings f = Findings.of(ID, Severity.ERROR).devices(row.names())
                    .cite(row.evidence(Layer.QDEV)).cite(row.evidence(Layer.PCI)).cite(row.evidence(Layer.BLOCK))
                    .cite(row.evidence(Layer.COMMAND_LINE)).cite(removal == null ? null : removal.source())
                    .detail("device", row.qdevId()).detail("type", row.type())
                    // where findings name the device (its whole path behind a port), and the bus number QEMU gave it
                    .detail("pci", row.place())
                    .detail("pci-address", row.pci() == null || row.pci().toString().equals(row.place()) ? null
                            : row.pci().toString())
                    .detail("backend", row.backend())
                    .detail("reasons", String.join(",", reasons))
                    // an anonymous backend (QEMU's block node with no name) is said to be gone without a name
                    .message(row.backend() == null ? "orphaned_frontend_unnamed" : "orphaned_frontend",
                            row.backend() == null ? new String[] {row.label(), row.type(), String.join(", ", reasons)}
                                    : new String[] {row.label(), row.type(), row.backend(), String.join(", ", reasons)});
            out.add(f.build());
        }
        return out;
    }

    /**
     * A successful removal of the row's backend that the frontend outlived: QEMU still showed the frontend after it
     * (a later snapshot of the same conversation, or a dump from another file, which is taken as later).
     */
    private static QmpMessage removalOf(RuleContext ctx, DeviceRow row) {
        for (List<QmpMessage> conv : ctx.conversations().values()) {
            for (QmpMessage m : conv) {
                var removal = BackendRemovedBeforeFrontendRule.backendRemoval(m);
                if (removal.isEmpty() || !removal.get()[1].equals(row.backend())
                        || !BackendRemovedBeforeFrontendRule.succeeded(RuleContext.answerTo(conv, m))) {
                    continue;
                }
                boolean seenAfter = row.observations().stream()
                        .filter(o -> o.layer() == Layer.QDEV || o.layer() == Layer.PCI)
                        .anyMatch(o -> !o.source().artifact().equals(m.source().artifact())
                                || o.source().line() > m.source().line());
                if (seenAfter) {
                    return m;
                }
            }
        }
        return null;
    }
}
