package dev.vmcase.app.audit;

import java.util.List;

/**
 * One VM of a host's audit.
 *
 * @param name       the libvirt domain name
 * @param uuid       its UUID (null when it could not be read)
 * @param verdict    {@code ready}, {@code blocked} or {@code unknown}
 * @param bundle     its capture bundle, relative to the host's audit folder ({@code vms/instance-0000b001})
 * @param capture    the capture's status: {@code complete}, {@code partial}, {@code failed}, {@code timeout}
 * @param started    when the domain last started, from its domain log (null when unknown)
 * @param seconds    how long its capture and analysis took
 * @param findings   every finding of its analysis (the blocking ones first)
 * @param gaps       what could not be read, and what that does to the verdict
 */
public record VmAudit(String name, String uuid, Verdict verdict, String bundle, String capture, String started,
                      double seconds, List<AuditFinding> findings, List<Gap> gaps) {
    public VmAudit {
        findings = findings == null ? List.of() : List.copyOf(findings);
        gaps = gaps == null ? List.of() : List.copyOf(gaps);
    }

    /** Blocking findings. */
    public List<AuditFinding> blocking() {
        return findings.stream().filter(AuditFinding::blocks).toList();
    }

    /** Gaps that keep the verdict from {@code ready}. */
    public List<Gap> unknowns() {
        return gaps.stream().filter(g -> Gap.UNKNOWN.equals(g.effect())).toList();
    }

    public List<Gap> caveats() {
        return gaps.stream().filter(g -> Gap.CAVEAT.equals(g.effect())).toList();
    }
}
