package dev.vmcase.model;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything read from a set of inputs: the records rules reason about ({@code events} are the lines that mean
 * something: migration failures, libvirt's verdicts, warnings…), and the compact {@link Timeline} of every
 * timestamped line.
 */
public record Evidence(List<Artifact> artifacts, List<Event> events, List<QmpMessage> qmp,
                       List<DeviceObservation> observations, List<Backtrace> backtraces, Timeline timeline) {
    public Evidence {
        artifacts = List.copyOf(artifacts);
        events = List.copyOf(events);
        qmp = List.copyOf(qmp);
        observations = List.copyOf(observations);
        backtraces = List.copyOf(backtraces);
        timeline = timeline == null ? Timeline.empty() : timeline;
    }

    public Evidence(List<Artifact> artifacts, List<Event> events, List<QmpMessage> qmp,
                    List<DeviceObservation> observations, List<Backtrace> backtraces) {
        this(artifacts, events, qmp, observations, backtraces, Timeline.empty());
    }


    /** Mutable lists an ingest fills before building the record. */
    public static final class Builder {
        public final List<Event> events = new java.util.ArrayList<>();
        public final List<QmpMessage> qmp = new java.util.ArrayList<>();
        public final List<DeviceObservation> observations = new java.util.ArrayList<>();
        public final List<Backtrace> backtraces = new java.util.ArrayList<>();
    }

    /** The role of each artifact, by sha256: build once, look up per line. */
    public Map<String, Role> rolesBySha() {
        return artifacts.stream().collect(Collectors.toMap(Artifact::sha256, Artifact::role, (a, b) -> a));
    }
}
