package dev.vmcase.analysis.devices;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.PciAddress;

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
     * The source's devices in a slot of the root bus, all functions: what a guest's eject of that slot
     * (a backtrace's slot bitmap) is about.
     */
    public List<DeviceRow> sourceInRootSlot(int slot) {
        return source.stream().filter(r -> r.pci() != null && r.pci().bus() == 0 && r.pci().slot() == slot).toList();
    }

    public Optional<DeviceRow> destinationAt(PciAddress pci) {
        return destination.stream().filter(r -> pci.equals(r.pci())).findFirst();
    }
}
