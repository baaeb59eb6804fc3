package dev.vmcase.analysis.timeline;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.rules.RuleContext;
import dev.vmcase.analysis.rules.Unplugs;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.SourceRef;
import dev.vmcase.model.Timeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timeline of an analysis, without any toolkit: every dated line of every artifact in lanes by host × layer,
 * density bins per pixel column for any visible range, the correlations as spans and the findings as markers.
 *
 * <pre>
 *   Evidence.timeline() ──► ArtifactLanes (host, layer per line) ──► LaneEvents per lane (sorted, summarised)
 *   QMP conversations ──► ConversationTimes (untimed commands placed) ─┘        │
 *   rules' unplugs, findings ──► TimelineSpans (spans, markers) ◄── locate ─────┘
 * </pre>
 *
 * <p>Each lane keeps its events as sorted primitive arrays ({@link LaneEvents}), so one frame's bins cost a search
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

    private final Evidence evidence;
    private final Timeline timeline;
    private final List<Lane> lanes;
    private final LaneEvents[] data;
    private final List<Extra> extras;
    private final Map<Long, Integer> extraIndex;
    private final Map<String, Integer> laneIndex;
    private final Map<String, Integer> artifactIndex;
    private final ArtifactLanes[] artifacts;
    private final Map<String, Map<Integer, String>> texts = new HashMap<>();
    private final List<Span> spans;
    private final List<Marker> markers;
    private final List<String> hosts;
    private volatile ClockOffsets offsets = ClockOffsets.NONE;

    /** A message placed on the timeline that the timeline index does not hold (an untimed QMP command). */
    private record Extra(int artifact, int line, long micros, byte level, boolean estimated) {
    }

    /** Lanes as they are found, before they are put in order. */
    private static final class LaneKeys {
        final Map<String, Integer> ids = new LinkedHashMap<>();
        final List<String> host = new ArrayList<>();
        final List<LaneLayer> layer = new ArrayList<>();
        final List<int[]> counts = new ArrayList<>();

        int id(String h, LaneLayer l) {
            return ids.computeIfAbsent(h + "\n" + l, k -> {
                host.add(h);
                layer.add(l);
                counts.add(new int[1]);
                return host.size() - 1;
            });
        }

        void count(int id) {
            counts.get(id)[0]++;
        }
    }

    private TimelineModel(Evidence evidence, List<Finding> findings, List<Unplugs.Unplug> unplugs,
                          Map<String, List<QmpMessage>> conversations) {
        this.evidence = evidence;
        this.timeline = evidence.timeline();
        List<Artifact> arts = evidence.artifacts();
        artifacts = new ArtifactLanes[arts.size()];
        artifactIndex = new HashMap<>();
        for (int i = 0; i < arts.size(); i++) {
            artifacts[i] = new ArtifactLanes(arts.get(i));
            artifactIndex.putIfAbsent(arts.get(i).sha256(), i);
        }
        for (QmpMessage m : evidence.qmp()) {
            ArtifactLanes a = info(m.source().artifact());
            if (a != null) {
                a.qmp(m);
            }
            remember(m.source());
        }
        for (Event e : evidence.events()) {
            ArtifactLanes a = info(e.source().artifact());
            remember(e.source());
            if (a != null && (e.kind() == EventKind.LIBVIRT_MESSAGE || e.kind() == EventKind.LIBVIRT_START
                    || e.kind() == EventKind.LIBVIRT_SHUTDOWN)) {
                a.libvirt(e.source().line());
            }
        }
        findings.forEach(f -> f.evidence().forEach(this::remember));

        // pass 1: which lane each timeline entry goes to, and how many each lane gets
        LaneKeys keys = new LaneKeys();
        int n = timeline.size();
        short[] laneOf = new short[n];
        assignIndexed(keys, laneOf);
        List<Integer> extraLane = new ArrayList<>();
        this.extraIndex = new HashMap<>();
        this.extras = placeUntimed(conversations, keys, extraLane);

        // lanes in order: hosts (named ones first, then the sides), layers top to bottom
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < keys.host.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer, String>comparing(i -> ArtifactLanes.hostSortKey(keys.host.get(i)))
                .thenComparing(i -> keys.layer.get(i).ordinal()));
        int[] remap = new int[order.size()];
        List<Lane> laneList = new ArrayList<>();
        List<String> hostList = new ArrayList<>();
        for (int pos = 0; pos < order.size(); pos++) {
            int id = order.get(pos);
            remap[id] = pos;
            laneList.add(new Lane(pos, keys.host.get(id), keys.layer.get(id)));
            if (!hostList.contains(keys.host.get(id))) {
                hostList.add(keys.host.get(id));
            }
        }
        this.lanes = List.copyOf(laneList);
        this.hosts = List.copyOf(hostList);
        this.laneIndex = new HashMap<>();
        for (Lane l : lanes) {
            laneIndex.put(l.host() + "\n" + l.layer(), l.index());
        }

        // pass 2: fill the lanes, sort them by time
        data = new LaneEvents[lanes.size()];
        for (int id = 0; id < order.size(); id++) {
            data[remap[id]] = new LaneEvents(keys.counts.get(id)[0]);
        }
        for (int i = 0; i < n; i++) {
            data[remap[laneOf[i]]].add(timeline.epochMicros(i), i, timeline.level(i));
        }
        for (int x = 0; x < extras.size(); x++) {
            Extra e = extras.get(x);
            data[remap[extraLane.get(x)]].add(e.micros(), -x - 1, e.level());
        }
        for (LaneEvents d : data) {
            d.seal();
        }
        TimelineSpans.Locator at = this::locateRaw;
        this.spans = List.copyOf(TimelineSpans.spans(evidence, conversations, unplugs, at, rawEnd()));
        this.markers = List.copyOf(TimelineSpans.markers(findings, at));
    }

    /** Pass 1 over the timeline index: each entry's lane, each artifact's ranges of entries. */
    private void assignIndexed(LaneKeys keys, short[] laneOf) {
        String prevSha = null;
        int art = -1;
        int rangeStart = 0;
        for (int i = 0; i < laneOf.length; i++) {
            String sha = timeline.artifact(i);
            if (sha != prevSha) { // one String per segment: identity is enough to see the next artifact
                if (art >= 0) {
                    artifacts[art].ranges.add(new int[] {rangeStart, i});
                }
                prevSha = sha;
                Integer ai = artifactIndex.get(sha);
                art = ai == null ? -1 : ai;
                rangeStart = i;
            }
            int line = timeline.line(i);
            ArtifactLanes a = art < 0 ? null : artifacts[art];
            if (a != null && a.indexed != null) {
                a.indexed.set(line);
            }
            int lane = keys.id(a == null ? UNKNOWN : a.host, a == null ? LaneLayer.QEMU : a.layerOf(line));
            laneOf[i] = (short) lane;
            keys.count(lane);
        }
        if (art >= 0) {
            artifacts[art].ranges.add(new int[] {rangeStart, laneOf.length});
        }
    }

    /** QMP messages the index does not hold: placed between the timed messages of their conversation. */
    private List<Extra> placeUntimed(Map<String, List<QmpMessage>> conversations, LaneKeys keys,
                                     List<Integer> extraLane) {
        List<Extra> out = new ArrayList<>();
        for (List<QmpMessage> conv : conversations.values()) {
            long[] times = ConversationTimes.place(conv);
            for (int k = 0; k < conv.size(); k++) {
                QmpMessage m = conv.get(k);
                Integer ai = artifactIndex.get(m.source().artifact());
                if (ai == null || times[k] == ConversationTimes.NONE) {
                    continue;
                }
                ArtifactLanes a = artifacts[ai];
                if (a.indexed != null && a.indexed.get(m.source().line())) {
                    continue;
                }
                int lane = keys.id(a.host, ArtifactLanes.isGuest(m) ? LaneLayer.GUEST : LaneLayer.QMP);
                keys.count(lane);
                byte level = m.kind() == QmpKind.ERROR ? Timeline.WARNING : Timeline.INFO;
                extraIndex.put(key(ai, m.source().line()), out.size());
                out.add(new Extra(ai, m.source().line(), times[k], level, m.time() == null));
                extraLane.add(lane);
            }
        }
        return List.copyOf(out);
    }

    /** The model of an analysis (its evidence, findings and the rules' unplug pairing). */
    public static TimelineModel of(AnalysisResult result) {
        RuleContext ctx = new RuleContext(result.evidence(), result.devices());
        return new TimelineModel(result.evidence(), result.findings(), ctx.unplugs(), ctx.conversations());
    }

    /**
     * The model of a file still being read: the timeline entries indexed so far ({@code entries}, a snapshot named by
     * the artifact's hash) in the lanes of {@code artifact}'s host and format, with no spans or markers (its
     * conversations, unplugs and findings come with the analysis, whose model then takes this one's place). Lines
     * another layer wrote (a QMP message in a libvirtd log) are in the format's lane until then.
     */
    public static TimelineModel reading(Artifact artifact, Timeline.Segment entries) {
        Evidence e = new Evidence(List.of(artifact), List.of(), List.of(), List.of(), List.of(),
                Timeline.of(List.of(entries)));
        return new TimelineModel(e, List.of(), List.of(), Map.of());
    }

    private ArtifactLanes info(String sha) {
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
        for (LaneEvents d : data) {
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
        for (LaneEvents d : data) {
            if (d.size > 0) {
                e = Math.max(e, d.micros[d.size - 1]);
            }
        }
        return e == Long.MIN_VALUE ? 0 : e;
    }

    /**
     * Fills {@code into} with the density of every lane over [t0, t1) (times with offsets) at {@code width} columns.
     * Each column costs one search per lane; the worst level comes from block summaries.
     */
    public Bins bins(long t0, long t1, int width, Bins into) {
        Bins b = into == null ? new Bins() : into;
        width = Math.max(1, width);
        b.reset(lanes.size(), width, t0, t1);
        for (int lane = 0; lane < data.length; lane++) {
            data[lane].bin(b, lane, t0, t1, width, offset(lane));
        }
        return b;
    }

    /** The event of {@code lane} nearest to {@code micros} (with offsets), or null when the lane is empty. */
    public Hit nearest(int lane, long micros) {
        LaneEvents d = data[lane];
        if (d.size == 0) {
            return null;
        }
        return hit(lane, d.nearest(micros - offset(lane)));
    }

    private Hit hit(int lane, int i) {
        LaneEvents d = data[lane];
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
        ArtifactLanes a = artifacts[ai];
        if (x != null) {
            Extra e = extras.get(x);
            int lane = laneIndex.get(a.host + "\n" + a.qmpLayer(line));
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
        Integer lane = laneIndex.get(a.host + "\n" + a.layerOf(entryLine));
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
        ArtifactLanes a = info(sha256);
        return a == null ? null : a.artifact;
    }

    public Evidence evidence() {
        return evidence;
    }
}
