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
