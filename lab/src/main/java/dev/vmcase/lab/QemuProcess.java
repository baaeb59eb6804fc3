package dev.vmcase.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One QEMU (or {@code qemu-img}) the lab started: stderr appended to a file, stdout to another, stdin from
 * {@code /dev/null}. {@link #stop} ends it with bounded waits (SIGTERM, then SIGKILL); a JVM shutdown hook does the
 * same for every process still alive, so Ctrl+C or SIGTERM of {@code vmcase} leaves no QEMU behind. (A SIGKILL of
 * the JVM runs no hook: Java has no {@code PR_SET_PDEATHSIG}. QEMU stays in our process group, so a terminal's Ctrl+C
 * reaches it directly as well.)
 */
public final class QemuProcess {
    private static final Set<QemuProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(QemuProcess::stopAll, "vmcase-lab-stop-qemu"));
    }

    private final String role;
    private final Process process;
    private final Path stderr;
    private volatile boolean leftToRun;

    private QemuProcess(String role, Process process, Path stderr) {
        this.role = role;
        this.process = process;
        this.stderr = stderr;
    }

    /** An executable named {@code program}: the path itself when it has a slash, else the first hit in PATH. */
    public static Optional<Path> resolve(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program).toAbsolutePath();
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Starts {@code argv}; its stderr is appended to {@code stderr} (which may already hold the command line, as a
     * libvirt domain log does), its stdout goes to {@code stdout}.
     */
    public static QemuProcess start(String role, List<String> argv, Path stderr, Path stdout, Path cwd)
            throws LabException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        return start(role, pb, stderr);
    }

    /**
     * Starts what {@code pb} describes (its command, environment and redirections as set by the caller) under the
     * same care as a QEMU: stopped by the shutdown hook if still alive. {@code stderr} is the file its errors go to
     * (for {@link #stderrTail}).
     */
    public static QemuProcess start(String role, ProcessBuilder pb, Path stderr) throws LabException {
        try {
            QemuProcess p = new QemuProcess(role, pb.start(), stderr);
            LIVE.add(p);
            p.process.onExit().thenRun(() -> LIVE.remove(p));
            return p;
        } catch (IOException e) {
            throw new LabException("lab.error.cannotStart", role, pb.command().get(0), e.getMessage());
        }
    }

    /**
     * The shutdown hook leaves this one to the {@link LabRun} that started it, which ends it in order (a libvirtd
     * must still answer {@code virsh destroy}); its own hook stops it after that.
     */
    void leaveToRun() {
        leftToRun = true;
    }

    public String role() {
        return role;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** {@code running}, {@code exit status 1}, {@code killed by signal 9}. */
    public String describeExit() {
        if (process.isAlive()) {
            return "running";
        }
        int v = process.exitValue();
        return v > 128 ? "killed by signal " + (v - 128) : "exit status " + v;
    }

    public Optional<Integer> exitValue() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** The last {@code n} non-blank lines of its stderr file. */
    public List<String> stderrTail(int n) {
        try {
            List<String> lines = new ArrayList<>();
            for (String l : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    lines.add(l);
                }
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            // no stderr file (QEMU never started): no lines to show
            return List.of();
        }
    }

    /** The error for "it went away while we needed it"; waits a little so the exit status is known. */
    LabException diedError(String key, Object what) {
        try {
            process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new LabException(key, role, pid(), describeExit(), what);
    }

    /** SIGTERM, wait up to {@code grace}; SIGKILL, wait up to 5 s. Idempotent. */
    public void stop(Duration grace) {
        try {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (!process.isAlive()) {
                LIVE.remove(this);
            }
        }
    }

    /** Every process still alive: what the shutdown hook calls. */
    static void stopAll() {
        for (QemuProcess p : List.copyOf(LIVE)) {
            if (p.leftToRun) {
                continue;
            }
            p.stop(Duration.ofSeconds(3));
        }
    }
}
