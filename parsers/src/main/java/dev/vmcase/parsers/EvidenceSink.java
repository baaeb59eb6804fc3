package dev.vmcase.parsers;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Guest;
import dev.vmcase.model.Layer;
import dev.vmcase.model.Problem;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Role;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * Collects what parsers find in one artifact. Not thread-safe: one sink per artifact.
 * <p>
 * <b>Which VM.</b> A parser says which VM its file speaks for with {@link #guest(Guest)} (the domain log's
 * {@code -name guest=}, the XML's {@code <name>}); where a file holds several VMs it says so per conversation
 * ({@link #guestOfChannel}: libvirtd's {@code mon=} ↔ {@code name=}) or per record (the record's own {@code guest}).
 * {@link #finish()} settles it: one VM (or several that agree) is the artifact's; claims that disagree make each
 * record belong to the claim before it (the first claim for records before any).
 * <p>
 * <b>Coverage.</b> {@link #covers} says what a source shows completely; a device is {@code absent} only where such a
 * source does not list it. In an {@linkplain #excerpt() excerpt} (a region of a pasted ticket) every claim becomes
 * {@link Coverage.Extent#SOME}: a quote shows what it shows, never everything.
 */
public final class EvidenceSink {
    private String sha256;
    private final String path;
    final List<Event> events = new ArrayList<>();
    final List<QmpMessage> qmp = new ArrayList<>();
    final List<DeviceObservation> observations = new ArrayList<>();
    final List<Backtrace> backtraces = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    final dev.vmcase.model.Timeline.Segment timeline = new dev.vmcase.model.Timeline.Segment();
    final List<Coverage> coverage = new ArrayList<>();
    final dev.vmcase.model.Timeline.Local local = new dev.vmcase.model.Timeline.Local();
    private Role role = Role.UNKNOWN;
    private String host;
    private boolean excerpt;
    /** Artifact-wide guest claims, in the order made, with how many records of each kind preceded them. */
    private final List<Claim> claims = new ArrayList<>();
    /** Per channel: line → guest. */
    private final Map<String, TreeMap<Integer, Guest>> channelGuests = new HashMap<>();
    /** Lines whose observations and coverage came over a channel (a monitor's answer). */
    private final Map<Integer, String> channelLines = new HashMap<>();
    private Guest guest;

    private record Claim(Guest guest, int events, int qmp, int observations, int coverage) {
    }

    public EvidenceSink(String sha256, String path) {
        this.sha256 = sha256;
        this.path = path;
    }

    public static EvidenceSink forSource(TextSource source) {
        return new EvidenceSink(source.sha256(), source.path());
    }

    public SourceRef ref(int line, String text) {
        return new SourceRef(sha256, path, line, text);
    }

    public void event(Event e) {
        events.add(e);
    }

    public void qmp(QmpMessage m) {
        qmp.add(m);
    }

    public void observation(DeviceObservation o) {
        observations.add(o);
    }

    public void backtrace(Backtrace b) {
        backtraces.add(b);
    }

    /** How often a watcher ({@link #watchTimeline}) is told of the timeline entries so far. */
    public static final int TIMELINE_EVERY = 1 << 18;
    private java.util.function.Consumer<dev.vmcase.model.Timeline.Segment> timelineWatcher;
    /** The entry count at which the watcher is told next; never reached without one. */
    private int nextTold = Integer.MAX_VALUE;

    /**
     * {@code watcher} is handed a snapshot of the timeline entries so far (named by this sink's hash) every
     * {@link #TIMELINE_EVERY} entries, on the parser's thread: the workbench draws a big file's timeline while it is
     * read. A hook only: what the watcher does with it is its own business, and it must be quick.
     */
    public void watchTimeline(java.util.function.Consumer<dev.vmcase.model.Timeline.Segment> watcher) {
        timelineWatcher = watcher;
        nextTold = watcher == null ? Integer.MAX_VALUE : timeline.size() + TIMELINE_EVERY;
    }

    /** Tells the watcher when another {@link #TIMELINE_EVERY} entries were added; after each entry. */
    private void tellWhenDue() {
        if (timeline.size() >= nextTold) {
            nextTold = timeline.size() + TIMELINE_EVERY;
            timelineWatcher.accept(timeline.snapshot(sha256));
        }
    }

    /** A timestamped line for the timeline index; its text stays in the file. */
    public void index(int line, java.time.Instant time, byte level) {
        if (time != null) {
            timeline.add(line, time.getEpochSecond() * 1_000_000L + time.getNano() / 1000, level);
            tellWhenDue();
        }
    }

    /** The same with the time already in microseconds since the epoch (parsers reading millions of lines). */
    public void indexMicros(int line, long epochMicros, byte level) {
        timeline.add(line, epochMicros, level);
        tellWhenDue();
    }

    /**
     * A line's timestamp as {@link dev.vmcase.parsers.time.Timestamps} read it: an instant goes on the timeline at
     * once; a local time (no zone, maybe no year) is kept until the host's zone is known
     * ({@link dev.vmcase.parsers.time.LocalTimes}).
     */
    public void index(int line, dev.vmcase.parsers.time.Timestamps.Stamp stamp, byte level) {
        if (stamp == null) {
            return;
        }
        if (stamp.isInstant()) {
            timeline.add(line, stamp.micros(), level);
            tellWhenDue();
        } else {
            local.add(line, stamp.micros(), level,
                    stamp.kind() == dev.vmcase.parsers.time.Timestamps.Kind.LOCAL_NO_YEAR);
        }
    }

    /** Lines kept with a local time. */
    public int localTimes() {
        return local.size();
    }

    public int indexed() {
        return timeline.size();
    }

    /**
     * The source shows {@code layer}: every device of {@code classes} ({@link Coverage.Extent#ALL}) or some
     * ({@link Coverage.Extent#SOME}). {@code at} is where: the answer's line, the file's first device line.
     */
    public void covers(Layer layer, Set<DeviceClass> classes, Coverage.Extent extent, SourceRef at) {
        Coverage c = new Coverage(at, layer, classes, excerpt ? Coverage.Extent.SOME : extent);
        String channel = channelLines.get(at.line());
        int since = claims.isEmpty() ? 0 : claims.get(claims.size() - 1).coverage();
        for (Coverage seen : coverage.subList(since, coverage.size())) {
            // the same view again (each element of a streamed answer, a later query): one record says it
            if (seen.layer() == layer && seen.classes().equals(c.classes()) && seen.extent() == c.extent()
                    && Objects.equals(channel, channelLines.get(seen.source().line()))) {
                return;
            }
        }
        coverage.add(c);
    }

    /** Every device of every class of {@code layer}. */
    public void coversAll(Layer layer, SourceRef at) {
        covers(layer, Coverage.EVERY_CLASS, Coverage.Extent.ALL, at);
    }

    /** What this file is: an excerpt (a region of pasted text) claims no complete view of any layer. */
    public void excerpt() {
        excerpt = true;
        coverage.replaceAll(c -> new Coverage(c.source(), c.layer(), c.classes(), Coverage.Extent.SOME, c.guest()));
    }

    public boolean isExcerpt() {
        return excerpt;
    }

    /** The content names the VM the records that follow speak for (the whole file's, unless others disagree). */
    public void guest(Guest g) {
        if (g != null) {
            claims.add(new Claim(g, events.size(), qmp.size(), observations.size(), coverage.size()));
        }
    }

    /**
     * The content ties a conversation of this file to a VM from {@code line} on (libvirtd's
     * {@code Entering monitor (mon=0x… vm=0x… name=instance-0000002a)}); monitor addresses are reused after a VM
     * stops, so a later claim for the same channel takes over from its line.
     */
    public void guestOfChannel(String channel, int line, Guest g) {
        if (g != null && channel != null && !channel.isEmpty()) {
            TreeMap<Integer, Guest> m = channelGuests.computeIfAbsent(channel, k -> new TreeMap<>());
            Guest prev = m.floorEntry(line) == null ? null : m.floorEntry(line).getValue();
            if (!g.equals(prev)) {
                m.put(line, prev != null && prev.compatible(g) ? prev.merge(g) : g);
            }
        }
    }

    /** The observations and coverage of {@code line} came over {@code channel} (a monitor's answer). */
    public void onChannel(int line, String channel) {
        if (channel != null && !channel.isEmpty()) {
            channelLines.put(line, channel);
        }
    }

    /** The VM the whole file speaks for, once {@link #finish()} settled it; null when none or several. */
    public Guest guest() {
        return guest;
    }

    /** Settles which VM each record speaks for (see the class comment). Call once, after parsing. */
    public void finish() {
        Guest whole = null;
        boolean agree = true;
        for (Claim c : claims) {
            if (whole == null) {
                whole = c.guest();
            } else if (whole.compatible(c.guest())) {
                whole = whole.merge(c.guest());
            } else {
                agree = false;
            }
        }
        if (agree) {
            guest = whole;
        } else {
            guest = null;
            stamp(events, Claim::events, (e, g) -> e.guest() == null ? e.withGuest(g) : e);
            stamp(qmp, Claim::qmp, (m, g) -> m.guest() == null ? m.withGuest(g) : m);
            stamp(observations, Claim::observations, (o, g) -> o.guest() == null ? o.withGuest(g) : o);
            stamp(coverage, Claim::coverage, (c, g) -> c.guest() == null ? c.withGuest(g) : c);
        }
        if (!channelGuests.isEmpty()) {
            qmp.replaceAll(m -> m.guest() == null ? m.withGuest(onChannelAt(m.channel(), m.source().line())) : m);
            observations.replaceAll(o -> o.guest() == null
                    ? o.withGuest(onChannelAt(channelLines.get(o.source().line()), o.source().line())) : o);
            coverage.replaceAll(c -> c.guest() == null
                    ? c.withGuest(onChannelAt(channelLines.get(c.source().line()), c.source().line())) : c);
        }
    }

    /** The guest a channel belonged to at a line: the latest claim before it, else the first after. */
    private Guest onChannelAt(String channel, int line) {
        TreeMap<Integer, Guest> m = channel == null ? null : channelGuests.get(channel);
        if (m == null) {
            return null;
        }
        Map.Entry<Integer, Guest> e = m.floorEntry(line);
        return e != null ? e.getValue() : m.firstEntry().getValue();
    }

    private <T> void stamp(List<T> list, ToIntFunction<Claim> position, BiFunction<T, Guest, T> with) {
        int k = 0;
        for (int i = 0; i < list.size(); i++) {
            while (k + 1 < claims.size() && position.applyAsInt(claims.get(k + 1)) <= i) {
                k++;
            }
            list.set(i, with.apply(list.get(i), claims.get(k).guest()));
        }
    }

    /**
     * Lets go of every record collected (events, QMP messages, device observations, backtraces, coverage, guest claims)
     * and returns the line of the last one read, or 0: the memory ran out while the file was read (ingest), and the
     * rest of the evidence must still fit. The timeline entries (13 bytes each) stay for the log viewer.
     */
    public int discardRecords() {
        int last = Math.max(lastLine(events, Event::source), Math.max(lastLine(qmp, QmpMessage::source),
                lastLine(observations, DeviceObservation::source)));
        for (List<?> l : List.of(events, qmp, observations, backtraces, coverage, claims)) {
            l.clear();
            ((ArrayList<?>) l).trimToSize();
        }
        channelGuests.clear();
        channelLines.clear();
        return last;
    }

    /** The line of the last record of {@code records}, or 0 when there is none. */
    private static <T> int lastLine(List<T> records, java.util.function.Function<T, SourceRef> source) {
        return records.isEmpty() ? 0 : source.apply(records.get(records.size() - 1)).line();
    }

    /**
     * A problem at {@code line} (0: the whole file) whose text is {@code key} of {@code Problems.properties} with
     * {@code args} ({@link ProblemTexts}): shown in the user's language. A problem has no other way in, so none reads
     * in English only in the Chinese UI.
     */
    public void problemOf(int line, String key, Object... args) {
        problems.add(ProblemTexts.problem(path, line, key, args));
    }

    /** Line {@code line} was longer than {@link LineReader#MAX_LINE} characters: only its start was read. */
    public void lineCut(int line) {
        problemOf(line, "text.lineCut", LineReader.MAX_LINE);
    }

    /** The content says which side of a migration this artifact is from; a destination claim wins. */
    public void role(Role r) {
        if (role != Role.DESTINATION) {
            role = r;
        }
    }

    public void host(String h) {
        if (host == null && h != null && !h.isBlank()) {
            host = h;
        }
    }

    public Role role() {
        return role;
    }

    public String host() {
        return host;
    }

    /**
     * Gives everything collected so far the artifact hash {@code sha}: a big file is parsed while its hash is still
     * being computed, under a stand-in hash, then rebound here (by ingest; a parser never calls it).
     */
    public void rebind(String sha) {
        String old = sha256;
        sha256 = sha;
        if (old.equals(sha)) {
            return;
        }
        UnaryOperator<SourceRef> rebound = r -> r == null || !old.equals(r.artifact()) ? r
                : new SourceRef(sha, r.path(), r.line(), r.text());
        events.replaceAll(e -> moved(e, rebound));
        qmp.replaceAll(m -> moved(m, rebound));
        observations.replaceAll(o -> moved(o, rebound));
        backtraces.replaceAll(b -> moved(b, rebound));
        coverage.replaceAll(c -> c.withSource(rebound.apply(c.source())));
    }

    /**
     * Takes over what another sink found in a region of this artifact, read as a file of its own (embedded evidence
     * handed to the parser of its form): its line {@code k} is this artifact's line {@code lines.applyAsInt(k)}. Every
     * record, timeline entry and problem is renumbered; the region's role and host are not taken (a ticket that
     * quotes a destination's log is not that log).
     */
    public void absorb(EvidenceSink region, IntUnaryOperator lines) {
        absorb(region, lines, null);
    }

    /**
     * The same, every record citing {@code text} instead of what its parser read: a region of one line that was
     * only part of the line the user sees (a QEMU message quoted inside libvirt's error), cited by the whole line.
     */
    public void absorb(EvidenceSink region, IntUnaryOperator lines, String text) {
        UnaryOperator<SourceRef> renumbered = r -> r == null ? null
                : new SourceRef(sha256, path, lines.applyAsInt(r.line()), text != null ? text : r.text());
        // the region's own VM claims settle its records' VM; a region is an excerpt: it never shows a whole layer
        region.finish();
        if (region.guest() != null) {
            guest(region.guest());
        }
        region.coverage.forEach(c -> coverage.add(new Coverage(renumbered.apply(c.source()), c.layer(), c.classes(),
                Coverage.Extent.SOME, c.guest())));
        region.events.forEach(e -> events.add(moved(e, renumbered)));
        region.qmp.forEach(m -> qmp.add(moved(m, renumbered)));
        region.observations.forEach(o -> observations.add(moved(o, renumbered)));
        region.backtraces.forEach(b -> backtraces.add(moved(b, renumbered)));
        timeline.addAll(region.timeline, lines);
        for (int i = 0; i < region.local.size(); i++) {
            local.add(lines.applyAsInt(region.local.line(i)), region.local.localMicros(i), region.local.level(i),
                    region.local.noYear(i));
        }
        region.problems.forEach(p -> problems.add(
                new Problem(path, lines.applyAsInt(p.line()), p.message(), p.key(), p.args())));
    }

    /** Keeps only the records whose source line {@code keep} accepts (a quoted copy merged into its original). */
    public void retain(java.util.function.Predicate<SourceRef> keep) {
        events.removeIf(e -> !keep.test(e.source()));
        qmp.removeIf(m -> !keep.test(m.source()));
        observations.removeIf(o -> !keep.test(o.source()));
        backtraces.removeIf(b -> !keep.test(b.source()));
    }

    /**
     * How deeply each line of this artifact is quoted ({@code >} markers and their kin: 0 for the author's own
     * text); set by the pasted-evidence reader so that a quoted copy of a line defers to its original.
     */
    public void quoteDepths(IntUnaryOperator depthOfLine) {
        quoteDepth = depthOfLine;
    }

    public IntUnaryOperator quoteDepths() {
        return quoteDepth;
    }

    private IntUnaryOperator quoteDepth = line -> 0;

    private static Event moved(Event e, UnaryOperator<SourceRef> f) {
        return e.withSource(f.apply(e.source()));
    }

    private static QmpMessage moved(QmpMessage m, UnaryOperator<SourceRef> f) {
        return m.withSource(f.apply(m.source()));
    }

    private static DeviceObservation moved(DeviceObservation o, UnaryOperator<SourceRef> f) {
        return o.withSource(f.apply(o.source()));
    }

    private static Backtrace moved(Backtrace b, UnaryOperator<SourceRef> f) {
        return new Backtrace(f.apply(b.source()), b.threads().stream()
                .map(t -> new BacktraceThread(t.number(), t.lwp(), t.name(), t.frames().stream()
                        .map(fr -> new Frame(f.apply(fr.source()), fr.index(), fr.address(), fr.function(), fr.args(),
                                fr.file(), fr.line(), fr.library(), fr.locals()))
                        .toList(), t.stoppedReason(), t.signal(),
                        t.signalSource() == null ? null : f.apply(t.signalSource())))
                .toList());
    }

    /**
     * Moves what was collected into {@code parts} without a copy of each list (ingest's use: a big log's records are
     * not held twice while the evidence is assembled).
     */
    public void drainInto(dev.vmcase.model.Evidence.Builder parts) {
        parts.events.addAll(events);
        parts.qmp.addAll(qmp);
        parts.observations.addAll(observations);
        parts.backtraces.addAll(backtraces);
        parts.coverage.addAll(coverage);
    }

    /** The timeline entries indexed so far, as a segment of the artifact {@code sha256}. */
    public dev.vmcase.model.Timeline.Segment timelineSegment(String sha256) {
        return timeline.of(sha256);
    }

    /** The lines kept with a local time (no zone yet), as entries of the artifact {@code sha256}. */
    public dev.vmcase.model.Timeline.Local localSegment(String sha256) {
        return local.of(sha256);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<QmpMessage> qmpMessages() {
        return List.copyOf(qmp);
    }

    public List<DeviceObservation> observations() {
        return List.copyOf(observations);
    }

    public List<Backtrace> backtraces() {
        return List.copyOf(backtraces);
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    public List<Coverage> coverage() {
        return List.copyOf(coverage);
    }
}
