package dev.vmcase.analysis.diff;

import dev.vmcase.analysis.devices.DeviceReconciler.Side;
import dev.vmcase.model.Layer;

import java.util.List;

/**
 * One side of a diff: a VM side (source or destination) seen through all its layers, or through one layer only
 * (the qdev tree, PCI, the block layer, the libvirt XML, the command line, the migration stream).
 *
 * @param side     which VM's rows
 * @param layer    the one layer to look through, or null for all layers
 * @param snapshot a point of a QMP transcript to look at instead of the latest state, or null
 */
public record DiffSpec(Side side, Layer layer, Snapshot snapshot) {
    public static final DiffSpec SOURCE = new DiffSpec(Side.SOURCE, null, null);
    public static final DiffSpec DESTINATION = new DiffSpec(Side.DESTINATION, null, null);

    public DiffSpec {
        if (side == null) {
            throw new IllegalArgumentException("a diff side needs a VM side");
        }
    }

    public DiffSpec(Side side, Layer layer) {
        this(side, layer, null);
    }

    public static DiffSpec of(Side side, Layer layer) {
        return new DiffSpec(side, layer, null);
    }

    /** A side as one QMP transcript showed it at a point, all layers. */
    public static DiffSpec at(Side side, Snapshot snapshot) {
        return new DiffSpec(side, null, snapshot);
    }

    /** The layers this side looks through, in display order. */
    public List<Layer> layers() {
        return layer == null ? DeviceDiff.LAYERS : List.of(layer);
    }

    /** What the pickers offer: each side with all layers, then each side with each layer. */
    public static List<DiffSpec> choices() {
        return choices(List.of(), java.util.Map.of());
    }

    /** The choices, then each transcript snapshot (on the side its transcript belongs to). */
    public static List<DiffSpec> choices(List<Snapshot> snapshots, java.util.Map<String, Side> sides) {
        List<DiffSpec> out = new java.util.ArrayList<>(List.of(SOURCE, DESTINATION));
        for (Side s : Side.values()) {
            for (Layer l : DeviceDiff.LAYERS) {
                out.add(new DiffSpec(s, l, null));
            }
        }
        for (Snapshot snap : snapshots) {
            out.add(at(sides.getOrDefault(snap.artifact(), Side.SOURCE), snap));
        }
        return List.copyOf(out);
    }
}
