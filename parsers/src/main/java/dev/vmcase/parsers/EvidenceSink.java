package dev.vmcase.parsers;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.Problem;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Role;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.List;

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
        events.replaceAll(e -> new Event(rebound(e.source(), old), e.time(), e.kind(), e.message(), e.details()));
        qmp.replaceAll(m -> new QmpMessage(rebound(m.source(), old), m.kind(), m.name(), m.qmpId(), m.time(),
                m.arguments(), m.json(), m.channel()));
        observations.replaceAll(o -> new DeviceObservation(rebound(o.source(), old), o.layer(), o.role(), o.id(),
                o.type(), o.pci(), o.backend(), o.attributes()));
        backtraces.replaceAll(b -> new Backtrace(rebound(b.source(), old), b.threads().stream()
                .map(t -> new dev.vmcase.model.BacktraceThread(t.number(), t.lwp(), t.name(), t.frames().stream()
                        .map(f -> new dev.vmcase.model.Frame(rebound(f.source(), old), f.index(), f.address(),
                                f.function(), f.args(), f.file(), f.line(), f.library(), f.locals()))
                        .toList(), t.stoppedReason(), t.signal()))
                .toList()));
    }

    private SourceRef rebound(SourceRef r, String old) {
        return r == null || !old.equals(r.artifact()) ? r : new SourceRef(sha256, r.path(), r.line(), r.text());
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
