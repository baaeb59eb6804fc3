package dev.vmcase.app.capture;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vmcase capture --uri URI --domain NAME --out DIR [--read-only] [--log-dir DIR]},
 * {@code vmcase capture --qmp SOCKET --out DIR}, {@code vmcase capture --uri URI --list}. Exit status: 0 when the
 * bundle is complete, 1 when it is partial or the capture failed (what was captured is kept, the manifest says
 * what is missing and why), 2 for unusable arguments.
 */
@Command(name = "capture", resourceBundle = CaptureTexts.BUNDLE, mixinStandardHelpOptions = true)
public final class CaptureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--uri", paramLabel = "URI", descriptionKey = "capture.uri")
    String uri;

    @Option(names = "--domain", paramLabel = "NAME", descriptionKey = "capture.domain")
    String domain;

    @Option(names = "--qmp", paramLabel = "SOCKET", descriptionKey = "capture.qmp")
    Path qmp;

    @Option(names = "--out", paramLabel = "DIR", descriptionKey = "capture.out")
    Path out;

    @Option(names = "--read-only", descriptionKey = "capture.readOnly")
    boolean readOnly;

    @Option(names = "--log-dir", paramLabel = "DIR", descriptionKey = "capture.logDir")
    Path logDir;

    @Option(names = "--step-timeout", paramLabel = "SECONDS", descriptionKey = "capture.stepTimeout", defaultValue = "20")
    int stepTimeout;

    @Option(names = "--list", descriptionKey = "capture.list")
    boolean list;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Duration timeout = Duration.ofSeconds(Math.max(1, stepTimeout));
        try {
            if (list && uri != null && qmp == null) {
                List<LibvirtCapture.DomainEntry> domains = LibvirtCapture.listDomains(uri, readOnly, timeout);
                stdout.println(CaptureTexts.text("capture.domains", uri));
                for (LibvirtCapture.DomainEntry d : domains) {
                    stdout.printf("  %-30s %s%n", d.name(), CaptureTexts.text(d.active()
                            ? "capture.domain.running" : "capture.domain.off"));
                }
                stdout.flush();
                return 0;
            }
            boolean viaLibvirt = uri != null && domain != null && qmp == null;
            boolean viaQmp = qmp != null && uri == null && domain == null;
            if (out == null || !(viaLibvirt || viaQmp)) {
                stderr.println(CaptureTexts.text("capture.usage"));
                spec.commandLine().usage(stderr);
                return 2;
            }
            CaptureListener progress = (done, total, text) -> { };
            CaptureResult r = viaLibvirt
                    ? LibvirtCapture.capture(new LibvirtCapture.Options(uri, domain, out, readOnly, logDir, timeout,
                    progress, null))
                    : QmpCapture.capture(new QmpCapture.Options(qmp, out, timeout, progress, null));
            report(stdout, r, viaLibvirt ? domain : qmp.toString());
            return r.complete() ? 0 : 1;
        } catch (CaptureException e) {
            stderr.println(CaptureTexts.text("capture.failed", e.getMessage()));
            return 1;
        }
    }

    private static void report(PrintWriter stdout, CaptureResult r, String what) {
        List<CaptureManifest.Step> steps = r.manifest().steps();
        long ok = steps.stream().filter(s -> s.outcome() == CaptureManifest.Outcome.OK).count();
        stdout.println(CaptureTexts.text("capture.done", what, r.out(), r.status(), steps.size(), ok));
        for (CaptureManifest.Step s : steps) {
            stdout.println(CaptureTexts.text("capture.step.line", s.millis(),
                    s.outcome().name().toLowerCase(java.util.Locale.ROOT), s.name(),
                    s.detail() == null ? (s.file() == null ? "" : s.file()) : s.detail()));
        }
        if (!r.manifest().needsMoreRights().isEmpty()) {
            stdout.println(CaptureTexts.text("capture.rightsHeader"));
            r.manifest().needsMoreRights().forEach(n -> stdout.println("  " + n));
        }
        stdout.flush();
    }
}
