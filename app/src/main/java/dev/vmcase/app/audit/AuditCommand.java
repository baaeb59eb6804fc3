package dev.vmcase.app.audit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code vmcase audit --uri URI [--json] [--out DIR] [--domain-timeout S] [--read-only] …}: every running domain of
 * the URI captured, analysed and given a verdict; {@code vmcase audit merge} and {@code vmcase audit dist} are its
 * subcommands. Exit status ({@link #exitCode}): 0 every VM ready, 1 a VM is blocked, 3 none blocked but some unknown,
 * 4 the host could not be audited (no connection), 2 unusable arguments.
 */
@Command(name = "audit", resourceBundle = AuditTexts.BUNDLE, mixinStandardHelpOptions = true,
        subcommands = {MergeCommand.class, DistCommand.class})
public final class AuditCommand implements Callable<Integer> {
    public static final int READY = 0;
    public static final int BLOCKED = 1;
    public static final int USAGE = 2;
    public static final int UNKNOWN = 3;
    public static final int NOT_AUDITED = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--uri", paramLabel = "URI", descriptionKey = "audit.uri")
    String uri;

    @Option(names = "--out", paramLabel = "DIR", descriptionKey = "audit.out")
    Path out;

    @Option(names = "--json", descriptionKey = "audit.json")
    boolean json;

    @Option(names = "--host", paramLabel = "NAME", descriptionKey = "audit.hostName")
    String host;

    @Option(names = "--read-only", descriptionKey = "audit.readOnly")
    boolean readOnly;

    @Option(names = "--log-dir", paramLabel = "DIR", descriptionKey = "audit.logDir")
    Path logDir;

    @Option(names = "--domain-timeout", paramLabel = "SECONDS", descriptionKey = "audit.domainTimeout", defaultValue = "60")
    int domainTimeout;

    @Option(names = "--step-timeout", paramLabel = "SECONDS", descriptionKey = "audit.stepTimeout", defaultValue = "20")
    int stepTimeout;

    @Option(names = "--jobs", paramLabel = "N", descriptionKey = "audit.jobs", defaultValue = "4")
    int jobs;

    @Option(names = "--strict", descriptionKey = "audit.strict")
    boolean strict;

    @Option(names = "--domain", paramLabel = "NAME", descriptionKey = "audit.domain")
    List<String> domains = List.of();

    @Option(names = "--archive", paramLabel = "FILE.tar.gz", descriptionKey = "audit.archive")
    Path archive;

    @Option(names = "--archive-bundles", paramLabel = "problems|all|none", descriptionKey = "audit.archiveBundles",
            defaultValue = "problems")
    String archiveBundles;

    @Option(names = "--archive-daemon-log", descriptionKey = "audit.archiveDaemonLog")
    boolean archiveDaemonLog;

    @Override
    public Integer call() throws Exception {
        if (uri == null || uri.isBlank()) {
            throw new ParameterException(spec.commandLine(), AuditTexts.text("audit.error.noUri"));
        }
        if (domainTimeout < 1 || stepTimeout < 1 || jobs < 1) {
            throw new ParameterException(spec.commandLine(), AuditTexts.text("audit.error.limits"));
        }
        AuditArchive.Bundles bundles;
        try {
            bundles = AuditArchive.Bundles.of(archiveBundles);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), AuditTexts.text("merge.error.evidence", archiveBundles));
        }
        Path dir = out != null ? out : Path.of("vmcase-audit-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(Instant.now()));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        // a step can never take longer than the domain as a whole
        Duration domain = Duration.ofSeconds(domainTimeout);
        Duration step = Duration.ofSeconds(Math.min(stepTimeout, domainTimeout));
        HostAudit h = Auditor.run(new Auditor.Options(uri, dir, host, readOnly, logDir, domain, step, jobs, strict,
                domains, line -> err.println("audit: " + line)));
        if (archive != null) {
            AuditArchive.write(h, dir, archive, bundles, archiveDaemonLog);
        }
        PrintWriter stdout = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        if (json) {
            stdout.print(AuditJson.mapper(Long.MAX_VALUE).writeValueAsString(h));
            stdout.println();
        } else {
            AuditTable.write(h, stdout, Locale.getDefault());
            stdout.println(AuditTexts.text("audit.written", dir.toAbsolutePath()));
        }
        stdout.flush();
        return exitCode(h);
    }

    /** 4 when the host was not audited, 1 when a VM is blocked, 3 when one is unknown, else 0. */
    public static int exitCode(HostAudit h) {
        if (h.error() != null) {
            return NOT_AUDITED;
        }
        return h.count(Verdict.BLOCKED) > 0 ? BLOCKED : h.count(Verdict.UNKNOWN) > 0 ? UNKNOWN : READY;
    }
}
