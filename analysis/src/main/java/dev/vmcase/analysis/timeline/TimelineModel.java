package dev.vmcase.analysis.timeline;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.rules.BackendRemovedBeforeFrontendRule;
import dev.vmcase.analysis.rules.RuleContext;
import dev.vmcase.analysis.rules.Unplugs;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Role;
import dev.vmcase.model.SourceRef;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.libvirt.LibvirtdLogParser;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.nova.NovaLogParser;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The timeline of an analysis, without any toolkit: every dated line of every artifact in lanes by host × layer,
 * density bins per pixel column for any visible range, the correlations as spans and the findings as markers.
 *
 * <p>Each lane keeps its events as sorted primitive arrays (time, a reference into {@link Evidence#timeline()},
 * level) plus a worst-level summary per block of 8, 64 and 4096 events, so one frame's bins cost two binary searches
 * per lane and column, whatever the number of events. QMP commands of a wire transcript carry no time: they are
 * placed just before the next timed message of their conversation and reported as {@link Hit#estimated()}.
 *
 * <p>Host keys: the artifact's host, else {@link #SOURCE}/{@link #DESTINATION}/{@link #UNKNOWN} by its migration
 * role. Every time the model hands out has the host's clock offset ({@link #setOffsets}) applied; the model may be
 * read from any thread, offsets are swapped atomically.
 */
public final class TimelineModel {
    public static final String SOURCE = "@source";
    public static final String DESTINATION = "@destination";
    public static final String UNKNOWN = "@unknown";
    private static final int FINE = 8;
    private static final int BLOCK = 64;
    private static final int SUPER = 4096;
    private static final Set<String> GUEST_EVENTS = Set.of("GUEST_PANICKED", "GUEST_CRASHLOADED", "SUSPEND", "WAKEUP",
            "POWERDOWN", "RTC_CHANGE", "WATCHDOG", "GUEST_PVSHUTDOWN", "ACPI_DEVICE_OST");

    private final Evidence evidence;
    private final Timeline timeline;
    private final List<Lane> lanes;
    private final LaneData[] data;
    private final List<Extra> extras;
    private final Map<String, Integer> artifactIndex;
    private final ArtifactInfo[] artifacts;
    private final Map<String, Map<Integer, String>> texts = new HashMap<>();
    private final List<Span> spans;
    private final List<Marker> markers;
    private final List<String> hosts;
    private volatile ClockOffsets offsets = ClockOffsets.NONE;

    /** Sorted events of one lane. */
    private static final class LaneData {
        long[] micros = new long[0];
        int[] ref = new int[0]; // >= 0: timeline entry; < 0: extras[-ref - 1]
        byte[] level = new byte[0];
        byte[] fineMax = new byte[0];
        long[] coarse = new long[0]; // every BLOCK-th time: small enough to stay in cache
        byte[] blockMax = new byte[0];
        byte[] superMax = new byte[0];
        int size;
    }

    /** A message placed on the timeline that the timeline index does not hold (an untimed QMP command). */
    private record Extra(int artifact, int line, long micros, byte level, boolean estimated) {
    }

    private static final class ArtifactInfo {
        final Artifact artifact;
        final String host;
        final LaneLayer base;
        BitSet qmpLines;
        BitSet guestLines;
        BitSet libvirtLines;
        BitSet indexed;
        final List<int[]> ranges = new ArrayList<>(); // [from, to) of timeline entries

        ArtifactInfo(Artifact a) {
            this.artifact = a;
            this.host = hostKey(a);
            this.base = baseLayer(a.format());
        }
    }

    private TimelineModel(Evidence evidence, List<Finding> findings, List<Unplugs.Unplug> unplugs,
                          Map<String, List<QmpMessage>> conversations) {
        this.evidence = evidence;
        this.timeline = evidence.timeline();
        List<Artifact> arts = evidence.artifacts();
        artifacts = new ArtifactInfo[arts.size()];
        artifactIndex = new HashMap<>();
        for (int i = 0; i < arts.size(); i++) {
            artifacts[i] = new ArtifactInfo(arts.get(i));
            artifactIndex.putIfAbsent(arts.get(i).sha256(), i);
        }
        for (QmpMessage m : evidence.qmp()) {
            ArtifactInfo a = info(m.source().artifact());
            if (a == null) {
                continue;
            }
            if (a.qmpLines == null) {
                a.qmpLines = new BitSet();
                a.guestLines = new BitSet();
                a.indexed = new BitSet();
            }
            a.qmpLines.set(m.source().line());
            if (isGuest(m)) {
                a.guestLines.set(m.source().line());
            }
            remember(m.source());
        }
        for (Event e : evidence.events()) {
            ArtifactInfo a = info(e.source().artifact());
            remember(e.source());
            if (a != null && a.base == LaneLayer.QEMU && (e.kind() == EventKind.LIBVIRT_MESSAGE
                    || e.kind() == EventKind.LIBVIRT_START || e.kind() == EventKind.LIBVIRT_SHUTDOWN)) {
                if (a.libvirtLines == null) {
                    a.libvirtLines = new BitSet();
                }
                a.libvirtLines.set(e.source().line());
            }
        }
        findings.forEach(f -> f.evidence().forEach(this::remember));

        // pass 1: which lane each timeline entry goes to, and how many each lane gets
        Map<String, Integer> laneIds = new LinkedHashMap<>();
        List<String[]> laneKeys = new ArrayList<>();
        int n = timeline.size();
        short[] laneOf = new short[n];
        List<int[]> counts = new ArrayList<>();
        String prevSha = null;
        int art = -1;
        int rangeStart = 0;
        for (int i = 0; i < n; i++) {
            String sha = timeline.artifact(i);
            if (sha != prevSha) {
                if (art >= 0) {
                    artifacts[art].ranges.add(new int[] {rangeStart, i});
                }
                prevSha = sha;
                Integer ai = artifactIndex.get(sha);
                art = ai == null ? -1 : ai;
                rangeStart = i;
            }
            int line = timeline.line(i);
            ArtifactInfo a = art < 0 ? null : artifacts[art];
            if (a != null && a.indexed != null) {
                a.indexed.set(line);
            }
            int lane = laneId(laneIds, laneKeys, counts, a == null ? UNKNOWN : a.host, layerOf(a, line));
            laneOf[i] = (short) lane;
            counts.get(lane)[0]++;
        }
        if (art >= 0) {
            artifacts[art].ranges.add(new int[] {rangeStart, n});
        }

        // QMP messages the index does not hold: placed between the timed messages of their conversation
        List<Extra> extraList = new ArrayList<>();
        List<Integer> extraLane = new ArrayList<>();
        Map<Long, Integer> extraByKey = new HashMap<>();
        for (List<QmpMessage> conv : conversations.values()) {
            long[] times = placeConversation(conv);
            for (int k = 0; k < conv.size(); k++) {
                QmpMessage m = conv.get(k);
                Integer ai = artifactIndex.get(m.source().artifact());
                if (ai == null || times[k] == Long.MIN_VALUE) {
                    continue;
                }
                ArtifactInfo a = artifacts[ai];
                if (a.indexed != null && a.indexed.get(m.source().line())) {
                    continue;
                }
                int lane = laneId(laneIds, laneKeys, counts, a.host, isGuest(m) ? LaneLayer.GUEST : LaneLayer.QMP);
                counts.get(lane)[0]++;
                byte level = m.kind() == QmpKind.ERROR ? Timeline.WARNING : Timeline.INFO;
                extraByKey.put(key(ai, m.source().line()), extraList.size());
                extraList.add(new Extra(ai, m.source().line(), times[k], level, m.time() == null));
                extraLane.add(lane);
            }
        }
        this.extras = List.copyOf(extraList);
        this.extraIndex = extraByKey;

        // lanes in order: hosts (named ones first, then the sides), layers top to bottom
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < laneKeys.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer, String>comparing(i -> hostSortKey(laneKeys.get(i)[0]))
                .thenComparing(i -> LaneLayer.valueOf(laneKeys.get(i)[1]).ordinal()));
        int[] remap = new int[laneKeys.size()];
        List<Lane> laneList = new ArrayList<>();
        List<String> hostList = new ArrayList<>();
        for (int pos = 0; pos < order.size(); pos++) {
            String[] k = laneKeys.get(order.get(pos));
            remap[order.get(pos)] = pos;
            laneList.add(new Lane(pos, k[0], LaneLayer.valueOf(k[1])));
            if (!hostList.contains(k[0])) {
                hostList.add(k[0]);
            }
        }
        this.lanes = List.copyOf(laneList);
        this.hosts = List.copyOf(hostList);
        this.laneIndex = new HashMap<>();
        for (Lane l : lanes) {
            laneIndex.put(l.host() + "\n" + l.layer(), l.index());
        }

        // pass 2: fill the lanes, sort them by time
        data = new LaneData[lanes.size()];
        for (int id = 0; id < laneKeys.size(); id++) {
            LaneData d = new LaneData();
            int c = counts.get(id)[0];
            d.micros = new long[c];
            d.ref = new int[c];
            d.level = new byte[c];
            data[remap[id]] = d;
        }
        for (int i = 0; i < n; i++) {
            LaneData d = data[remap[laneOf[i]]];
            d.micros[d.size] = timeline.epochMicros(i);
            d.ref[d.size] = i;
            d.level[d.size] = timeline.level(i);
            d.size++;
        }
        laneOf = null;
        for (int x = 0; x < extras.size(); x++) {
            LaneData d = data[remap[extraLane.get(x)]];
            Extra e = extras.get(x);
            d.micros[d.size] = e.micros();
            d.ref[d.size] = -x - 1;
            d.level[d.size] = e.level();
            d.size++;
        }
        for (LaneData d : data) {
            sort(d);
            summarize(d);
        }
        this.spans = List.copyOf(spans(conversations, unplugs));
        this.markers = List.copyOf(markers(findings));
    }

    private final Map<Long, Integer> extraIndex;
    private final Map<String, Integer> laneIndex;

    /** The model of an analysis (its evidence, findings and the rules' unplug pairing). */
    public static TimelineModel of(AnalysisResult result) {
        RuleContext ctx = new RuleContext(result.evidence(), result.devices());
        return new TimelineModel(result.evidence(), result.findings(), ctx.unplugs(), ctx.conversations());
    }

    // ---------------------------------------------------------------- lanes

    private static String hostKey(Artifact a) {
        if (a.host() != null && !a.host().isBlank()) {
            return a.host();
        }
        return a.role() == Role.DESTINATION ? DESTINATION : a.role() == Role.SOURCE ? SOURCE : UNKNOWN;
    }

    private static String hostSortKey(String host) {
        if (host.equals(SOURCE)) {
            return "\u0001a";
        }
        if (host.equals(DESTINATION)) {
            return "\u0001b";
        }
        return host.equals(UNKNOWN) ? "\u0001c" : "\u0000" + host;
    }

    private static LaneLayer baseLayer(String format) {
        if (format == null) {
            return LaneLayer.QEMU;
        }
        switch (format) {
            case NovaLogParser.FORMAT:
                return LaneLayer.NOVA;
            case LibvirtdLogParser.FORMAT:
            case "libvirt-domain-xml":
                return LaneLayer.LIBVIRT;
            case "qmp-transcript":
            case "qmp-json":
                return LaneLayer.QMP;
            case DomainLogParser.FORMAT:
            default:
                return LaneLayer.QEMU;
        }
    }

    private static LaneLayer layerOf(ArtifactInfo a, int line) {
        if (a == null) {
            return LaneLayer.QEMU;
        }
        if (a.guestLines != null && a.guestLines.get(line)) {
            return LaneLayer.GUEST;
        }
        if (a.qmpLines != null && a.qmpLines.get(line)) {
            return LaneLayer.QMP;
        }
        if (a.libvirtLines != null && a.libvirtLines.get(line)) {
            return LaneLayer.LIBVIRT;
        }
        return a.base;
    }

    /** Events the guest caused: its panics, power requests and the events QEMU marks {@code guest: true}. */
    private static boolean isGuest(QmpMessage m) {
        return m.kind() == QmpKind.EVENT && (GUEST_EVENTS.contains(m.name()) || "true".equals(m.arg("guest")));
    }

    private static int laneId(Map<String, Integer> ids, List<String[]> keys, List<int[]> counts, String host,
                              LaneLayer layer) {
        String k = host + "\n" + layer;
        Integer id = ids.get(k);
        if (id == null) {
            id = keys.size();
            ids.put(k, id);
            keys.add(new String[] {host, layer.name()});
            counts.add(new int[1]);
        }
        return id;
    }

    private ArtifactInfo info(String sha) {
        Integer i = artifactIndex.get(sha);
        return i == null ? null : artifacts[i];
    }

    private void remember(SourceRef r) {
        if (r.text() != null) {
            texts.computeIfAbsent(r.artifact(), k -> new HashMap<>()).putIfAbsent(r.line(), r.text());
        }
    }

    private static long key(int artifact, int line) {
        return ((long) artifact << 32) | (line & 0xffffffffL);
    }

    /**
     * Times of a conversation's messages: their own, else just before the next timed message (one microsecond per
     * line between them, keeping file order), else just after the last one; MIN_VALUE when nothing in it is timed.
     */
    private static long[] placeConversation(List<QmpMessage> conv) {
        long[] t = new long[conv.size()];
        long next = Long.MIN_VALUE;
        int nextLine = 0;
        for (int k = conv.size() - 1; k >= 0; k--) {
            QmpMessage m = conv.get(k);
            if (m.time() != null) {
                next = micros(m.time());
                nextLine = m.source().line();
                t[k] = next;
            } else {
                t[k] = next == Long.MIN_VALUE ? Long.MIN_VALUE : next - (nextLine - m.source().line());
            }
        }
        long prev = Long.MIN_VALUE;
        int prevLine = 0;
        for (int k = 0; k < conv.size(); k++) {
            QmpMessage m = conv.get(k);
            if (m.time() != null) {
                prev = t[k];
                prevLine = m.source().line();
            } else if (t[k] == Long.MIN_VALUE && prev != Long.MIN_VALUE) {
                t[k] = prev + (m.source().line() - prevLine);
            }
        }
        return t;
    }

    private static long micros(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    // ---------------------------------------------------------------- sorting, summaries

    private static void sort(LaneData d) {
        boolean sorted = true;
        for (int i = 1; i < d.size && sorted; i++) {
            sorted = d.micros[i - 1] <= d.micros[i];
        }
        if (sorted) {
            return;
        }
        int n = d.size;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int[] tmp = new int[n];
        mergeSort(idx, tmp, 0, n, d.micros);
        long[] m = new long[n];
        int[] r = new int[n];
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) {
            m[i] = d.micros[idx[i]];
            r[i] = d.ref[idx[i]];
            l[i] = d.level[idx[i]];
        }
        d.micros = m;
        d.ref = r;
        d.level = l;
    }

    /** Stable indirect merge sort on primitive keys (runs already in order, as in log files, merge cheaply). */
    private static void mergeSort(int[] a, int[] tmp, int from, int to, long[] key) {
        if (to - from < 32) {
            for (int i = from + 1; i < to; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= from && key[a[j]] > key[v]) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid, key);
        mergeSort(a, tmp, mid, to, key);
        if (key[a[mid - 1]] <= key[a[mid]]) {
            return;
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && key[tmp[i]] <= key[tmp[j]])) {
                a[k] = tmp[i++];
            } else {
                a[k] = tmp[j++];
            }
        }
    }

    private static void summarize(LaneData d) {
        d.coarse = new long[(d.size + BLOCK - 1) / BLOCK];
        for (int i = 0; i < d.coarse.length; i++) {
            d.coarse[i] = d.micros[i * BLOCK];
        }
        d.fineMax = new byte[(d.size + FINE - 1) / FINE];
        d.blockMax = new byte[(d.size + BLOCK - 1) / BLOCK];
        java.util.Arrays.fill(d.fineMax, (byte) -1);
        d.superMax = new byte[(d.size + SUPER - 1) / SUPER];
        java.util.Arrays.fill(d.blockMax, (byte) -1);
        java.util.Arrays.fill(d.superMax, (byte) -1);
        for (int i = 0; i < d.size; i++) {
            byte l = d.level[i];
            if (l > d.fineMax[i / FINE]) {
                d.fineMax[i / FINE] = l;
            }
            if (l > d.blockMax[i / BLOCK]) {
                d.blockMax[i / BLOCK] = l;
            }
            if (l > d.superMax[i / SUPER]) {
                d.superMax[i / SUPER] = l;
            }
        }
    }

    /** The worst level of entries [from, to) using the block summaries. */
    private static byte worst(LaneData d, int from, int to) {
        byte w = -1;
        int i = from;
        while (i < to && w < Timeline.ERROR) {
            if (i % SUPER == 0 && i + SUPER <= to) {
                w = (byte) Math.max(w, d.superMax[i / SUPER]);
                i += SUPER;
            } else if (i % BLOCK == 0 && i + BLOCK <= to) {
                w = (byte) Math.max(w, d.blockMax[i / BLOCK]);
                i += BLOCK;
            } else if (i % FINE == 0 && i + FINE <= to) {
                w = (byte) Math.max(w, d.fineMax[i / FINE]);
                i += FINE;
            } else {
                w = (byte) Math.max(w, d.level[i]);
                i++;
            }
        }
        return w;
    }

    /**
     * First index at or after {@code from} whose time is >= t, searching outwards from {@code from}: the next column's
     * edge is near, so this touches a few neighbouring cache lines instead of a whole lane's worth of random ones.
     */
    private static int gallop(LaneData d, long t, int from) {
        long[] c = d.coarse;
        int cfrom = from / BLOCK;
        int lo = cfrom;
        int step = 1;
        int hi = cfrom + 1;
        while (hi < c.length && c[hi] < t) { // in the coarse index, which stays in cache
            lo = hi;
            step <<= 1;
            hi = cfrom + step;
        }
        hi = Math.min(hi, c.length);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // coarse[lo] >= t (or lo == length): the answer is in the block before it
        int a = Math.max(from, (lo - 1) * BLOCK);
        int b = Math.min(d.size, lo * BLOCK + 1);
        long[] m = d.micros;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (m[mid] < t) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        return a;
    }

    /** First index whose time is >= t. */
    private static int lowerBound(LaneData d, long t) {
        return lowerBound(d, t, 0);
    }

    private static int lowerBound(LaneData d, long t, int from) {
        int lo = from;
        int hi = d.size;
        long[] m = d.micros;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (m[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ---------------------------------------------------------------- spans and markers

    private List<Span> spans(Map<String, List<QmpMessage>> conversations, List<Unplugs.Unplug> unplugs) {
        List<Span> out = new ArrayList<>();
        long end = rawEnd();
        Set<QmpMessage> unplugCommands = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Unplugs.Unplug u : unplugs) {
            Hit s = locateRaw(u.command().source().artifact(), u.command().source().line());
            if (s == null || u.refused()) {
                continue;
            }
            unplugCommands.add(u.command());
            String label = "device_del " + u.deviceId();
            if (u.ack() != null) {
                Hit e = locateRaw(u.ack().source().artifact(), u.ack().source().line());
                if (e != null) {
                    out.add(new Span(Span.Kind.UNPLUG, s.lane(), s.micros(), u.command().source(), e.lane(), e.micros(),
                            u.ack().source(), false, label, false));
                    continue;
                }
            }
            out.add(new Span(Span.Kind.UNPLUG, s.lane(), s.micros(), u.command().source(), s.lane(),
                    Math.max(end, s.micros()), null, true, label, false));
        }
        List<Span> migrationStarts = new ArrayList<>();
        for (List<QmpMessage> conv : conversations.values()) {
            for (int k = 0; k < conv.size(); k++) {
                QmpMessage m = conv.get(k);
                if (m.kind() != QmpKind.COMMAND) {
                    continue;
                }
                Hit s = locateRaw(m.source().artifact(), m.source().line());
                if (s == null) {
                    continue;
                }
                String name = RuleContext.hmpCommand(m) != null ? RuleContext.hmpCommand(m).strip() : m.name();
                if (!unplugCommands.contains(m)) {
                    QmpMessage answer = RuleContext.answerTo(conv, m);
                    Hit e = answer == null ? null : locateRaw(answer.source().artifact(), answer.source().line());
                    if (e != null) {
                        out.add(new Span(Span.Kind.COMMAND_REPLY, s.lane(), s.micros(), m.source(), e.lane(),
                                e.micros(), answer.source(), false, name,
                                BackendRemovedBeforeFrontendRule.backendRemoval(m).isPresent()));
                    }
                }
                if ("migrate".equals(m.name()) || "migrate-incoming".equals(m.name())) {
                    QmpMessage done = null;
                    for (int j = k + 1; j < conv.size() && done == null; j++) {
                        QmpMessage n = conv.get(j);
                        String st = n.arg("status");
                        if (n.kind() == QmpKind.EVENT && "MIGRATION".equals(n.name())
                                && ("failed".equals(st) || "completed".equals(st) || "cancelled".equals(st))) {
                            done = n;
                        }
                    }
                    Hit e = done == null ? null : locateRaw(done.source().artifact(), done.source().line());
                    Span sp = e == null
                            ? new Span(Span.Kind.MIGRATION, s.lane(), s.micros(), m.source(), s.lane(),
                                    Math.max(end, s.micros()), null, true, m.name(), false)
                            : new Span(Span.Kind.MIGRATION, s.lane(), s.micros(), m.source(), e.lane(), e.micros(),
                                    done.source(), false, m.name() + " → " + done.arg("status"),
                                    "failed".equals(done.arg("status")));
                    out.add(sp);
                    if ("migrate".equals(m.name())) {
                        migrationStarts.add(sp);
                    }
                }
            }
        }
        // the destination's verdict, joined to the latest outgoing migration started before it
        for (Event ev : evidence.events()) {
            if (ev.kind() != EventKind.MIGRATION_LOAD_FAILED) {
                continue;
            }
            Hit e = locateRaw(ev.source().artifact(), ev.source().line());
            if (e == null) {
                continue;
            }
            Span start = null;
            for (Span s : migrationStarts) {
                if (s.start() <= e.micros() && (start == null || s.start() > start.start())) {
                    start = s;
                }
            }
            if (start != null) {
                out.add(new Span(Span.Kind.MIGRATION, start.startLane(), start.start(), start.startRef(), e.lane(),
                        e.micros(), ev.source(), false, "migrate → " + ev.message(), true));
            }
        }
        return out;
    }

    private List<Marker> markers(List<Finding> findings) {
        List<Marker> out = new ArrayList<>();
        for (Finding f : findings) {
            for (SourceRef r : f.evidence()) {
                Hit h = locateRaw(r.artifact(), r.line());
                if (h != null) {
                    out.add(new Marker(f, h.lane(), h.micros(), r));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- public API

    public List<Lane> lanes() {
        return lanes;
    }

    /** Host keys in lane order (host names, or {@link #SOURCE}/{@link #DESTINATION}/{@link #UNKNOWN}). */
    public List<String> hosts() {
        return hosts;
    }

    /** Events in the lane. */
    public int size(int lane) {
        return data[lane].size;
    }

    /** Events on the whole timeline. */
    public long size() {
        long s = 0;
        for (LaneData d : data) {
            s += d.size;
        }
        return s;
    }

    public List<Span> spans() {
        return spans;
    }

    public List<Marker> markers() {
        return markers;
    }

    public ClockOffsets offsets() {
        return offsets;
    }

    public void setOffsets(ClockOffsets offsets) {
        this.offsets = offsets == null ? ClockOffsets.NONE : offsets;
    }

    private long offset(int lane) {
        return offsets.of(lanes.get(lane).host());
    }

    /** A raw time of {@code lane} with its host's clock offset. */
    public long timeOf(int lane, long rawMicros) {
        return rawMicros + offset(lane);
    }

    public long startOf(Span s) {
        return timeOf(s.startLane(), s.start());
    }

    /** A pending span ends at the end of the evidence (with offsets), whatever the offset of its own host. */
    public long endOf(Span s) {
        return s.pending() ? Math.max(end(), startOf(s)) : timeOf(s.endLane(), s.end());
    }

    public long timeOf(Marker m) {
        return timeOf(m.lane(), m.micros());
    }

    /** The earliest event (with offsets); 0 on an empty timeline. */
    public long start() {
        long s = Long.MAX_VALUE;
        for (int i = 0; i < data.length; i++) {
            if (data[i].size > 0) {
                s = Math.min(s, data[i].micros[0] + offset(i));
            }
        }
        return s == Long.MAX_VALUE ? 0 : s;
    }

    /** The latest event (with offsets). */
    public long end() {
        long e = Long.MIN_VALUE;
        for (int i = 0; i < data.length; i++) {
            if (data[i].size > 0) {
                e = Math.max(e, data[i].micros[data[i].size - 1] + offset(i));
            }
        }
        return e == Long.MIN_VALUE ? 0 : e;
    }

    private long rawEnd() {
        long e = Long.MIN_VALUE;
        for (LaneData d : data) {
            if (d.size > 0) {
                e = Math.max(e, d.micros[d.size - 1]);
            }
        }
        return e == Long.MIN_VALUE ? 0 : e;
    }

    /**
     * Fills {@code into} with the density of every lane over [t0, t1) (times with offsets) at {@code width} columns.
     * Each column costs one binary search per lane; the worst level comes from block summaries.
     */
    public Bins bins(long t0, long t1, int width, Bins into) {
        Bins b = into == null ? new Bins() : into;
        width = Math.max(1, width);
        b.reset(lanes.size(), width, t0, t1);
        double step = (double) (t1 - t0) / width;
        for (int lane = 0; lane < data.length; lane++) {
            LaneData d = data[lane];
            long off = offset(lane);
            int o = lane * width;
            int from = lowerBound(d, t0 - off);
            for (int c = 0; c < width; c++) {
                long edge = c == width - 1 ? t1 : t0 + (long) Math.ceil(step * (c + 1));
                int to = from >= d.size || d.micros[from] >= edge - off ? from : gallop(d, edge - off, from);
                b.counts[o + c] = to - from;
                b.worst[o + c] = to > from ? worst(d, from, to) : -1;
                from = to;
            }
        }
        return b;
    }

    /** The event of {@code lane} nearest to {@code micros} (with offsets), or null when the lane is empty. */
    public Hit nearest(int lane, long micros) {
        LaneData d = data[lane];
        if (d.size == 0) {
            return null;
        }
        long raw = micros - offset(lane);
        int i = lowerBound(d, raw);
        if (i == d.size || (i > 0 && raw - d.micros[i - 1] <= d.micros[i] - raw)) {
            i--;
        }
        return hit(lane, i);
    }

    private Hit hit(int lane, int i) {
        LaneData d = data[lane];
        int ref = d.ref[i];
        long t = d.micros[i] + offset(lane);
        if (ref >= 0) {
            return new Hit(lane, t, timeline.artifact(ref), timeline.line(ref), d.level[i], false);
        }
        Extra e = extras.get(-ref - 1);
        return new Hit(lane, t, artifacts[e.artifact()].artifact.sha256(), e.line(), e.level(), e.estimated());
    }

    /**
     * Where a line of an artifact is on the timeline (with offsets). A line without a time of its own gets the time
     * of the closest dated line before it in the same artifact (estimated); null when the artifact has none.
     */
    public Hit locate(String sha256, int line) {
        Hit h = locateRaw(sha256, line);
        return h == null ? null : new Hit(h.lane(), timeOf(h.lane(), h.micros()), h.sha256(), h.line(), h.level(),
                h.estimated());
    }

    private Hit locateRaw(String sha256, int line) {
        Integer ai = artifactIndex.get(sha256);
        if (ai == null) {
            return null;
        }
        Integer x = extraIndex.get(key(ai, line));
        ArtifactInfo a = artifacts[ai];
        if (x != null) {
            Extra e = extras.get(x);
            int lane = laneIndex.get(a.host + "\n" + (a.guestLines != null && a.guestLines.get(line)
                    ? LaneLayer.GUEST : LaneLayer.QMP));
            return new Hit(lane, e.micros(), sha256, line, e.level(), e.estimated());
        }
        int best = -1;
        for (int[] r : a.ranges) { // lines ascend within a segment
            int lo = r[0];
            int hi = r[1] - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (timeline.line(mid) <= line) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (found >= 0 && (best < 0 || timeline.line(found) > timeline.line(best))) {
                best = found;
            }
        }
        if (best < 0) {
            return null;
        }
        int entryLine = timeline.line(best);
        Integer lane = laneIndex.get(a.host + "\n" + layerOf(a, entryLine));
        if (lane == null) {
            return null;
        }
        return new Hit(lane, timeline.epochMicros(best), sha256, line, timeline.level(best), entryLine != line);
    }

    /** The text of a line the evidence records hold (QMP messages, events, findings' evidence), else null. */
    public String knownText(String sha256, int line) {
        Map<Integer, String> m = texts.get(sha256);
        return m == null ? null : m.get(line);
    }

    /** The artifact behind a sha256, or null. */
    public Artifact artifact(String sha256) {
        ArtifactInfo a = info(sha256);
        return a == null ? null : a.artifact;
    }

    public Evidence evidence() {
        return evidence;
    }
}
