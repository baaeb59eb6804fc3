package dev.vmcase.app.capture;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmcase.app.capture.CaptureManifest.Outcome;
import dev.vmcase.app.capture.StepRunner.Result;
import dev.vmcase.app.capture.StepRunner.Verdict;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Captures one libvirt domain through libvirt-java (JNA over {@code libvirt.so.0}; the monitor passthrough over
 * {@code libvirt-qemu.so.0}, which libvirt-java 0.5.2 binds as {@link Domain#qemuMonitorCommand}).
 * <p>
 * libvirt API calls: {@code virConnectOpen}/{@code virConnectOpenReadOnly}, {@code virConnectGetLibVersion},
 * {@code virConnectGetVersion}, {@code virConnectGetType}, {@code virConnectGetHostname}, {@code virConnectGetURI},
 * {@code virConnectListDomains}/{@code virDomainLookupByID}/{@code virConnectListDefinedDomains} (the domain list),
 * {@code virDomainLookupByName}, {@code virDomainIsActive}, {@code virDomainGetUUIDString},
 * {@code virDomainGetXMLDesc} (live, and with {@code VIR_DOMAIN_XML_INACTIVE}). Through the monitor
 * ({@code virDomainQemuMonitorCommand}, refused on a read-only connection): {@code query-pci}, {@code query-block},
 * {@code query-named-block-nodes}, {@code qom-list /machine/peripheral} and {@code info qtree} (HMP flag), each
 * checked against {@link MonitorCommands}' allow-list. libvirt has no API for the domain log or its own log: those
 * are copied from the host's log folder when the connection is local.
 */
public final class LibvirtCapture {
    /** {@code VIR_DOMAIN_XML_INACTIVE}. */
    static final int XML_INACTIVE = 2;
    /** {@code VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP}. */
    static final int MONITOR_HMP = 1;
    /** At most this much of the daemon's log is copied: its end, from a line start. */
    public static final long DAEMON_LOG_MAX = 64L << 20;
    static final String VIA_LIBVIRT = "libvirt";
    static final String VIA_MONITOR = "qemu-monitor";
    static final String VIA_FILE = "file";
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Libvirt.VirErrorCallback QUIET = (data, error) -> { };
    private static volatile boolean quieted;

    /**
     * What to capture. {@code logDir} is the host's {@code /var/log/libvirt} (null: that, when local).
     * {@code daemonLog}: whether the daemon's log is copied into the bundle; a fleet audit copies it once per host
     * instead of once per domain.
     */
    public record Options(String uri, String domain, Path out, boolean readOnly, Path logDir, Duration stepTimeout,
                          CaptureListener listener, BooleanSupplier cancelled, boolean daemonLog) {
        public Options {
            listener = listener == null ? CaptureListener.NONE : listener;
            cancelled = cancelled == null ? () -> false : cancelled;
            stepTimeout = stepTimeout == null ? Duration.ofSeconds(20) : stepTimeout;
        }

        public Options(String uri, String domain, Path out, boolean readOnly, Path logDir, Duration stepTimeout,
                       CaptureListener listener, BooleanSupplier cancelled) {
            this(uri, domain, out, readOnly, logDir, stepTimeout, listener, cancelled, true);
        }
    }

    /** A domain of the list: name, running or not. */
    public record DomainEntry(String name, boolean active) {
    }

    private LibvirtCapture() {
    }

    /** libvirt prints every error to stderr unless told otherwise; capture reports errors itself. */
    static synchronized void quiet() {
        if (!quieted) {
            try {
                Connect.setErrorCallback(QUIET);
            } catch (LibvirtException | UnsatisfiedLinkError e) {
                // libvirt's own printing stays: harmless
            }
            quieted = true;
        }
    }

    /** Opens {@code uri}, within {@code timeout}; errors say what failed and what might help. */
    static Connect open(String uri, boolean readOnly, Duration timeout) throws CaptureException {
        try {
            quiet();
        } catch (NoClassDefFoundError | UnsatisfiedLinkError e) {
            throw new CaptureException(CaptureTexts.text("capture.error.noLibvirt", e.getMessage()));
        }
        CompletableFuture<Connect> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(new Connect(uri, readOnly));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "vmcase-capture-connect");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CaptureException(CaptureTexts.text("capture.error.connectTimeout", uri, timeout.toSeconds()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException(CaptureTexts.text("capture.error.cancelled"));
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UnsatisfiedLinkError || c instanceof NoClassDefFoundError) {
                throw new CaptureException(CaptureTexts.text("capture.error.noLibvirt", c.getMessage()));
            }
            String msg = c.getMessage() == null ? c.toString() : c.getMessage().strip();
            String hint = hint(msg, readOnly);
            throw new CaptureException(CaptureTexts.text("capture.error.connect", uri, msg)
                    + (hint.isEmpty() ? "" : " " + hint));
        }
    }

    private static String hint(String msg, boolean readOnly) {
        String m = msg.toLowerCase(Locale.ROOT);
        if (m.contains("permission denied") || m.contains("authentication") || m.contains("not authorized")
                || m.contains("access denied")) {
            return readOnly ? CaptureTexts.text("capture.hint.permissionReadOnly")
                    : CaptureTexts.text("capture.hint.permission");
        }
        if (m.contains("connection refused") || m.contains("no such file")) {
            return CaptureTexts.text("capture.hint.noDaemon");
        }
        return "";
    }

    /** The domains on {@code uri}: running ones first, then the defined ones that are off. */
    public static List<DomainEntry> listDomains(String uri, boolean readOnly, Duration timeout) throws CaptureException {
        Connect c = open(uri, readOnly, timeout);
        try {
            List<DomainEntry> list = new ArrayList<>();
            for (int id : c.listDomains()) {
                try {
                    list.add(new DomainEntry(c.domainLookupByID(id).getName(), true));
                } catch (LibvirtException e) {
                    // ended while we listed
                }
            }
            for (String n : c.listDefinedDomains()) {
                list.add(new DomainEntry(n, false));
            }
            return list;
        } catch (LibvirtException e) {
            throw new CaptureException(CaptureTexts.text("capture.error.list", uri, e.getMessage()));
        } finally {
            close(c);
        }
    }

    /**
     * The host's name and versions as a capture's manifest records them ({@code host}, {@code libvirt library},
     * {@code hypervisor}, {@code connected uri}), for an audit of the host as a whole.
     */
    public static java.util.Map<String, String> hostFacts(String uri, boolean readOnly, Duration timeout)
            throws CaptureException {
        Connect c = open(uri, readOnly, timeout);
        try {
            java.util.Map<String, String> facts = new java.util.LinkedHashMap<>();
            facts.put("host", c.getHostName());
            facts.put("libvirt library", version(c.getLibVersion()));
            facts.put("hypervisor", c.getType() + " " + version(c.getVersion()));
            facts.put("connected uri", c.getURI());
            return facts;
        } catch (LibvirtException e) {
            throw new CaptureException(CaptureTexts.text("capture.error.list", uri, e.getMessage()));
        } finally {
            close(c);
        }
    }

    private static void close(Connect c) {
        Thread t = new Thread(() -> {
            try {
                c.close();
            } catch (LibvirtException e) {
                // nothing left to do
            }
        }, "vmcase-capture-close");
        t.setDaemon(true);
        t.start();
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code uri} names this machine (no host part): host files can be read. */
    public static boolean isLocal(String uri) {
        try {
            URI u = URI.create(uri);
            String host = u.getHost();
            String scheme = u.getScheme() == null ? "" : u.getScheme();
            return (host == null || host.isEmpty()) && !scheme.contains("+");
        } catch (IllegalArgumentException e) {
            // not a URI at all: not this machine, so no host files are read
            return false;
        }
    }

    /**
     * Captures {@code options.domain()} into {@code options.out()}. A connection that fails is an exception (the
     * manifest, marked failed, is written first); everything after that is a step whose failure leaves a partial
     * bundle.
     */
    public static CaptureResult capture(Options o) throws CaptureException {
        CaptureManifest m = new CaptureManifest(o.out(), "libvirt");
        m.source("uri", o.uri());
        m.source("domain", o.domain());
        m.source("connection", o.readOnly() ? "read-only" : "read-write");
        boolean local = isLocal(o.uri());
        Path logDir = o.logDir() != null ? o.logDir() : local && o.uri().startsWith("qemu") ? Path.of("/var/log/libvirt") : null;
        int total = 7 + MonitorCommands.CAPTURE.size() + (o.daemonLog() ? 2 : 1);
        StepRunner run = new StepRunner(m, o.stepTimeout(), o.listener(), o.cancelled(), LibvirtCapture::classify, total);

        o.listener().progress(0, total, CaptureTexts.text("capture.progress.connect", o.uri()));
        Connect c;
        java.time.Instant at = java.time.Instant.now();
        long t0 = System.nanoTime();
        try {
            c = open(o.uri(), o.readOnly(), o.stepTimeout());
        } catch (CaptureException e) {
            m.add(new CaptureManifest.Step("connect", VIA_LIBVIRT, o.uri(), at, millisSince(t0), Outcome.FAILED,
                    e.getMessage(), null));
            m.finish(e.getMessage());
            throw e;
        }
        m.add(new CaptureManifest.Step("connect", VIA_LIBVIRT, (o.readOnly() ? "virConnectOpenReadOnly " : "virConnectOpen ")
                + o.uri(), at, millisSince(t0), Outcome.OK, null, null));
        try {
            run.run("host and versions", VIA_LIBVIRT,
                    "virConnectGetHostname virConnectGetLibVersion virConnectGetVersion virConnectGetType virConnectGetURI",
                    null, () -> {
                        m.fact("host", c.getHostName());
                        m.fact("libvirt library", version(c.getLibVersion()));
                        m.fact("hypervisor", c.getType() + " " + version(c.getVersion()));
                        m.fact("connected uri", c.getURI());
                        m.fact("client library", version(org.libvirt.Library.getVersion()));
                        return null;
                    }, v -> null);
            Result<Domain> lookup = run.run("lookup", VIA_LIBVIRT, "virDomainLookupByName " + o.domain(), null,
                    () -> c.domainLookupByName(o.domain()), d -> null);
            if (!lookup.ok()) {
                String names = "";
                try {
                    names = String.join(", ", c.listDefinedDomains());
                    List<String> running = new ArrayList<>();
                    for (int id : c.listDomains()) {
                        running.add(c.domainLookupByID(id).getName());
                    }
                    names = String.join(", ", running) + (names.isEmpty() || running.isEmpty() ? "" : ", ") + names;
                } catch (LibvirtException e) {
                    // the message without the list
                }
                String msg = CaptureTexts.text("capture.error.noDomain", o.domain(), o.uri(),
                        names.isEmpty() ? "-" : names);
                m.finish(msg);
                throw new CaptureException(msg);
            }
            Domain d = lookup.value();
            Result<Boolean> active = run.run("state", VIA_LIBVIRT, "virDomainIsActive virDomainGetUUIDString", null,
                    () -> {
                        m.fact("uuid", d.getUUIDString());
                        return d.isActive() == 1;
                    }, a -> a ? "running" : "not running");
            boolean running = active.ok() && active.value();
            boolean gone = goneIn(active);
            if (running && !gone) {
                Result<String> live = run.run("live XML", VIA_LIBVIRT, "virDomainGetXMLDesc 0", "domain-live.xml",
                        () -> write(o.out(), "domain-live.xml", d.getXMLDesc(0)), s -> null);
                gone = goneIn(live);
            } else {
                run.skip("live XML", VIA_LIBVIRT, "virDomainGetXMLDesc 0", Outcome.SKIPPED,
                        CaptureTexts.text(gone ? "capture.detail.gone" : "capture.detail.notRunning"));
            }
            if (!gone) {
                Result<String> inactive = run.run("inactive XML", VIA_LIBVIRT, "virDomainGetXMLDesc VIR_DOMAIN_XML_INACTIVE",
                        "domain-inactive.xml", () -> write(o.out(), "domain-inactive.xml", d.getXMLDesc(XML_INACTIVE)),
                        s -> null);
                gone = goneIn(inactive);
            } else {
                run.skip("inactive XML", VIA_LIBVIRT, "virDomainGetXMLDesc VIR_DOMAIN_XML_INACTIVE", Outcome.SKIPPED,
                        CaptureTexts.text("capture.detail.gone"));
            }
            monitor(o, m, run, d, running, gone);
            copyLogs(o, m, run, local, logDir);
        } finally {
            close(c);
        }
        String status = m.finish(null);
        return new CaptureResult(o.out(), status, m);
    }

    private static void monitor(Options o, CaptureManifest m, StepRunner run, Domain d, boolean running, boolean gone) {
        String stop = gone ? CaptureTexts.text("capture.detail.gone")
                : !running ? CaptureTexts.text("capture.detail.notRunning") : null;
        Outcome stopOutcome = Outcome.SKIPPED;
        for (MonitorCommands.Command cmd : MonitorCommands.CAPTURE) {
            String wire = cmd.wire();
            MonitorCommands.check(wire);
            String request = cmd.hmp() != null ? "HMP " + cmd.hmp() : cmd.qmp();
            if (stop != null) {
                run.skip(cmd.name(), VIA_MONITOR, request, stopOutcome, stop);
                continue;
            }
            Result<String> r = run.run(cmd.name(), VIA_MONITOR, request, cmd.file(), () -> {
                if (cmd.hmp() != null) {
                    MonitorCommands.checkHmp(cmd.hmp());
                    return write(o.out(), cmd.file(), d.qemuMonitorCommand(cmd.hmp(), MONITOR_HMP));
                }
                String reply = d.qemuMonitorCommand(cmd.qmp(), 0);
                JsonNode n = MAPPER.readTree(reply);
                if (n.has("error")) {
                    throw new MonitorError(n.get("error").toString());
                }
                return write(o.out(), cmd.file(), pretty(n));
            }, s -> null);
            if (r.outcome() == Outcome.REFUSED) {
                stop = CaptureTexts.text("capture.detail.notSentReadOnly");
                stopOutcome = Outcome.REFUSED;
                m.needsMoreRights(CaptureTexts.text("capture.rights.monitor"));
            } else if (goneIn(r)) {
                stop = CaptureTexts.text("capture.detail.gone");
            } else if (r.outcome() == Outcome.TIMEOUT) {
                // a monitor that does not answer holds libvirt's job: the rest would wait as long
                stop = CaptureTexts.text("capture.detail.monitorHung");
            }
        }
    }

    private static void copyLogs(Options o, CaptureManifest m, StepRunner run, boolean local, Path logDir) {
        String domainLog = o.domain() + ".log";
        if (logDir == null) {
            String why = local ? CaptureTexts.text("capture.detail.noLogDir")
                    : CaptureTexts.text("capture.detail.remoteLog", "/var/log/libvirt/qemu/" + domainLog);
            run.skip("domain log", VIA_FILE, null, Outcome.SKIPPED, why);
            if (o.daemonLog()) {
                run.skip("daemon log", VIA_FILE, null, Outcome.SKIPPED, why);
            }
            return;
        }
        Path from = logDir.resolve("qemu").resolve(domainLog);
        Result<Long> r = run.run("domain log", VIA_FILE, from.toString(), domainLog,
                () -> copy(from, o.out().resolve(domainLog), Long.MAX_VALUE), n -> n + " bytes");
        if (r.outcome() == Outcome.REFUSED) {
            m.needsMoreRights(CaptureTexts.text("capture.rights.file", from));
        }
        if (!o.daemonLog()) {
            // not a step of this capture: said in the manifest's source, so the bundle is not partial for it
            m.source("daemon log", CaptureTexts.text("capture.detail.daemonLogElsewhere"));
            return;
        }
        Path daemon = daemonLog(logDir);
        if (daemon == null) {
            run.skip("daemon log", VIA_FILE, logDir.resolve("libvirtd.log").toString(), Outcome.SKIPPED,
                    CaptureTexts.text("capture.detail.noDaemonLog", logDir));
            return;
        }
        String name = daemon.getFileName().toString();
        Result<Long> dr = run.run("daemon log", VIA_FILE, daemon.toString(), name,
                () -> copy(daemon, o.out().resolve(name), DAEMON_LOG_MAX), n -> n + " bytes");
        if (dr.outcome() == Outcome.REFUSED) {
            m.needsMoreRights(CaptureTexts.text("capture.rights.file", daemon));
        }
    }

    /** The daemon's own log in {@code logDir}: {@code libvirtd.log}, else the modular daemon's {@code virtqemud.log}. */
    public static Path daemonLog(Path logDir) {
        return List.of("libvirtd.log", "virtqemud.log").stream().map(logDir::resolve).filter(Files::exists)
                .findFirst().orElse(null);
    }

    /** A QMP {@code error} answer. */
    static final class MonitorError extends Exception {
        MonitorError(String message) {
            super(message);
        }
    }

    static Verdict classify(Throwable e) {
        if (e instanceof LibvirtException le && le.getError() != null) {
            ErrorNumber code = le.getError().getCode();
            String msg = le.getMessage() == null ? code.name() : le.getMessage().strip();
            if (code == ErrorNumber.VIR_ERR_OPERATION_DENIED || code == ErrorNumber.VIR_ERR_AUTH_FAILED) {
                return new Verdict(Outcome.REFUSED, msg);
            }
            if (gone(le)) {
                return new Verdict(Outcome.FAILED, CaptureTexts.text("capture.detail.goneSaid", msg));
            }
            return new Verdict(Outcome.FAILED, code.name() + ": " + msg);
        }
        if (e instanceof AccessDeniedException) {
            return new Verdict(Outcome.REFUSED, "permission denied: " + e.getMessage());
        }
        if (e instanceof NoSuchFileException) {
            return new Verdict(Outcome.FAILED, "no such file: " + e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return new Verdict(Outcome.REFUSED, e.getMessage());
        }
        return new Verdict(Outcome.FAILED, e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /** The step failed because the domain is no more (undefined) or no longer running. */
    private static boolean goneIn(Result<?> r) {
        return r.error() instanceof LibvirtException le && le.getError() != null && gone(le);
    }

    static boolean gone(LibvirtException le) {
        ErrorNumber code = le.getError().getCode();
        String msg = le.getMessage() == null ? "" : le.getMessage();
        return code == ErrorNumber.VIR_ERR_NO_DOMAIN
                || (code == ErrorNumber.VIR_ERR_OPERATION_INVALID && msg.contains("not running"));
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** {@code 9000000} → {@code 9.0.0}. */
    static String version(long v) {
        return (v / 1_000_000) + "." + (v / 1000 % 1000) + "." + (v % 1000);
    }

    /** As {@code virsh qemu-monitor-command --pretty} prints it: two-space indents, one member a line. */
    static String pretty(JsonNode n) throws IOException {
        DefaultPrettyPrinter p = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return MAPPER.writer(p).writeValueAsString(n).replace("\" : ", "\": ") + "\n";
    }

    static String write(Path out, String name, String text) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve(name), text, StandardCharsets.UTF_8);
        return text;
    }

    /** Copies {@code from}, or its last {@code max} bytes from a line start when it is longer; the bytes copied. */
    public static long copy(Path from, Path to, long max) throws IOException {
        Files.createDirectories(to.getParent());
        long size = Files.size(from);
        if (size <= max) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return size;
        }
        try (var ch = java.nio.channels.FileChannel.open(from); InputStream in = java.nio.channels.Channels.newInputStream(
                ch.position(size - max))) {
            int b;
            long skipped = 0;
            while ((b = in.read()) >= 0 && b != '\n') {
                skipped++;
            }
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
            return max - skipped - 1;
        }
    }
}
