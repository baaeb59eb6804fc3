package dev.vmcase.parsers;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Problem;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Role;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;

/** Collects what parsers find in one artifact. Not thread-safe: one sink per artifact. */
public final class EvidenceSink {
    private String sha256;
    private final String path;
    final List<Event> events = new ArrayList<>();
    final List<QmpMessage> qmp = new ArrayList<>();
    final List<DeviceObservation> observations = new ArrayList<>();
    final List<Backtrace> backtraces = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    final dev.vmcase.model.Timeline.Segment timeline = new dev.vmcase.model.Timeline.Segment();
    final dev.vmcase.model.Timeline.Local local = new dev.vmcase.model.Timeline.Local();
    private Role role = Role.UNKNOWN;
    private String host;

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

    /** A timestamped line for the timeline index; its text stays in the file. */
    public void index(int line, java.time.Instant time, byte level) {
        if (time != null) {
            timeline.add(line, time.getEpochSecond() * 1_000_000L + time.getNano() / 1000, level);
        }
    }

    /** The same with the time already in microseconds since the epoch (parsers reading millions of lines). */
    public void indexMicros(int line, long epochMicros, byte level) {
        timeline.add(line, epochMicros, level);
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

    public void problem(int line, String message) {
        problems.add(new Problem(path, line, message));
    }

    /**
     * A problem at {@code line} (0: the whole file) whose text is {@code key} of {@code Problems.properties} with
     * {@code args} ({@link ProblemTexts}): shown in the user's language. Prefer it to {@link #problem(int, String)}.
     */
    public void problemOf(int line, String key, Object... args) {
        problems.add(ProblemTexts.problem(path, line, key, args));
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
        return new Event(f.apply(e.source()), e.time(), e.kind(), e.message(), e.details());
    }

    private static QmpMessage moved(QmpMessage m, UnaryOperator<SourceRef> f) {
        return new QmpMessage(f.apply(m.source()), m.kind(), m.name(), m.qmpId(), m.time(), m.arguments(), m.json(),
                m.channel());
    }

    private static DeviceObservation moved(DeviceObservation o, UnaryOperator<SourceRef> f) {
        return new DeviceObservation(f.apply(o.source()), o.layer(), o.role(), o.id(), o.type(), o.pci(), o.backend(),
                o.attributes());
    }

    private static Backtrace moved(Backtrace b, UnaryOperator<SourceRef> f) {
        return new Backtrace(f.apply(b.source()), b.threads().stream()
                .map(t -> new BacktraceThread(t.number(), t.lwp(), t.name(), t.frames().stream()
                        .map(fr -> new Frame(f.apply(fr.source()), fr.index(), fr.address(), fr.function(), fr.args(),
                                fr.file(), fr.line(), fr.library(), fr.locals()))
                        .toList(), t.stoppedReason(), t.signal()))
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
}
