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
    private final String sha256;
    private final String path;
    final List<Event> events = new ArrayList<>();
    final List<QmpMessage> qmp = new ArrayList<>();
    final List<DeviceObservation> observations = new ArrayList<>();
    final List<Backtrace> backtraces = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    final dev.vmcase.model.Timeline.Segment timeline = new dev.vmcase.model.Timeline.Segment();
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

    public int indexed() {
        return timeline.size();
    }

    public void problem(int line, String message) {
        problems.add(new Problem(path, line, message));
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
