package dev.vmcase.app;

import javafx.application.Platform;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** JavaFX without a display (Monocle headless, software pipeline), for commands that render views to pictures. */
final class HeadlessFx {
    private static boolean started;

    private HeadlessFx() {
    }

    /**
     * Starts JavaFX (headless) for off-screen rendering unless it already runs, as in the workbench or a test.
     */
    static void startIfNeeded() throws InterruptedException {
        try {
            CountDownLatch probe = new CountDownLatch(1);
            Platform.runLater(probe::countDown);
            probe.await(10, TimeUnit.SECONDS);
        } catch (IllegalStateException notStarted) {
            start();
        }
    }

    /** Starts the JavaFX platform headless once; later calls do nothing. */
    static synchronized void start() throws InterruptedException {
        if (started) {
            return;
        }
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("headless.geometry", "1920x1080-32");
        System.setProperty("prism.order", "sw");
        System.setProperty("prism.text", "t2k");
        System.setProperty("java.awt.headless", "true");
        CountDownLatch up = new CountDownLatch(1);
        Platform.setImplicitExit(false);
        Platform.startup(up::countDown);
        if (!up.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("JavaFX did not start within 30 s");
        }
        started = true;
    }
}
