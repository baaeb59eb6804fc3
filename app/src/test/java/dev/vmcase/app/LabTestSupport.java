package dev.vmcase.app;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the lab tests share: running {@code lab} in-process, reading what it wrote, finding what it left running. */
final class LabTestSupport {
    private LabTestSupport() {
    }

    record Result(int code, String out, String err, double seconds) {
    }

    /** {@code vmcase lab ARGS --scratch SCRATCH}, with its output and how long it took. */
    static Result lab(Path scratch, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LabCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--scratch", scratch.toString()));
        long t0 = System.nanoTime();
        int code = cl.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString(), (System.nanoTime() - t0) / 1e9);
    }

    /** A file the lab wrote, or "" when it wrote none. */
    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Live processes whose command line names {@code text} (a scratch folder: only what the lab started does). */
    static List<ProcessHandle> processesNaming(String text) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(text)
                        || p.info().arguments().map(a -> String.join(" ", a).contains(text)).orElse(false))
                .toList();
    }
}
