package dev.vmcase.analysis.diff;

import dev.vmcase.model.Layer;
import dev.vmcase.model.SourceRef;

import java.util.List;
import java.util.stream.Stream;

/**
 * One device on both sides of a diff, matched by identity (qdev id, else PCI address).
 *
 * @param key        the device's {@code DeviceRow.key()} (the selection's device key)
 * @param label      {@code virtio-disk1 (0000:00:06.0)}
 * @param type       the frontend driver
 * @param left       the left side's view of it
 * @param right      the right side's view of it
 * @param properties property-level diff, sorted by name
 * @param different  whether the sides disagree (presence, a property, or the orphan)
 * @param orphan     why this is an orphaned frontend, or null
 * @param differingLayers the layers both sides have evidence of and see the device differently in (one layer against
 *                   another: the one layer compared)
 */
public record DiffRow(String key, String label, String type, DiffCell left, DiffCell right,
                      List<PropertyDiff> properties, boolean different, Orphan orphan, List<Layer> differingLayers) {
    public DiffRow {
        properties = List.copyOf(properties);
        differingLayers = differingLayers == null ? List.of() : List.copyOf(differingLayers);
    }

    public DiffRow(String key, String label, String type, DiffCell left, DiffCell right,
                   List<PropertyDiff> properties, boolean different, Orphan orphan) {
        this(key, label, type, left, right, properties, different, orphan, List.of());
    }

    /**
     * How many things differ: each layer seen differently plus each property that changed — the number to print
     * beside the device ("4 differ"), never the properties alone while the cells differ.
     */
    public int differenceCount() {
        return differingLayers.size() + changedProperties().size();
    }

    public boolean isOrphan() {
        return orphan != null;
    }

    /** Every evidence line of both sides. */
    public List<SourceRef> evidence() {
        return Stream.concat(left.allEvidence().stream(), right.allEvidence().stream()).distinct().toList();
    }

    public List<PropertyDiff> changedProperties() {
        return properties.stream().filter(PropertyDiff::changed).toList();
    }
}
