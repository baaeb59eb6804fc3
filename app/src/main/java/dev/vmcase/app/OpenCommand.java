package dev.vmcase.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/** Opens the workbench on files and directories. */
@Command(name = "open", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true)
public final class OpenCommand implements Runnable {
    @Parameters(arity = "0..*", paramLabel = "PATH", descriptionKey = "open.paths")
    List<Path> paths = List.of();

    @Option(names = "--tour", paramLabel = "FILE", descriptionKey = "open.tour")
    Path tour;

    @Option(names = "--case", paramLabel = "CASE.vmcase", descriptionKey = "open.case")
    Path caseFile;

    @Override
    public void run() {
        WorkbenchApp.traceOut = System.err::println; // -Dvmcase.trace=true: bench window reads it
        WorkbenchApp.launchOn(paths, tour, caseFile);
    }
}
