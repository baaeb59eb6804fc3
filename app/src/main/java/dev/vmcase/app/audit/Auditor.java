package dev.vmcase.app.audit;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.VmResult;
import dev.vmcase.analysis.rules.RuleOutcome;
import dev.vmcase.app.capture.CaptureException;
import dev.vmcase.app.capture.CaptureManifest;
import dev.vmcase.app.capture.CaptureResult;
import dev.vmcase.app.capture.LibvirtCapture;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.ProgressMonitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audits one host: every running domain of a libvirt URI captured as {@code vmcase capture} does
 * ({@link LibvirtCapture}: read-only monitor commands only), each within a time limit of its own; the host's daemon
 * log copied once and split into one excerpt per domain ({@link DaemonLogExcerpts}); each VM's bundle analysed on its
 * own; a verdict per VM ({@link VerdictPolicy}); all of it in {@code OUT/audit.json} beside the bundles
 * ({@code OUT/vms/NAME/}) and the daemon log ({@code OUT/host/}).
 * <p>
 * A domain whose capture outlives {@code domainTimeout} (a QEMU that does not answer holds its monitor step for the
 * step limit, a libvirt call that never returns holds another) is abandoned: the capture is told to stop between
 * steps, its thread is left to the JVM, the VM is {@code unknown}, and the audit goes on.
 */
public final class Auditor {
    /** The domain log's start banner: {@code 2026-12-04 17:34:39.658+0000: starting up libvirt version: …}. */
    private static final Pattern STARTING = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+\\d{4}): starting up\\b");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._+-]{1,120}");
    static final String VMS = "vms";
    static final String HOST = "host";
    static final String EXCERPT = "libvirtd-excerpt.log";

    /**
     * What to audit.
     *
     * @param host          the host's name in the fleet (null: libvirt's host name)
     * @param logDir        the host's {@code /var/log/libvirt} (null: that, for a local URI)
     * @param domains       only these domains (empty: every running one)
     * @param progress      a line per step, for the console
     */
    public record Options(String uri, Path out, String host, boolean readOnly, Path logDir, Duration domainTimeout,
                          Duration stepTimeout, int jobs, boolean strict, List<String> domains,
                          Consumer<String> progress) {
        public Options {
            domains = domains == null ? List.of() : List.copyOf(domains);
            progress = progress == null ? s -> { } : progress;
            jobs = Math.max(1, jobs);
        }
    }

    private Auditor() {
    }

    public static HostAudit run(Options o) throws IOException {
        String started = now();
        Files.createDirectories(o.out());
        Map<String, String> facts;
        List<LibvirtCapture.DomainEntry> listed;
        try {
            facts = LibvirtCapture.hostFacts(o.uri(), o.readOnly(), o.stepTimeout());
            listed = LibvirtCapture.listDomains(o.uri(), o.readOnly(), o.stepTimeout());
        } catch (CaptureException e) {
            HostAudit failed = new HostAudit(HostAudit.FORMAT, HostAudit.FORMAT_VERSION, dev.vmcase.casefile.CaseFile.TOOL_VERSION,
                    o.host() == null ? "?" : o.host(), null, o.uri(), connection(o), o.strict(), started, now(),
                    Map.of(), null, e.getMessage(), List.of(), List.of(), List.of());
            AuditJson.write(failed, o.out().resolve(HostAudit.FILE));
            return failed;
        }
        String hostname = facts.get("host");
        List<String> running = new ArrayList<>();
        List<String> off = new ArrayList<>();
        for (LibvirtCapture.DomainEntry d : listed) {
            if (!o.domains().isEmpty() && !o.domains().contains(d.name())) {
                continue;
            }
            (d.active() ? running : off).add(d.name());
        }
        Map<String, Path> folders = folders(o.out().resolve(VMS), running);
        Map<String, Captured> captured = capture(o, running, folders);

        boolean local = LibvirtCapture.isLocal(o.uri());
        Path logDir = o.logDir() != null ? o.logDir()
                : local && o.uri().startsWith("qemu") ? Path.of("/var/log/libvirt") : null;
        Map<String, Path> excerptFiles = new LinkedHashMap<>();
        running.forEach(d -> excerptFiles.put(d, folders.get(d).resolve(EXCERPT)));
        Daemon daemon = daemonLog(o, logDir, excerptFiles);

        List<VmAudit> vms = analyse(o, running, folders, captured, daemon);
        List<String> rights = new ArrayList<>();
        captured.values().forEach(c -> c.rights().forEach(r -> {
            if (!rights.contains(r)) {
                rights.add(r);
            }
        }));
        HostAudit audit = new HostAudit(HostAudit.FORMAT, HostAudit.FORMAT_VERSION,
                dev.vmcase.casefile.CaseFile.TOOL_VERSION, o.host() != null ? o.host() : hostname, hostname, o.uri(),
                connection(o), o.strict(), started, now(), facts, daemon.info(), null, rights, off, vms);
        AuditJson.write(audit, o.out().resolve(HostAudit.FILE));
        return audit;
    }

    private static String connection(Options o) {
        return o.readOnly() ? "read-only" : "read-write";
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /**
     * A folder per domain: its name when that is a safe file name, else the safe characters and a hash (a domain name
     * may hold anything but '/').
     */
    static Map<String, Path> folders(Path vms, List<String> domains) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String d : domains) {
            String f = SAFE.matcher(d).matches() && !d.startsWith(".") ? d
                    : d.replaceAll("[^A-Za-z0-9._+-]", "_").replaceFirst("^\\.+", "_")
                    .substring(0, Math.min(d.length(), 80)) + "-" + dev.vmcase.model.Ids.sha256Hex(d).substring(0, 12);
            out.put(d, vms.resolve(f));
        }
        return out;
    }

    /** A domain's capture: its result (null when it never ended), its manifest's steps, what it was refused. */
    private record Captured(String status, List<CaptureManifest.Step> steps, List<String> rights, double seconds) {
    }

    private static Map<String, Captured> capture(Options o, List<String> domains, Map<String, Path> folders) {
        Map<String, Captured> out = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(o.jobs(), daemon("vmcase-audit-capture"));
        Map<String, Future<CaptureResult>> running = new LinkedHashMap<>();
        Map<String, AtomicBoolean> stop = new LinkedHashMap<>();
        Map<String, long[]> began = new java.util.concurrent.ConcurrentHashMap<>();
        int i = 0;
        for (String d : domains) {
            AtomicBoolean cancel = new AtomicBoolean();
            stop.put(d, cancel);
            int n = ++i;
            running.put(d, pool.submit(() -> {
                began.put(d, new long[] {System.nanoTime()});
                o.progress().accept(AuditTexts.text("audit.progress.capture", d, n, domains.size()));
                return LibvirtCapture.capture(new LibvirtCapture.Options(o.uri(), d, folders.get(d), o.readOnly(),
                        o.logDir(), o.stepTimeout(), null, cancel::get, false));
            }));
        }
        pool.shutdown();
        for (String d : domains) {
            Future<CaptureResult> f = running.get(d);
            Captured c;
            try {
                // the domain's limit runs from when its capture began, not from when the audit did
                long wait = waitFor(began, d, o.domainTimeout(), f);
                CaptureResult r = f.get(wait, TimeUnit.NANOSECONDS);
                c = new Captured(r.status(), r.manifest().steps(), r.manifest().needsMoreRights(), seconds(began, d));
            } catch (TimeoutException e) {
                stop.get(d).set(true);
                f.cancel(true);
                c = new Captured("timeout", readSteps(folders.get(d)), List.of(), seconds(began, d));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String why = cause instanceof CaptureException ? cause.getMessage() : String.valueOf(cause);
                c = new Captured("failed", readSteps(folders.get(d)), List.of(), seconds(began, d));
                o.progress().accept(AuditTexts.text("audit.progress.captureFailed", d, why));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c = new Captured("cancelled", List.of(), List.of(), 0);
            }
            out.put(d, c);
        }
        return out;
    }

    /** Nanoseconds left of {@code d}'s limit; waits for its capture to begin first (it may be queued behind others). */
    private static long waitFor(Map<String, long[]> began, String d, Duration limit, Future<?> f)
            throws InterruptedException {
        while (!began.containsKey(d) && !f.isDone()) {
            Thread.sleep(20);
        }
        long[] t = began.get(d);
        return t == null ? 0 : Math.max(0, t[0] + limit.toNanos() - System.nanoTime());
    }

    private static double seconds(Map<String, long[]> began, String d) {
        long[] t = began.get(d);
        return t == null ? 0 : (System.nanoTime() - t[0]) / 1e9;
    }

    /** The steps a capture that was abandoned had written to its manifest. */
    private static List<CaptureManifest.Step> readSteps(Path bundle) {
        Path m = bundle.resolve(CaptureManifest.FILE);
        List<CaptureManifest.Step> steps = new ArrayList<>();
        try {
            var root = AuditJson.mapper(16 << 20).readTree(m.toFile());
            for (var s : root.path("steps")) {
                CaptureManifest.Outcome outcome;
                try {
                    outcome = CaptureManifest.Outcome.valueOf(s.path("outcome").asText("").toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    // an outcome this vmcase does not know (a newer capture's): the step is not counted either way
                    continue;
                }
                steps.add(new CaptureManifest.Step(s.path("step").asText(), s.path("via").asText(),
                        s.path("request").asText(null), Instant.parse(s.path("at").asText(Instant.EPOCH.toString())),
                        s.path("ms").asLong(), outcome, s.path("detail").asText(null), s.path("file").asText(null)));
            }
        } catch (IOException | RuntimeException e) {
            // no manifest yet: no steps
        }
        return steps;
    }

    /** The host's daemon log: copied, split, and what the checks need to know of it. */
    private record Daemon(DaemonLogInfo info, Map<String, DaemonLogExcerpts.Excerpt> excerpts) {
    }

    private static Daemon daemonLog(Options o, Path logDir, Map<String, Path> excerptFiles) {
        if (logDir == null) {
            return new Daemon(new DaemonLogInfo(DaemonLogInfo.REMOTE, null, null, null, 0, false, o.uri()), Map.of());
        }
        Path log = LibvirtCapture.daemonLog(logDir);
        if (log == null) {
            return new Daemon(new DaemonLogInfo(DaemonLogInfo.ABSENT, null, null, null, 0, false, logDir.toString()),
                    Map.of());
        }
        Path copy = o.out().resolve(HOST).resolve(log.getFileName().toString());
        try {
            o.progress().accept(AuditTexts.text("audit.progress.daemonLog", log));
            long size = Files.size(log);
            long bytes = LibvirtCapture.copy(log, copy, LibvirtCapture.DAEMON_LOG_MAX);
            DaemonLogExcerpts.Result split = DaemonLogExcerpts.split(copy, excerptFiles);
            String status = split.monitorTraffic() ? DaemonLogInfo.MONITOR_TRAFFIC : DaemonLogInfo.NO_MONITOR_TRAFFIC;
            return new Daemon(new DaemonLogInfo(status, o.out().relativize(copy).toString(), split.first(), split.last(),
                    bytes, size > bytes, null), split.excerpts());
        } catch (IOException e) {
            return new Daemon(new DaemonLogInfo(DaemonLogInfo.UNREADABLE, null, null, null, 0, false,
                    log + ": " + e.getMessage()), Map.of());
        }
    }

    private static List<VmAudit> analyse(Options o, List<String> domains, Map<String, Path> folders,
                                         Map<String, Captured> captured, Daemon daemon) {
        int threads = Math.min(o.jobs(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), daemon("vmcase-audit-analysis"));
        List<Future<VmAudit>> futures = new ArrayList<>();
        for (String d : domains) {
            futures.add(pool.submit(() -> vm(o, d, folders.get(d), captured.get(d), daemon)));
        }
        pool.shutdown();
        List<VmAudit> out = new ArrayList<>();
        for (int i = 0; i < domains.size(); i++) {
            try {
                out.add(futures.get(i).get());
            } catch (ExecutionException e) {
                String d = domains.get(i);
                out.add(new VmAudit(d, null, Verdict.UNKNOWN, o.out().relativize(folders.get(d)).toString(),
                        captured.get(d).status(), null, captured.get(d).seconds(), List.of(),
                        List.of(new Gap(VerdictPolicy.DEVICE_VIEWS, Gap.UNKNOWN, "analysis", "gap.analysisFailed",
                                String.valueOf(e.getCause())))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        out.sort(Comparator.comparing(VmAudit::verdict).thenComparing(VmAudit::name));
        return out;
    }

    private static VmAudit vm(Options o, String d, Path bundle, Captured c, Daemon daemon) {
        long t0 = System.nanoTime();
        o.progress().accept(AuditTexts.text("audit.progress.analyse", d));
        List<AuditFinding> findings = new ArrayList<>();
        List<RuleOutcome> outcomes = List.of();
        String uuid = uuid(bundle);
        if (Files.isDirectory(bundle)) {
            AnalysisResult r = Analysis.of(List.of(bundle), ProgressMonitor.NONE);
            // the bundle is this domain's; the analysis names its VMs, and only this one's findings count
            VmResult mine = ofDomain(r, d, uuid);
            VerdictPolicy policy = VerdictPolicy.standard();
            for (Finding f : mine == null ? r.findings() : mine.findings()) {
                findings.add(finding(f, policy.of(f), bundle));
            }
            outcomes = mine == null ? r.outcomes() : mine.outcomes();
            findings.sort(Comparator.comparing((AuditFinding f) -> !f.blocks()));
        }
        String started = started(bundle.resolve(d.replace('/', '_') + ".log"));
        List<Gap> gaps = VerdictPolicy.standard().gaps(new VerdictPolicy.Inputs(c.status(), c.steps(), daemon.info(),
                daemon.excerpts().get(d), started, o.strict()), outcomes);
        Verdict v = VerdictPolicy.verdict(findings, gaps);
        double seconds = c.seconds() + (System.nanoTime() - t0) / 1e9;
        return new VmAudit(d, uuid, v, o.out().relativize(bundle).toString(), c.status(), started, seconds, findings, gaps);
    }

    /**
     * The analysis's VM that is this domain: by name, else by UUID, else the only one; null when the evidence names
     * several VMs and none of them is this one (then every finding is kept: better a neighbour's than none).
     */
    static VmResult ofDomain(AnalysisResult r, String domain, String uuid) {
        Optional<VmResult> v = r.vm(domain);
        if (v.isEmpty() && uuid != null) {
            v = r.vm(uuid);
        }
        if (v.isEmpty() && r.vms().size() == 1) {
            v = Optional.of(r.vms().get(0));
        }
        return v.orElse(null);
    }

    static AuditFinding finding(Finding f, VerdictPolicy.Entry policy, Path bundle) {
        List<EvidenceLine> lines = new ArrayList<>();
        for (SourceRef ref : f.evidence()) {
            lines.add(new EvidenceLine(relative(bundle, ref.path()), ref.artifact(), ref.line(), ref.text()));
        }
        return new AuditFinding(f.rule(), f.severity().jsonName(), policy.effect(), policy.reason(),
                FindingText.summary(f), f.messageKey(), f.messageArgs(), f.devices(), f.details(), lines);
    }

    private static String relative(Path bundle, String path) {
        try {
            Path p = Path.of(path).toAbsolutePath().normalize();
            Path b = bundle.toAbsolutePath().normalize();
            return p.startsWith(b) ? b.relativize(p).toString() : path;
        } catch (InvalidPathException e) {
            // not a path of this system (a Windows path in an imported finding): shown as the finding gave it
            return path;
        }
    }

    /** When the domain last started, from its domain log's last {@code starting up} banner; null when unknown. */
    static String started(Path domainLog) {
        if (!Files.isRegularFile(domainLog)) {
            return null;
        }
        String last = null;
        try (BufferedReader r = Files.newBufferedReader(domainLog, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = r.readLine()) != null; ) {
                Matcher m = STARTING.matcher(line);
                if (m.find()) {
                    last = m.group(1);
                }
            }
        } catch (IOException e) {
            // unreadable domain log: the start time is unknown, which the verdict already allows for (null)
            return null;
        }
        return last;
    }

    /** The UUID the capture recorded in its manifest's facts, or null. */
    private static String uuid(Path bundle) {
        try {
            var root = AuditJson.mapper(16 << 20).readTree(bundle.resolve(CaptureManifest.FILE).toFile());
            String u = root.path("facts").path("uuid").asText(null);
            return u == null || u.isEmpty() ? null : u;
        } catch (IOException | RuntimeException e) {
            // no readable manifest: the VM is then known by its name alone, as for a capture without a UUID
            return null;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
