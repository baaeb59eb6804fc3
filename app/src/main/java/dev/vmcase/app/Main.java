package dev.vmcase.app;

import dev.vmcase.app.capture.CaptureCommand;
import dev.vmcase.app.lab.LabCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vmcase [open PATH…] | analyze PATH… [--json] | lab SCENARIO --out DIR | bench}. */
@Command(name = "vmcase", mixinStandardHelpOptions = true, version = "vmcase 0.1.0",
        resourceBundle = "dev.vmcase.app.Cli",
        subcommands = {AnalyzeCommand.class, OpenCommand.class, ReportCommand.class, CaptureCommand.class,
                BenchCommand.class, LabCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0 || (args.length > 0 && !"open".equals(args[0]))) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
