package dev.vmcase.app.audit;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code vmcase audit merge INPUT… --out FLEET.vmcase [--missing HOST=REASON]… [--evidence problems|all|none]}: the
 * hosts' audits as one fleet case ({@link FleetMerge}); the table of every host; exit status 1 when a VM is blocked,
 * 3 when none is but a VM is unknown or a host has no audit, 0 when every VM of every host is ready, 2 for unusable
 * arguments.
 */
@Command(name = "merge", resourceBundle = AuditTexts.BUNDLE, mixinStandardHelpOptions = true)
public final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", descriptionKey = "merge.inputs")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "FLEET.vmcase", descriptionKey = "merge.out")
    Path out;

    @Option(names = "--missing", paramLabel = "HOST=REASON", descriptionKey = "merge.missing")
    List<String> missing = List.of();

    @Option(names = "--evidence", paramLabel = "problems|all|none", descriptionKey = "merge.evidence",
            defaultValue = "problems")
    String evidence;

    @Override
    public Integer call() throws Exception {
        for (Path p : inputs) {
            if (!Files.exists(p)) {
                throw new ParameterException(spec.commandLine(), AuditTexts.text("merge.error.noInput", p));
            }
        }
        FleetMerge.Evidence mode;
        try {
            mode = FleetMerge.Evidence.valueOf(evidence.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), AuditTexts.text("merge.error.evidence", evidence));
        }
        List<FleetMerge.Missing> gone = new ArrayList<>();
        for (String m : missing) {
            int eq = m.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), AuditTexts.text("merge.error.missing", m));
            }
            gone.add(new FleetMerge.Missing(m.substring(0, eq), m.substring(eq + 1)));
        }
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        FleetMerge.Result r = FleetMerge.merge(inputs, gone, mode, out, line -> err.println("merge: " + line));
        PrintWriter stdout = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        FleetTable.write(r.fleet(), stdout, Locale.getDefault());
        stdout.println(AuditTexts.text("merge.written", r.caseFile(), r.files(), r.bytes() >> 20));
        stdout.flush();
        return exitCode(r.fleet());
    }

    public static int exitCode(FleetDocument f) {
        if (f.count(Verdict.BLOCKED) > 0) {
            return AuditCommand.BLOCKED;
        }
        return f.count(Verdict.UNKNOWN) > 0 || !f.unaudited().isEmpty() ? AuditCommand.UNKNOWN : AuditCommand.READY;
    }
}
