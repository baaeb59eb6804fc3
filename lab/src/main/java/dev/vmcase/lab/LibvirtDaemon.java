package dev.vmcase.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One private libvirtd, set up as {@code sample-cases/libvirt-pending-unplug/README.md} describes: system mode, as
 * root, in its own mount namespace ({@code unshare -m --propagation private}) where folders of {@code DIR} are
 * bind-mounted over {@code /etc/libvirt}, {@code /run}, {@code /var/lib/libvirt}, {@code /var/cache/libvirt} and
 * {@code /var/log/libvirt}. Its socket is {@code DIR/run/libvirt/libvirt-sock}, its debug log
 * {@code DIR/log/libvirtd.log}, the domain log {@code DIR/log/qemu/NAME.log}.
 * <p>
 * Stopping it ({@link #tearDown}, which the {@link LabRun} calls at its end, on failure and on Ctrl+C): {@code virsh
 * destroy} while the daemon answers, then a kill of every QEMU named by a pid file in its {@code /run/libvirt/qemu}
 * (libvirt daemonises QEMU, so it is not the daemon's child and outlives it), then SIGTERM to the daemon, SIGKILL
 * after the grace period. The run's final sweep catches anything else whose command line names the scratch folder.
 */
final class LibvirtDaemon implements LabRun.Teardown {
    /** What the daemon's shell runs with, as {@code env -i PATH=... LC_ALL=C} in the scripts. */
    static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    private final LabRun run;
    private final VirshLog log;
    private final String role;
    private final Path dir;
    private final Path libvirtd;
    private final Path virsh;
    private final Path unshare;
    private QemuProcess process;
    private String domain;

    /** A unix socket's path has room for 107 bytes ({@code sun_path}). */
    static final int MAX_SOCKET_PATH = 107;

    LibvirtDaemon(LabRun run, VirshLog log, String role, Path dir, Path libvirtd, Path virsh, Path unshare) {
        this.run = run;
        this.log = log;
        this.role = role;
        this.dir = dir;
        this.libvirtd = libvirtd;
        this.virsh = virsh;
        this.unshare = unshare;
    }

    String role() {
        return role;
    }

    Path dir() {
        return dir;
    }

    Path socket() {
        return dir.resolve("run/libvirt/libvirt-sock");
    }

    String uri() {
        return "qemu:///system?socket=" + socket();
    }

    Path debugLog() {
        return dir.resolve("log/libvirtd.log");
    }

    Path domainLog(String name) {
        return dir.resolve("log/qemu/" + name + ".log");
    }

    Path stderrFile() {
        return dir.resolve("libvirtd-stderr.txt");
    }

    Path config(String name) {
        return dir.resolve("etc").resolve(name);
    }

    /** {@code virsh -c URI ARGS...}. */
    List<String> virsh(String... args) {
        List<String> a = new ArrayList<>(List.of(virsh.toString(), "-c", uri()));
        a.addAll(List.of(args));
        return a;
    }

    /** The domain {@link #tearDown} destroys if the daemon still runs; {@code null} once it is gone. */
    void holds(String name) {
        this.domain = name;
    }

    /** The folders and the three configuration files of the scripts. */
    void configure(String hostUuid) throws LabException {
        try {
            for (String d : List.of("etc", "run", "lib", "log", "cache")) {
                Files.createDirectories(dir.resolve(d));
            }
            String common = "auth_unix_rw=\"none\"\nauth_unix_ro=\"none\"\nunix_sock_rw_perms=\"0700\"\n"
                    + "host_uuid=\"" + hostUuid + "\"\n";
            // debug filters as libvirt recommends for QEMU driver debugging: QEMU_MONITOR_* lines
            Files.writeString(config("libvirtd.conf"), "log_filters=\"1:qemu 1:libvirt 4:object 4:json 4:event 1:util\"\n"
                    + "log_outputs=\"1:file:/var/log/libvirt/libvirtd.log\"\n" + common, StandardCharsets.UTF_8);
            // only to fill the QEMU capabilities cache before the real run
            Files.writeString(config("warmup.conf"), "log_level=3\n"
                    + "log_outputs=\"3:file:/var/log/libvirt/warmup.log\"\n" + common, StandardCharsets.UTF_8);
            // stdio_handler=file: libvirtd writes the domain log itself (no virtlogd);
            // cgroup_controllers=[ ]: no /sys/fs/cgroup/*/machine on the host
            Files.writeString(config("qemu.conf"), "security_driver=\"none\"\nstdio_handler=\"file\"\n"
                    + "cgroup_controllers=[ ]\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("lab.error.io", dir, e.getMessage());
        }
    }

    /** Replaces the debug log's {@code log_filters} of {@code libvirtd.conf} (after {@link #configure}). */
    void logFilters(String filters) throws LabException {
        Path conf = config("libvirtd.conf");
        try {
            String text = Files.readString(conf, StandardCharsets.UTF_8);
            Files.writeString(conf, text.replaceFirst("(?m)^log_filters=\"[^\"]*\"$",
                    java.util.regex.Matcher.quoteReplacement("log_filters=\"" + filters + "\"")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("lab.error.io", conf, e.getMessage());
        }
    }

    /** Starts the daemon with {@code /etc/libvirt/CONF} and waits (30 s at most) until virsh gets an answer. */
    void start(String conf) throws LabException, InterruptedException {
        if (socket().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new LabException("lab.error.socketPathTooLong", socket(), MAX_SOCKET_PATH);
        }
        try {
            Files.deleteIfExists(socket());
        } catch (IOException e) {
            throw new LabException("lab.error.io", socket(), e.getMessage());
        }
        String script = "mount --bind " + q(dir.resolve("etc")) + " /etc/libvirt && "
                + "mount --bind " + q(dir.resolve("run")) + " /run && "
                + "mount --bind " + q(dir.resolve("lib")) + " /var/lib/libvirt && "
                + "mount --bind " + q(dir.resolve("cache")) + " /var/cache/libvirt && "
                + "mount --bind " + q(dir.resolve("log")) + " /var/log/libvirt && "
                // the pid file names the scratch folder on the command line, so the final sweep knows the daemon
                + "exec " + program(libvirtd) + " -f /etc/libvirt/" + conf + " --pid-file " + q(dir.resolve("libvirtd.pid"));
        ProcessBuilder pb = new ProcessBuilder(unshare.toString(), "-m", "--propagation", "private", "sh", "-c", script)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stderrFile().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile().toFile()));
        pb.environment().clear();
        pb.environment().put("PATH", PATH);
        pb.environment().put("LC_ALL", "C");
        process = run.launch("libvirtd " + role, pb, stderrFile(), false);
        process.leaveToRun(); // its end is tearDown's: virsh destroy first, then the daemon
        run.fact("libvirtd " + role + " (" + conf + ") pid", Long.toString(process.pid()));
        Duration max = run.budget(Duration.ofSeconds(30));
        long until = System.nanoTime() + max.toNanos();
        String answer = "no socket";
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new LabException("lab.error.daemonDied", role, process.pid(), exitOf(process),
                        String.join(" | ", process.stderrTail(5)));
            }
            if (Files.exists(socket())) {
                VirshLog.Result r = log.quiet(Duration.ofSeconds(10), virsh("uri"));
                if (r.ok()) {
                    return;
                }
                answer = r.output().strip();
            }
            Thread.sleep(200);
        }
        throw new LabException("lab.error.daemonNotUp", role, socket(), max.toSeconds(), answer);
    }

    /** SIGTERM, up to {@code grace} for libvirtd to end, then SIGKILL. */
    void stop(Duration grace) {
        if (process == null) {
            return;
        }
        boolean wasAlive = process.isAlive();
        process.stop(grace);
        if (wasAlive) {
            run.fact("libvirtd " + role + " ended", exitOf(process));
        }
        process = null;
    }

    /**
     * QEMUs of this daemon: the pids in {@code /run/libvirt/qemu/NAME.pid} whose command line names the scratch
     * folder (a stale pid file cannot make the lab kill a stranger).
     */
    List<ProcessHandle> qemus() {
        Path pids = dir.resolve("run/libvirt/qemu");
        List<ProcessHandle> found = new ArrayList<>();
        if (!Files.isDirectory(pids)) {
            return found;
        }
        String inside = run.scratch() + "/";
        try (Stream<Path> s = Files.list(pids)) {
            // driver.pid there is the daemon's own lock file
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".pid")
                    && !p.getFileName().toString().equals("driver.pid")).toList()) {
                try {
                    long pid = Long.parseLong(Files.readString(f, StandardCharsets.UTF_8).strip());
                    ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                            .filter(h -> process == null || h.pid() != process.pid())
                            .filter(h -> h.info().commandLine().orElse("").contains(inside))
                            .ifPresent(found::add);
                } catch (IOException | NumberFormatException e) {
                    // a pid file being written or removed
                }
            }
        } catch (IOException e) {
            // nothing to find
        }
        return found;
    }

    @Override
    public void tearDown(Duration grace) {
        if (process != null && process.isAlive() && domain != null) {
            log.cleanUp(Duration.ofSeconds(Math.max(5, grace.toSeconds() * 2)), virsh("destroy", domain));
        }
        for (ProcessHandle q : qemus()) {
            q.destroyForcibly();
            try {
                q.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // the sweep tries again
            }
            run.fact("QEMU of libvirtd " + role + " left running, killed", Long.toString(q.pid()));
        }
        stop(grace.plusSeconds(3));
    }

    /** {@code exit status 0}; libvirtd ends with 0 on SIGTERM. */
    private static String exitOf(QemuProcess p) {
        return p.describeExit();
    }

    /** By name when the daemon's PATH finds it (QEMU then logs "terminating on signal 15 from pid N (libvirtd)"). */
    private static String program(Path p) {
        return List.of(PATH.split(":")).contains(String.valueOf(p.getParent())) ? p.getFileName().toString() : q(p);
    }

    private static String q(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }
}
