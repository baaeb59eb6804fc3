package dev.vmcase.app;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Evidence;
import dev.vmcase.parsers.ingest.Folders;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    @Option(names = "--vs-lnav", descriptionKey = "bench.ingest.vsLnav")
    boolean vsLnav;

    @Option(names = "--rounds", descriptionKey = "bench.ingest.rounds", defaultValue = "3")
    int rounds;

    @Option(names = "--child-java-opts", descriptionKey = "bench.ingest.childOpts", defaultValue = "-Xmx512m")
    String childOpts;

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
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            Evidence e = Ingest.load(List.of(file), ProgressMonitor.NONE);
            long t1 = System.nanoTime();
            r = Analysis.run(e);
            long t2 = System.nanoTime();
            double s = (t2 - t0) / 1e9;
            best = Math.min(best, s);
            System.out.printf(Locale.ROOT, "run %d: ingest %.2f s + analysis %.2f s = %.2f s (process CPU %.2f s); "
                            + "peak heap %.0f MB%n", i + 1, (t1 - t0) / 1e9, (t2 - t1) / 1e9, s,
                    (processCpuNanos() - cpu0) / 1e9, BenchCommand.peakHeap() / 1048576.0);
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
        if (vsLnav) {
            vsLnav();
        }
        return 0;
    }

    /** User+system CPU of this JVM (all its threads: parser, hasher, GC, JIT), or 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(os.getProcessCpuTime(), 0);
        }
        return 0;
    }

    /** Wall seconds and, when {@code /usr/bin/time} could tell, user and system CPU seconds of one child. */
    private record Timed(double wall, double user, double sys, int exit) {
        String show() {
            return Double.isNaN(user) ? String.format(Locale.ROOT, "%.2f s", wall)
                    : String.format(Locale.ROOT, "%.2f s (CPU %.2f user + %.2f sys)", wall, user, sys);
        }
    }

    /**
     * Cold {@code vmcase analyze FILE --json} (a fresh JVM through the launcher, {@code VMCASE_JAVA_OPTS} =
     * {@code --child-java-opts}) and {@code lnav -n -c ':goto 100%' FILE} (a fresh HOME: no index cache), run
     * alternately {@code --rounds} times so both see the same load; prints each run, the medians and their ratio.
     */
    private void vsLnav() throws IOException, InterruptedException {
        String launcher = System.getProperty("vmcase.launcher");
        List<String> vmcase;
        if (launcher != null && Files.isExecutable(Path.of(launcher))) {
            vmcase = List.of(launcher, "analyze", file.toString(), "--json");
        } else {
            vmcase = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            vmcase.addAll(List.of(childOpts.trim().split("\\s+")));
            vmcase.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "analyze",
                    file.toString(), "--json"));
        }
        System.out.printf(Locale.ROOT, "side by side, %d rounds: %s  vs  lnav -n -c ':goto 100%%' %s%n", rounds,
                String.join(" ", vmcase), file);
        List<Timed> ours = new java.util.ArrayList<>();
        List<Timed> theirs = new java.util.ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Path home = Files.createTempDirectory("vmcase-lnav-home");
            Timed l;
            try {
                l = timed(List.of("lnav", "-n", "-c", ":goto 100%", file.toString()), Map.of("HOME", home.toString()));
            } catch (IOException ex) {
                System.out.println("lnav: not installed (apt-get install lnav)");
                return;
            } finally {
                Folders.deleteTree(home);
            }
            Timed v = timed(vmcase, Map.of("VMCASE_JAVA_OPTS", childOpts));
            theirs.add(l);
            ours.add(v);
            System.out.printf(Locale.ROOT, "round %d: lnav %s exit %d; vmcase analyze --json %s exit %d%n", i + 1,
                    l.show(), l.exit(), v.show(), v.exit());
        }
        Timed mv = median(ours);
        Timed ml = median(theirs);
        System.out.printf(Locale.ROOT, "median: vmcase %s, lnav %s; vmcase/lnav = %.2f (wall)%s%n", mv.show(), ml.show(),
                mv.wall() / ml.wall(), Double.isNaN(mv.user()) ? "" : String.format(Locale.ROOT, ", %.2f (CPU)",
                        (mv.user() + mv.sys()) / (ml.user() + ml.sys())));
    }

    private static Timed median(List<Timed> runs) {
        double[] w = runs.stream().mapToDouble(Timed::wall).sorted().toArray();
        double[] c = runs.stream().mapToDouble(t -> t.user() + t.sys()).sorted().toArray();
        Timed byCpu = runs.stream().filter(t -> t.user() + t.sys() == c[c.length / 2]).findFirst()
                .orElse(new Timed(0, Double.NaN, Double.NaN, 0));
        return new Timed(w[w.length / 2], byCpu.user(), byCpu.sys(), 0);
    }

    /** Runs a command, output discarded, timed by {@code /usr/bin/time} when there is one. */
    private static Timed timed(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path gnuTime = Path.of("/usr/bin/time");
        Path report = Files.createTempFile("vmcase-time", ".txt");
        List<String> full = new java.util.ArrayList<>();
        boolean measured = Files.isExecutable(gnuTime);
        if (measured) {
            full.addAll(List.of(gnuTime.toString(), "-f", "%e %U %S", "-o", report.toString()));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("did not finish in 30 minutes: " + command);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double user = Double.NaN;
        double sys = Double.NaN;
        try {
            String[] f = Files.readString(report).trim().split("\\s+");
            if (measured && f.length >= 3) {
                String[] last = java.util.Arrays.copyOfRange(f, f.length - 3, f.length);
                user = Double.parseDouble(last[1]);
                sys = Double.parseDouble(last[2]);
            }
        } catch (NumberFormatException | IOException ex) {
            // wall time only
        } finally {
            Files.deleteIfExists(report);
        }
        return new Timed(wall, user, sys, p.exitValue());
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
        Folders.deleteTree(home);
        System.out.printf(Locale.ROOT, "lnav -n -c ':goto 100%%': %.2f s (exit %d); vmcase/lnav = %.2f%n", s, p.exitValue(),
                ours / s);
    }
}
