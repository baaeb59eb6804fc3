package dev.vmcase.model;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything read from a set of inputs: the records rules reason about ({@code events} are the lines that mean
 * something: migration failures, libvirt's verdicts, warnings…), the compact {@link Timeline} of every
 * timestamped line, and what each source shows completely ({@link Coverage}), so that a device missing from a
 * source that lists every device of its class is told from one no source looked for.
 */
public record Evidence(List<Artifact> artifacts, List<Event> events, List<QmpMessage> qmp,
                       List<DeviceObservation> observations, List<Backtrace> backtraces, Timeline timeline,
                       List<Coverage> coverage) {
    public Evidence {
        artifacts = List.copyOf(artifacts);
        events = List.copyOf(events);
        qmp = List.copyOf(qmp);
        observations = List.copyOf(observations);
        backtraces = List.copyOf(backtraces);
        timeline = timeline == null ? Timeline.empty() : timeline;
        coverage = coverage == null ? List.of() : List.copyOf(coverage);
    }

    public Evidence(List<Artifact> artifacts, List<Event> events, List<QmpMessage> qmp,
                    List<DeviceObservation> observations, List<Backtrace> backtraces, Timeline timeline) {
        this(artifacts, events, qmp, observations, backtraces, timeline, List.of());
    }

    public Evidence(List<Artifact> artifacts, List<Event> events, List<QmpMessage> qmp,
                    List<DeviceObservation> observations, List<Backtrace> backtraces) {
        this(artifacts, events, qmp, observations, backtraces, Timeline.empty(), List.of());
    }

    /** The same evidence with other artifacts (hosts, roles, guests the user or the layout gave). */
    public Evidence withArtifacts(List<Artifact> a) {
        return new Evidence(a, events, qmp, observations, backtraces, timeline, coverage);
    }

    /** Mutable lists an ingest fills before building the record. */
    public static final class Builder {
        public final List<Event> events = new java.util.ArrayList<>();
        public final List<QmpMessage> qmp = new java.util.ArrayList<>();
        public final List<DeviceObservation> observations = new java.util.ArrayList<>();
        public final List<Backtrace> backtraces = new java.util.ArrayList<>();
        public final List<Coverage> coverage = new java.util.ArrayList<>();
    }

    /** The role of each artifact, by sha256: build once, look up per line. */
    public Map<String, Role> rolesBySha() {
        return artifacts.stream().collect(Collectors.toMap(Artifact::sha256, Artifact::role, (a, b) -> a));
    }
}
