package dev.vmcase.app.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code capture-manifest.json}: what a capture asked for, of whom, when, and what came of it — every libvirt call,
 * every monitor command sent (verbatim), every file copied, with its start time, duration and outcome — and whether
 * the bundle is {@code complete}, {@code partial} (some steps failed, were refused or timed out; what was captured is
 * kept) or {@code failed} (nothing but this manifest). It is rewritten after every step, so a capture that is killed
 * still leaves a manifest saying how far it got. Its keys never look like a QMP message, so ingest lists it as
 * unrecognised instead of reading it as evidence.
 */
public final class CaptureManifest {
    public static final String FILE = "capture-manifest.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How a step ended. */
    public enum Outcome {
        /** Done, its output written. */
        OK,
        /** The other side said no: read-only connection, permission, a command not allowed. */
        REFUSED,
        /** An error (the domain went away, the monitor closed, I/O). */
        FAILED,
        /** No answer within the step's time limit; the call was abandoned. */
        TIMEOUT,
        /** Not tried: an earlier step made it pointless (domain gone, not running, no connection). */
        SKIPPED,
        /** The user cancelled before it ran. */
        CANCELLED
    }

    /**
     * One step: {@code via} is {@code libvirt} (a libvirt-java call), {@code qemu-monitor} (QMP/HMP passed through
     * libvirt's {@code virDomainQemuMonitorCommand}), {@code qmp} (straight to QEMU's socket) or {@code file} (a host
     * file copied); {@code request} is what was sent, verbatim for monitor commands.
     */
    public record Step(String name, String via, String request, Instant started, long millis, Outcome outcome,
                       String detail, String file) {
    }

    private final Path out;
    private final String tool;
    private final Map<String, String> source = new LinkedHashMap<>();
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<String> needsMoreRights = new ArrayList<>();
    private final Instant started = Instant.now();
    private String status = "running";
    private String error;

    public CaptureManifest(Path out, String tool) {
        this.out = out;
        this.tool = tool;
    }

    public synchronized void source(String key, String value) {
        source.put(key, value);
        write();
    }

    public synchronized void fact(String key, String value) {
        facts.put(key, value);
    }

    public synchronized Map<String, String> facts() {
        return new LinkedHashMap<>(facts);
    }

    public synchronized void add(Step s) {
        steps.add(s);
        write();
    }

    public synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    /** A plain sentence for the user: what was not captured for lack of rights, and what would allow it. */
    public synchronized void needsMoreRights(String what) {
        if (!needsMoreRights.contains(what)) {
            needsMoreRights.add(what);
        }
    }

    public synchronized List<String> needsMoreRights() {
        return List.copyOf(needsMoreRights);
    }

    /** Ends the capture: {@code complete} when every step was OK, else {@code partial}; {@code failed} with an error. */
    public synchronized String finish(String fatalError) {
        this.error = fatalError;
        boolean anyOk = steps.stream().anyMatch(s -> s.outcome() == Outcome.OK && s.file() != null);
        boolean allOk = steps.stream().allMatch(s -> s.outcome() == Outcome.OK);
        status = fatalError != null && !anyOk ? "failed" : allOk && fatalError == null ? "complete" : "partial";
        write();
        return status;
    }

    public synchronized String status() {
        return status;
    }

    public Path file() {
        return out.resolve(FILE);
    }

    private void write() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("capture", tool);
        root.put("status", status);
        root.put("started", started.truncatedTo(ChronoUnit.MILLIS).toString());
        if (!"running".equals(status)) {
            root.put("finished", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        }
        if (error != null) {
            root.put("error", error);
        }
        ObjectNode src = root.putObject("source");
        source.forEach(src::put);
        ObjectNode f = root.putObject("facts");
        facts.forEach(f::put);
        ArrayNode rights = root.putArray("needs-more-rights");
        needsMoreRights.forEach(rights::add);
        ArrayNode list = root.putArray("steps");
        for (Step s : steps) {
            ObjectNode n = list.addObject();
            n.put("step", s.name());
            n.put("via", s.via());
            if (s.request() != null) {
                n.put("request", s.request());
            }
            n.put("at", s.started().truncatedTo(ChronoUnit.MILLIS).toString());
            n.put("ms", s.millis());
            n.put("outcome", s.outcome().name().toLowerCase(java.util.Locale.ROOT));
            if (s.detail() != null) {
                n.put("detail", s.detail());
            }
            if (s.file() != null) {
                n.put("file", s.file());
            }
        }
        try {
            Files.createDirectories(out);
            Path tmp = out.resolve(FILE + ".tmp");
            Files.writeString(tmp, MAPPER.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the bundle folder is unwritable: the capture's own writes fail and say so
        }
    }
}
