package dev.vmcase.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The workbench's start and first screen, cold: {@code --rounds} times {@code vmcase open PATH...} (the launcher, a
 * fresh JVM; without PATH the bundled seed case, as {@code ./vmcase} opens it) with {@code -Dvmcase.trace=true
 * -Dvmcase.trace.exit=true}, so {@link WorkbenchApp} prints when the window was shown, laid out its first frame,
 * laid out the first frame showing lines of the evidence (before the analysis ends on a big log), had the analysis,
 * laid out the frame showing it and the frame with its timeline (seconds since the process started, the launcher
 * included), then closes. Prints each run, the load average and each figure's median. Needs a display (under {@code xvfb-run -a}
 * without one); asserts nothing.
 */
@Command(name = "window", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true)
public final class BenchWindowCommand implements Callable<Integer> {
    @Parameters(descriptionKey = "bench.window.paths", arity = "0..*")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--rounds", descriptionKey = "bench.window.rounds", defaultValue = "5")
    int rounds;

    @Option(names = "--child-java-opts", descriptionKey = "bench.ingest.childOpts", defaultValue = "")
    String childOpts;

    @Override
    public Integer call() throws Exception {
        String launcher = System.getProperty("vmcase.launcher");
        if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
            System.out.println("bench window runs the launcher (./vmcase bench window): vmcase.launcher is not set");
            return 1;
        }
        List<String> command = new ArrayList<>(List.of(launcher, "open"));
        paths.forEach(p -> command.add(p.toString()));
        if (paths.isEmpty()) {
            command.remove(1); // ./vmcase alone: the seed case with its tour
        }
        Map<String, String> env = Map.of("VMCASE_JAVA_OPTS",
                (childOpts + " -Dvmcase.trace=true -Dvmcase.trace.exit=true").trim());
        System.out.printf(Locale.ROOT, "window start, %d rounds: %s; load average before: %s%n", rounds,
                String.join(" ", command), BenchIngestCommand.loadAverage());
        List<BenchIngestCommand.Timed> runs = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            BenchIngestCommand.Timed t = BenchIngestCommand.timed(command, env, true);
            runs.add(t);
            System.out.printf(Locale.ROOT, "round %d: %s exit %d; load %s%n  %s%n", i + 1, t.show(), t.exit(),
                    BenchIngestCommand.loadAverage(), t.trace().isEmpty() ? "(no trace line)" : t.trace());
        }
        System.out.println("median of each figure (seconds since the process started; shown = the window appeared, "
                + "first-lines = the first frame showing lines of the evidence, analysed = the analysis done, "
                + "first-screen = the first frame showing the analysis, timeline = the first frame with its timeline): "
                + BenchIngestCommand.medianTrace(runs.stream().map(BenchIngestCommand.Timed::trace).toList()));
        return 0;
    }
}
