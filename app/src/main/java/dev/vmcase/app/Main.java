package dev.vmcase.app;

import dev.vmcase.app.audit.AuditCommand;
import dev.vmcase.app.capture.CaptureCommand;
import dev.vmcase.casefile.CaseSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Set;

/** {@code vmcase [open PATH…] | analyze PATH… [--json] | report | capture | lab SCENARIO --out DIR | bench}. */
@Command(name = "vmcase", mixinStandardHelpOptions = true, version = "vmcase 0.1.0",
        resourceBundle = "dev.vmcase.app.Cli")
public final class Main implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(AnalyzeCommand.class, OpenCommand.class, ReportCommand.class,
            CaptureCommand.class, AuditCommand.class, BenchCommand.class, LabCommand.class);

    /**
     * The commands that keep a log file (Help › Open log in the workbench): the workbench, the lab, capture and report
     * run long and talk to other programs. analyze and bench do not: their start-up time is measured against other
     * tools, their warnings go to standard error, and they write nothing else of the user's.
     */
    /** The exit status when the heap ran out (the launcher's own are 3 to 5). */
    static final int OUT_OF_MEMORY = 6;

    static final Set<String> LOGGED = Set.of("open", "lab", "capture", "report");

    public static void main(String[] args) {
        if (args.length > 0 && LOGGED.contains(args[0])) {
            Logs.install(CaseSession.defaultWorkRoot());
        }
        int code;
        try {
            code = commandLine(args).execute(args);
        } catch (OutOfMemoryError e) {
            // a file too big for the heap is left out where it is read, with a problem naming it; this is the rest
            // (the analysis of what loaded, a report) outgrowing the heap: said in a line, never as a stack trace
            System.err.println(String.format(java.util.ResourceBundle.getBundle("dev.vmcase.app.Cli")
                    .getString("error.outOfMemory"), Runtime.getRuntime().maxMemory() >> 20));
            code = OUT_OF_MEMORY;
        }
        if (code != 0 || (args.length > 0 && !"open".equals(args[0]))) {
            System.exit(code);
        }
    }

    /**
     * The command line for these arguments: when the first one names a subcommand, only that subcommand is built
     * (picocli reads every option of every command it is given, about 0.15 s at a cold start); otherwise all of them,
     * for the usage, a misspelt command's suggestions and tests.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : null;
        List<Class<?>> named = SUBCOMMANDS.stream()
                .filter(c -> c.getAnnotation(Command.class).name().equals(first)).toList();
        (named.isEmpty() ? SUBCOMMANDS : named).forEach(cl::addSubcommand);
        return cl;
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
