package dev.vmcase.views.log;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Role;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ingest.IngestOptions;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.lines.ArtifactFiles;
import dev.vmcase.parsers.lines.FilteredLines;
import dev.vmcase.parsers.lines.LineFilter;
import dev.vmcase.parsers.lines.LineSearch;
import dev.vmcase.parsers.lines.LogFile;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Prints the log viewer's figures on a big log (not a test): index build time and size, time to first screen in the
 * real view, jump to the last line, a search and a level filter over the whole file, and heap in use. Run with
 * {@code java -Xmx512m -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -cp ... LogViewBench FILE}.
 */
public final class LogViewBench {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/libvirtd-1g.log");
        long size = Files.size(file);
        System.out.printf("file %s, %.1f MiB, -Xmx %d MiB%n", file, size / 1048576.0,
                Runtime.getRuntime().maxMemory() >> 20);
        // 1. toolkit-free: index alone
        System.out.printf("load average %.1f on %d cores%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        var threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try (LogFile f = LogFile.open(file, ProgressMonitor.NONE)) {
            long t1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            System.out.printf("index: %,d lines in %.2f s wall, %.2f s CPU (%.0f MB/s wall), %,d bytes of index"
                            + " (%.1f KiB)%n", f.lineCount(), (t1 - t0) / 1e9, (c1 - c0) / 1e9,
                    size / 1e6 / ((t1 - t0) / 1e9), f.index().bytes(), f.index().bytes() / 1024.0);
            t0 = System.nanoTime();
            List<String> last = f.lines(f.lineCount() - 49, 50);
            System.out.printf("read 50 lines at the end: %.2f ms (%d lines)%n", (System.nanoTime() - t0) / 1e6,
                    last.size());
            t0 = System.nanoTime();
            c0 = threads.getCurrentThreadCpuTime();
            int hit = LineSearch.find(f, LineSearch.pattern("no-such-text-anywhere", false), 0, true, null,
                    ProgressMonitor.NONE);
            System.out.printf("search whole file (no match, %d): %.2f s wall, %.2f s CPU%n", hit,
                    (System.nanoTime() - t0) / 1e9, (threads.getCurrentThreadCpuTime() - c0) / 1e9);
            t0 = System.nanoTime();
            int back = LineSearch.find(f, LineSearch.pattern("device_del", false), f.lineCount() + 1, false, null,
                    ProgressMonitor.NONE);
            System.out.printf("search backward from the end to the last device_del (line %,d): %.2f ms%n", back,
                    (System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            c0 = threads.getCurrentThreadCpuTime();
            FilteredLines errors = new LineFilter(Timeline.ERROR, null).apply(f, ProgressMonitor.NONE);
            System.out.printf("level filter (errors): %,d lines kept in %.2f s wall, %.2f s CPU, %,d bytes%n",
                    errors.size(), (System.nanoTime() - t0) / 1e9, (threads.getCurrentThreadCpuTime() - c0) / 1e9,
                    4L * errors.size());
        }
        heap("after the toolkit-free part");
        // 2. the view: first screen, jump to the end
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        AtomicReference<LogView> view = new AtomicReference<>();
        Selection selection = new Selection();
        Artifact a = new Artifact("b".repeat(64), file.toString(), size, "libvirtd-debug-log", "bench", Role.UNKNOWN,
                List.of());
        Path cache = Files.createTempDirectory("logview-bench");
        Platform.runLater(() -> {
            LogView v = new LogView(selection, new ArtifactFiles(cache, IngestOptions.DEFAULTS));
            Stage stage = new Stage();
            stage.setScene(new Scene(v, 1200, 700));
            stage.show();
            view.set(v);
        });
        waitFor(() -> view.get() != null);
        long fxId = fx(() -> Thread.currentThread().getId());
        long fxCpu0 = threads.getThreadCpuTime(fxId);
        long open0 = System.nanoTime();
        Platform.runLater(() -> view.get().open(a));
        waitFor(() -> view.get() != null && view.get().visibleLines().length > 0);
        System.out.printf("view: first screen after %.2f s wall (%d lines on screen; FX thread CPU %.0f ms)%n",
                (System.nanoTime() - open0) / 1e9, fx(() -> view.get().visibleLines().length),
                (threads.getThreadCpuTime(fxId) - fxCpu0) / 1e6);
        fxCpu0 = threads.getThreadCpuTime(fxId);
        int lines = fx(() -> view.get().lineCount());
        long j0 = System.nanoTime();
        Platform.runLater(() -> selection.lineProperty().set(new LineRef(a.sha256(), lines - 3)));
        waitFor(() -> {
            int[] v = view.get().visibleLines();
            return v.length > 0 && v[v.length - 1] >= lines - 3;
        });
        System.out.printf("view: jump to line %,d: %.1f ms wall (FX thread CPU %.0f ms, rendering included)%n",
                lines - 3, (System.nanoTime() - j0) / 1e6, (threads.getThreadCpuTime(fxId) - fxCpu0) / 1e6);
        long s0 = System.nanoTime();
        long sc0 = threads.getThreadCpuTime(fxId);
        for (int i = 0; i < 20; i++) {
            int to = lines / 20 * i + 1;
            Platform.runLater(() -> selection.lineProperty().set(new LineRef(a.sha256(), to)));
            waitFor(() -> java.util.Arrays.stream(view.get().visibleLines()).anyMatch(l -> l == to));
        }
        System.out.printf("view: 20 jumps across the file: %.1f ms wall each (FX thread CPU %.0f ms each)%n",
                (System.nanoTime() - s0) / 1e6 / 20, (threads.getThreadCpuTime(fxId) - sc0) / 1e6 / 20);
        heap("with the view open on the file");
        Platform.runLater(() -> view.get().dispose());
        Platform.exit();
        System.exit(0);
    }

    static void heap(String when) {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                used += p.getUsage().getUsed();
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.printf("heap %s: %.1f MiB in use after GC (sum of pool peaks %.1f MiB)%n", when, used / 1048576.0,
                peak / 1048576.0);
    }

    static <T> T fx(java.util.concurrent.Callable<T> c) throws Exception {
        java.util.concurrent.FutureTask<T> t = new java.util.concurrent.FutureTask<>(c);
        Platform.runLater(t);
        return t.get(30, TimeUnit.SECONDS);
    }

    static void waitFor(BooleanSupplier c) throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!fx(c::getAsBoolean)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(5);
        }
    }
}
