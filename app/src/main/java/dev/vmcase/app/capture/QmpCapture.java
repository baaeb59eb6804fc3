package dev.vmcase.app.capture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.app.capture.CaptureManifest.Outcome;
import dev.vmcase.app.capture.StepRunner.Result;
import dev.vmcase.app.capture.StepRunner.Verdict;
import dev.vmcase.lab.LineChannel;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Captures a QEMU that no libvirt runs, straight over its QMP unix socket ({@code -qmp unix:PATH,server=on,wait=off}
 * or a {@code -chardev socket} with {@code -mon mode=control}): the greeting, {@code qmp_capabilities}, then
 * {@code query-version}, {@code query-name} and {@code query-uuid} (the VM the bundle is of), and
 * {@link MonitorCommands#CAPTURE}, each checked against the allow-list. The wire traffic
 * is kept verbatim as {@code qmp-transcript.jsonl} (what ingest reads as a {@code qmp-transcript}); the HMP
 * {@code info qtree} answer also as {@code hmp-info-qtree.txt}, so the qtree parser reads it. (The lab's
 * {@code QmpClient} belongs to a QEMU the lab started and reports its death; this one knows only a socket.)
 */
public final class QmpCapture {
    public static final String TRANSCRIPT = "qmp-transcript.jsonl";
    static final String VIA = "qmp";

    /** What to capture. */
    public record Options(Path socket, Path out, Duration stepTimeout, CaptureListener listener,
                          BooleanSupplier cancelled) {
        public Options {
            listener = listener == null ? CaptureListener.NONE : listener;
            cancelled = cancelled == null ? () -> false : cancelled;
            stepTimeout = stepTimeout == null ? Duration.ofSeconds(10) : stepTimeout;
        }
    }

    private QmpCapture() {
    }

    public static CaptureResult capture(Options o) throws CaptureException {
        CaptureManifest m = new CaptureManifest(o.out(), "qmp");
        m.source("qmp-socket", o.socket().toString());
        int total = 6 + MonitorCommands.CAPTURE.size(); // connect, greeting, capabilities, version, name, uuid, …
        StepRunner run = new StepRunner(m, o.stepTimeout(), o.listener(), o.cancelled(), QmpCapture::classify, total);
        try {
            Files.createDirectories(o.out());
        } catch (IOException e) {
            String msg = CaptureTexts.text("capture.error.out", o.out(), e.getMessage());
            m.finish(msg);
            throw new CaptureException(msg);
        }
        Result<Wire> conn = run.run("connect", VIA, o.socket().toString(), null,
                () -> Wire.connect(o.socket(), o.out().resolve(TRANSCRIPT)), w -> null);
        if (!conn.ok()) {
            String msg = CaptureTexts.text("capture.error.qmpConnect", o.socket(), conn.detail());
            m.finish(msg);
            throw new CaptureException(msg);
        }
        try (Wire w = conn.value()) {
            Result<JsonNode> greeting = run.run("greeting", VIA, null, TRANSCRIPT,
                    () -> w.next(o.stepTimeout()), g -> g.path("QMP").path("version").path("qemu").toString());
            if (!greeting.ok() || !greeting.value().has("QMP")) {
                String msg = CaptureTexts.text("capture.error.noGreeting", o.socket(), o.stepTimeout().toSeconds());
                skipRest(run, msg);
                m.finish(msg);
                return new CaptureResult(o.out(), m.status(), m);
            }
            JsonNode v = greeting.value().path("QMP").path("version").path("qemu");
            m.fact("qemu (greeting)", v.path("major").asText() + "." + v.path("minor").asText() + "." + v.path("micro").asText());
            // the capabilities negotiation is required before any command; it changes nothing in the guest
            Result<JsonNode> caps = run.run("qmp_capabilities", VIA, "{\"execute\":\"qmp_capabilities\"}", null,
                    () -> w.command("{\"execute\":\"qmp_capabilities\"}", o.stepTimeout()), r -> null);
            if (!caps.ok()) {
                String msg = caps.detail();
                skipRest(run, msg);
                m.finish(msg);
                return new CaptureResult(o.out(), m.status(), m);
            }
            String version = "{\"execute\":\"query-version\"}";
            MonitorCommands.check(version);
            Result<JsonNode> qv = run.run("query-version", VIA, version, TRANSCRIPT, () -> w.command(version, o.stepTimeout()),
                    r -> r.path("return").path("package").asText(null));
            if (qv.ok()) {
                JsonNode q = qv.value().path("return").path("qemu");
                m.fact("qemu", q.path("major").asText() + "." + q.path("minor").asText() + "." + q.path("micro").asText()
                        + " " + qv.value().path("return").path("package").asText("").strip());
            }
            boolean stop = !qv.ok() && qv.outcome() != Outcome.REFUSED;
            // which VM this QEMU is (-name guest=, -uuid): the transcript says it for every file of the bundle
            for (String[] q : new String[][] {{"query-name", "name", "guest"}, {"query-uuid", "UUID", "uuid"}}) {
                String wire = "{\"execute\":\"" + q[0] + "\"}";
                MonitorCommands.check(wire);
                if (stop || w.closed()) {
                    break;
                }
                Result<JsonNode> id = run.run(q[0], VIA, wire, TRANSCRIPT, () -> w.command(wire, o.stepTimeout()),
                        r -> r.path("return").path(q[1]).asText(null));
                String value = id.ok() ? id.value().path("return").path(q[1]).asText("") : "";
                if (!value.isBlank() && !value.equals("00000000-0000-0000-0000-000000000000")) {
                    m.source(q[2], value);
                }
                stop = id.outcome() == Outcome.TIMEOUT;
            }
            for (MonitorCommands.Command cmd : MonitorCommands.CAPTURE) {
                String wire = cmd.wire();
                MonitorCommands.check(wire);
                if (stop || w.closed()) {
                    run.skip(cmd.name(), VIA, wire, Outcome.SKIPPED, CaptureTexts.text(w.closed()
                            ? "capture.detail.qmpClosed" : "capture.detail.monitorHung"));
                    continue;
                }
                Result<JsonNode> r = run.run(cmd.name(), VIA, wire, cmd.hmp() != null ? cmd.file() : TRANSCRIPT,
                        () -> {
                            JsonNode a = w.command(wire, o.stepTimeout());
                            if (cmd.hmp() != null) {
                                LibvirtCapture.write(o.out(), cmd.file(), a.path("return").asText());
                            }
                            return a;
                        }, a -> null);
                stop = r.outcome() == Outcome.TIMEOUT;
            }
        }
        return new CaptureResult(o.out(), m.finish(null), m);
    }

    private static void skipRest(StepRunner run, String why) {
        for (MonitorCommands.Command cmd : MonitorCommands.CAPTURE) {
            run.skip(cmd.name(), VIA, cmd.wire(), Outcome.SKIPPED, why);
        }
    }

    static Verdict classify(Throwable e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (msg.toLowerCase(java.util.Locale.ROOT).contains("permission denied")) {
            return new Verdict(Outcome.REFUSED, CaptureTexts.text("capture.detail.socketDenied", msg));
        }
        if (e instanceof Wire.NoAnswer) {
            return new Verdict(Outcome.TIMEOUT, msg);
        }
        if (e instanceof IllegalArgumentException) {
            return new Verdict(Outcome.REFUSED, msg);
        }
        return new Verdict(Outcome.FAILED, msg);
    }

    /** The socket, its reader thread and the verbatim transcript. */
    static final class Wire implements Closeable {
        private static final JsonNode CLOSED = LibvirtCapture.MAPPER.createObjectNode();
        private final LineChannel channel;
        private final BufferedWriter transcript;
        private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
        private volatile boolean closed;
        private int counter;

        /** No answer within the time limit. */
        static final class NoAnswer extends IOException {
            NoAnswer(String message) {
                super(message);
            }
        }

        private Wire(LineChannel channel, BufferedWriter transcript) {
            this.channel = channel;
            this.transcript = transcript;
        }

        static Wire connect(Path socket, Path transcriptFile) throws IOException {
            LineChannel ch = LineChannel.open(socket, "capture-qmp");
            Wire w = new Wire(ch, Files.newBufferedWriter(transcriptFile, StandardCharsets.UTF_8));
            ch.start(w::received, () -> {
                w.closed = true;
                w.answers.add(CLOSED);
            });
            return w;
        }

        boolean closed() {
            return closed;
        }

        private synchronized void record(String line) {
            try {
                transcript.write(line);
                transcript.write('\n');
                transcript.flush();
            } catch (IOException e) {
                // closed
            }
        }

        private void received(String s) {
            if (s.isBlank()) {
                return;
            }
            record(s);
            try {
                JsonNode n = LibvirtCapture.MAPPER.readTree(s);
                if (!n.has("event")) {
                    answers.add(n);
                }
            } catch (IOException e) {
                // kept verbatim in the transcript
            }
        }

        /** The next non-event message. */
        JsonNode next(Duration timeout) throws IOException, InterruptedException {
            JsonNode n = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (n == null) {
                throw new NoAnswer(CaptureTexts.text("capture.detail.noAnswer", timeout.toSeconds()));
            }
            if (n == CLOSED) {
                answers.add(CLOSED);
                throw new IOException(CaptureTexts.text("capture.detail.qmpClosed"));
            }
            return n;
        }

        /** Sends {@code json} with an id and returns the answer carrying that id; an {@code error} answer throws. */
        JsonNode command(String json, Duration timeout) throws IOException, InterruptedException {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) LibvirtCapture.MAPPER.readTree(json);
            String id = "vmcase-capture-" + (++counter);
            node.put("id", id);
            String text = node.toString();
            record(text);
            channel.send(text);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode a = next(Duration.ofNanos(Math.max(1, left)));
                if (id.equals(a.path("id").asText())) {
                    if (a.has("error")) {
                        throw new IOException(a.get("error").toString());
                    }
                    return a;
                }
            }
        }

        @Override
        public void close() {
            channel.close();
            synchronized (this) {
                try {
                    transcript.close();
                } catch (IOException e) {
                    // nothing left to do
                }
            }
        }
    }
}
