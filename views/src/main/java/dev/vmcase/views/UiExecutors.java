package dev.vmcase.views;

import javafx.application.Platform;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where a view-model's work runs: {@link #background()} for anything that reads files or scans many lines, {@link #fx()}
 * to hand results back to the scene graph. The standard pair is one daemon thread per view and
 * {@link Platform#runLater}; {@link #direct()} runs both on the caller's thread, so view-models are tested without a
 * toolkit or a thread.
 */
public interface UiExecutors {
    Executor background();

    Executor fx();

    /** Stops the background thread (a view closed for good). */
    default void shutdown() {
    }

    /**
     * Runs {@code r} on the FX thread at the end of {@code scene}'s next layout pulse (one is asked for): once what was
     * just set is laid out, before it is painted.
     */
    static void afterNextLayout(javafx.scene.Scene scene, Runnable r) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            r.run();
        };
        scene.addPostLayoutPulseListener(once[0]);
        Platform.requestNextPulse();
    }

    /** A daemon thread of that name for the background, the FX application thread for results. */
    static UiExecutors standard(String threadName) {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        return new UiExecutors() {
            @Override
            public Executor background() {
                return worker;
            }

            @Override
            public Executor fx() {
                return r -> {
                    if (Platform.isFxApplicationThread()) {
                        r.run();
                    } else {
                        Platform.runLater(r);
                    }
                };
            }

            @Override
            public void shutdown() {
                worker.shutdownNow();
            }
        };
    }

    /** Everything on the caller's thread, at once (tests of view-models). */
    static UiExecutors direct() {
        Executor now = Runnable::run;
        return new UiExecutors() {
            @Override
            public Executor background() {
                return now;
            }

            @Override
            public Executor fx() {
                return now;
            }
        };
    }
}
