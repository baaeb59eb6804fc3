package dev.vmcase.app;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.report.JsonReport;
import dev.vmcase.analysis.report.TextReport;
import dev.vmcase.parsers.ingest.Attribution;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.time.HostClocks;
import dev.vmcase.parsers.time.LocalTimes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Headless analysis of files and directories: every VM the evidence names, or only the one {@code --vm} names (its
 * name or UUID; exit status 2, listing the VMs found, when the evidence has no such VM).
 */
@Command(name = "analyze", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true)
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", descriptionKey = "analyze.paths")
    List<Path> paths;

    @Option(names = "--json", descriptionKey = "analyze.json")
    boolean json;

    @Option(names = "--host", paramLabel = "PATH=NAME", descriptionKey = "analyze.host")
    List<String> hosts = List.of();

    @Option(names = "--role", paramLabel = "PATH=source|destination", descriptionKey = "analyze.role")
    List<String> roles = List.of();

    @Option(names = "--vm", paramLabel = "NAME|UUID", descriptionKey = "analyze.vm")
    String vm;

    @Option(names = "--tz", paramLabel = "HOST=ZONE[@YEAR]", descriptionKey = "analyze.tz")
    List<String> zones = List.of();

    @Option(names = {"-q", "--quiet"}, descriptionKey = "analyze.quiet")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new ParameterException(spec.commandLine(),
                        String.format(spec.resourceBundle().getString("error.noSuchPath"), p));
            }
        }
        Attribution attribution = new Attribution();
        try {
            hosts.forEach(attribution::host);
            roles.forEach(attribution::role);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        HostClocks clocks;
        try {
            clocks = HostClocks.parse(zones);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--tz " + e.getMessage());
        }
        Trace trace = Trace.ON ? new Trace() : null;
        if (trace != null) {
            trace.mark("start");
        }
        // progress on standard error when it is a terminal and the inputs take more than a moment
        ProgressMonitor progress = CliProgress.of(paths, quiet, System.err, spec.resourceBundle());
        var evidence = Ingest.load(paths, progress);
        if (trace != null) {
            trace.mark("ingest");
        }
        if (progress instanceof CliProgress p) {
            p.analysing();
        }
        AnalysisResult result = Analysis.run(LocalTimes.resolve(attribution.apply(evidence), clocks));
        if (progress instanceof CliProgress p) {
            p.clear();
        }
        if (trace != null) {
            trace.mark("analysis");
        }
        if (vm != null) {
            AnalysisResult all = result;
            result = all.vm(vm).filter(v -> !v.vm().isUnnamed()).map(all::only).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), String.format(spec.resourceBundle().getString(
                            "error.noSuchVm"), vm, all.vms().stream().map(v -> v.vm().label())
                            .filter(l -> !l.isEmpty()).collect(Collectors.joining(", ")))));
        }
        if (json) {
            JsonReport.write(result, System.out);
        } else {
            PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            TextReport.write(result, out, Locale.getDefault());
        }
        if (trace != null) {
            trace.mark("report");
            System.err.println(trace.line());
        }
        return 0;
    }
}
