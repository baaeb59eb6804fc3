package dev.vmcase.app.audit;

import java.util.Map;

/**
 * A host of the fleet as the merge found it.
 *
 * @param host     its name in the fleet (the inventory's)
 * @param status   {@code audited}; {@code not-audited} (the audit ran and could not reach libvirt: its
 *                 {@code error}); {@code missing} (no result reached the controller: unreachable, or the play stopped
 *                 before the audit, with the reason the playbook gave); {@code unreadable} (a result that could not
 *                 be read, with why)
 * @param reason   why a host is not audited, missing or unreadable; null when audited
 * @param source   the merge input it came from (a folder or an archive), or null for a missing host
 * @param audit    its {@code audit.json} (null unless audited or not-audited)
 * @param evidence per VM, where its bundle is: {@code in-case} (under {@code HOST/BUNDLE/} among the case's
 *                 artifacts), {@code not-fetched} (not among what the host sent), {@code not-included} (sent, not
 *                 asked for: {@code --evidence}), {@code left-out} (asked for, but the case was full)
 */
public record FleetHost(String host, String status, String reason, String source, HostAudit audit,
                        Map<String, String> evidence) {
    public static final String AUDITED = "audited";
    public static final String NOT_AUDITED = "not-audited";
    public static final String MISSING = "missing";
    public static final String UNREADABLE = "unreadable";
    public static final String IN_CASE = "in-case";
    public static final String NOT_FETCHED = "not-fetched";
    public static final String NOT_INCLUDED = "not-included";
    public static final String LEFT_OUT = "left-out";

    public FleetHost {
        evidence = evidence == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
    }
}
