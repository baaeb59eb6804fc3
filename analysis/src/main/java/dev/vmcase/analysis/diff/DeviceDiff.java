package dev.vmcase.analysis.diff;

import dev.vmcase.analysis.devices.DeviceReconciler;
import dev.vmcase.analysis.devices.DeviceReconciler.Side;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.model.Attr;
import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Layer;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two views of the devices (docs/architecture.md, "Identity"): the source against the destination, or one layer against another.
 * Rows are matched by identity — the qdev id, else the PCI address — never by position; properties are compared as
 * sorted maps, so the order of XML attributes or JSON keys never makes a difference. Pure: no toolkit, no I/O
 * beyond its resource bundle.
 * <pre>
 *   left (source, all layers)        right (destination, all layers)
 *   virtio-disk0  cmdline qdev pci   virtio-disk0  cmdline            same
 *   virtio-disk1  qdev drive="" ...  —  (cmdline looked: absent)      orphan: alive in qdev, PCI; …; rejected
 * </pre>
 */
public final class DeviceDiff {
    /** The layers a device can be seen in, in display order. */
    public static final List<Layer> LAYERS = List.of(Layer.LIBVIRT_XML, Layer.COMMAND_LINE, Layer.QDEV, Layer.PCI,
            Layer.BLOCK, Layer.MIGRATION);
    static final String BUNDLE = "dev.vmcase.analysis.diff.Diff";
    private static final Set<String> HIDDEN = Set.of(Attr.SNAPSHOT.key(), Attr.BACKEND_KIND.key(), Attr.KIND.key(),
            Attr.PRINTED_ADDR.key());

    private DeviceDiff() {
    }

    /** Source against destination, all layers. */
    public static DiffResult compare(DeviceTable table) {
        return compare(table, DiffSpec.SOURCE, DiffSpec.DESTINATION);
    }

    public static DiffResult compare(DeviceTable table, DiffSpec left, DiffSpec right) {
        return compare(null, table, left, right);
    }

    /**
     * Compares two sides; a side with a {@link Snapshot} is read from {@code evidence} as its transcript stood at
     * that point. The orphan and the destination are always judged on {@code table}, the latest state.
     */
    public static DiffResult compare(Evidence evidence, DeviceTable table, DiffSpec left, DiffSpec right) {
        DeviceTable leftTable = left.snapshot() == null || evidence == null ? table : asOf(evidence, left.snapshot());
        DeviceTable rightTable = right.snapshot() == null || evidence == null ? table
                : asOf(evidence, right.snapshot());
        List<DeviceRow> leftRows = rowsOf(leftTable, left.side());
        List<DeviceRow> rightRows = rowsOf(rightTable, right.side());
        Side leftSide = left.side();
        Side rightSide = right.side();
        View lv = new View(leftTable, leftSide, left, leftTable.hasEvidence(leftSide));
        View rv = new View(rightTable, rightSide, right, rightTable.hasEvidence(rightSide));
        boolean prefix = left.layer() == null || right.layer() == null;
        List<DiffRow> out = new ArrayList<>();
        Set<DeviceRow> matched = new LinkedHashSet<>();
        for (DeviceRow l : leftRows) {
            DeviceRow r = DeviceTable.match(l, rightRows, matched);
            if (r != null) {
                matched.add(r);
            }
            out.add(row(table, l, r, lv, rv, prefix));
        }
        for (DeviceRow r : rightRows) {
            if (!matched.contains(r)) {
                out.add(row(table, null, r, lv, rv, prefix));
            }
        }
        // a row neither side sees in its layers (a board device when comparing block layers) is no row of the diff
        out.removeIf(d -> !d.left().exists() && !d.right().exists());
        return new DiffResult(left, right, out, lv.hasEvidence, rv.hasEvidence);
    }

    /** One side of a diff: its table (the latest state, or a snapshot's), side, spec, and whether it has evidence. */
    private record View(DeviceTable table, Side side, DiffSpec spec, boolean hasEvidence) {
    }

    /** The QMP transcript points of the evidence: one per answer that showed devices, in transcript order. */
    public static List<Snapshot> snapshots(Evidence evidence) {
        Map<String, Map<Integer, Set<Layer>>> by = new LinkedHashMap<>();
        Map<String, String> paths = new LinkedHashMap<>();
        for (DeviceObservation o : evidence.observations()) {
            String snap = o.attr(Attr.SNAPSHOT);
            if (snap != null) {
                by.computeIfAbsent(o.source().artifact(), a -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(snap), l -> EnumSet.noneOf(Layer.class)).add(o.layer());
                paths.putIfAbsent(o.source().artifact(), o.source().path());
            }
        }
        List<Snapshot> out = new ArrayList<>();
        by.forEach((artifact, lines) -> lines.forEach((line, layers) ->
                out.add(new Snapshot(artifact, paths.get(artifact), line, new ArrayList<>(layers)))));
        return out;
    }

    /** The devices as one transcript showed them up to a snapshot: each query's latest answer at or before it. */
    public static DeviceTable asOf(Evidence evidence, Snapshot s) {
        List<DeviceObservation> obs = evidence.observations().stream()
                .filter(o -> o.source().artifact().equals(s.artifact()))
                .filter(o -> o.attr(Attr.SNAPSHOT) != null && Integer.parseInt(o.attr(Attr.SNAPSHOT)) <= s.line())
                .toList();
        // what the transcript's answers up to that point showed completely
        List<Coverage> coverage = evidence.coverage().stream()
                .filter(c -> c.source().artifact().equals(s.artifact()) && c.source().line() <= s.line()).toList();
        Evidence at = new Evidence(evidence.artifacts(), List.of(), List.of(), obs, List.of(), null, coverage);
        return DeviceReconciler.reconcile(at);
    }

    /**
     * The source's rows, a row for each rejected migration section no layer of the source shows included (the seed's
     * slot 6): {@link DeviceTable#source()}.
     */
    public static List<DeviceRow> sourceRows(DeviceTable table) {
        return rowsOf(table, Side.SOURCE);
    }

    /** A side's rows. */
    static List<DeviceRow> rowsOf(DeviceTable table, Side side) {
        return side == Side.DESTINATION ? table.destination() : table.source();
    }

    /**
     * The two sides a diff of this VM opens on: source against destination when the evidence has both; on one host,
     * two layers of it that disagree most usefully about an unplug (the management layer or the command line
     * against QEMU's qdev tree, then QEMU's views against each other), where the evidence has both; else source
     * against destination, whose right side then says it has no evidence.
     */
    public static DiffSpec[] defaultSpecs(DeviceTable table) {
        if (table.hasDestination()) {
            return new DiffSpec[] {DiffSpec.SOURCE, DiffSpec.DESTINATION};
        }
        Set<Layer> seen = seen(table.source());
        List<Layer[]> pairs = List.of(new Layer[] {Layer.LIBVIRT_XML, Layer.QDEV},
                new Layer[] {Layer.COMMAND_LINE, Layer.QDEV}, new Layer[] {Layer.QDEV, Layer.BLOCK},
                new Layer[] {Layer.PCI, Layer.BLOCK}, new Layer[] {Layer.COMMAND_LINE, Layer.PCI},
                new Layer[] {Layer.LIBVIRT_XML, Layer.PCI});
        for (Layer[] pair : pairs) {
            if (seen.contains(pair[0]) && seen.contains(pair[1])) {
                return new DiffSpec[] {DiffSpec.of(Side.SOURCE, pair[0]), DiffSpec.of(Side.SOURCE, pair[1])};
            }
        }
        return new DiffSpec[] {DiffSpec.SOURCE, DiffSpec.DESTINATION};
    }

    /** The layers a side has evidence from: some row is seen, or seen missing, there. */
    static Set<Layer> seen(List<DeviceRow> rows) {
        Set<Layer> out = EnumSet.noneOf(Layer.class);
        for (DeviceRow r : rows) {
            r.presence().forEach((l, p) -> {
                if (p != Presence.NO_EVIDENCE) {
                    out.add(l);
                }
            });
        }
        return out;
    }

    /** Identity: the same qdev id; else the same PCI address where one side names no id ({@link DeviceTable#match}). */
    static DeviceRow match(DeviceRow row, List<DeviceRow> candidates) {
        return DeviceTable.match(row, candidates);
    }

    private static DiffRow row(DeviceTable table, DeviceRow l, DeviceRow r, View lv, View rv, boolean prefix) {
        DiffSpec left = lv.spec();
        DiffSpec right = rv.spec();
        DiffCell lc = cell(l, r, lv);
        DiffCell rc = cell(r, l, rv);
        Map<String, Value> lp = properties(l, left, prefix);
        Map<String, Value> rp = properties(r, right, prefix);
        Set<String> names = new TreeSet<>(lp.keySet());
        names.addAll(rp.keySet());
        List<PropertyDiff> props = new ArrayList<>();
        for (String n : names) {
            Value a = lp.get(n);
            Value b = rp.get(n);
            boolean changed;
            if (a != null && b != null) {
                changed = !a.text().equals(b.text());
            } else if (!prefix) {
                // one layer against another: a fact only one of the two layers records is no disagreement
                changed = false;
            } else {
                Value present = a != null ? a : b;
                DiffCell other = a != null ? rc : lc;
                DiffSpec otherSpec = a != null ? right : left;
                Layer layer = prefix ? present.layer : otherSpec.layer();
                changed = other.presence(layer) != Presence.NO_EVIDENCE;
            }
            props.add(new PropertyDiff(n, a == null ? null : a.text(), b == null ? null : b.text(), changed,
                    a == null ? List.of() : a.evidence, b == null ? List.of() : b.evidence));
        }
        List<Layer> differing = new ArrayList<>();
        if (left.layers().equals(right.layers())) {
            // the same layers: any layer both sides know and see differently
            for (Layer layer : left.layers()) {
                Presence a = lc.presence(layer);
                Presence b = rc.presence(layer);
                if (a != Presence.NO_EVIDENCE && b != Presence.NO_EVIDENCE && a != b) {
                    differing.add(layer);
                }
            }
        } else {
            // one layer against another: how each side sees the device, where both looked
            Presence a = summary(lc);
            Presence b = summary(rc);
            if (a != Presence.NO_EVIDENCE && b != Presence.NO_EVIDENCE && a != b) {
                differing.add(left.layer() != null ? left.layer() : right.layer());
            }
        }
        boolean different = !differing.isEmpty() || props.stream().anyMatch(PropertyDiff::changed);
        DeviceRow source = left.side() == Side.SOURCE && l != null ? l
                : right.side() == Side.SOURCE && r != null ? r : null;
        Orphan orphan = source == null ? null : orphan(table, source);
        if (orphan != null) {
            different = true;
        }
        DeviceRow any = l != null ? l : r;
        return new DiffRow(any.key(), label(l, r), type(l, r), lc, rc, props, different, orphan, differing);
    }

    /** The one presence a single-layer side shows (the first known one of a multi-layer side). */
    private static Presence summary(DiffCell c) {
        return c.presence().values().stream().filter(p -> p != Presence.NO_EVIDENCE).findFirst()
                .orElse(Presence.NO_EVIDENCE);
    }

    private static String label(DeviceRow l, DeviceRow r) {
        if (l != null && r != null && l.qdevId().isEmpty() && !r.qdevId().isEmpty()) {
            return r.label();
        }
        return (l != null ? l : r).label();
    }

    private static String type(DeviceRow l, DeviceRow r) {
        String t = l == null ? "" : l.type();
        return t.isEmpty() && r != null ? r.type() : t;
    }

    private static DiffCell cell(DeviceRow row, DeviceRow other, View view) {
        DiffSpec spec = view.spec();
        Map<Layer, Presence> p = new EnumMap<>(Layer.class);
        Map<Layer, List<SourceRef>> ev = new EnumMap<>(Layer.class);
        for (Layer layer : spec.layers()) {
            if (row != null) {
                p.put(layer, row.presence(layer));
                ev.put(layer, row.evidence(layer));
            } else {
                // a side with a source that lists every device of the device's class in that layer, and no such
                // device there: absent, not "no evidence" — where the device belongs in that layer at all (a board
                // device is on no command line and in no XML)
                boolean belongs = other != null && (other.presence(layer) != Presence.NO_EVIDENCE
                        || !other.qdevId().isEmpty() || layer == Layer.PCI || layer == Layer.QDEV);
                boolean complete = other != null && view.table().complete(view.side(), layer, other.deviceClass());
                p.put(layer, complete && belongs && layer != Layer.MIGRATION ? Presence.ABSENT
                        : Presence.NO_EVIDENCE);
            }
        }
        return new DiffCell(row, p, ev, view.hasEvidence());
    }

    private record Value(Layer layer, Set<String> values, List<SourceRef> evidence) {
        String text() {
            return String.join(" | ", values);
        }
    }

    /** The properties of a row as the spec's layers show them; sorted maps, so attribute order never matters. */
    static Map<String, Value> properties(DeviceRow row, DiffSpec spec, boolean prefix) {
        Map<String, Value> out = new TreeMap<>();
        if (row == null) {
            return out;
        }
        for (DeviceObservation o : row.observations()) {
            if (!spec.layers().contains(o.layer())) {
                continue;
            }
            String p = (prefix ? o.layer().jsonName() + " " : "") + (o.role() == DeviceRole.BACKEND ? "backend." : "");
            Map<String, String> facts = new TreeMap<>();
            if (o.role() == DeviceRole.BACKEND) {
                facts.put("id", o.id());
            }
            if (o.type() != null && !o.type().isEmpty()) {
                facts.put("type", o.type());
            }
            if (o.pci() != null) {
                facts.put("addr", o.pci().toString());
            }
            if (o.role() == DeviceRole.FRONTEND && o.backend() != null) {
                String kind = o.attr(Attr.BACKEND_KIND);
                facts.put(kind == null ? "backend" : kind, o.backend());
            }
            o.attributes().forEach((k, v) -> {
                if (!HIDDEN.contains(k)) {
                    facts.put(k, v);
                }
            });
            facts.forEach((k, v) -> {
                Value val = out.computeIfAbsent(p + k, x -> new Value(o.layer(), new TreeSet<>(), new ArrayList<>()));
                val.values.add(quote(v));
                if (!val.evidence.contains(o.source())) {
                    val.evidence.add(o.source());
                }
            });
        }
        return out;
    }

    private static String quote(String v) {
        return v == null || v.isEmpty() ? "\"\"" : v;
    }

    /**
     * Why a source row is an orphaned frontend (docs/architecture.md, "Presence per layer"): still alive in qdev/PCI (or still in the source's
     * migration stream) while its backend is gone from the block layer, the qdev property or the XML, or the
     * destination does not know it. Null when it is none.
     */
    public static Orphan orphan(DeviceTable table, DeviceRow row) {
        List<Orphan.Fact> facts = new ArrayList<>();
        List<String> alive = new ArrayList<>();
        for (Layer l : List.of(Layer.QDEV, Layer.PCI)) {
            Presence p = row.presence(l);
            if (p == Presence.PRESENT || p == Presence.DIFFERENT) {
                alive.add(l.jsonName());
            }
        }
        boolean backendGone = false;
        if (!alive.isEmpty()) {
            facts.add(new Orphan.Fact("reason.alive", List.of(String.join(", ", alive))));
        }
        if (row.presence(Layer.QDEV) == Presence.DIFFERENT) {
            facts.add(new Orphan.Fact("reason.drive-empty", List.of()));
            backendGone = true;
        }
        if (row.presence(Layer.BLOCK) == Presence.DIFFERENT) {
            facts.add(new Orphan.Fact("reason.block-anonymous", List.of()));
            backendGone = true;
        } else if (row.presence(Layer.BLOCK) == Presence.ABSENT) {
            facts.add(new Orphan.Fact("reason.block-gone", List.of(row.backend() == null ? "" : row.backend())));
            backendGone = true;
        }
        if (row.presence(Layer.LIBVIRT_XML) == Presence.ABSENT) {
            facts.add(new Orphan.Fact("reason.xml-gone", List.of()));
            backendGone = true;
        }
        boolean rejected = row.presence(Layer.MIGRATION) == Presence.REJECTED;
        boolean onDestination = DeviceTable.match(row, table.destination()) != null;
        if (rejected) {
            String idstr = row.observations().stream().filter(o -> o.layer() == Layer.MIGRATION)
                    .map(o -> o.attr(Attr.IDSTR)).filter(Objects::nonNull).findFirst()
                    .orElse(String.valueOf(row.pci()));
            facts.add(new Orphan.Fact("reason.rejected", List.of(idstr)));
        } else if (!onDestination && !table.destination().isEmpty()) {
            facts.add(new Orphan.Fact("reason.unknown-to-destination", List.of()));
        }
        boolean orphan = !alive.isEmpty() && backendGone || rejected && !onDestination;
        return orphan ? new Orphan(facts) : null;
    }

    static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale == null ? Locale.ROOT : locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** A layer's name for column headers and pickers. */
    public static String layerName(Layer layer, Locale locale) {
        return bundle(locale).getString("layer." + layer.jsonName());
    }

    /** A presence's short text for a cell. */
    public static String presenceName(Presence p, Locale locale) {
        return bundle(locale).getString("presence." + p.jsonName());
    }

    /** A side spec's name for the pickers: {@code source}, {@code destination · qdev tree}. */
    public static String specName(DiffSpec spec, Locale locale) {
        ResourceBundle b = bundle(locale);
        String side = b.getString("side." + spec.side().name().toLowerCase(Locale.ROOT));
        if (spec.snapshot() != null) {
            String layers = spec.snapshot().layers().stream().map(l -> b.getString("layer." + l.jsonName()))
                    .collect(java.util.stream.Collectors.joining(", "));
            return new java.text.MessageFormat(b.getString("side.snapshot"), b.getLocale())
                    .format(new Object[]{side, spec.snapshot().label(), layers});
        }
        return spec.layer() == null ? side : side + " · " + b.getString("layer." + spec.layer().jsonName());
    }
}
