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
 * @param presence per layer of the side's spec (NO_EVIDENCE where no source of the side says)
 * @param evidence per layer: the lines that show it
 * @param sideHasEvidence whether this side of the diff has any evidence at all (a single host's evidence has no
 *                 destination: its cells are "no evidence", never "not here")
 */
public record DiffCell(DeviceRow row, Map<Layer, Presence> presence, Map<Layer, List<SourceRef>> evidence,
                       boolean sideHasEvidence) {
    public DiffCell {
        presence = Map.copyOf(presence);
        evidence = Map.copyOf(evidence);
    }

    public DiffCell(DeviceRow row, Map<Layer, Presence> presence, Map<Layer, List<SourceRef>> evidence) {
        this(row, presence, evidence, true);
    }

    /**
     * This side does not have the device and a source of it that lists every device of its class says so: "not
     * here". Where no such source is (or the side has no evidence at all) the cell is {@link #noEvidence()}.
     */
    public boolean notHere() {
        return !exists() && presence.values().stream().anyMatch(p -> p == Presence.ABSENT);
    }

    /** Nothing on this side says whether the device is there. */
    public boolean noEvidence() {
        return !exists() && !notHere();
    }

    /** Whether this side sees the device at all (present, with an emptied reference, or rejected). */
    public boolean exists() {
        return presence.values().stream().anyMatch(p -> p == Presence.PRESENT || p == Presence.DIFFERENT
                || p == Presence.REJECTED);
    }

    public Presence presence(Layer layer) {
        return presence.getOrDefault(layer, Presence.NO_EVIDENCE);
    }

    public List<SourceRef> evidence(Layer layer) {
        return evidence.getOrDefault(layer, List.of());
    }

    /** Every line of this cell, layer by layer. */
    public List<SourceRef> allEvidence() {
        return DeviceDiff.LAYERS.stream().flatMap(l -> evidence(l).stream()).distinct().toList();
    }
}
