package dev.vmcase.analysis.devices;

import dev.vmcase.analysis.devices.DeviceReconciler.Side;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One device joined across layers, on one side of a migration, of one VM: devices are keyed by (VM, side, id).
 *
 * @param key          stable identity within its VM and side: the qdev id, else {@code pci:} and the PCI path ({@code pci:0000:00:06.0},
 *                     {@code pci:0000:00:07.0:00.0})
 * @param qdevId       the qdev id / libvirt alias, "" if no layer names one
 * @param type         the frontend driver ({@code virtio-blk-pci}) or what a layer calls it
 * @param pci          the PCI address with the bus number the firmware gave, when some layer knows it
 * @param backend      the backend the frontend was created with ({@code drive-virtio-disk1}, {@code hostnet0})
 * @param presence     per layer
 * @param observations every observation joined into this row
 * @param vm           the key of its VM ("" when the evidence names none)
 * @param side         which side of a migration
 * @param deviceClass  disk, NIC or other: which sources list it completely
 */
public record DeviceRow(String key, String qdevId, String type, PciAddress pci, String backend,
                        Map<Layer, Presence> presence, List<DeviceObservation> observations, String vm, Side side,
                        DeviceClass deviceClass) {
    public DeviceRow {
        presence = Map.copyOf(presence);
        observations = List.copyOf(observations);
        vm = vm == null ? "" : vm;
        side = side == null ? Side.SOURCE : side;
        deviceClass = deviceClass == null ? DeviceClass.OTHER : deviceClass;
    }

    public DeviceRow(String key, String qdevId, String type, PciAddress pci, String backend,
                     Map<Layer, Presence> presence, List<DeviceObservation> observations) {
        this(key, qdevId, type, pci, backend, presence, observations, "", Side.SOURCE,
                DeviceClasses.of(observations));
    }

    public Presence presence(Layer layer) {
        return presence.getOrDefault(layer, Presence.NO_EVIDENCE);
    }

    /** Unique across the whole analysis: {@code VM/side/key} ({@code instance-0000002a/source/virtio-disk1}). */
    public String globalKey() {
        return vm + "/" + side.name().toLowerCase(Locale.ROOT) + "/" + key;
    }

    /** Whether only the destination's rejection of its migration state shows it (no layer of its own side does). */
    public boolean onlyInMigrationStream() {
        return observations.stream().allMatch(o -> o.layer() == Layer.MIGRATION);
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

    /**
     * Where the device sits from the root bus ({@link PciPath}): the path a layer derived (a section idstr, the
     * nesting of query-pci, qtree or the command line's ports), else the root-bus path of a bus-0 address.
     */
    public Optional<PciPath> pciPath() {
        return pathOf(observations, pci);
    }

    static Optional<PciPath> pathOf(List<DeviceObservation> observations, PciAddress pci) {
        for (DeviceObservation o : observations) {
            Optional<PciPath> own = PciPath.parse(o.attr(PciPath.ATTRIBUTE));
            if (own.isPresent()) {
                return own;
            }
        }
        return pci != null && pci.bus() == 0 ? Optional.of(PciPath.onRootBus(pci)) : Optional.empty();
    }

    /**
     * How the device's place is named: its whole path behind a bridge or port ({@code 0000:00:07.0:00.0}, never
     * the port's {@code 0000:00:07.0} nor a bus number only the firmware knew), else its address.
     */
    public String place() {
        Optional<PciPath> path = pciPath();
        if (path.isPresent() && !path.get().onRootBus()) {
            return path.get().toString();
        }
        return pci != null ? pci.toString() : path.map(PciPath::toString).orElse(null);
    }

    /** {@code virtio-disk1 (0000:00:06.0)}, {@code virtio-disk1 (0000:00:07.0:00.0)}, or whichever is known. */
    public String label() {
        String place = place();
        if (!qdevId.isEmpty() && place != null) {
            return qdevId + " (" + place + ")";
        }
        return qdevId.isEmpty() ? (place == null ? key : place) : qdevId;
    }

    /** Names for a finding's {@code devices[]}: qdev id and {@link #place()}. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        if (!qdevId.isEmpty()) {
            out.add(qdevId);
        }
        String place = place();
        if (place != null) {
            out.add(place);
        }
        return out;
    }
}
