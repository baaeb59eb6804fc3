package dev.vmcase.analysis.devices;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * One device joined across layers, on one side of a migration.
 *
 * @param key          stable identity: the qdev id, else {@code pci:0000:00:06.0}
 * @param qdevId       the qdev id / libvirt alias, "" if no layer names one
 * @param type         the frontend driver ({@code virtio-blk-pci}) or what a layer calls it
 * @param pci          the PCI address, when some layer knows it
 * @param backend      the backend the frontend was created with ({@code drive-virtio-disk1}, {@code hostnet0})
 * @param presence     per layer
 * @param observations every observation joined into this row
 */
public record DeviceRow(String key, String qdevId, String type, PciAddress pci, String backend,
                        Map<Layer, Presence> presence, List<DeviceObservation> observations) {
    public DeviceRow {
        presence = Map.copyOf(presence);
        observations = List.copyOf(observations);
    }

    public Presence presence(Layer layer) {
        return presence.getOrDefault(layer, Presence.UNKNOWN);
    }

    /** The lines of one layer's observations. */
    public List<SourceRef> evidence(Layer layer) {
        Set<SourceRef> out = new LinkedHashSet<>();
        for (DeviceObservation o : observations) {
            if (o.layer() == layer) {
                out.add(o.source());
            }
        }
        return List.copyOf(out);
    }

    /** {@code virtio-disk1 (0000:00:06.0)}, or whichever of the two is known. */
    public String label() {
        if (!qdevId.isEmpty() && pci != null) {
            return qdevId + " (" + pci + ")";
        }
        return qdevId.isEmpty() ? (pci == null ? key : pci.toString()) : qdevId;
    }

    /** Names for a finding's {@code devices[]}: qdev id and PCI address. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        if (!qdevId.isEmpty()) {
            out.add(qdevId);
        }
        if (pci != null) {
            out.add(pci.toString());
        }
        return out;
    }
}
