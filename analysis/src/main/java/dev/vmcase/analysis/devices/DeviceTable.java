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

    public Optional<DeviceRow> destinationAt(PciAddress pci) {
        return destination.stream().filter(r -> pci.equals(r.pci())).findFirst();
    }
}
