package dev.vmcase.app.audit;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The one-line-per-VM table of {@code vmcase audit} and {@code vmcase audit merge}: a host line, then per VM its
 * verdict ({@code ready*}: ready with caveats), its name and why: the blocking reason with its devices and first
 * evidence line, what could not be read, or the first caveat.
 */
public final class AuditTable {
    private AuditTable() {
    }

    public static void write(HostAudit h, PrintWriter out, Locale locale) {
        String versions = "libvirt " + h.facts().getOrDefault("libvirt library", "?") + ", "
                + h.facts().getOrDefault("hypervisor", "?");
        if (h.error() != null) {
            out.println(AuditTexts.text(locale, "audit.host.failed", h.host(), h.uri(), h.error()));
            return;
        }
        out.println(AuditTexts.text(locale, "audit.host", h.host(), versions, h.uri(), h.vms().size(),
                h.count(Verdict.BLOCKED), h.count(Verdict.UNKNOWN), h.count(Verdict.READY)));
        int width = h.vms().stream().mapToInt(v -> v.name().length()).max().orElse(0);
        for (VmAudit vm : h.vms()) {
            out.printf("  %-8s %-" + width + "s  %s%n", verdict(vm, locale), vm.name(), why(vm, locale));
        }
        if (!h.notRunning().isEmpty()) {
            out.println(AuditTexts.text(locale, "audit.notRunning", String.join(", ", h.notRunning())));
        }
        for (String r : h.needsMoreRights()) {
            out.println(AuditTexts.text(locale, "audit.rights", r));
        }
    }

    /** {@code blocked}, {@code unknown}, {@code ready}, or {@code ready*} when the verdict carries caveats. */
    public static String verdict(VmAudit vm, Locale locale) {
        if (vm.verdict() == Verdict.READY && !vm.caveats().isEmpty()) {
            return AuditTexts.text(locale, "verdict.readyCaveats");
        }
        return AuditTexts.text(locale, "verdict." + vm.verdict().jsonName());
    }

    /** The one line's reason. */
    public static String why(VmAudit vm, Locale locale) {
        List<AuditFinding> blocking = vm.blocking();
        if (!blocking.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (AuditFinding f : blocking) {
                if (b.length() > 0) {
                    b.append("; ");
                }
                String at = f.evidence().isEmpty() ? "" : f.evidence().get(0).file() + ":" + f.evidence().get(0).line();
                b.append(AuditTexts.text(locale, "table.blocked", reason(f, locale), String.join(" ", f.devices()), at));
            }
            return b.toString();
        }
        if (vm.verdict() == Verdict.UNKNOWN) {
            AuditFinding odd = vm.findings().stream().filter(f -> VerdictPolicy.UNKNOWN.equals(f.effect())).findFirst()
                    .orElse(null);
            String what = odd != null ? reason(odd, locale) + " (" + odd.rule() + ")"
                    : gap(vm.unknowns().get(0), locale);
            return AuditTexts.text(locale, "table.unknown", what);
        }
        return vm.caveats().isEmpty() ? "" : AuditTexts.text(locale, "table.caveat", gap(vm.caveats().get(0), locale));
    }

    public static String reason(AuditFinding f, Locale locale) {
        return AuditTexts.text(locale, "reason." + f.reason());
    }

    /** {@code query-pci: no answer within the step's time limit (…) [detail]}. */
    public static String gap(Gap g, Locale locale) {
        String what = AuditTexts.text(locale, "what." + g.what());
        if (what.equals("what." + g.what())) {
            what = g.what(); // a capture step's name, as capture writes it
        }
        String why = AuditTexts.text(locale, g.why());
        return what + ": " + why + (g.detail() == null || g.detail().isBlank() ? "" : " [" + g.detail() + "]");
    }
}
