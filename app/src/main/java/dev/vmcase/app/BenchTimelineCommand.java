package dev.vmcase.app;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.Bins;
import dev.vmcase.analysis.timeline.SyntheticEvidence;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.views.Selection;
import dev.vmcase.views.timeline.TimelineView;
import javafx.application.Platform;
import javafx.scene.Scene;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Frame time of the timeline view: for synthetic timelines of 1e5, 1e6 and 1e7 events, a sequence of pans and zooms
 * (from fit-all down to milliseconds) each built as bins and drawn to the Canvas on the FX thread; prints median and
 * p95. Runs JavaFX headless (Monocle, software pipeline), so it needs no display. Asserts nothing.
 */
@Command(name = "timeline", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true)
public final class BenchTimelineCommand implements Callable<Integer> {
    @Option(names = "--sizes", descriptionKey = "bench.timeline.sizes", split = ",",
            defaultValue = "100000,1000000,10000000")
    List<Integer> sizes;

    @Option(names = "--frames", descriptionKey = "bench.timeline.frames", defaultValue = "300")
    int frames;

    @Option(names = "--width", descriptionKey = "bench.timeline.width", defaultValue = "1600")
    int width;

    @Option(names = "--hosts", descriptionKey = "bench.timeline.hosts", defaultValue = "2")
    int hosts;

    @Override
    public Integer call() throws Exception {
        HeadlessFx.start();
        System.out.printf(Locale.ROOT, "timeline frames: %d pans/zooms at %d px, %d hosts; JavaFX %s, prism %s; "
                        + "%d cores, load average %.1f (other work on the machine shows in p95 and max)%n",
                frames, width, hosts, System.getProperty("javafx.runtime.version"), System.getProperty("prism.order"),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int n : sizes) {
            long a = System.nanoTime();
            AnalysisResult r = SyntheticEvidence.of(n, hosts, 42);
            long b = System.nanoTime();
            TimelineModel model = TimelineModel.of(r);
            long c = System.nanoTime();
            double[] frame = new double[frames];
            double[] binsOnly = new double[frames];
            double[] raster = new double[Math.min(frames, 40)];
            double[] full = new double[Math.max(20, frames / 3)];
            double[] fullBins = new double[full.length];
            CompletableFuture<Void> done = new CompletableFuture<>();
            Platform.runLater(() -> {
                try {
                    run(model, frame, binsOnly, raster, full, fullBins);
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
            done.get(30, TimeUnit.MINUTES);
            System.out.printf(Locale.ROOT, "%,d events (%d lanes): evidence %.2f s, model %.2f s; "
                            + "frame (bins + draw) median %.2f ms, p95 %.2f ms, max %.2f ms; bins alone median %.2f ms, p95 %.2f ms; "
                            + "whole timeline in view: frame median %.2f ms, p95 %.2f ms (bins alone median %.2f ms); "
                            + "software rasterization of a frame (snapshot) median %.1f ms%n",
                    model.size(), model.lanes().size(), (b - a) / 1e9, (c - b) / 1e9, pct(frame, 50), pct(frame, 95),
                    pct(frame, 100), pct(binsOnly, 50), pct(binsOnly, 95), pct(full, 50), pct(full, 95), pct(fullBins, 50), pct(raster, 50));
        }
        Platform.exit();
        return 0;
    }

    private void run(TimelineModel model, double[] frame, double[] binsOnly, double[] raster, double[] full,
                     double[] fullBins) {
        TimelineView view = new TimelineView(new Selection());
        Scene scene = new Scene(view, width + 172, 600);
        view.setModel(model);
        view.applyCss();
        view.layout();
        Random rnd = new Random(7);
        long start = model.start();
        long end = model.end();
        long t0 = start;
        long t1 = end;
        Bins bins = null;
        int warm = 30;
        for (int i = -warm; i < frame.length; i++) {
            // a walk of pans and zooms between the whole hour and a few milliseconds
            long span = t1 - t0;
            int op = rnd.nextInt(4);
            if (op == 0 && span > 5_000) {
                double f = rnd.nextDouble();
                long ns = span / 2;
                t0 = t0 + (long) ((span - ns) * f);
                t1 = t0 + ns;
            } else if (op == 1 && span < end - start) {
                t0 -= span / 2;
                t1 += span / 2;
            } else {
                long d = (long) (span * (rnd.nextDouble() - 0.5) * 0.4);
                t0 += d;
                t1 += d;
            }
            long a = System.nanoTime();
            view.setVisibleRange(t0, t1);
            long b = System.nanoTime();
            bins = model.bins(t0, t1, width, bins);
            long c = System.nanoTime();
            if (i >= 0) {
                frame[i] = (b - a) / 1e6;
                binsOnly[i] = (c - b) / 1e6;
            }
        }
        // the heaviest frames: the whole timeline, every column of every lane populated, panned by 1 %
        long all = end - start;
        for (int i = -5; i < full.length; i++) {
            long d = (long) (all * 0.01 * ((i & 1) == 0 ? 1 : -1));
            long a = System.nanoTime();
            view.setVisibleRange(start + d, end + d);
            long b = System.nanoTime();
            bins = model.bins(start + d, end + d, width, bins);
            if (i >= 0) {
                full[i] = (b - a) / 1e6;
                fullBins[i] = (System.nanoTime() - b) / 1e6;
            }
        }
        for (int i = 0; i < raster.length; i++) { // the same frames rasterized: what the software pipeline adds
            long s = System.nanoTime();
            view.canvas().snapshot(null, null);
            raster[i] = (System.nanoTime() - s) / 1e6;
        }
        if (scene.getWindow() != null) {
            scene.getWindow().hide();
        }
    }

    private static double pct(double[] v, int p) {
        if (v.length == 0) {
            return 0;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }
}
