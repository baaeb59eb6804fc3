package dev.vmcase.app.audit;

import java.util.List;

/**
 * {@code fleet.json}, the first artifact of a fleet case ({@code vmcase audit merge}): every host of the fleet with its
 * audit, or why there is none. A public interface (docs/audit.md): fields are only added.
 */
public record FleetDocument(String format, int formatVersion, String tool, String created, List<FleetHost> hosts) {
    public static final String FORMAT = "vmcase-fleet";
    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "fleet.json";

    public FleetDocument {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    /** Every audited VM with its host, blocked first, then unknown, then ready; by host and name within each. */
    public List<HostVm> vms() {
        List<HostVm> out = new java.util.ArrayList<>();
        for (FleetHost h : hosts) {
            if (h.audit() != null) {
                for (VmAudit vm : h.audit().vms()) {
                    out.add(new HostVm(h, vm));
                }
            }
        }
        out.sort(java.util.Comparator.comparing((HostVm x) -> x.vm().verdict()).thenComparing(x -> x.host().host())
                .thenComparing(x -> x.vm().name()));
        return out;
    }

    public long count(Verdict v) {
        return hosts.stream().filter(h -> h.audit() != null)
                .mapToLong(h -> h.audit().count(v)).sum();
    }

    /** Hosts with no audit of their VMs: missing, unreadable or not audited. */
    public List<FleetHost> unaudited() {
        return hosts.stream().filter(h -> !FleetHost.AUDITED.equals(h.status())).toList();
    }

    /** A VM and the host it runs on. */
    public record HostVm(FleetHost host, VmAudit vm) {
    }
}
