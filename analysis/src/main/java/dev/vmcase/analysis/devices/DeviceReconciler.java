package dev.vmcase.analysis.devices;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.qemu.QmpResults;
import dev.vmcase.parsers.qmp.QmpReader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Joins device observations into one row per device and side (docs/architecture.md, "Identity").
 * <pre>
 *  frontends ── by qdev id (= libvirt alias) ──┐
 *            └─ by PCI address (id-less views: query-pci of board devices, migration sections)
 *  backends  ── by the frontend's drive=/netdev= ── or by the block entry's "attached to" qdev path
 * </pre>
 * Each layer keeps only its latest snapshot per artifact (a QMP transcript may hold a query before and after an
 * unplug). Migration sections the destination rejected are marked on the source's row of that PCI address.
 */
public final class DeviceReconciler {
    /** Coverage a source declares that is partial: one device class, or a fragment ({@code DeviceObservation} attribute). */
    private static final Set<String> PARTIAL = Set.of("disks", "interfaces", "fragment");

    private DeviceReconciler() {
    }

    /** Which side a row belongs to: the destination, or everything else (source and unknown). */
    public enum Side {
        SOURCE, DESTINATION;

        public static Side of(Role r) {
            return r == Role.DESTINATION ? DESTINATION : SOURCE;
        }
    }

    public static DeviceTable reconcile(Evidence evidence) {
        Map<Side, List<DeviceRow>> rows = new EnumMap<>(Side.class);
        List<DeviceObservation> migration = evidence.observations().stream()
                .filter(o -> o.layer() == Layer.MIGRATION).toList();
        Map<String, Role> roles = evidence.rolesBySha();
        for (Side side : Side.values()) {
            List<DeviceObservation> obs = latestSnapshots(evidence.observations().stream()
                    .filter(o -> o.layer() != Layer.MIGRATION)
                    .filter(o -> Side.of(roles.getOrDefault(o.source().artifact(), Role.UNKNOWN)) == side)
                    .toList());
            rows.put(side, join(obs, side == Side.SOURCE ? migration : List.of()));
        }
        return new DeviceTable(rows.get(Side.SOURCE), rows.get(Side.DESTINATION), migration);
    }

    static List<DeviceObservation> latestSnapshots(List<DeviceObservation> obs) {
        Map<String, Integer> latest = new HashMap<>();
        for (DeviceObservation o : obs) {
            String snap = o.attr(QmpReader.SNAPSHOT);
            if (snap != null) {
                latest.merge(snapshotKind(o), Integer.parseInt(snap), Math::max);
            }
        }
        return obs.stream().filter(o -> {
            String snap = o.attr(QmpReader.SNAPSHOT);
            return snap == null || latest.get(snapshotKind(o)) == Integer.parseInt(snap);
        }).toList();
    }

    /** query-block and query-named-block-nodes are both block-layer views, but of different things. */
    private static String snapshotKind(DeviceObservation o) {
        return o.source().artifact() + "/" + o.layer() + "/" + "true".equals(o.attr("named-node"));
    }

    private static List<DeviceRow> join(List<DeviceObservation> obs, List<DeviceObservation> migration) {
        Map<String, List<DeviceObservation>> byKey = new LinkedHashMap<>();
        Map<PciAddress, String> keyByPci = new HashMap<>();
        List<DeviceObservation> frontends = obs.stream().filter(o -> o.role() == DeviceRole.FRONTEND)
                .sorted(Comparator.comparing(o -> o.id().isEmpty())).toList();
        for (DeviceObservation o : frontends) {
            String key;
            if (!o.id().isEmpty()) {
                key = o.id();
            } else if (o.pci() != null) {
                key = keyByPci.getOrDefault(o.pci(), "pci:" + o.pci());
            } else {
                continue;
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
            if (o.pci() != null) {
                keyByPci.putIfAbsent(o.pci(), key);
            }
        }
        // backends join the frontend that names them, or the one their block entry is attached to
        Map<String, String> keyByBackend = new HashMap<>();
        byKey.forEach((key, list) -> list.stream().map(DeviceObservation::backend)
                .filter(b -> b != null && !b.isEmpty()).forEach(b -> keyByBackend.putIfAbsent(b, key)));
        for (DeviceObservation o : obs) {
            if (o.role() != DeviceRole.BACKEND) {
                continue;
            }
            String key = keyByBackend.get(o.id());
            if (key == null && o.attr("node-name") != null) {
                key = keyByBackend.get(o.attr("node-name"));
            }
            if (key == null && o.attr("attached-to") != null) {
                String q = QmpResults.qdevIdFromPath(o.attr("attached-to"));
                key = byKey.containsKey(q) ? q : null;
            }
            if (key != null) {
                byKey.get(key).add(o);
            }
        }
        Set<Layer> seen = EnumSet.noneOf(Layer.class);
        // a listing of one device class (virsh domblklist: disks only) says nothing of the others' absence
        obs.stream().filter(o -> !PARTIAL.contains(String.valueOf(o.attr("coverage")))).forEach(o -> seen.add(o.layer()));
        List<DeviceRow> rows = new ArrayList<>();
        byKey.forEach((key, list) -> rows.add(row(key, list, seen, migration)));
        rows.sort(Comparator.comparing((DeviceRow r) -> r.pci() == null ? "~" : r.pci().toString())
                .thenComparing(DeviceRow::key));
        return rows;
    }

    private static DeviceRow row(String key, List<DeviceObservation> list, Set<Layer> seen,
                                 List<DeviceObservation> migration) {
        List<DeviceObservation> all = new ArrayList<>(list);
        String qdevId = list.stream().filter(o -> o.role() == DeviceRole.FRONTEND).map(DeviceObservation::id)
                .filter(i -> !i.isEmpty()).findFirst().orElse("");
        PciAddress pci = list.stream().map(DeviceObservation::pci).filter(p -> p != null).findFirst().orElse(null);
        String type = typeOf(list);
        String backend = list.stream().filter(o -> o.role() == DeviceRole.FRONTEND)
                .sorted(Comparator.comparing((DeviceObservation o) -> o.layer() != Layer.COMMAND_LINE))
                .map(DeviceObservation::backend).filter(b -> b != null && !b.isEmpty()).findFirst().orElse(null);
        boolean driveBacked = list.stream().anyMatch(o -> "drive".equals(o.attr("backend-kind")));
        Map<Layer, Presence> p = new EnumMap<>(Layer.class);
        for (Layer layer : List.of(Layer.LIBVIRT_XML, Layer.COMMAND_LINE, Layer.PCI, Layer.GUEST_PCI)) {
            // board devices (no qdev id: host bridge, PIIX) are on no command line and in no XML: not "absent"
            boolean applies = layer == Layer.PCI || layer == Layer.GUEST_PCI || !qdevId.isEmpty();
            p.put(layer, frontendIn(list, layer) ? Presence.PRESENT
                    : seen.contains(layer) && applies ? Presence.ABSENT : Presence.UNKNOWN);
        }
        List<DeviceObservation> qdev = list.stream().filter(o -> o.layer() == Layer.QDEV).toList();
        if (!qdev.isEmpty()) {
            p.put(Layer.QDEV, qdev.stream().anyMatch(o -> "".equals(o.backend())) ? Presence.DIFFERENT : Presence.PRESENT);
        } else {
            p.put(Layer.QDEV, seen.contains(Layer.QDEV) ? Presence.ABSENT : Presence.UNKNOWN);
        }
        List<DeviceObservation> block = list.stream().filter(o -> o.layer() == Layer.BLOCK).toList();
        if (!block.isEmpty()) {
            // drive_del leaves an anonymous entry (no name) with nothing inserted; an empty CD-ROM drive keeps its
            // name, and a -blockdev disk has no name but a node inserted: both are normal
            boolean anonymousEmpty = block.stream().anyMatch(o -> o.id().isEmpty() && "false".equals(o.attr("inserted")))
                    && block.stream().noneMatch(o -> !o.id().isEmpty() || !"false".equals(o.attr("inserted")));
            p.put(Layer.BLOCK, anonymousEmpty ? Presence.DIFFERENT : Presence.PRESENT);
        } else {
            p.put(Layer.BLOCK, driveBacked && seen.contains(Layer.BLOCK) ? Presence.ABSENT : Presence.UNKNOWN);
        }
        p.put(Layer.NET, Presence.UNKNOWN);
        List<DeviceObservation> rejected = pci == null ? List.of()
                : migration.stream().filter(m -> pci.equals(m.pci())).toList();
        all.addAll(rejected);
        p.put(Layer.MIGRATION, rejected.isEmpty() ? Presence.UNKNOWN : Presence.REJECTED);
        return new DeviceRow(key, qdevId, type, pci, backend, p, all);
    }

    private static boolean frontendIn(List<DeviceObservation> list, Layer layer) {
        return list.stream().anyMatch(o -> o.layer() == layer && o.role() == DeviceRole.FRONTEND);
    }

    /** The driver name from the command line or qdev beats PCI's class description. */
    private static String typeOf(List<DeviceObservation> list) {
        for (Layer l : List.of(Layer.COMMAND_LINE, Layer.QDEV, Layer.LIBVIRT_XML, Layer.PCI)) {
            for (DeviceObservation o : list) {
                if (o.layer() == l && o.role() == DeviceRole.FRONTEND && o.type() != null && !o.type().isEmpty()) {
                    return o.type();
                }
            }
        }
        return "";
    }

    /** Rows of one side by qdev id, for rules. */
    public static Map<String, DeviceRow> byId(List<DeviceRow> rows) {
        return rows.stream().filter(r -> !r.qdevId().isEmpty())
                .collect(Collectors.toMap(DeviceRow::qdevId, r -> r, (a, b) -> a, LinkedHashMap::new));
    }
}
