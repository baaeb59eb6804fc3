package dev.vmcase.analysis.rules;

import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code device_del} requests of each QMP conversation and what became of them. A virtio device emits two
 * {@code DEVICE_DELETED} events when the guest ejects it: first its id-less backend child
 * ({@code …/virtio-disk1/virtio-backend}), then the device itself; only the second acknowledges the unplug.
 */
public final class Unplugs {
    private Unplugs() {
    }

    /**
     * @param command       the device_del
     * @param answer        QEMU's answer, null if the file holds none
     * @param ack           the DEVICE_DELETED naming the device, null if none arrived
     * @param backendEvents DEVICE_DELETED events of the device's children only
     * @param conversation  the conversation it belongs to
     */
    public record Unplug(String deviceId, QmpMessage command, QmpMessage answer, QmpMessage ack,
                  List<QmpMessage> backendEvents, List<QmpMessage> conversation) {
        public boolean refused() {
            return answer != null && answer.kind() == QmpKind.ERROR;
        }

        /** Pending at a line of the same conversation: requested before it and not acknowledged before it. */
        public boolean pendingAt(int line) {
            return !refused() && command.source().line() < line && (ack == null || ack.source().line() > line);
        }
    }

    static List<Unplug> find(RuleContext ctx) {
        List<Unplug> out = new ArrayList<>();
        for (Map.Entry<String, List<QmpMessage>> e : ctx.conversations().entrySet()) {
            List<QmpMessage> conv = e.getValue();
            for (int i = 0; i < conv.size(); i++) {
                QmpMessage m = conv.get(i);
                String id = deviceDelTarget(m);
                if (id == null) {
                    continue;
                }
                QmpMessage ack = null;
                List<QmpMessage> backend = new ArrayList<>();
                String childPrefix = "/machine/peripheral/" + id + "/";
                for (int j = i + 1; j < conv.size() && ack == null; j++) {
                    QmpMessage n = conv.get(j);
                    if (n.kind() != QmpKind.EVENT || !"DEVICE_DELETED".equals(n.name())) {
                        continue;
                    }
                    if (id.equals(n.arg("device"))) {
                        ack = n;
                    } else if (n.arg("device") == null && n.arg("path") != null && n.arg("path").startsWith(childPrefix)) {
                        backend.add(n);
                    }
                }
                out.add(new Unplug(id, m, RuleContext.answerTo(conv, m), ack, backend, conv));
            }
        }
        return out;
    }

    /** The id a device_del asks to remove, through QMP or through HMP. */
    static String deviceDelTarget(QmpMessage m) {
        if (m.kind() != QmpKind.COMMAND) {
            return null;
        }
        if ("device_del".equals(m.name())) {
            return m.arg("id");
        }
        String hmp = RuleContext.hmpCommand(m);
        if (hmp != null && hmp.strip().startsWith("device_del ")) {
            return hmp.strip().substring("device_del ".length()).strip();
        }
        return null;
    }
}
