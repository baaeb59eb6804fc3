package dev.vmcase.app;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.parsers.ingest.Folders;
import dev.vmcase.parsers.ProgressMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Measures ingest + analysis throughput and memory: every text file of a real evidence folder is repeated until it
 * reaches {@code --mb} megabytes (real lines, so every parser does its real work), then the bundle is analysed
 * {@code --runs} times. Prints figures; asserts nothing.
 */
@Command(name = "bundle", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true)
public final class BenchBundleCommand implements Callable<Integer> {
    @Option(names = "--from", descriptionKey = "bench.from", required = true)
    Path from;

    @Option(names = "--mb", descriptionKey = "bench.mb", defaultValue = "20")
    int megabytes;

    @Option(names = "--runs", descriptionKey = "bench.runs", defaultValue = "3")
    int runs;

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("vmcase-bench");
        try {
            long bytes = 0;
            long lines = 0;
            List<Path> sources;
            try (Stream<Path> s = Files.list(from)) {
                sources = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path src : sources) {
                List<String> content = Files.readAllLines(src, StandardCharsets.UTF_8);
                if (content.isEmpty()) {
                    continue;
                }
                Path out = dir.resolve(src.getFileName());
                long target = (long) megabytes << 20;
                long written = 0;
                try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    while (written < target) {
                        for (String l : content) {
                            w.write(l);
                            w.write('\n');
                            written += l.length() + 1;
                            lines++;
                        }
                        if (content.size() == 1 || src.toString().endsWith(".json")) {
                            break; // one command line, one JSON document: repeating them is no realistic file
                        }
                    }
                }
                bytes += Files.size(out);
            }
            System.out.printf(Locale.ROOT, "bundle: %d files, %.1f MB, %d lines (from %s)%n",
                    sources.size(), bytes / 1048576.0, lines, from);
            List<Double> seconds = new ArrayList<>();
            AnalysisResult r = null;
            for (int i = 0; i < runs; i++) {
                System.gc();
                long t0 = System.nanoTime();
                r = Analysis.of(List.of(dir), ProgressMonitor.NONE);
                seconds.add((System.nanoTime() - t0) / 1e9);
            }
            double best = seconds.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            long peak = BenchCommand.peakHeap();
            System.gc();
            long retained = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            System.out.printf(Locale.ROOT, "runs: %s s; best %.2f s = %.1f MB/s, %.0f lines/s%n", seconds, best,
                    bytes / 1048576.0 / best, lines / best);
            System.out.printf(Locale.ROOT, "records: %d events, %d QMP messages, %d observations; %d findings%n",
                    r.evidence().events().size(), r.evidence().qmp().size(), r.evidence().observations().size(),
                    r.findings().size());
            System.out.printf(Locale.ROOT, "heap: peak %.0f MB, retained with the result %.0f MB (max %.0f MB)%n",
                    peak / 1048576.0, retained / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
            return 0;
        } finally {
            Folders.deleteTree(dir);
        }
    }
}
