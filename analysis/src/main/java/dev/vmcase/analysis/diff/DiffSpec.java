package dev.vmcase.analysis.diff;

import dev.vmcase.analysis.devices.DeviceReconciler.Side;
import dev.vmcase.model.Layer;

import java.util.List;

/**
 * One side of a diff: a VM side (source or destination) seen through all its layers, or through one layer only
 * (the qdev tree, PCI, the block layer, the libvirt XML, the command line, the migration stream).
 *
 * @param side  which VM's rows
 * @param layer the one layer to look through, or null for all layers
 */
public record DiffSpec(Side side, Layer layer) {
    public static final DiffSpec SOURCE = new DiffSpec(Side.SOURCE, null);
    public static final DiffSpec DESTINATION = new DiffSpec(Side.DESTINATION, null);

    public DiffSpec {
        if (side == null) {
            throw new IllegalArgumentException("a diff side needs a VM side");
        }
    }

    public static DiffSpec of(Side side, Layer layer) {
        return new DiffSpec(side, layer);
    }

    /** The layers this side looks through, in display order. */
    public List<Layer> layers() {
        return layer == null ? DeviceDiff.LAYERS : List.of(layer);
    }

    /** What the pickers offer: each side with all layers, then each side with each layer. */
    public static List<DiffSpec> choices() {
        List<DiffSpec> out = new java.util.ArrayList<>(List.of(SOURCE, DESTINATION));
        for (Side s : Side.values()) {
            for (Layer l : DeviceDiff.LAYERS) {
                out.add(new DiffSpec(s, l));
            }
        }
        return List.copyOf(out);
    }
}
