package dev.vmcase.lab;

import dev.vmcase.parsers.ingest.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One lab run: the output folder, a private scratch folder (sockets, disk images; deleted at the end), the
 * processes started, the facts for the {@code lab.txt} manifest and the time limit every wait is bounded by.
 * {@link #close()} stops everything it started — also when the scenario failed or the JVM is shutting down
 * (Ctrl+C) — and writes the manifest, so whatever was captured is kept.
 */
public final class LabRun implements AutoCloseable {
    /** The lab's per-machine name, as libvirt names a nova instance. */
    public static final String GUEST = "instance-0000002a";
    public static final String MANIFEST = "lab.txt";

    /**
     * Something a scenario started that needs more than a signal to end (a libvirtd and the QEMU it runs), or a last
     * step once everything has ended (copying a daemon's log into the bundle). {@code grace} is shorter when the JVM
     * is shutting down.
     */
    public interface Teardown {
        void tearDown(Duration grace);
    }

    /**
     * What the user asked for.
     *
     * @param guest the VM's name ({@code -name guest=}, the libvirt domain): {@link #GUEST} unless {@code --guest}
     *              gives another, so that several runs make several VMs with the same device ids
     */
    public record Options(Scenario scenario, String id, int slot, Duration timeout, Path qemu, Path qemuImg,
                          Path out, Path scratchParent, String guest) {
        public Options {
            guest = guest == null ? GUEST : guest;
        }

        public Options(Scenario scenario, String id, int slot, Duration timeout, Path qemu, Path qemuImg,
                       Path out, Path scratchParent) {
            this(scenario, id, slot, timeout, qemu, qemuImg, out, scratchParent, GUEST);
        }
    }

    private final Options options;
    private final Path scratch;
    private final long deadline;
    private final Instant started = Instant.now();
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<QemuProcess> processes = new ArrayList<>();
    private final Map<QemuProcess, QmpClient> monitors = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Teardown> teardowns = new ArrayList<>();
    private final List<Teardown> collectors = new ArrayList<>();
    private final Consumer<String> progress;
    private final Thread hook;
    private String outcome = "unfinished";
    private boolean closed;
    private volatile boolean closing;

    public LabRun(Options options, Consumer<String> progress) throws LabException {
        this.options = options;
        this.progress = progress;
        this.deadline = System.nanoTime() + options.timeout().toNanos();
        try {
            Files.createDirectories(options.out());
            Files.deleteIfExists(options.out().resolve(MANIFEST));
            Files.createDirectories(options.scratchParent());
            this.scratch = Files.createTempDirectory(options.scratchParent(), "vmcase-lab-");
        } catch (IOException e) {
            throw new LabException("lab.error.io", options.out(), e.getMessage());
        }
        hook = new Thread(this::interrupted, "vmcase-lab-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public Path out() {
        return options.out();
    }

    public Path scratch() {
        return scratch;
    }

    public String id() {
        return options.id();
    }

    public int slot() {
        return options.slot();
    }

    /** The VM's name: {@code -name guest=} of QEMU, the libvirt domain. */
    public String guest() {
        return options.guest();
    }

    public Path qemu() {
        return options.qemu();
    }

    public Path qemuImg() {
        return options.qemuImg();
    }

    public void progress(String key, Object... args) {
        progress.accept(LabException.format(LabTexts.bundle(), key, args));
    }

    /** A fact for the manifest, in the order facts happen. */
    public synchronized void fact(String key, String value) {
        facts.put(key, value);
    }

    public synchronized Map<String, String> facts() {
        return new LinkedHashMap<>(facts);
    }

    /** {@code max}, or less when the run's time limit is nearer; an exception when it has passed. */
    public Duration budget(Duration max) throws LabException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new LabException("lab.error.timeLimit", options.timeout().toSeconds());
        }
        return max.toNanos() < left ? max : Duration.ofNanos(left);
    }

    /** Whether the run's time limit ({@code --timeout}) has passed. */
    public boolean timeUp() {
        return System.nanoTime() - deadline >= 0;
    }

    public Duration timeout() {
        return options.timeout();
    }

    /** Runs a short helper ({@code qemu-img}, {@code --version}) to its end and returns its stdout. */
    public String tool(List<String> argv) throws LabException, InterruptedException {
        Path outFile = scratch.resolve("tool.out");
        Path errFile = scratch.resolve("tool.err");
        try {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        } catch (IOException e) {
            throw new LabException("lab.error.io", scratch, e.getMessage());
        }
        QemuProcess p = QemuProcess.start(Path.of(argv.get(0)).getFileName().toString(), argv, errFile, outFile, scratch);
        if (!p.waitFor(budget(Duration.ofSeconds(30)))) {
            p.stop(Duration.ofSeconds(1));
            throw new LabException("lab.error.toolHung", String.join(" ", argv));
        }
        try {
            if (p.exitValue().orElse(-1) != 0) {
                throw new LabException("lab.error.toolFailed", String.join(" ", argv), p.describeExit(),
                        Files.readString(errFile, StandardCharsets.UTF_8).strip());
            }
            return Files.readString(outFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("lab.error.io", outFile, e.getMessage());
        }
    }

    /**
     * Starts QEMU. Its log file gets the exact command line first, on one line as libvirt up to 4.x logs it, then
     * QEMU's own stderr, byte for byte.
     */
    public QemuProcess start(String role, List<String> argv, Path log) throws LabException {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, commandLine(argv) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("lab.error.io", log, e.getMessage());
        }
        progress("lab.progress.start", role);
        QemuProcess p = QemuProcess.start(role, argv, log, scratch.resolve(role + ".stdout"), scratch);
        synchronized (this) {
            processes.add(p);
        }
        fact(role + " pid", Long.toString(p.pid()));
        return p;
    }

    public QmpClient monitor(QemuProcess p, Path socket, Path transcript) throws LabException, InterruptedException {
        QmpClient c = QmpClient.connect(p, socket, transcript, budget(Duration.ofSeconds(30)));
        synchronized (this) {
            monitors.put(p, c);
        }
        return c;
    }

    public QtestClient qtest(QemuProcess p, Path socket, Path transcript) throws LabException, InterruptedException {
        QtestClient c = QtestClient.connect(p, socket, transcript, budget(Duration.ofSeconds(30)));
        synchronized (this) {
            closeables.add(c);
        }
        return c;
    }

    /** Ended in {@link #close()} (also on failure and Ctrl+C) before the QEMUs started with {@link #start}. */
    public synchronized void atClose(Teardown t) {
        teardowns.add(t);
    }

    /** Runs in {@link #close()} once every process has ended, before the manifest is written. */
    public synchronized void collect(Teardown t) {
        collectors.add(t);
    }

    /**
     * A look at a libvirt domain while a scenario has it running (the capture tests): {@code uri} reaches the
     * scenario's daemon, {@code logDir} is what that daemon sees as {@code /var/log/libvirt}.
     */
    public interface WhileRunning {
        void look(String uri, Path logDir, String domain) throws Exception;
    }

    private WhileRunning whileRunning;

    /** Set before the run: called once by a libvirt scenario at its point of interest, before the domain ends. */
    public synchronized void whileRunning(WhileRunning w) {
        this.whileRunning = w;
    }

    /** Calls the {@link #whileRunning} hook, if any; its failure is a fact, not the run's. */
    void running(String uri, Path logDir, String domain) {
        WhileRunning w;
        synchronized (this) {
            w = whileRunning;
        }
        if (w == null) {
            return;
        }
        try {
            w.look(uri, logDir, domain);
            fact("while running", "looked at " + domain);
        } catch (Exception e) {
            fact("while running", "failed: " + e);
        }
    }

    public void succeeded() {
        outcome = "captured";
    }

    public void failed(String message) {
        if (!outcome.startsWith("interrupted")) { // the scenario's steps fail as the shutdown hook pulls the plug
            outcome = "failed: " + message;
        }
    }

    /**
     * Starts a helper process (virsh, a libvirtd) the run stops at its end; refused once the run is closing, so a
     * scenario still running its steps while the shutdown hook ends the run starts nothing new. {@code cleanUp}:
     * a process the closing itself needs ({@code virsh destroy}).
     */
    QemuProcess launch(String role, ProcessBuilder pb, Path stderr, boolean cleanUp) throws LabException {
        if (closing && !cleanUp) {
            throw new LabException("lab.error.closing", role);
        }
        return QemuProcess.start(role, pb, stderr);
    }

    static String commandLine(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(a.matches("[A-Za-z0-9_./:=,@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }

    private void interrupted() {
        closing = true;
        synchronized (this) {
            if (closed) {
                return;
            }
            outcome = "interrupted";
        }
        shutDown(Duration.ofSeconds(2));
    }

    /** Asks each QEMU to quit over QMP, then stops whatever is still running; writes the manifest. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down (Ctrl+C, SIGTERM): the hook runs too; both end in the same idempotent shutDown
            synchronized (this) {
                if (!closed) {
                    outcome = "interrupted; " + outcome;
                }
            }
        }
        shutDown(Duration.ofSeconds(5));
    }

    private synchronized void shutDown(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        for (Map.Entry<QemuProcess, QmpClient> m : monitors.entrySet()) {
            QemuProcess p = m.getKey();
            QmpClient c = m.getValue();
            if (p.isAlive() && !c.isClosed()) {
                try {
                    c.send("quit", null, Duration.ofSeconds(3));
                } catch (LabException e) {
                    // it is going away anyway
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        List<Teardown> lastFirst = new ArrayList<>(teardowns);
        java.util.Collections.reverse(lastFirst);
        for (Teardown t : lastFirst) {
            try {
                t.tearDown(grace);
            } catch (RuntimeException e) {
                fact("teardown error", e.toString());
            }
        }
        for (QemuProcess p : processes) {
            try {
                p.waitFor(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.stop(Duration.ofSeconds(3));
            fact(p.role() + " QEMU ended", p.describeExit());
        }
        for (QmpClient c : monitors.values()) {
            try {
                c.waitClosed(Duration.ofSeconds(1)); // the last lines (SHUTDOWN) reach the transcript
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.close();
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        sweep();
        for (Teardown t : collectors) {
            try {
                t.tearDown(grace);
            } catch (RuntimeException e) {
                fact("collect error", e.toString());
            }
        }
        for (QemuProcess p : processes) {
            Path stdout = scratch.resolve(p.role() + ".stdout");
            try {
                if (Files.size(stdout) > 0) {
                    Files.copy(stdout, out().resolve(p.role() + "-qemu.stdout.log"));
                }
            } catch (IOException e) {
                // nothing was printed, or it cannot be kept
            }
        }
        writeManifest();
        deleteScratch();
    }

    /**
     * The last resort: every process whose command line names a file in the scratch folder (a QEMU's images or
     * sockets, a libvirtd's pid file, a virsh's socket URI) is one this run caused; kill what is still there.
     * A daemonised QEMU is nobody's child, so this is how one that escaped every other step is found.
     */
    private void sweep() {
        List<ProcessHandle> left = processesInScratch();
        for (ProcessHandle h : left) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : left) {
            try {
                h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // reported below if still alive
            }
        }
        if (!left.isEmpty()) {
            fact("left behind, killed at the end", left.stream()
                    .map(h -> h.pid() + " " + h.info().command().orElse("?")).toList().toString());
        }
    }

    /** Processes (not this JVM) whose command line names something inside the scratch folder. */
    public List<ProcessHandle> processesInScratch() {
        String inside = scratch + "/";
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses().filter(h -> h.pid() != self && h.isAlive())
                .filter(h -> h.info().commandLine().orElse("").contains(inside)
                        || h.info().arguments().map(a -> String.join(" ", a).contains(inside)).orElse(false))
                .toList();
    }

    private void writeManifest() {
        StringBuilder b = new StringBuilder();
        b.append("vmcase lab\n");
        b.append("scenario: ").append(options.scenario().name()).append('\n');
        b.append("options: --id ").append(options.id()).append(" --slot ").append(options.slot())
                .append(GUEST.equals(options.guest()) ? "" : " --guest " + options.guest())
                .append(" --timeout ").append(options.timeout().toSeconds()).append('\n');
        b.append("qemu binary: ").append(options.qemu()).append('\n');
        b.append("date: ").append(started.truncatedTo(ChronoUnit.SECONDS)).append('\n');
        b.append("duration: ").append(String.format(java.util.Locale.ROOT, "%.1f s",
                Duration.between(started, Instant.now()).toMillis() / 1000.0)).append('\n');
        facts.forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
        b.append("outcome: ").append(outcome).append('\n');
        b.append("files:\n");
        try (Stream<Path> s = Files.walk(out())) {
            s.filter(Files::isRegularFile).map(p -> out().relativize(p).toString()).sorted()
                    .filter(n -> !n.equals(MANIFEST)).forEach(n -> b.append("  ").append(n).append('\n'));
        } catch (IOException | UncheckedIOException e) {
            b.append("  (cannot list: ").append(e.getMessage()).append(")\n");
        }
        try {
            Files.writeString(out().resolve(MANIFEST), b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            progress.accept(e.toString());
        }
    }

    private void deleteScratch() {
        Folders.deleteTree(scratch); // a leftover temp folder is harmless
    }
}
