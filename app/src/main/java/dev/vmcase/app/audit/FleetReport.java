package dev.vmcase.app.audit;

import dev.vmcase.analysis.FindingText;
import dev.vmcase.casefile.CaseReport;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fleet case as a report for the change ticket ({@code vmcase report FLEET.vmcase}): what was audited, the blocked
 * VMs with their findings and evidence lines, the VMs that could not be checked and why, the hosts without an audit,
 * the caveats of the ready ones (grouped, not one line per VM), a table per host and what the verdicts rest on. The
 * same content in Markdown and in self-contained HTML, through the case report's sinks (every text escaped there).
 */
public final class FleetReport {
    /** Caveats are grouped; each group names this many of its VMs. */
    static final int NAMED = 8;
    /** Evidence lines are cut here in the report (a monitor reply is one line of kilobytes); the bundle has them whole. */
    static final int LINE = 400;
    private final FleetDocument f;
    private final String name;
    private final Locale locale;

    public FleetReport(FleetDocument fleet, String name, Locale locale) {
        this.f = fleet;
        this.name = name;
        this.locale = locale;
    }

    private String t(String key, Object... args) {
        return AuditTexts.text(locale, key, args);
    }

    public void write(CaseReport.Sink s) throws IOException {
        List<FleetDocument.HostVm> vms = f.vms();
        long caveated = vms.stream().filter(v -> v.vm().verdict() == Verdict.READY && !v.vm().caveats().isEmpty()).count();
        s.title(t("report.title", name));
        s.paragraph(t("report.summary", f.hosts().size(), f.unaudited().size(), vms.size(), f.count(Verdict.BLOCKED),
                f.count(Verdict.UNKNOWN), f.count(Verdict.READY), caveated));
        s.paragraph(t("report.merged", f.created(), f.tool(), LINE));
        blocked(s, vms);
        unknown(s, vms);
        unaudited(s);
        caveats(s, vms);
        hosts(s);
        basis(s);
        s.end();
    }

    private void blocked(CaseReport.Sink s, List<FleetDocument.HostVm> vms) throws IOException {
        List<FleetDocument.HostVm> blocked = vms.stream().filter(v -> v.vm().verdict() == Verdict.BLOCKED).toList();
        if (emptySection(s, "report.blocked", blocked.size())) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (FleetDocument.HostVm v : blocked) {
            for (AuditFinding a : v.vm().blocking()) {
                String at = a.evidence().isEmpty() ? "-" : a.evidence().get(0).file() + ":" + a.evidence().get(0).line();
                rows.add(List.of(v.host().host(), v.vm().name(), AuditTable.reason(a, locale),
                        String.join(" ", a.devices()), at));
            }
        }
        s.table(List.of(t("col.host"), t("col.vm"), t("col.reason"), t("col.devices"), t("col.evidence")), rows);
        for (FleetDocument.HostVm v : blocked) {
            for (AuditFinding a : v.vm().blocking()) {
                s.subheading(t("report.finding", v.host().host(), v.vm().name(), AuditTable.reason(a, locale), a.rule()));
                s.paragraph(summary(a));
                List<String> lines = new ArrayList<>();
                for (EvidenceLine e : a.evidence()) {
                    String text = e.text() == null ? "" : e.text();
                    lines.add(e.file() + ":" + e.line() + ": " + (text.length() > LINE ? text.substring(0, LINE) + "…" : text));
                }
                if (!lines.isEmpty()) {
                    s.evidence(lines);
                }
                String where = v.host().evidence().getOrDefault(v.vm().name(), FleetHost.NOT_FETCHED);
                s.paragraph(t("report.bundle." + where, v.host().host() + "/" + v.vm().bundle()));
            }
        }
    }

    /** A section's heading with its count; an empty section says so and the caller writes nothing more. */
    private boolean emptySection(CaseReport.Sink s, String key, int count) throws IOException {
        s.heading(t(key, count));
        if (count == 0) {
            s.paragraph(t("report.none"));
        }
        return count == 0;
    }

    private String summary(AuditFinding a) {
        return summary(a, locale);
    }

    /** The finding's summary in {@code locale}, from its message key and arguments. */
    static String summary(AuditFinding a, Locale locale) {
        Severity sev;
        try {
            sev = Severity.valueOf(a.severity().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            // a severity this vmcase does not know (a newer audit's): shown as a warning rather than hidden
            sev = Severity.WARNING;
        }
        if (a.messageKey() == null) {
            return a.summary() == null ? "" : a.summary();
        }
        String text = FindingText.summary(new Finding(a.rule(), sev, a.devices(), List.of(), a.messageKey(),
                a.messageArgs(), a.details()), locale);
        // a key this vmcase does not know renders as the key: the host's English summary is better
        return text.startsWith(a.messageKey() + " [") && a.summary() != null ? a.summary() : text;
    }

    private void unknown(CaseReport.Sink s, List<FleetDocument.HostVm> vms) throws IOException {
        List<FleetDocument.HostVm> unknown = vms.stream().filter(v -> v.vm().verdict() == Verdict.UNKNOWN).toList();
        if (emptySection(s, "report.unknown", unknown.size())) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (FleetDocument.HostVm v : unknown) {
            List<String> why = new ArrayList<>();
            v.vm().findings().stream().filter(a -> VerdictPolicy.UNKNOWN.equals(a.effect()))
                    .forEach(a -> why.add(AuditTable.reason(a, locale) + " (" + a.rule() + "): " + summary(a)));
            v.vm().unknowns().forEach(g -> why.add(AuditTable.gap(g, locale)));
            rows.add(List.of(v.host().host(), v.vm().name(), String.join("; ", why)));
        }
        s.table(List.of(t("col.host"), t("col.vm"), t("col.notRead")), rows);
    }

    private void unaudited(CaseReport.Sink s) throws IOException {
        List<FleetHost> none = f.unaudited();
        if (emptySection(s, "report.unaudited", none.size())) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (FleetHost h : none) {
            rows.add(List.of(h.host(), t("host." + h.status()), h.reason() == null ? "" : h.reason()));
        }
        s.table(List.of(t("col.host"), t("col.status"), t("col.why")), rows);
    }

    /** Ready VMs' caveats, one row per kind of caveat with how many VMs and the first few of them. */
    private void caveats(CaseReport.Sink s, List<FleetDocument.HostVm> vms) throws IOException {
        Map<String, List<String>> groups = new TreeMap<>();
        for (FleetDocument.HostVm v : vms) {
            if (v.vm().verdict() != Verdict.READY) {
                continue;
            }
            for (Gap g : v.vm().caveats()) {
                String what = AuditTable.gap(new Gap(g.check(), g.effect(), g.what(), g.why(), null), locale);
                groups.computeIfAbsent(what, k -> new ArrayList<>()).add(v.host().host() + "/" + v.vm().name());
            }
        }
        if (emptySection(s, "report.caveats", groups.values().stream().mapToInt(List::size).sum())) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : groups.entrySet()) {
            List<String> named = e.getValue().subList(0, Math.min(NAMED, e.getValue().size()));
            String more = e.getValue().size() > NAMED ? " " + t("report.more", e.getValue().size() - NAMED) : "";
            rows.add(List.of(e.getKey(), Integer.toString(e.getValue().size()), String.join(", ", named) + more));
        }
        s.table(List.of(t("col.caveat"), t("col.count"), t("col.vms")), rows);
    }

    private void hosts(CaseReport.Sink s) throws IOException {
        s.heading(t("report.hosts"));
        List<List<String>> rows = new ArrayList<>();
        for (FleetHost h : f.hosts()) {
            HostAudit a = h.audit();
            if (a == null || a.error() != null) {
                rows.add(List.of(h.host(), t("host." + h.status()), "-", "-", "-", "-", "-", "-", "-"));
                continue;
            }
            long caveated = a.vms().stream().filter(v -> v.verdict() == Verdict.READY && !v.caveats().isEmpty()).count();
            String log = a.daemonLog() == null ? "-" : a.daemonLog().status();
            rows.add(List.of(h.host(), a.facts().getOrDefault("libvirt library", "?"),
                    a.facts().getOrDefault("hypervisor", "?"), Integer.toString(a.vms().size()),
                    Long.toString(a.count(Verdict.BLOCKED)), Long.toString(a.count(Verdict.UNKNOWN)),
                    Long.toString(a.count(Verdict.READY) - caveated), Long.toString(caveated), log));
        }
        s.table(List.of(t("col.host"), "libvirt", t("col.hypervisor"), t("col.count"), t("verdict.blocked"),
                t("verdict.unknown"), t("verdict.ready"), t("verdict.readyCaveats"), t("col.daemonLog")), rows);
    }

    /** What ready means here: the checks, and what each rule does to a verdict. */
    private void basis(CaseReport.Sink s) throws IOException {
        s.heading(t("report.basis"));
        s.paragraph(t("report.basis.deviceViews"));
        s.paragraph(t("report.basis.unplugHistory"));
        Map<String, List<String>> byEffect = new LinkedHashMap<>();
        VerdictPolicy.standard().entries().values()
                .forEach(e -> byEffect.computeIfAbsent(e.effect(), k -> new ArrayList<>()).add(e.rule()));
        List<List<String>> rows = new ArrayList<>();
        byEffect.forEach((effect, rules) -> rows.add(List.of(t("effect." + effect), String.join(", ", rules))));
        s.table(List.of(t("col.effect"), t("col.rules")), rows);
    }
}
