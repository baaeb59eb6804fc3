package dev.vmcase.app;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Evidence;
import dev.vmcase.parsers.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Reads one file (or folder) as {@code analyze} does and prints MB/s, lines/s, records, the timeline index's bytes
 * per entry and the peak heap; with {@code --lnav}, times {@code lnav -n -c ':goto 100%' FILE} on the same file in
 * the same run and prints the ratio.
 */
@Command(name = "ingest", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true)
public final class BenchIngestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", descriptionKey = "bench.ingest.file")
    Path file;

    @Option(names = "--runs", descriptionKey = "bench.runs", defaultValue = "1")
    int runs;

    @Option(names = "--lnav", descriptionKey = "bench.ingest.lnav")
    boolean lnav;

    @Override
    public Integer call() throws IOException, InterruptedException {
        long bytes = Files.isDirectory(file) ? 0 : Files.size(file);
        System.out.printf(Locale.ROOT, "input: %s, %.1f MB; heap max %.0f MB%n", file, bytes / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
        double best = Double.MAX_VALUE;
        AnalysisResult r = null;
        for (int i = 0; i < runs; i++) {
            r = null;
            System.gc();
            BenchCommand.resetPeaks();
            long t0 = System.nanoTime();
            Evidence e = Ingest.load(List.of(file), ProgressMonitor.NONE);
            long t1 = System.nanoTime();
            r = Analysis.run(e);
            long t2 = System.nanoTime();
            double s = (t2 - t0) / 1e9;
            best = Math.min(best, s);
            System.out.printf(Locale.ROOT, "run %d: ingest %.2f s + analysis %.2f s = %.2f s; peak heap %.0f MB%n", i + 1,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, s, BenchCommand.peakHeap() / 1048576.0);
        }
        Evidence e = r.evidence();
        int entries = e.timeline().size();
        System.out.printf(Locale.ROOT, "best %.2f s = %.1f MB/s; timeline %d entries (%.1f bytes each), %d events, "
                        + "%d QMP messages, %d observations, %d findings%n", best, bytes / 1048576.0 / best, entries,
                entries == 0 ? 0.0 : (double) e.timeline().bytes() / entries, e.events().size(), e.qmp().size(),
                e.observations().size(), r.findings().size());
        if (entries > 0) {
            System.out.printf(Locale.ROOT, "lines/s (timeline entries): %.0f%n", entries / best);
        }
        if (lnav) {
            lnav(best);
        }
        return 0;
    }

    private void lnav(double ours) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("vmcase-lnav-home");
        ProcessBuilder pb = new ProcessBuilder("lnav", "-n", "-c", ":goto 100%", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HOME", home.toString()); // a fresh lnav: no saved session, no index cache
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            System.out.println("lnav: not installed (apt-get install lnav)");
            return;
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            System.out.println("lnav: did not finish in 30 minutes");
            return;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        try (var walk = Files.walk(home)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        System.out.printf(Locale.ROOT, "lnav -n -c ':goto 100%%': %.2f s (exit %d); vmcase/lnav = %.2f%n", s, p.exitValue(),
                ours / s);
    }
}
