package dev.vmcase.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Runs virsh (and the odd other command) as {@code capture.sh}'s {@code run} and {@code save} do, and keeps the
 * bundle's {@code virsh-commands.txt}: per command {@code $ COMMAND}, {@code # started TIME}, its verbatim stdout and
 * stderr, {@code # exit N after S s}. Every wait is bounded by the run's time limit; a command that outlives its bound
 * is killed and the run fails. Commands run with {@code LC_ALL=C}, so what they print is English.
 */
final class VirshLog {
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final LabRun run;
    private final Path file;
    private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

    /** How a command ended: exit status, stdout and stderr as printed (stderr only for {@link #save}). */
    record Result(int exit, String output, double seconds) {
        boolean ok() {
            return exit == 0;
        }

        /** {@code exit 0 after 5.112 s}. */
        String describe() {
            return String.format(Locale.ROOT, "exit %d after %.3f s", exit, seconds);
        }
    }

    VirshLog(LabRun run, Path file) throws LabException {
        this.run = run;
        this.file = file;
        try {
            Files.writeString(file, "", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("lab.error.io", file, e.getMessage());
        }
    }

    /** {@code capture.sh}'s {@code run}: the command, its stdout and stderr interleaved, exit status and duration. */
    Result run(Duration max, List<String> argv) throws LabException, InterruptedException {
        return exec(run.budget(max), argv, null, true);
    }

    /** {@code capture.sh}'s {@code save}: stdout to {@code target} verbatim; stderr and the exit status to the log. */
    Result save(Path target, Duration max, List<String> argv) throws LabException, InterruptedException {
        return exec(run.budget(max), argv, target, true);
    }

    /**
     * For clean-up after a failure or the time limit: bounded by {@code max} only, never failing; logged with a
     * {@code # clean-up} note.
     */
    Result cleanUp(Duration max, List<String> argv) {
        try {
            return exec(max, argv, null, true, false, "# clean-up\n");
        } catch (LabException e) {
            // a clean-up command that could not run: its result says why, and the teardown goes on with the next step
            return new Result(-1, e.getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted", 0);
        }
    }

    /** A command that must not appear in the log (probes: {@code virsh uri} while a daemon starts). */
    Result quiet(Duration max, List<String> argv) throws LabException, InterruptedException {
        return exec(max, argv, null, false, false, "");
    }

    /** Starts a command in the background ({@code virsh event --loop}); its stdout and stderr go to {@code target}. */
    QemuProcess background(Path target, List<String> argv) throws LabException {
        append("$ " + display(argv) + " (background, output in " + run.out().relativize(target) + ")\n");
        ProcessBuilder pb = builder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(target.toFile()));
        return run.launch(name(argv), pb, target, false);
    }

    /**
     * Ends a background command as Ctrl+C would ({@code virsh event} then prints {@code event loop interrupted} and
     * {@code events received: N}); killed if it does not end within {@code max}.
     */
    void interrupt(QemuProcess p, Duration max) throws LabException, InterruptedException {
        if (p.isAlive()) {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                // then it is stopped below
            }
        }
        if (!p.waitFor(max)) {
            p.stop(Duration.ofSeconds(1));
        }
        append("# background " + name(List.of(p.role())) + " (pid " + p.pid() + ") ended: " + p.describeExit() + "\n\n");
    }

    /** A note in the log, for what the lab does between commands ({@code # slept 2 s}). */
    void note(String text) throws LabException {
        append("# " + text + "\n");
    }

    private Result exec(Duration max, List<String> argv, Path target, boolean logged)
            throws LabException, InterruptedException {
        return exec(max, argv, target, logged, true, "");
    }

    /**
     * Not synchronized: a clean-up from the shutdown hook must not wait for the step the main thread is in. Each
     * entry is appended in one piece once its command has ended.
     */
    private Result exec(Duration max, List<String> argv, Path target, boolean logged, boolean step, String before)
            throws LabException, InterruptedException {
        int n = count.incrementAndGet();
        Path out = run.scratch().resolve("virsh-" + n + ".out");
        Path err = target == null ? out : run.scratch().resolve("virsh-" + n + ".err");
        StringBuilder entry = new StringBuilder(before);
        entry.append("$ ").append(display(argv)).append(target == null ? "" : " > " + run.out().relativize(target))
                .append('\n');
        if (target == null) {
            entry.append("# started ").append(STARTED.format(Instant.now())).append('\n');
        }
        ProcessBuilder pb = builder(argv);
        if (target == null) {
            pb.redirectErrorStream(true).redirectOutput(out.toFile());
        } else {
            pb.redirectOutput(target.toFile()).redirectError(err.toFile());
        }
        long t0 = System.nanoTime();
        QemuProcess p = run.launch(name(argv), pb, err, !step);
        boolean ended = p.waitFor(max);
        if (!ended) {
            p.stop(Duration.ofSeconds(1));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String printed = LibvirtScenario.read(target == null ? out : err);
        int exit = p.exitValue().orElse(-1);
        if (logged) {
            entry.append(printed);
            if (!ended) {
                entry.append(String.format(Locale.ROOT, "# killed after %.3f s: no end within %d s%n%n", seconds,
                        max.toSeconds()));
            } else if (target == null) {
                entry.append(String.format(Locale.ROOT, "# exit %d after %.3f s%n%n", exit, seconds));
            } else {
                entry.append(String.format(Locale.ROOT, "# exit %d%n%n", exit));
            }
            append(entry.toString());
        }
        if (!ended && step) {
            throw new LabException("lab.error.toolHung", display(argv));
        }
        return new Result(ended ? exit : -1, printed, seconds);
    }

    /** The command as {@code capture.sh} logs it: words joined by spaces, the program by its name. */
    static String display(List<String> argv) {
        StringBuilder b = new StringBuilder(name(argv));
        for (String a : argv.subList(1, argv.size())) {
            b.append(' ').append(a);
        }
        return b.toString();
    }

    private static String name(List<String> argv) {
        return Path.of(argv.get(0)).getFileName().toString();
    }

    private ProcessBuilder builder(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(run.scratch().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("LC_ALL", "C");
        return pb;
    }


    private synchronized void append(String text) throws LabException {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new LabException("lab.error.io", file, e.getMessage());
        }
    }
}
