package dev.vmcase.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A small QMP client that writes the wire traffic verbatim to a transcript: every line sent and every line received,
 * in the order it crossed the socket, one JSON message per line (the {@code qmp-transcript} format). Commands carry
 * ids {@code vmcase-N}; events are kept for {@link #waitEvent}.
 */
public final class QmpClient implements Closeable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode CLOSED = MAPPER.createObjectNode();

    private final QemuProcess process;
    private final LineChannel line;
    private final Transcript transcript;
    private final BlockingQueue<JsonNode> responses = new LinkedBlockingQueue<>();
    private final List<JsonNode> events = new ArrayList<>();
    private volatile boolean closed;
    private int counter;

    private QmpClient(QemuProcess process, LineChannel line, Transcript transcript) {
        this.process = process;
        this.line = line;
        this.transcript = transcript;
    }

    /** Connects, reads the greeting and negotiates capabilities. */
    public static QmpClient connect(QemuProcess process, Path socket, Path transcriptFile, Duration timeout)
            throws LabException, InterruptedException {
        LineChannel ch = LineChannel.connect(socket, process.role() + "-qmp", process, timeout);
        Transcript w;
        try {
            w = new Transcript(transcriptFile);
        } catch (IOException e) {
            ch.close();
            throw new LabException("lab.error.io", transcriptFile, e.getMessage());
        }
        QmpClient c = new QmpClient(process, ch, w);
        ch.start(c::received, c::ended);
        JsonNode greeting = c.responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (greeting == null || greeting == CLOSED || !greeting.has("QMP")) {
            c.close();
            throw process.diedError("lab.error.noGreeting", socket);
        }
        c.execute("qmp_capabilities", null, timeout);
        return c;
    }

    private void record(String text) {
        transcript.record(text);
    }

    private void received(String text) {
        if (text.isEmpty()) {
            return;
        }
        record(text);
        JsonNode msg;
        try {
            msg = MAPPER.readTree(text);
        } catch (IOException e) {
            return; // recorded verbatim; nothing to act on
        }
        if (msg.has("event")) {
            synchronized (events) {
                events.add(msg);
                events.notifyAll();
            }
        } else {
            responses.add(msg);
        }
    }

    private void ended() {
        closed = true;
        responses.add(CLOSED);
        synchronized (events) {
            events.notifyAll();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Sends a command and returns QEMU's whole answer; an {@code error} answer is an exception. */
    public JsonNode execute(String command, ObjectNode arguments, Duration timeout)
            throws LabException, InterruptedException {
        JsonNode r = send(command, arguments, timeout);
        if (r.has("error")) {
            throw new LabException("lab.error.qmpError", process.role(), command, r.get("error").toString());
        }
        return r;
    }

    /** Sends a command and returns QEMU's whole answer, an {@code error} included. */
    public JsonNode send(String command, ObjectNode arguments, Duration timeout)
            throws LabException, InterruptedException {
        if (closed) {
            throw process.diedError("lab.error.died", command);
        }
        String id = "vmcase-" + (++counter);
        ObjectNode msg = MAPPER.createObjectNode().put("execute", command);
        if (arguments != null) {
            msg.set("arguments", arguments);
        }
        msg.put("id", id);
        String text = msg.toString();
        record(text);
        try {
            line.send(text);
        } catch (IOException e) {
            throw process.diedError("lab.error.died", command);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode r = left > 0 ? responses.poll(left, TimeUnit.NANOSECONDS) : null;
            if (r == null) {
                throw new LabException("lab.error.noReply", process.role(), command, (timeout.toMillis() + 999) / 1000);
            }
            if (r == CLOSED) {
                responses.add(CLOSED);
                throw process.diedError("lab.error.died", command);
            }
            if (id.equals(r.path("id").asText())) {
                return r;
            }
        }
    }

    /** {@code human-monitor-command}: HMP text in, HMP text out (errors come back as text, as HMP prints them). */
    public String hmp(String commandLine, Duration timeout) throws LabException, InterruptedException {
        ObjectNode args = MAPPER.createObjectNode().put("command-line", commandLine);
        return execute("human-monitor-command", args, timeout).path("return").asText();
    }

    public int eventCount() {
        synchronized (events) {
            return events.size();
        }
    }

    public List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The first event from index {@code from} on that matches, waiting up to {@code timeout}. */
    public Optional<JsonNode> waitEvent(Predicate<JsonNode> match, int from, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (int i = from; i < events.size(); i++) {
                    if (match.test(events.get(i))) {
                        return Optional.of(events.get(i));
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || closed) {
                    return Optional.empty();
                }
                events.wait(left);
            }
        }
    }

    /** Waits until QEMU closes the connection (after {@code quit}, or when it exits). */
    public boolean waitClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (!closed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                events.wait(left);
            }
            return true;
        }
    }

    static Predicate<JsonNode> event(String name) {
        return e -> name.equals(e.path("event").asText());
    }

    @Override
    public void close() {
        line.close();
        transcript.close();
    }
}
