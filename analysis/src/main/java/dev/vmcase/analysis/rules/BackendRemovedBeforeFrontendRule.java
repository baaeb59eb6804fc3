package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Finding;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code BACKEND_REMOVED_BEFORE_FRONTEND}: a backend ({@code drive_del}, {@code blockdev-del}, {@code netdev_del})
 * was removed while the unplug of the frontend using it was still pending — the seed's root cause. QEMU then keeps
 * the frontend (and its migration section) with an empty backend until the guest ejects it, which it may never do.
 * <p>
 * The frontend of a backend comes from the evidence ({@code drive=}/{@code netdev=} of the command line or qdev
 * tree); without it, libvirt's naming ({@code drive-ALIAS}, {@code hostnetN} for {@code netN}) is used and said so.
 */
public final class BackendRemovedBeforeFrontendRule implements Rule {
    public static final String ID = "BACKEND_REMOVED_BEFORE_FRONTEND";

    @Override
    public String id() {
        return ID;
    }

    /**
     * A QMP conversation (wire transcript or libvirtd's monitor log) that would hold the device_del and the backend's
     * removal; the frontend's drive=/netdev= comes from a command line or qdev tree, else from libvirt's naming.
     */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("unplug-conversation", EvidenceKind.QMP_CONVERSATION));
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        List<Finding> out = new ArrayList<>();
        List<Unplugs.Unplug> unplugs = ctx.unplugs();
        for (List<QmpMessage> conv : ctx.conversations().values()) {
            for (QmpMessage m : conv) {
                Optional<String[]> removal = backendRemoval(m);
                if (removal.isEmpty()) {
                    continue;
                }
                String backend = removal.get()[1];
                QmpMessage answer = RuleContext.answerTo(conv, m);
                if (!succeeded(answer)) {
                    continue;
                }
                Frontend fe = frontendOf(ctx, backend);
                if (fe == null) {
                    // an unplug pending here could be the backend's frontend: that is not known, so not "clear"
                    if (unplugs.stream().anyMatch(u -> u.command().conversation().equals(m.conversation())
                            && u.pendingAt(m.source().line()))) {
                        ctx.undecided("backend-without-frontend", removal.get()[0], backend, m.source().line());
                    }
                    continue;
                }
                // the latest device_del of the frontend still pending: one finding per removal (a transcript that
                // repeats the pair a thousand times gave a million findings, each citing an older device_del too)
                for (int i = unplugs.size() - 1; i >= 0; i--) {
                    Unplugs.Unplug u = unplugs.get(i);
                    boolean sameConversation = u.command().conversation().equals(m.conversation());
                    if (!sameConversation || !u.deviceId().equals(fe.id) || !u.pendingAt(m.source().line())) {
                        continue;
                    }
                    Findings f = Findings.of(ID, Severity.CRITICAL)
                            .devices(ctx.devices().sourceById(fe.id).map(DeviceRow::names).orElse(List.of(fe.id)))
                            .cite(u.command().source()).cite(m.source());
                    if (answer != null) {
                        f.cite(answer.source());
                    }
                    fe.evidence.forEach(f::cite);
                    f.detail("device", fe.id).detail("backend", backend).detail("command", removal.get()[0])
                            .detail("frontend-known-from", fe.how)
                            .message("backend_removed", removal.get()[0], backend, fe.id);
                    out.add(f.build());
                    break;
                }
            }
        }
        return out;
    }

    /** {command, backend id} for a backend removal, through QMP or HMP. */
    public static Optional<String[]> backendRemoval(QmpMessage m) {
        if (m.kind() != QmpKind.COMMAND) {
            return Optional.empty();
        }
        String hmp = RuleContext.hmpCommand(m);
        if (hmp != null) {
            String[] w = hmp.strip().split("\\s+");
            if (w.length >= 2 && (w[0].equals("drive_del") || w[0].equals("netdev_del"))) {
                return Optional.of(new String[] {w[0], w[1]});
            }
            return Optional.empty();
        }
        if (m.name() == null) {
            return Optional.empty();
        }
        switch (m.name()) {
            case "blockdev-del":
            case "x-blockdev-del":
                return Optional.ofNullable(m.arg("node-name")).map(n -> new String[] {m.name(), n});
            case "netdev_del":
                return Optional.ofNullable(m.arg("id")).map(n -> new String[] {m.name(), n});
            default:
                return Optional.empty();
        }
    }

    /**
     * Whether a command worked, as far as its answer says: no answer in the file counts as done; HMP answers its
     * errors as text ({@code Device 'x' not found}), success as {@code ""}.
     */
    static boolean succeeded(QmpMessage answer) {
        if (answer == null) {
            return true;
        }
        if (answer.kind() == QmpKind.ERROR) {
            return false;
        }
        String json = answer.json();
        return !(json.contains("not found") || json.contains("Error") || json.contains("error:"));
    }

    private record Frontend(String id, String how, List<dev.vmcase.model.SourceRef> evidence) {
    }

    private static Frontend frontendOf(RuleContext ctx, String backend) {
        for (DeviceObservation o : ctx.evidence().observations()) {
            if (o.role() == DeviceRole.FRONTEND && backend.equals(o.backend()) && !o.id().isEmpty()) {
                return new Frontend(o.id(), "evidence", List.of(o.source()));
            }
        }
        if (backend.startsWith("drive-") && backend.length() > 6) {
            return new Frontend(backend.substring(6), "libvirt naming (drive-ALIAS)", List.of());
        }
        if (backend.matches("hostnet\\d+")) {
            return new Frontend("net" + backend.substring(7), "libvirt naming (hostnetN for netN)", List.of());
        }
        return null;
    }
}
