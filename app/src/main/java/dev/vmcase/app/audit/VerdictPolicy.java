package dev.vmcase.app.audit;

import dev.vmcase.analysis.OutcomeText;
import dev.vmcase.analysis.rules.RuleOutcome;
import dev.vmcase.app.capture.CaptureManifest;
import dev.vmcase.app.capture.CaptureManifest.Outcome;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a VM's findings and the gaps in its evidence make of its verdict. Which rule blocks a cut-over, and which
 * check its evidence comes from, is data ({@code verdict-policy.tsv}); the two checks are:
 * <ul>
 * <li>{@code device-views} — QEMU's device tree against libvirt's live XML ({@code ORPHANED_FRONTEND}): needs the live
 * XML, QEMU's frontends ({@code query-pci} or {@code info qtree}) and their backends ({@code query-block} or
 * {@code info qtree}). Missing, the VM is {@code unknown}: the class of fault that fails a migration was not looked
 * at.</li>
 * <li>{@code unplug-history} — the {@code device_del} requests no guest answered ({@code UNACKED_UNPLUG},
 * {@code BACKEND_REMOVED_BEFORE_FRONTEND}, {@code STALE_DEVICE_REFERENCE}): a pending unplug looks like a healthy
 * device in every live view (libvirt 9.0 keeps the disk in its XML until the guest answers), so only libvirtd's debug
 * log shows it, and only if the log holds this domain's monitor traffic since the domain started. Missing, the VM is
 * {@code ready} with that caveat (most hosts do not log at debug level); {@code --strict} makes it {@code unknown}.</li>
 * </ul>
 */
public final class VerdictPolicy {
    public static final String BLOCKS = "blocks";
    public static final String UNKNOWN = "unknown";
    public static final String NOTES = "notes";
    public static final String DEVICE_VIEWS = "device-views";
    public static final String UNPLUG_HISTORY = "unplug-history";

    /** A line of the policy. */
    public record Entry(String rule, String effect, String reason, String check) {
    }

    /** What the capture of a VM left to decide with. */
    public record Inputs(String capture, List<CaptureManifest.Step> steps, DaemonLogInfo daemonLog,
                         DaemonLogExcerpts.Excerpt excerpt, String started, boolean strict) {
        public Inputs {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    private static final VerdictPolicy DEFAULT = load();
    private final Map<String, Entry> entries;

    private VerdictPolicy(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static VerdictPolicy standard() {
        return DEFAULT;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /** The policy of {@code f}'s rule; an unlisted rule's ERROR or CRITICAL is {@code unknown}, anything else {@code notes}. */
    public Entry of(Finding f) {
        Entry e = entries.get(f.rule());
        if (e != null) {
            return e;
        }
        boolean serious = f.severity() == Severity.ERROR || f.severity() == Severity.CRITICAL;
        return new Entry(f.rule(), serious ? UNKNOWN : NOTES, "unlisted", "-");
    }

    /** The verdict: blocked by any blocking finding; else unknown by an unknown finding or gap; else ready. */
    public static Verdict verdict(List<AuditFinding> findings, List<Gap> gaps) {
        if (findings.stream().anyMatch(AuditFinding::blocks)) {
            return Verdict.BLOCKED;
        }
        if (findings.stream().anyMatch(f -> UNKNOWN.equals(f.effect()))
                || gaps.stream().anyMatch(g -> Gap.UNKNOWN.equals(g.effect()))) {
            return Verdict.UNKNOWN;
        }
        return Verdict.READY;
    }

    /** What the checks of this policy could not read for a VM. */
    public List<Gap> gaps(Inputs in) {
        return gaps(in, List.of());
    }

    /**
     * What the checks of this policy could not read for a VM: what its capture and the daemon log lacked (with why:
     * a refusal, no answer, a log that begins too late), and then each blocking rule the analysis itself reports
     * {@code NOT_CHECKED} for a check that found nothing missing ({@code gap.notChecked}, with what the rule lacked), or
     * {@code PARTLY_CHECKED} ({@code gap.partlyChecked}, with what it could not decide).
     */
    public List<Gap> gaps(Inputs in, List<RuleOutcome> outcomes) {
        List<Gap> out = new ArrayList<>();
        boolean devices = entries.values().stream().anyMatch(e -> DEVICE_VIEWS.equals(e.check()));
        boolean history = entries.values().stream().anyMatch(e -> UNPLUG_HISTORY.equals(e.check()));
        if (devices) {
            deviceViews(in, out);
        }
        if (history) {
            unplugHistory(in, out);
        }
        java.util.Set<String> said = out.stream().map(Gap::check).collect(java.util.stream.Collectors.toSet());
        for (RuleOutcome o : outcomes) {
            Entry e = entries.get(o.rule());
            boolean notClean = o.status() == RuleOutcome.Status.NOT_CHECKED
                    || o.status() == RuleOutcome.Status.PARTLY_CHECKED;
            if (e == null || !BLOCKS.equals(e.effect()) || !notClean || said.contains(e.check())) {
                continue;
            }
            String effect = DEVICE_VIEWS.equals(e.check()) || in.strict() ? Gap.UNKNOWN : Gap.CAVEAT;
            String lacked = OutcomeText.why(o, Locale.ROOT);
            out.add(new Gap(e.check(), effect, o.rule(),
                    o.status() == RuleOutcome.Status.PARTLY_CHECKED ? "gap.partlyChecked" : "gap.notChecked", lacked));
        }
        return out;
    }

    private static void deviceViews(Inputs in, List<Gap> out) {
        if ("timeout".equals(in.capture()) && in.steps().isEmpty()) {
            out.add(new Gap(DEVICE_VIEWS, Gap.UNKNOWN, "capture", "gap.domainTimeout", null));
            return;
        }
        need(in, out, List.of("live XML"));
        need(in, out, List.of("query-pci", "info qtree"));
        need(in, out, List.of("query-block", "info qtree"));
    }

    /** One of {@code steps} must have succeeded; else a gap naming the first and why it did not. */
    private static void need(Inputs in, List<Gap> out, List<String> steps) {
        for (String s : steps) {
            if (step(in, s).map(x -> x.outcome() == Outcome.OK).orElse(false)) {
                return;
            }
        }
        String first = steps.get(0);
        if (out.stream().anyMatch(g -> g.what().equals(first))) {
            return;
        }
        Optional<CaptureManifest.Step> st = step(in, first);
        String why = st.map(x -> "gap." + x.outcome().name().toLowerCase(java.util.Locale.ROOT))
                .orElse("timeout".equals(in.capture()) ? "gap.domainTimeout" : "gap.notCaptured");
        out.add(new Gap(DEVICE_VIEWS, Gap.UNKNOWN, first, why, st.map(CaptureManifest.Step::detail).orElse(null)));
    }

    private static Optional<CaptureManifest.Step> step(Inputs in, String name) {
        return in.steps().stream().filter(s -> s.name().equals(name)).reduce((a, b) -> b);
    }

    private static void unplugHistory(Inputs in, List<Gap> out) {
        String effect = in.strict() ? Gap.UNKNOWN : Gap.CAVEAT;
        DaemonLogInfo log = in.daemonLog();
        if (log == null || !DaemonLogInfo.MONITOR_TRAFFIC.equals(log.status())) {
            String status = log == null ? DaemonLogInfo.ABSENT : log.status();
            out.add(new Gap(UNPLUG_HISTORY, effect, "daemon-log", "gap.daemonLog." + status,
                    log == null ? null : log.detail()));
            return;
        }
        if (in.excerpt() == null || in.excerpt().monitorRecords() == 0) {
            out.add(new Gap(UNPLUG_HISTORY, effect, "daemon-log", "gap.noDomainMonitor", log.first()));
            return;
        }
        if (in.started() == null) {
            out.add(new Gap(UNPLUG_HISTORY, effect, "domain-log", "gap.noStart", log.first()));
        } else if (log.first() != null && log.first().compareTo(in.started()) > 0) {
            // both are libvirt's "yyyy-MM-dd HH:mm:ss.SSS+0000": the text orders as the time
            out.add(new Gap(UNPLUG_HISTORY, effect, "daemon-log", "gap.logStartsLater", log.first() + " > " + in.started()));
        }
    }

    private static VerdictPolicy load() {
        Map<String, Entry> m = new LinkedHashMap<>();
        try (InputStream in = VerdictPolicy.class.getResourceAsStream("verdict-policy.tsv")) {
            if (in == null) {
                throw new IllegalStateException("verdict-policy.tsv is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 4 || !List.of(BLOCKS, UNKNOWN, NOTES).contains(f[1])
                        || !List.of(DEVICE_VIEWS, UNPLUG_HISTORY, "-").contains(f[3])) {
                    throw new IllegalStateException("verdict-policy.tsv:" + n + ": rule, effect, reason, check expected: "
                            + line);
                }
                m.put(f[0], new Entry(f[0], f[1], f[2], f[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new VerdictPolicy(java.util.Collections.unmodifiableMap(m));
    }
}
