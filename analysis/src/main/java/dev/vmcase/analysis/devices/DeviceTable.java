package dev.vmcase.analysis.devices;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.PciPath;

import java.util.List;
import java.util.Optional;

/**
 * The reconciled devices: the source's (or, when the evidence names no side, the only) VM, the destination's, and
 * the migration sections the destination rejected.
 */
public record DeviceTable(List<DeviceRow> source, List<DeviceRow> destination, List<DeviceObservation> rejectedSections) {
    public DeviceTable {
        source = List.copyOf(source);
        destination = List.copyOf(destination);
        rejectedSections = List.copyOf(rejectedSections);
    }

    public Optional<DeviceRow> sourceById(String qdevId) {
        return source.stream().filter(r -> r.qdevId().equals(qdevId)).findFirst();
    }

    public Optional<DeviceRow> sourceAt(PciAddress pci) {
        return source.stream().filter(r -> pci.equals(r.pci())).findFirst();
    }

    /**
     * The source's devices in a slot of the root bus, all functions, and those behind them (a root port or bridge
     * there, and what sits on its bus): what a guest's eject of that slot, or its power-off of a port there, is about.
     */
    public List<DeviceRow> sourceInRootSlot(int slot) {
        return inRootSlot(source, slot);
    }

    /** The rows whose path starts in {@code slot} of root bus 0 (a bus-0 address is its own path). */
    public static List<DeviceRow> inRootSlot(List<DeviceRow> rows, int slot) {
        return rows.stream().filter(r -> r.pciPath().filter(p -> p.rootBus() == 0 && p.domain() == 0
                && p.hops().get(0).slot() == slot).isPresent()).toList();
    }

    public Optional<DeviceRow> destinationAt(PciAddress pci) {
        return destination.stream().filter(r -> pci.equals(r.pci())).findFirst();
    }

    /** The source's device at a path ({@code 0000:00:07.0:00.0}: the device behind the port, not the port). */
    public Optional<DeviceRow> sourceAt(PciPath path) {
        return at(source, path);
    }

    public Optional<DeviceRow> destinationAt(PciPath path) {
        return at(destination, path);
    }

    private static Optional<DeviceRow> at(List<DeviceRow> rows, PciPath path) {
        return rows.stream().filter(r -> r.pciPath().filter(path::equals).isPresent()).findFirst();
    }
}
