package dev.vmcase.analysis.devices;

import dev.vmcase.model.Attr;
import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Guest;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.qemu.QmpResults;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Joins device observations into one row per device and side of one VM's evidence (docs/architecture.md,
 * "Identity").
 * <pre>
 *  frontends ── by qdev id (= libvirt alias) ──┐
 *            └─ by PCI path, else address (id-less views: query-pci of board devices, migration sections);
 *               a path is the device's whole place from the root bus (0000:00:07.0:00.0 behind a root port),
 *               the only key a section idstr and a bus-numbered query-pci entry have in common
 *  backends  ── by the frontend's drive=/netdev= ── or by the block entry's "attached to" qdev path
 * </pre>
 * Each layer keeps only its latest snapshot per artifact (a QMP transcript may hold a query before and after an
 * unplug). Migration sections the destination rejected are marked on the source's row of that PCI address, or are a
 * source row of their own when no layer of the source shows a device there (the seed: only the destination's error
 * names slot 6). A layer is {@link Presence#ABSENT} for a device only where a source of that side lists every device
 * of its class there ({@link Coverage}); elsewhere {@link Presence#NO_EVIDENCE}.
 */
public final class DeviceReconciler {
    private DeviceReconciler() {
    }

    /** Which side a row belongs to: the destination, or everything else (source and unknown). */
    public enum Side {
        SOURCE, DESTINATION;

        public static Side of(Role r) {
            return r == Role.DESTINATION ? DESTINATION : SOURCE;
        }
    }

    /** The devices of evidence that is one VM's (or names none). */
    public static DeviceTable reconcile(Evidence evidence) {
        return reconcile(evidence, "");
    }

    /** The devices of one VM's evidence ({@code VmIndex.slice}); {@code vm} is its key. */
    public static DeviceTable reconcile(Evidence evidence, String vm) {
        Map<Side, List<DeviceRow>> rows = new EnumMap<>(Side.class);
        Map<Side, List<Coverage>> covers = new EnumMap<>(Side.class);
        Map<String, Role> roles = evidence.rolesBySha();
        // one pass over the observations (a long log holds tens of thousands): the migration stream's, and each
        // side's, its artifact's role looked up again only when the artifact changes
        List<DeviceObservation> migration = new ArrayList<>();
        Map<Side, List<DeviceObservation>> bySide = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            bySide.put(side, new ArrayList<>());
        }
        String artifact = null;
        Side artifactSide = null;
        for (DeviceObservation o : evidence.observations()) {
            if (o.layer() == Layer.MIGRATION) {
                migration.add(o);
                continue;
            }
            if (!o.source().artifact().equals(artifact)) {
                artifact = o.source().artifact();
                artifactSide = Side.of(roles.getOrDefault(artifact, Role.UNKNOWN));
            }
            bySide.get(artifactSide).add(o);
        }
        migration = java.util.Collections.unmodifiableList(migration);
        for (Side side : Side.values()) {
            List<DeviceObservation> obs = latestSnapshots(bySide.get(side));
            List<Coverage> coverage = evidence.coverage().stream()
                    .filter(c -> Side.of(roles.getOrDefault(c.source().artifact(), Role.UNKNOWN)) == side)
                    .toList();
            covers.put(side, coverage);
            rows.put(side, join(obs, side == Side.SOURCE ? migration : List.of(), new Covered(coverage), vm, side));
        }
        return new DeviceTable(rows.get(Side.SOURCE), rows.get(Side.DESTINATION), migration, vm,
                covers.get(Side.SOURCE), covers.get(Side.DESTINATION));
    }

    /** What one side's sources list completely. */
    private static final class Covered {
        private final List<Coverage> coverage;

        Covered(List<Coverage> coverage) {
            this.coverage = coverage;
        }

        /** Whether some source of the side lists every device of class {@code c} in {@code layer}. */
        boolean complete(Layer layer, DeviceClass c) {
            for (Coverage cov : coverage) {
                if (cov.layer() == layer && cov.complete(c)) {
                    return true;
                }
            }
            return false;
        }

        /** Not in a layer: absent where a complete source says so, else no evidence. */
        Presence missing(Layer layer, DeviceClass c) {
            return complete(layer, c) ? Presence.ABSENT : Presence.NO_EVIDENCE;
        }
    }

    static List<DeviceObservation> latestSnapshots(List<DeviceObservation> obs) {
        // each observation's kind and number worked out once: a long log holds tens of thousands of snapshots' rows,
        // those of one snapshot one after another (the kind made and looked up again only when it changes)
        SnapshotKind[] kinds = new SnapshotKind[obs.size()];
        int[] numbers = new int[obs.size()];
        Map<SnapshotKind, Integer> latest = new HashMap<>();
        SnapshotKind last = null;
        int lastNumber = 0;
        for (int i = 0; i < kinds.length; i++) {
            DeviceObservation o = obs.get(i);
            String snap = o.attr(Attr.SNAPSHOT);
            if (snap == null) {
                continue;
            }
            boolean named = "true".equals(o.attr(Attr.NAMED_NODE));
            int n = Integer.parseInt(snap);
            if (last == null || !last.is(o.source().artifact(), o.layer(), named, o.guest())) {
                last = new SnapshotKind(o.source().artifact(), o.layer(), named, o.guest());
                latest.merge(last, n, Math::max);
                lastNumber = n;
            } else if (n != lastNumber) {
                latest.merge(last, n, Math::max);
                lastNumber = n;
            }
            kinds[i] = last;
            numbers[i] = n;
        }
        List<DeviceObservation> out = new ArrayList<>();
        SnapshotKind asked = null;
        int newest = 0;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] != null && kinds[i] != asked) {
                asked = kinds[i];
                newest = latest.get(asked);
            }
            if (kinds[i] == null || numbers[i] == newest) {
                out.add(obs.get(i));
            }
        }
        return java.util.Collections.unmodifiableList(out);
    }

    /**
     * Which snapshots replace each other: those of one artifact, layer and guest (query-block and
     * query-named-block-nodes are both block-layer views, but of different things).
     */
    private record SnapshotKind(String artifact, Layer layer, boolean namedNode, Guest guest) {
        boolean is(String artifact, Layer layer, boolean namedNode, Guest guest) {
            return this.artifact.equals(artifact) && this.layer == layer && this.namedNode == namedNode
                    && java.util.Objects.equals(this.guest, guest);
        }
    }

    private static List<DeviceRow> join(List<DeviceObservation> obs, List<DeviceObservation> migration,
                                        Covered covered, String vm, Side side) {
        Map<String, List<DeviceObservation>> byKey = new LinkedHashMap<>();
        Map<PciAddress, String> keyByPci = new HashMap<>();
        Map<PciPath, String> keyByPath = new HashMap<>();
        List<DeviceObservation> frontends = obs.stream().filter(o -> o.role() == DeviceRole.FRONTEND)
                .sorted(Comparator.comparing(o -> o.id().isEmpty())).toList();
        for (DeviceObservation o : frontends) {
            Optional<PciPath> path = o.pciPath();
            String key;
            if (!o.id().isEmpty()) {
                key = o.id();
            } else if (path.isPresent() && keyByPath.containsKey(path.get())) {
                key = keyByPath.get(path.get());
            } else if (o.pci() != null && keyByPci.containsKey(o.pci())) {
                key = keyByPci.get(o.pci());
            } else if (path.isPresent() || o.pci() != null) {
                key = "pci:" + path.map(PciPath::toString).orElseGet(() -> o.pci().toString());
            } else {
                continue;
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
            if (o.pci() != null) {
                keyByPci.putIfAbsent(o.pci(), key);
            }
            path.ifPresent(p -> keyByPath.putIfAbsent(p, key));
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
            if (key == null && o.attr(Attr.NODE_NAME) != null) {
                key = keyByBackend.get(o.attr(Attr.NODE_NAME));
            }
            if (key == null && o.attr(Attr.ATTACHED_TO) != null) {
                String q = QmpResults.qdevIdFromPath(o.attr(Attr.ATTACHED_TO));
                key = byKey.containsKey(q) ? q : null;
            }
            if (key != null) {
                byKey.get(key).add(o);
            }
        }
        List<DeviceRow> rows = new ArrayList<>();
        byKey.forEach((key, list) -> rows.add(row(key, list, covered, migration, vm, side)));
        // a section the destination rejected where no layer of the source shows a device is a device of its own:
        // the evidence names it, even if only there
        // (keyed by the whole path: a device behind a port is the last hop, never the port)
        Map<PciPath, List<DeviceObservation>> loose = new LinkedHashMap<>();
        for (DeviceObservation m : migration) {
            m.pciPath().filter(path -> rows.stream().noneMatch(r -> r.pciPath().filter(path::equals).isPresent()))
                    .ifPresent(path -> loose.computeIfAbsent(path, k -> new ArrayList<>()).add(m));
        }
        loose.forEach((path, sections) -> {
            Map<Layer, Presence> p = new EnumMap<>(Layer.class);
            DeviceClass cls = DeviceClasses.of(sections);
            for (Layer l : Layer.values()) {
                // only PCI applies to a device known by its address alone (no id to look for in XML or cmdline)
                p.put(l, l == Layer.PCI || l == Layer.QDEV ? covered.missing(l, cls) : Presence.NO_EVIDENCE);
            }
            p.put(Layer.MIGRATION, Presence.REJECTED);
            String type = sections.get(0).type() == null ? "" : sections.get(0).type();
            rows.add(new DeviceRow("pci:" + path, "", type, path.rootBusAddress().orElse(null), null, p, sections,
                    vm, side, cls));
        });
        rows.sort(Comparator.comparing((DeviceRow r) -> r.pci() == null ? "~" : r.pci().toString())
                .thenComparing(DeviceRow::key));
        return rows;
    }

    private static DeviceRow row(String key, List<DeviceObservation> list, Covered covered,
                                 List<DeviceObservation> migration, String vm, Side side) {
        List<DeviceObservation> all = new ArrayList<>(list);
        String qdevId = list.stream().filter(o -> o.role() == DeviceRole.FRONTEND).map(DeviceObservation::id)
                .filter(i -> !i.isEmpty()).findFirst().orElse("");
        // the bus number the firmware gave, as QEMU's PCI and qdev views print it, beats libvirt's controller index
        PciAddress pci = list.stream().filter(o -> o.pci() != null)
                .min(Comparator.comparing(o -> addressRank(o.layer()))).map(DeviceObservation::pci).orElse(null);
        String type = typeOf(list);
        String backend = list.stream().filter(o -> o.role() == DeviceRole.FRONTEND)
                .sorted(Comparator.comparing((DeviceObservation o) -> o.layer() != Layer.COMMAND_LINE))
                .map(DeviceObservation::backend).filter(b -> b != null && !b.isEmpty()).findFirst().orElse(null);
        boolean driveBacked = list.stream().anyMatch(o -> Attr.DRIVE.equals(o.attr(Attr.BACKEND_KIND)));
        DeviceClass cls = DeviceClasses.of(list);
        Map<Layer, Presence> p = new EnumMap<>(Layer.class);
        for (Layer layer : List.of(Layer.LIBVIRT_XML, Layer.COMMAND_LINE, Layer.PCI, Layer.GUEST_PCI)) {
            // board devices (no qdev id: host bridge, PIIX) are on no command line and in no XML: not "absent"
            boolean applies = layer == Layer.PCI || layer == Layer.GUEST_PCI || !qdevId.isEmpty();
            p.put(layer, frontendIn(list, layer) ? Presence.PRESENT
                    : applies ? covered.missing(layer, cls) : Presence.NO_EVIDENCE);
        }
        List<DeviceObservation> qdev = list.stream().filter(o -> o.layer() == Layer.QDEV).toList();
        if (!qdev.isEmpty()) {
            p.put(Layer.QDEV, qdev.stream().anyMatch(o -> "".equals(o.backend())) ? Presence.DIFFERENT : Presence.PRESENT);
        } else {
            p.put(Layer.QDEV, covered.missing(Layer.QDEV, cls));
        }
        List<DeviceObservation> block = list.stream().filter(o -> o.layer() == Layer.BLOCK).toList();
        if (!block.isEmpty()) {
            // drive_del leaves an anonymous entry (no name) with nothing inserted; an empty CD-ROM drive keeps its
            // name, and a -blockdev disk has no name but a node inserted: both are normal
            boolean anonymousEmpty = block.stream()
                    .anyMatch(o -> o.id().isEmpty() && "false".equals(o.attr(Attr.INSERTED)))
                    && block.stream().noneMatch(o -> !o.id().isEmpty() || !"false".equals(o.attr(Attr.INSERTED)));
            p.put(Layer.BLOCK, anonymousEmpty ? Presence.DIFFERENT : Presence.PRESENT);
        } else {
            p.put(Layer.BLOCK, driveBacked ? covered.missing(Layer.BLOCK, DeviceClass.DISK) : Presence.NO_EVIDENCE);
        }
        p.put(Layer.NET, Presence.NO_EVIDENCE);
        Optional<PciPath> path = DeviceRow.pathOf(list, pci);
        List<DeviceObservation> rejected = path.isEmpty() ? List.of()
                : migration.stream().filter(m -> m.pciPath().equals(path)).toList();
        all.addAll(rejected);
        p.put(Layer.MIGRATION, rejected.isEmpty() ? Presence.NO_EVIDENCE : Presence.REJECTED);
        return new DeviceRow(key, qdevId, type, pci, backend, p, all, vm, side, cls);
    }

    /** Whose address a row shows when layers disagree on a bus number: QEMU's own views first, any other layer last. */
    private static final List<Layer> ADDRESS_ORDER = List.of(Layer.PCI, Layer.QDEV, Layer.COMMAND_LINE,
            Layer.LIBVIRT_XML, Layer.MIGRATION);

    private static int addressRank(Layer layer) {
        int i = ADDRESS_ORDER.indexOf(layer);
        return i < 0 ? ADDRESS_ORDER.size() : i;
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
