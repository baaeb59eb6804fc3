package dev.vmcase.analysis.diff;

import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.model.Layer;
import dev.vmcase.model.SourceRef;

import java.util.List;
import java.util.Map;

/**
 * A device as one side of the diff sees it.
 *
 * @param row      the reconciled row, or null when this side has no such device
 * @param presence per layer of the side's spec (UNKNOWN where the side has no evidence)
 * @param evidence per layer: the lines that show it
 */
public record DiffCell(DeviceRow row, Map<Layer, Presence> presence, Map<Layer, List<SourceRef>> evidence) {
    public DiffCell {
        presence = Map.copyOf(presence);
        evidence = Map.copyOf(evidence);
    }

    /** Whether this side sees the device at all (present, with an emptied reference, or rejected). */
    public boolean exists() {
        return presence.values().stream().anyMatch(p -> p == Presence.PRESENT || p == Presence.DIFFERENT
                || p == Presence.REJECTED);
    }

    public Presence presence(Layer layer) {
        return presence.getOrDefault(layer, Presence.UNKNOWN);
    }

    public List<SourceRef> evidence(Layer layer) {
        return evidence.getOrDefault(layer, List.of());
    }

    /** Every line of this cell, layer by layer. */
    public List<SourceRef> allEvidence() {
        return DeviceDiff.LAYERS.stream().flatMap(l -> evidence(l).stream()).distinct().toList();
    }
}
