package dev.vmcase.app;

import dev.vmcase.parsers.ingest.hostile.HostileInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code vmcase bench hostile}: the hostile-input suite's long run (issue 19). Generated inputs for every parser
 * ({@link HostileInputs}: every parser's sample and the real evidence under {@code --from}, mutated, cut, spliced,
 * with runaway 1 MiB lines of every filler, random lines, junk after evidence) with a fixed seed; each case under a
 * time limit (over it: a hang). Prints cases per category, the slowest case of each, crashes, hangs, out-of-memory
 * errors, evidence lost, peak heap and peak RSS. With {@code --memory}, also analyses a 57 MB QMP transcript grown from
 * a real one and a domain XML with a 100 MiB attribute in a child JVM at {@code -Xmx512m}, with its exit status and
 * peak RSS.
 */
@Command(name = "hostile", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true)
public final class BenchHostileCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--from", descriptionKey = "bench.hostile.from")
    List<Path> from = new ArrayList<>(List.of(Path.of("sample-cases")));

    @Option(names = "--scale", defaultValue = "10", descriptionKey = "bench.hostile.scale")
    int scale;

    @Option(names = "--seed", defaultValue = "20261204", descriptionKey = "bench.hostile.seed")
    long seed;

    @Option(names = "--limit", defaultValue = "60", descriptionKey = "bench.hostile.limit")
    int limitSeconds;

    @Option(names = "--memory", descriptionKey = "bench.hostile.memory")
    boolean memory;

    @Override
    public Integer call() throws Exception {
        List<HostileInputs.Seed> samples = HostileInputs.sampleSeeds();
        List<HostileInputs.Seed> real = new ArrayList<>();
        for (Path f : from) {
            if (Files.isDirectory(f)) {
                real.addAll(HostileInputs.fileSeeds(f, 1 << 20));
            }
        }
        System.out.printf("seeds: %d parser samples, %d real evidence files; scale %d, seed %d, limit %d s a case%n",
                samples.size(), real.size(), scale, seed, limitSeconds);
        HostileInputs.Tally t = new HostileInputs.Tally();
        List<String> hangs = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "vmcase-hostile");
            th.setDaemon(true);
            return th;
        });
        long t0 = System.nanoTime();
        for (Iterator<HostileInputs.Case> it : List.of(
                HostileInputs.cases(samples, seed, 4 * scale, HostileInputs.fillers() * Math.max(1, scale / 5),
                        4 * scale),
                HostileInputs.cases(real, seed + 1, scale, scale, scale))) {
            while (it.hasNext()) {
                HostileInputs.Case c = it.next();
                Future<?> f = worker.submit(() -> t.run(c));
                try {
                    f.get(limitSeconds, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    hangs.add(c.category() + " " + c.name() + " (" + c.owner().format() + ")");
                    f.cancel(true);
                    // the stuck thread cannot be stopped; a fresh one takes the next cases
                    worker.shutdownNow();
                    worker = Executors.newSingleThreadExecutor(r -> {
                        Thread th = new Thread(r, "vmcase-hostile");
                        th.setDaemon(true);
                        return th;
                    });
                }
            }
        }
        worker.shutdownNow();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println("category        cases  slowest case");
        t.cases.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-13s %6d  %6d ms%n", k, v, t.slowestMillis.get(k)));
        System.out.printf(Locale.ROOT, "total %d cases in %.1f s: crashes %d, hangs (over %d s) %d, out of memory %d,"
                        + " evidence lost %d%n", t.total(), seconds, t.crashes.size(), limitSeconds, hangs.size(),
                t.outOfMemory.size(), t.lost.size());
        t.crashes.stream().limit(20).forEach(x -> System.out.println("  crash: " + x));
        hangs.stream().limit(20).forEach(x -> System.out.println("  hang: " + x));
        t.outOfMemory.stream().limit(20).forEach(x -> System.out.println("  out of memory: " + x));
        t.lost.stream().limit(20).forEach(x -> System.out.println("  lost: " + x));
        System.out.printf(Locale.ROOT, "peak heap %d MB, peak RSS %s%n", BenchCommand.peakHeap() >> 20, peakRss());
        boolean ok = t.crashes.isEmpty() && hangs.isEmpty() && t.outOfMemory.isEmpty() && t.lost.isEmpty();
        if (memory) {
            ok &= memoryRuns();
        }
        return ok ? 0 : 1;
    }

    /** This process's peak resident set ({@code VmHWM} of /proc/self/status), or "unknown". */
    static String peakRss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return (Long.parseLong(l.replaceAll("\\D", "")) >> 10) + " MB";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    /** The 57 MB QMP transcript and the 100 MiB attribute, each analysed by a child JVM at -Xmx512m. */
    private boolean memoryRuns() throws Exception {
        Path dir = Files.createTempDirectory("vmcase-hostile-");
        try {
            Path qmp = dir.resolve("qmp-57MB.jsonl");
            String transcript = Files.readString(from.get(0).resolve("orphaned-disk-qemu/evidence/source-qmp.jsonl"));
            int copies = (int) Math.ceil(57e6 / transcript.getBytes(StandardCharsets.UTF_8).length);
            try (Writer w = Files.newBufferedWriter(qmp)) {
                HostileInputs.growQmpTranscript(transcript, copies, w);
            }
            Path xml = dir.resolve("attribute-100MiB.xml");
            String domain = Files.readString(from.get(0).resolve("libvirt-migration/evidence/src-domain-before.xml"));
            int at = domain.indexOf("<disk ") + "<disk ".length();
            try (Writer w = Files.newBufferedWriter(xml)) {
                w.write(domain, 0, at);
                w.write("serial='");
                char[] a = new char[1 << 20];
                java.util.Arrays.fill(a, 'A');
                for (int i = 0; i < 100; i++) {
                    w.write(a);
                }
                w.write("' ");
                w.write(domain, at, domain.length() - at);
            }
            boolean ok = true;
            for (Path p : List.of(qmp, xml)) {
                ok &= child(p);
            }
            return ok;
        } finally {
            dev.vmcase.parsers.ingest.Folders.deleteTree(dir);
        }
    }

    private static boolean child(Path input) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        boolean time = Files.isExecutable(Path.of("/usr/bin/time"));
        if (time) {
            cmd.addAll(List.of("/usr/bin/time", "-f", "vmcase-peak-rss-kb %M"));
        }
        cmd.addAll(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.vmcase.app.Main", "analyze", "--json", input.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        String rss = "unknown";
        for (String l : err.split("\n")) {
            if (l.startsWith("vmcase-peak-rss-kb ")) {
                rss = (Long.parseLong(l.substring(19).strip()) >> 10) + " MB";
            }
        }
        // the heap ran out: uncaught, or said by vmcase (exit status, or the warning of a file left out at its reading)
        boolean oom = err.contains("OutOfMemoryError") || code == Main.OUT_OF_MEMORY
                || err.contains(dev.vmcase.parsers.ingest.Ingest.OUT_OF_MEMORY_WARNING);
        System.out.printf(Locale.ROOT, "%s (%.1f MB) at -Xmx512m: exit %d, %.1f s, peak RSS %s%s%n",
                input.getFileName(), Files.size(input) / 1e6, code, (System.nanoTime() - t0) / 1e9, rss,
                oom ? ", OUT OF MEMORY" : "");
        return code == 0 && !oom;
    }
}
