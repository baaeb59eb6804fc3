package dev.vmcase.analysis.devices;

import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.PciPath;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The reconciled devices of one VM: the source's (or, when the evidence names no side, the only) rows, the
 * destination's, and the migration sections the destination rejected. {@link #devices()} is the one answer to "which
 * devices are in the evidence": a device seen on both sides is one device.
 *
 * @param vm                  the key of the VM ("" when the evidence names none)
 * @param sourceCoverage      what the source's sources (and those of no known side) show, per layer
 * @param destinationCoverage what the destination's show
 */
public record DeviceTable(List<DeviceRow> source, List<DeviceRow> destination, List<DeviceObservation> rejectedSections,
                          String vm, List<Coverage> sourceCoverage, List<Coverage> destinationCoverage) {
    public DeviceTable {
        source = List.copyOf(source);
        destination = List.copyOf(destination);
        rejectedSections = List.copyOf(rejectedSections);
        vm = vm == null ? "" : vm;
        sourceCoverage = sourceCoverage == null ? List.of() : List.copyOf(sourceCoverage);
        destinationCoverage = destinationCoverage == null ? List.of() : List.copyOf(destinationCoverage);
    }

    public DeviceTable(List<DeviceRow> source, List<DeviceRow> destination, List<DeviceObservation> rejectedSections) {
        this(source, destination, rejectedSections, "", List.of(), List.of());
    }

    /** A side's rows. */
    public List<DeviceRow> rows(DeviceReconciler.Side side) {
        return side == DeviceReconciler.Side.DESTINATION ? destination : source;
    }

    /** What a side's sources show. */
    public List<Coverage> coverage(DeviceReconciler.Side side) {
        return side == DeviceReconciler.Side.DESTINATION ? destinationCoverage : sourceCoverage;
    }

    /** Whether some source of a side lists every device of class {@code c} in {@code layer}. */
    public boolean complete(DeviceReconciler.Side side, Layer layer, DeviceClass c) {
        return coverage(side).stream().anyMatch(cov -> cov.layer() == layer && cov.complete(c));
    }

    /** Whether a side has any evidence of devices at all: a row, or a source that shows a layer. */
    public boolean hasEvidence(DeviceReconciler.Side side) {
        return !rows(side).isEmpty() || !coverage(side).isEmpty();
    }

    /** One device of the evidence: its row on the source, on the destination, or both (matched by identity). */
    public record Device(DeviceRow source, DeviceRow destination) {
        /** The row to name it by: the source's, else the destination's. */
        public DeviceRow row() {
            return source != null ? source : destination;
        }

        public String label() {
            return row().label();
        }
    }

    /**
     * Every device in the evidence once: each source row with the destination row of the same device (same qdev id;
     * else the same PCI address where one of them has no id), then the destination's other rows. The CLI, the JSON,
     * the reports, the diff of source against destination and the workbench's status bar all count these.
     */
    public List<Device> devices() {
        List<Device> out = new ArrayList<>();
        Set<DeviceRow> used = new LinkedHashSet<>();
        for (DeviceRow s : source) {
            DeviceRow d = match(s, destination, used);
            if (d != null) {
                used.add(d);
            }
            out.add(new Device(s, d));
        }
        for (DeviceRow d : destination) {
            if (!used.contains(d)) {
                out.add(new Device(null, d));
            }
        }
        return out;
    }

    /** How many devices the evidence names: {@code devices().size()}. */
    public int count() {
        return devices().size();
    }

    /** Whether any evidence of the destination side is here. */
    public boolean hasDestination() {
        return hasEvidence(DeviceReconciler.Side.DESTINATION);
    }

    /** Identity: the same qdev id; else the same PCI address where one side names no id. */
    public static DeviceRow match(DeviceRow row, List<DeviceRow> candidates) {
        return match(row, candidates, Set.of());
    }

    /** {@link #match(DeviceRow, List)} among the candidates not yet {@code taken}. */
    public static DeviceRow match(DeviceRow row, List<DeviceRow> candidates, Set<DeviceRow> taken) {
        if (!row.qdevId().isEmpty()) {
            for (DeviceRow c : candidates) {
                if (!taken.contains(c) && c.qdevId().equals(row.qdevId())) {
                    return c;
                }
            }
        }
        if (row.pci() != null) {
            for (DeviceRow c : candidates) {
                boolean oneUnnamed = c.qdevId().isEmpty() || row.qdevId().isEmpty();
                if (!taken.contains(c) && row.pci().equals(c.pci()) && oneUnnamed) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The source's row of a qdev id (a row some layer of the source shows). */
    public Optional<DeviceRow> sourceById(String qdevId) {
        return source.stream().filter(r -> r.qdevId().equals(qdevId)).findFirst();
    }

    /**
     * The source's device at a PCI address, as some layer of the source shows it: not a row known only from the
     * destination's rejection of its migration section.
     */
    public Optional<DeviceRow> sourceAt(PciAddress pci) {
        return source.stream().filter(r -> pci.equals(r.pci()) && !r.onlyInMigrationStream()).findFirst();
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

    /**
     * The source's device at a path ({@code 0000:00:07.0:00.0}: the device behind the port, not the port), as some
     * layer of the source shows it: not a row known only from the destination's rejection of its migration section.
     */
    public Optional<DeviceRow> sourceAt(PciPath path) {
        return at(source.stream().filter(r -> !r.onlyInMigrationStream()).toList(), path);
    }

    public Optional<DeviceRow> destinationAt(PciPath path) {
        return at(destination, path);
    }

    private static Optional<DeviceRow> at(List<DeviceRow> rows, PciPath path) {
        return rows.stream().filter(r -> r.pciPath().filter(path::equals).isPresent()).findFirst();
    }
}
