package dev.vmcase.app.audit;

import java.util.List;
import java.util.Map;

/**
 * {@code audit.json}: one host's audit (docs/audit.md, a public interface: fields are only added).
 *
 * @param format        {@code vmcase-audit}
 * @param formatVersion 1
 * @param tool          {@code vmcase 0.1.0}
 * @param host          the host's name in the fleet ({@code --host}, else libvirt's host name)
 * @param hostname      libvirt's {@code virConnectGetHostname}
 * @param uri           the libvirt URI audited
 * @param connection    {@code read-write} or {@code read-only}
 * @param strict        whether caveats were made unknowns ({@code --strict})
 * @param started       ISO-8601
 * @param finished      ISO-8601
 * @param facts         library and hypervisor versions as libvirt tells them
 * @param daemonLog     the daemon log, on which the unplug-history check depends
 * @param error         why the host could not be audited at all (no connection), or null
 * @param needsMoreRights what was refused for lack of rights, and what would allow it
 * @param notRunning    defined domains that are not running: not audited (nothing to migrate live)
 * @param vms           the running domains, one verdict each
 */
public record HostAudit(String format, int formatVersion, String tool, String host, String hostname, String uri,
                        String connection, boolean strict, String started, String finished, Map<String, String> facts,
                        DaemonLogInfo daemonLog, String error, List<String> needsMoreRights, List<String> notRunning,
                        List<VmAudit> vms) {
    public static final String FORMAT = "vmcase-audit";
    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "audit.json";

    public HostAudit {
        facts = facts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
        needsMoreRights = needsMoreRights == null ? List.of() : List.copyOf(needsMoreRights);
        notRunning = notRunning == null ? List.of() : List.copyOf(notRunning);
        vms = vms == null ? List.of() : List.copyOf(vms);
    }

    public long count(Verdict v) {
        return vms.stream().filter(vm -> vm.verdict() == v).count();
    }
}
