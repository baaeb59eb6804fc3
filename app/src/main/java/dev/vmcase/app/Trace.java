package dev.vmcase.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a command's time went, for {@code -Dvmcase.trace=true} ({@code bench ingest --vs-lnav} sets it on its cold
 * runs): wall-clock marks since the process started (the launcher script execs java, so its time and the JVM's own
 * start are included), then the CPU seconds of each live thread of this process from {@code /proc/self/task} (the
 * parser, the JIT compilers, the collector), threads of one kind added up, and those of threads that ended (the
 * reading and hashing thread). Text only; the command prints it on standard error.
 */
final class Trace {
    /** Whether this run traces (a system property, so no option of any command changes). */
    static final boolean ON = Boolean.getBoolean("vmcase.trace");

    private final long start = processStart();
    private final List<String> marks = new ArrayList<>();

    /**
     * When this process started, in epoch milliseconds, within a clock tick: its start in clock ticks since boot
     * ({@code /proc/self/stat}, USER_HZ 100) against the time since boot ({@code /proc/uptime}, 10 ms). Not
     * {@link ProcessHandle.Info#startInstant()}, which adds the boot time in whole seconds ({@code btime}): its figures
     * were off by the same fraction of a second in every run of a boot (0.9 s on one machine, 0.3 s on another).
     */
    static long processStart() {
        long now = System.currentTimeMillis();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            // the fields after the command's name, from the third (state) on; the start time is the 22nd
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[22 - 3]);
            double up = Double.parseDouble(Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII)
                    .split(" ")[0]);
            return now - Math.round((up - ticks / 100.0) * 1000);
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(now);
        }
    }

    /** Notes the time of a step's end. */
    void mark(String what) {
        marks.add(String.format(Locale.ROOT, "%s %.2f", what, (System.currentTimeMillis() - start) / 1000.0));
    }

    /**
     * Notes a figure other than a time since the start ({@code fx-cpu first-lines 0.41}: the CPU seconds the JavaFX
     * thread had used when the first lines were on screen, which the machine's load changes far less than the wall
     * clock).
     */
    void figure(String what, double value) {
        marks.add(String.format(Locale.ROOT, "%s %.2f", what, value));
    }

    /**
     * {@code trace: start 0.31, ingest 3.02, …; cpu 6.10 s: C1 0.40, C2 1.20, main 2.95, …, ended 0.80}: one line,
     * so a benchmark can read it back.
     */
    String line() {
        StringBuilder b = new StringBuilder("trace: ").append(String.join(", ", marks));
        Map<String, Double> cpu = threadCpu();
        double total = processCpu();
        b.append(String.format(Locale.ROOT, "; cpu %.2f s:", total));
        double live = 0;
        for (Map.Entry<String, Double> e : cpu.entrySet()) {
            live += e.getValue();
            if (e.getValue() >= 0.005) {
                b.append(String.format(Locale.ROOT, " %s %.2f,", e.getKey(), e.getValue()));
            }
        }
        // threads that ended (the reading and hashing thread, workers) are in the process's total only
        b.append(String.format(Locale.ROOT, " ended %.2f", Math.max(0, total - live)));
        return b.toString();
    }

    /** CPU seconds per kind of live thread; {@code GC Thread#0}, {@code GC Thread#1} are one kind. */
    static Map<String, Double> threadCpu() {
        Map<String, Double> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                String[] f = stat(t.resolve("stat"));
                if (f != null) {
                    // the primordial thread, which runs main, is named after the program
                    String name = f[0].equals("java") ? "main"
                            : f[0].replaceAll("[#0-9 ]+$", "").replace(" CompilerThre", "");
                    out.merge(name.isEmpty() ? "?" : name, seconds(f), Double::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: no per-thread figures
        }
        return out;
    }

    /** User plus system CPU seconds of the whole process, threads that ended included. */
    static double processCpu() {
        String[] f = stat(Path.of("/proc/self/stat"));
        return f == null ? Double.NaN : seconds(f);
    }

    /** The thread's name, then the fields after it ({@code state} is index 1, utime 12, stime 13). */
    private static String[] stat(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.US_ASCII);
            int open = s.indexOf('(');
            int close = s.lastIndexOf(')');
            String[] rest = s.substring(close + 2).split(" ");
            String[] f = new String[rest.length + 1];
            f[0] = s.substring(open + 1, close);
            System.arraycopy(rest, 0, f, 1, rest.length);
            return f;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Clock ticks are hundredths of a second on Linux ({@code getconf CLK_TCK}). */
    private static double seconds(String[] f) {
        return (Long.parseLong(f[12]) + Long.parseLong(f[13])) / 100.0;
    }
}
