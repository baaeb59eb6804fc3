package dev.vmcase.app.capture;

import dev.vmcase.app.capture.CaptureManifest.Outcome;
import dev.vmcase.app.capture.CaptureManifest.Step;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs a capture's steps one after the other, each on its own daemon thread with a bounded wait: a native libvirt
 * call or a socket read that never returns is abandoned after the step's time limit (the thread is left to the JVM)
 * and the capture goes on. Every step lands in the manifest with its outcome; a cancel request is honoured between
 * steps and while waiting.
 */
final class StepRunner {
    /** A step's result: the value when {@link Outcome#OK}, else the error that ended it (or none). */
    record Result<T>(Outcome outcome, T value, Throwable error, String detail) {
        boolean ok() {
            return outcome == Outcome.OK;
        }
    }

    /** Says what a failure means: outcome and the detail for the manifest. */
    record Verdict(Outcome outcome, String detail) {
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final CaptureManifest manifest;
    private final Duration timeout;
    private final CaptureListener listener;
    private final BooleanSupplier cancelled;
    private final Function<Throwable, Verdict> classify;
    private final int total;
    private int done;

    StepRunner(CaptureManifest manifest, Duration timeout, CaptureListener listener, BooleanSupplier cancelled,
               Function<Throwable, Verdict> classify, int total) {
        this.manifest = manifest;
        this.timeout = timeout;
        this.listener = listener;
        this.cancelled = cancelled;
        this.classify = classify;
        this.total = total;
    }

    boolean cancelled() {
        return cancelled.getAsBoolean();
    }

    Duration timeout() {
        return timeout;
    }

    /** Records a step that is not run. */
    void skip(String name, String via, String request, Outcome outcome, String detail) {
        manifest.add(new Step(name, via, request, Instant.now(), 0, outcome, detail, null));
        listener.progress(++done, total, name);
    }

    /**
     * Runs {@code call} as step {@code name}; {@code file} is the bundle file it writes (recorded when OK).
     * {@code onOk} turns the value into the manifest's detail (or null).
     */
    <T> Result<T> run(String name, String via, String request, String file, Callable<T> call,
                      Function<T, String> onOk) {
        listener.progress(done, total, CaptureTexts.text("capture.progress.step", name));
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        Result<T> r;
        if (cancelled()) {
            r = new Result<>(Outcome.CANCELLED, null, null, null);
        } else {
            r = bounded(call);
        }
        String detail = r.detail();
        if (r.ok() && onOk != null) {
            try {
                detail = onOk.apply(r.value());
            } catch (RuntimeException e) {
                // the step's answer came but could not be summarised: the step stays ok, its detail says why
                detail = e.toString();
            }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        manifest.add(new Step(name, via, request, at, ms, r.outcome(), detail, r.ok() ? file : null));
        listener.progress(++done, total, name);
        return r;
    }

    private <T> Result<T> bounded(Callable<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "vmcase-capture-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    t.interrupt();
                    return new Result<>(Outcome.TIMEOUT, null, null,
                            CaptureTexts.text("capture.detail.timeout", timeout.toSeconds()));
                }
                if (cancelled()) {
                    t.interrupt();
                    return new Result<>(Outcome.CANCELLED, null, null, null);
                }
                try {
                    return new Result<>(Outcome.OK, f.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)),
                            TimeUnit.NANOSECONDS), null, null);
                } catch (TimeoutException e) {
                    // wait on
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            Verdict v = classify.apply(cause);
            return new Result<>(v.outcome(), null, cause, v.detail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            t.interrupt();
            return new Result<>(Outcome.CANCELLED, null, null, null);
        }
    }
}
