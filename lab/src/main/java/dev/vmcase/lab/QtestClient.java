package dev.vmcase.lab;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Plays the guest through QEMU's qtest protocol ({@code -qtest unix:PATH,server=on,wait=off}): one command per line,
 * one answer per line, e.g. {@code inl 0xae04} → {@code OK 0x00000040}, {@code outl 0xae08 0x40} → {@code OK}.
 * Asynchronous {@code IRQ …} lines are recorded and skipped. Every line sent and received goes verbatim to a
 * transcript.
 */
public final class QtestClient implements Closeable {
    private static final String CLOSED = "\0closed";

    private final QemuProcess process;
    private final LineChannel line;
    private final Transcript transcript;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private QtestClient(QemuProcess process, LineChannel line, Transcript transcript) {
        this.process = process;
        this.line = line;
        this.transcript = transcript;
    }

    public static QtestClient connect(QemuProcess process, Path socket, Path transcriptFile, Duration timeout)
            throws LabException, InterruptedException {
        LineChannel ch = LineChannel.connect(socket, process.role() + "-qtest", process, timeout);
        try {
            QtestClient c = new QtestClient(process, ch, new Transcript(transcriptFile));
            ch.start(c::received, () -> c.answers.add(CLOSED));
            return c;
        } catch (IOException e) {
            ch.close();
            throw new LabException("lab.error.io", transcriptFile, e.getMessage());
        }
    }

    private void record(String text) {
        transcript.record(text);
    }

    private void received(String text) {
        record(text);
        if (!text.startsWith("IRQ")) {
            answers.add(text);
        }
    }

    /** Sends one command; returns the answer ({@code OK …}); a {@code FAIL} answer is an exception. */
    public String command(String command, Duration timeout) throws LabException, InterruptedException {
        record(command);
        try {
            line.send(command);
        } catch (IOException e) {
            throw process.diedError("lab.error.died", command);
        }
        String a = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (a == null) {
            throw new LabException("lab.error.noReply", process.role(), command, (timeout.toMillis() + 999) / 1000);
        }
        if (a == CLOSED) {
            answers.add(CLOSED);
            throw process.diedError("lab.error.died", command);
        }
        if (!a.startsWith("OK")) {
            throw new LabException("lab.error.qtest", command, a);
        }
        return a;
    }

    @Override
    public void close() {
        line.close();
        transcript.close();
    }
}
