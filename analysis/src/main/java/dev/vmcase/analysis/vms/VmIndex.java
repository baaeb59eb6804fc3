package dev.vmcase.analysis.vms;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Guest;
import dev.vmcase.model.QmpMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Which VM each record of the evidence speaks for (see the package comment): the VMs, a look-up per record, each VM's
 * part of the evidence ({@link #slice}) and what belongs to none ({@link #unattributed()}).
 */
public final class VmIndex {
    private final Evidence evidence;
    private final List<Vm> vms;
    /**
     * Each name claimed anywhere → its VM, and each UUID in {@link #byUuid}: apart, so that none of a long log's tens of
     * thousands of records that ask builds a key.
     */
    private final Map<String, Vm> byName = new HashMap<>();
    private final Map<String, Vm> byUuid = new HashMap<>();
    /**
     * The VM of each artifact as a whole (its own claim, its records' one VM, or its neighbours'), by path: two files
     * with the same bytes (the same qemu-version.txt beside two VMs' logs) are two artifacts of the same sha256.
     */
    private final Map<String, Vm> byArtifact = new HashMap<>();
    private final List<Unattributed> unattributed = new ArrayList<>();
    /** Where an artifact was when it was handed over (its folder is what its neighbours share). */
    private final UnaryOperator<String> place;

    private VmIndex(Evidence evidence, UnaryOperator<String> place) {
        this.evidence = evidence;
        this.place = place;
        UnionFind names = new UnionFind();
        List<Guest> guests = new ArrayList<>();
        evidence.artifacts().forEach(a -> add(guests, a.guest()));
        evidence.events().forEach(e -> add(guests, e.guest()));
        evidence.qmp().forEach(m -> add(guests, m.guest()));
        evidence.observations().forEach(o -> add(guests, o.guest()));
        evidence.coverage().forEach(c -> add(guests, c.guest()));
        Guest last = null;
        for (Guest g : guests) {
            if (g != last && !g.equals(last)) { // a file's records name their guest again and again: once is enough
                names.union(g);
                last = g;
            }
        }
        Map<String, TreeSet<String>[]> groups = new LinkedHashMap<>();
        for (String node : names.nodes()) {
            @SuppressWarnings("unchecked")
            TreeSet<String>[] nu = groups.computeIfAbsent(names.find(node),
                    k -> new TreeSet[] {new TreeSet<>(), new TreeSet<>()});
            nu[node.startsWith("n:") ? 0 : 1].add(node.substring(2));
        }
        List<Vm> found = new ArrayList<>();
        groups.forEach((root, nu) -> {
            Vm vm = new Vm(nu[0].isEmpty() ? nu[1].first() : nu[0].first(), List.copyOf(nu[0]), List.copyOf(nu[1]));
            found.add(vm);
            nu[0].forEach(n -> byName.put(n, vm));
            nu[1].forEach(u -> byUuid.put(u, vm));
        });
        found.sort(Comparator.comparing(Vm::key));
        if (found.isEmpty()) {
            Vm one = Vm.unnamed();
            this.vms = List.of(one);
            evidence.artifacts().forEach(a -> byArtifact.put(a.path(), one));
        } else {
            this.vms = List.copyOf(found);
            attributeArtifacts();
        }
    }

    private static void add(List<Guest> guests, Guest g) {
        if (g != null) {
            guests.add(g);
        }
    }

    public static VmIndex of(Evidence evidence) {
        return new VmIndex(evidence, UnaryOperator.identity());
    }

    /**
     * As {@link #of(Evidence)}, with the place each artifact path was handed over at: a saved case keeps every file
     * under a number of its own ({@code artifacts/0007/x.json}), and only its original name
     * ({@code evidence/cmp-1/vm-alpha/x.json}) still says which files were neighbours.
     */
    public static VmIndex of(Evidence evidence, UnaryOperator<String> place) {
        return new VmIndex(evidence, place);
    }

    /** Every VM, by key; one {@linkplain Vm#unnamed() unnamed} VM when the evidence names none. */
    public List<Vm> vms() {
        return vms;
    }

    /** The VM a name or UUID belongs to. */
    public Optional<Vm> find(String nameOrUuid) {
        if (nameOrUuid == null) {
            return Optional.empty();
        }
        Vm v = byName.get(nameOrUuid);
        if (v == null) {
            v = byUuid.get(nameOrUuid.toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(v);
    }

    /** The VM a guest claim belongs to. */
    public Vm of(Guest g) {
        if (g == null) {
            return null;
        }
        Vm v = g.name() != null ? byName.get(g.name()) : null;
        return v != null || g.uuid() == null ? v : byUuid.get(g.uuid());
    }

    /** The VM of a record: its own claim, else its artifact's (by its path); null when it belongs to none. */
    public Vm of(Guest recordGuest, String artifactPath) {
        return recordGuest != null ? of(recordGuest) : byArtifact.get(artifactPath);
    }

    /** The VM an artifact as a whole belongs to, or null (none, or its records belong to several). */
    public Vm ofArtifact(Artifact a) {
        return byArtifact.get(a.path());
    }

    public Vm of(Event e) {
        return of(e.guest(), e.source().path());
    }

    public Vm of(QmpMessage m) {
        return of(m.guest(), m.source().path());
    }

    public Vm of(DeviceObservation o) {
        return of(o.guest(), o.source().path());
    }

    public Vm of(Coverage c) {
        return of(c.guest(), c.source().path());
    }

    public Vm of(Backtrace b) {
        return byArtifact.get(b.source().path());
    }

    /** Evidence that belongs to no VM, by artifact. */
    public List<Unattributed> unattributed() {
        return List.copyOf(unattributed);
    }

    /**
     * One VM's part of the evidence: its records, the artifacts they come from (a libvirtd log of several VMs is in
     * each of their slices, with only that VM's records) and their timeline.
     */
    public Evidence slice(Vm vm) {
        if (vms.size() == 1 && unattributed.isEmpty() && vms.get(0).equals(vm)) {
            return evidence;
        }
        List<Event> events = only(evidence.events(), this::of, vm);
        List<QmpMessage> qmp = only(evidence.qmp(), this::of, vm);
        List<DeviceObservation> obs = only(evidence.observations(), this::of, vm);
        List<Backtrace> bts = only(evidence.backtraces(), this::of, vm);
        List<Coverage> cov = only(evidence.coverage(), this::of, vm);
        Set<String> paths = new LinkedHashSet<>();
        byArtifact.forEach((path, v) -> {
            if (v.equals(vm)) {
                paths.add(path);
            }
        });
        events.forEach(e -> paths.add(e.source().path()));
        qmp.forEach(m -> paths.add(m.source().path()));
        obs.forEach(o -> paths.add(o.source().path()));
        cov.forEach(c -> paths.add(c.source().path()));
        List<Artifact> arts = evidence.artifacts().stream().filter(a -> paths.contains(a.path())).toList();
        Set<String> shas = new LinkedHashSet<>();
        arts.forEach(a -> shas.add(a.sha256()));
        return new Evidence(arts, events, qmp, obs, bts, evidence.timeline().only(shas), cov);
    }

    private static <T> List<T> only(List<T> records, Function<T, Vm> vmOf, Vm vm) {
        List<T> out = new ArrayList<>();
        for (T r : records) {
            if (vm.equals(vmOf.apply(r))) {
                out.add(r);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ artifacts

    /** What an artifact's content names: its own claim, or the VMs of its records' claims. */
    private Set<Vm> named(Artifact a, Map<String, Set<Vm>> recordVms) {
        if (a.guest() != null) {
            return Set.of(of(a.guest()));
        }
        return recordVms.getOrDefault(a.path(), Set.of());
    }

    private void attributeArtifacts() {
        Map<String, Set<Vm>> recordVms = new HashMap<>();
        Map<String, int[]> records = new HashMap<>(); // [records, records without a guest]
        countRecords(evidence.events(), Event::guest, e -> e.source().path(), recordVms, records);
        countRecords(evidence.qmp(), QmpMessage::guest, m -> m.source().path(), recordVms, records);
        countRecords(evidence.observations(), DeviceObservation::guest, o -> o.source().path(), recordVms, records);
        countRecords(evidence.coverage(), Coverage::guest, c -> c.source().path(), recordVms, records);
        countRecords(evidence.backtraces(), b -> null, b -> b.source().path(), recordVms, records);
        // which VMs the files of each folder (and below) name
        Map<String, Set<Vm>> folders = new HashMap<>();
        for (Artifact a : evidence.artifacts()) {
            Set<Vm> n = named(a, recordVms);
            if (n.isEmpty()) {
                continue;
            }
            for (String f = parent(place.apply(a.path())); f != null; f = parent(f)) {
                folders.computeIfAbsent(f, k -> new LinkedHashSet<>()).addAll(n);
            }
        }
        for (Artifact a : evidence.artifacts()) {
            Set<Vm> n = named(a, recordVms);
            int[] count = records.getOrDefault(a.path(), new int[2]);
            if (n.size() == 1) {
                byArtifact.put(a.path(), n.iterator().next());
                continue;
            }
            if (n.size() > 1) {
                if (count[1] > 0) {
                    unattributed.add(new Unattributed(a, count[1], Unattributed.Reason.FILE_NAMES_SEVERAL, null,
                            n.size()));
                }
                continue;
            }
            // names none: the VM its neighbours name, from the nearest folder whose files name any
            String where = null;
            Set<Vm> near = Set.of();
            for (String f = parent(place.apply(a.path())); f != null; f = parent(f)) {
                Set<Vm> s = folders.get(f);
                if (s != null && !s.isEmpty()) {
                    where = f;
                    near = s;
                    break;
                }
            }
            if (near.size() == 1) {
                byArtifact.put(a.path(), near.iterator().next());
            } else if (count[0] > 0) {
                unattributed.add(new Unattributed(a, count[0], near.isEmpty() ? Unattributed.Reason.NO_VM_NEAR
                        : Unattributed.Reason.NEIGHBOURS_NAME_SEVERAL, where, near.size()));
            }
        }
    }

    private <T> void countRecords(List<T> list, Function<T, Guest> guest, Function<T, String> artifactPath,
                                  Map<String, Set<Vm>> recordVms, Map<String, int[]> records) {
        // a file's records come one after another, most of them of the guest the one before was of: the file's
        // counts and the last guest seen are looked up again only when they change
        String lastPath = null;
        int[] c = null;
        Guest lastGuest = null;
        for (T r : list) {
            String path = artifactPath.apply(r);
            if (!path.equals(lastPath)) {
                c = records.computeIfAbsent(path, k -> new int[2]);
                lastPath = path;
                lastGuest = null;
            }
            c[0]++;
            Guest g = guest.apply(r);
            if (g == null) {
                c[1]++;
            } else if (!g.equals(lastGuest)) {
                recordVms.computeIfAbsent(path, k -> new LinkedHashSet<>()).add(of(g));
                lastGuest = g;
            }
        }
    }

    /**
     * The folder holding a path: what comes before its last {@code /} (an archive member's {@code a.tar!/x} is in
     * {@code a.tar!}, the archive itself); null at the top.
     */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            slash = path.lastIndexOf('\\');
        }
        return slash <= 0 ? null : path.substring(0, slash);
    }

    /** Names and UUIDs that some source gives together belong to one VM. */
    private static final class UnionFind {
        private final Map<String, String> parent = new LinkedHashMap<>();

        void union(Guest g) {
            String a = g.name() != null ? "n:" + g.name() : null;
            String b = g.uuid() != null ? "u:" + g.uuid() : null;
            if (a != null) {
                parent.putIfAbsent(a, a);
            }
            if (b != null) {
                parent.putIfAbsent(b, b);
            }
            if (a != null && b != null) {
                String ra = find(a);
                String rb = find(b);
                if (!ra.equals(rb)) {
                    parent.put(ra, rb);
                }
            }
        }

        String find(String x) {
            String r = x;
            while (!parent.get(r).equals(r)) {
                r = parent.get(r);
            }
            parent.put(x, r);
            return r;
        }

        Set<String> nodes() {
            return new LinkedHashSet<>(parent.keySet());
        }
    }
}
