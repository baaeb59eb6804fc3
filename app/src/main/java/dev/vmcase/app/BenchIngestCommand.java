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
import java.io.InputStream;
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
    @Parameters(arity = "1..*", paramLabel = "FILE", descriptionKey = "bench.ingest.file")
    List<Path> files;

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
        for (Path file : files) {
            if (runs > 0) {
                inProcess(file);
            }
            if (lnav) {
                lnav(file);
            }
        }
        if (vsLnav) {
            vsLnav();
        }
        return 0;
    }

    /** {@code --runs} reads of one file in this JVM. */
    private void inProcess(Path file) throws IOException {
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
        lastBest = best;
    }

    /** The best in-process time of the last file read, for {@code --lnav}'s ratio. */
    private double lastBest = Double.NaN;

    /** User+system CPU of this JVM (all its threads: parser, hasher, GC, JIT), or 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(os.getProcessCpuTime(), 0);
        }
        return 0;
    }

    /** Wall seconds and, when {@code /usr/bin/time} could tell, user and system CPU seconds of one child. */
    record Timed(double wall, double user, double sys, int exit, String trace) {
        double cpu() {
            return user + sys;
        }

        String show() {
            return Double.isNaN(user) ? String.format(Locale.ROOT, "%.2f s", wall)
                    : String.format(Locale.ROOT, "%.2f s (CPU %.2f user + %.2f sys)", wall, user, sys);
        }
    }

    /** What one file's rounds measured: vmcase, lnav and {@code wc -l}. */
    private static final class Series {
        final Path file;
        final List<Timed> vmcase = new java.util.ArrayList<>();
        final List<Timed> lnav = new java.util.ArrayList<>();
        final List<Timed> wc = new java.util.ArrayList<>();

        Series(Path file) {
            this.file = file;
        }
    }

    /**
     * For each file, its shape; then {@code --rounds} rounds, each running, per file, {@code lnav -n -c ':goto 100%'}
     * (a fresh HOME: no index cache), a cold {@code vmcase analyze FILE --json} (a fresh JVM through the launcher,
     * {@code VMCASE_JAVA_OPTS} = {@code --child-java-opts} and {@code -Dvmcase.trace=true}) and {@code wc -l} (the
     * physical floor: reading the file and finding its line ends), the first two in turn first, so all see the same
     * load; then per file the medians, the ratios and the median of vmcase's own trace (where its time went).
     */
    private void vsLnav() throws IOException, InterruptedException {
        String launcher = System.getProperty("vmcase.launcher");
        List<Series> all = new java.util.ArrayList<>();
        for (Path f : files) {
            all.add(new Series(f));
            System.out.println(Shape.of(f).describe(f));
        }
        System.out.printf(Locale.ROOT, "side by side, %d rounds: vmcase analyze FILE --json (%s)  vs  lnav -n -c ':goto "
                + "100%%' FILE  vs  wc -l FILE; load average before: %s%n", rounds,
                launcher != null ? launcher : "java " + childOpts, loadAverage());
        for (int i = 0; i < rounds; i++) {
            for (Series s : all) {
                Timed l = null;
                Timed v;
                if (i % 2 == 1) {
                    v = timed(vmcaseCommand(launcher, s.file), childEnv(), true);
                    l = lnavOnce(s.file);
                } else {
                    l = lnavOnce(s.file);
                    v = timed(vmcaseCommand(launcher, s.file), childEnv(), true);
                }
                if (l == null) {
                    System.out.println("lnav: not installed (apt-get install lnav)");
                    return;
                }
                Timed w = timed(List.of("wc", "-l", s.file.toString()), Map.of(), false);
                s.lnav.add(l);
                s.vmcase.add(v);
                s.wc.add(w);
                System.out.printf(Locale.ROOT, "round %d %s: lnav %s exit %d; vmcase %s exit %d; wc -l %s; load %s%n",
                        i + 1, s.file.getFileName(), l.show(), l.exit(), v.show(), v.exit(), w.show(), loadAverage());
            }
        }
        for (Series s : all) {
            summary(s);
        }
    }

    private void summary(Series s) {
        Timed mv = median(s.vmcase);
        Timed ml = median(s.lnav);
        Timed mw = median(s.wc);
        System.out.printf(Locale.ROOT, "%s: median vmcase %s [%.2f–%.2f], lnav %s [%.2f–%.2f], wc -l %s%n",
                s.file.getFileName(), mv.show(), min(s.vmcase), max(s.vmcase), ml.show(), min(s.lnav), max(s.lnav),
                mw.show());
        System.out.printf(Locale.ROOT, "  vmcase/lnav = %.2f (wall)%s; at 0.5× lnav vmcase would take %.2f s (%.2f s "
                        + "less); vmcase/wc -l = %.1f (wall)%n", mv.wall() / ml.wall(),
                Double.isNaN(mv.user()) ? "" : String.format(Locale.ROOT, ", %.2f (CPU)", mv.cpu() / ml.cpu()),
                ml.wall() / 2, mv.wall() - ml.wall() / 2, mv.wall() / mw.wall());
        String trace = medianTrace(s.vmcase);
        if (!trace.isEmpty()) {
            System.out.println("  vmcase's time (median of each figure): " + trace);
        }
    }

    private List<String> vmcaseCommand(String launcher, Path file) {
        if (launcher != null && Files.isExecutable(Path.of(launcher))) {
            return List.of(launcher, "analyze", file.toString(), "--json");
        }
        List<String> c = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        c.addAll(List.of(childOpts.trim().split("\\s+")));
        c.addAll(List.of("-Dvmcase.trace=true", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "analyze", file.toString(), "--json"));
        return c;
    }

    private Map<String, String> childEnv() {
        return Map.of("VMCASE_JAVA_OPTS", childOpts + " -Dvmcase.trace=true");
    }

    /** One cold lnav (a fresh HOME: no session, no index cache), or null when there is no lnav. */
    private static Timed lnavOnce(Path file) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("vmcase-lnav-home");
        try {
            return timed(List.of("lnav", "-n", "-c", ":goto 100%", file.toString()), Map.of("HOME", home.toString()),
                    false);
        } catch (IOException ex) {
            return null;
        } finally {
            Folders.deleteTree(home);
        }
    }

    private static double min(List<Timed> t) {
        return t.stream().mapToDouble(Timed::wall).min().orElse(Double.NaN);
    }

    private static double max(List<Timed> t) {
        return t.stream().mapToDouble(Timed::wall).max().orElse(Double.NaN);
    }

    private static Timed median(List<Timed> runs) {
        double[] w = runs.stream().mapToDouble(Timed::wall).sorted().toArray();
        double[] c = runs.stream().mapToDouble(Timed::cpu).sorted().toArray();
        Timed byCpu = runs.stream().filter(t -> t.cpu() == c[c.length / 2]).findFirst()
                .orElse(new Timed(0, Double.NaN, Double.NaN, 0, ""));
        return new Timed(w[w.length / 2], byCpu.user(), byCpu.sys(), 0, "");
    }

    /** {@code name value} pairs of the children's trace lines ({@link Trace#line}), each figure's median. */
    static String medianTrace(List<String> lines) {
        Map<String, List<Double>> figures = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Za-z][\\w -]*?) (\\d+\\.\\d+)( s)?")
                .matcher("");
        for (String line : lines) {
            if (line == null || !line.startsWith("trace: ")) {
                continue;
            }
            m.reset(line.substring(7).replace(":", ","));
            while (m.find()) {
                figures.computeIfAbsent(m.group(1).trim(), k -> new java.util.ArrayList<>())
                        .add(Double.parseDouble(m.group(2)));
            }
        }
        StringBuilder b = new StringBuilder();
        figures.forEach((k, v) -> {
            double[] d = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", k, d[d.length / 2]));
        });
        return b.toString();
    }

    private static String medianTrace(java.util.Collection<Timed> runs) {
        return medianTrace(runs.stream().map(Timed::trace).toList());
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or "?". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * Runs a command, its output discarded (its standard error's trace line kept when {@code traced}), timed by
     * {@code /usr/bin/time} when there is one.
     */
    static Timed timed(List<String> command, Map<String, String> env, boolean traced)
            throws IOException, InterruptedException {
        Path gnuTime = Path.of("/usr/bin/time");
        Path report = Files.createTempFile("vmcase-time", ".txt");
        Path err = Files.createTempFile("vmcase-stderr", ".txt");
        List<String> full = new java.util.ArrayList<>();
        boolean measured = Files.isExecutable(gnuTime);
        if (measured) {
            full.addAll(List.of(gnuTime.toString(), "-f", "%e %U %S", "-o", report.toString()));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(traced ? ProcessBuilder.Redirect.to(err.toFile()) : ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            Files.deleteIfExists(report);
            Files.deleteIfExists(err);
            throw e;
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("did not finish in 30 minutes: " + command);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double user = Double.NaN;
        double sys = Double.NaN;
        String trace = "";
        try {
            String[] f = Files.readString(report).trim().split("\\s+");
            if (measured && f.length >= 3) {
                String[] last = java.util.Arrays.copyOfRange(f, f.length - 3, f.length);
                user = Double.parseDouble(last[1]);
                sys = Double.parseDouble(last[2]);
            }
            if (traced) {
                trace = Files.readAllLines(err).stream().filter(l -> l.startsWith("trace: ")).reduce((a, b) -> b)
                        .orElse("");
            }
        } catch (NumberFormatException | IOException ex) {
            // wall time only
        } finally {
            Files.deleteIfExists(report);
            Files.deleteIfExists(err);
        }
        return new Timed(wall, user, sys, p.exitValue(), trace);
    }

    private void lnav(Path file) throws IOException, InterruptedException {
        Timed t = lnavOnce(file);
        if (t == null) {
            System.out.println("lnav: not installed (apt-get install lnav)");
            return;
        }
        System.out.printf(Locale.ROOT, "lnav -n -c ':goto 100%%': %s (exit %d); vmcase/lnav = %.2f%n", t.show(),
                t.exit(), lastBest / t.wall());
    }

    /**
     * A log's shape, which decides where a reader's time goes: lines, bytes a line, and how much of it is long lines
     * (a libvirtd log's monitor answers run to hundreds of KB on one line).
     */
    record Shape(long bytes, long lines, long longLines, long longBytes, long longest) {
        static final int LONG = 2048;

        static Shape of(Path file) throws IOException {
            long lines = 0;
            long longLines = 0;
            long longBytes = 0;
            long longest = 0;
            long bytes = 0;
            long current = 0;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 20];
                int n;
                while ((n = in.read(buf)) > 0) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        current++;
                        if (buf[i] == '\n') {
                            lines++;
                            if (current - 1 > LONG) {
                                longLines++;
                                longBytes += current;
                            }
                            longest = Math.max(longest, current - 1);
                            current = 0;
                        }
                    }
                }
            }
            if (current > 0) {
                lines++;
                if (current > LONG) {
                    longLines++;
                    longBytes += current;
                }
                longest = Math.max(longest, current);
            }
            return new Shape(bytes, lines, longLines, longBytes, longest);
        }

        String describe(Path file) {
            return String.format(Locale.ROOT, "shape of %s: %.1f MB, %d lines, %.0f bytes a line, %.2f %% of the lines "
                            + "over 2 KB holding %.1f %% of the bytes, the longest %d bytes", file, bytes / 1048576.0,
                    lines, lines == 0 ? 0.0 : (double) bytes / lines, lines == 0 ? 0.0 : 100.0 * longLines / lines,
                    bytes == 0 ? 0.0 : 100.0 * longBytes / bytes, longest);
        }
    }
}
