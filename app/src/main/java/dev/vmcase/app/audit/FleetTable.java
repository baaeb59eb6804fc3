package dev.vmcase.app.audit;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The merge's table: a line for the fleet, then each host as {@link AuditTable} writes it, hosts with blocked VMs
 * first; the hosts with no audit at the end, with why.
 */
public final class FleetTable {
    private FleetTable() {
    }

    public static void write(FleetDocument f, PrintWriter out, Locale locale) {
        long vms = f.hosts().stream().filter(h -> h.audit() != null).mapToLong(h -> h.audit().vms().size()).sum();
        out.println(AuditTexts.text(locale, "merge.fleet", f.hosts().size(), vms, f.count(Verdict.BLOCKED),
                f.count(Verdict.UNKNOWN), f.count(Verdict.READY), f.unaudited().size()));
        f.hosts().stream().filter(h -> h.audit() != null && h.audit().error() == null)
                .sorted(java.util.Comparator.comparing((FleetHost h) -> -h.audit().count(Verdict.BLOCKED))
                        .thenComparing(h -> -h.audit().count(Verdict.UNKNOWN)).thenComparing(FleetHost::host))
                .forEach(h -> AuditTable.write(h.audit(), out, locale));
        for (FleetHost h : f.unaudited()) {
            out.println(AuditTexts.text(locale, "merge.unaudited", h.host(),
                    AuditTexts.text(locale, "host." + h.status()), h.reason() == null ? "" : h.reason()));
        }
    }
}
