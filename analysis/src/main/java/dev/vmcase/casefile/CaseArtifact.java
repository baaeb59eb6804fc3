package dev.vmcase.casefile;

import java.util.Objects;

/**
 * One evidence file held in a case.
 *
 * @param entry  its zip entry in the case ({@code artifacts/0001/instance-0000002a.log})
 * @param name   the original path, for display ({@code evidence/instance-0000002a.log})
 * @param size   bytes
 * @param sha256 hash of the bytes, checked when the case is opened
 * @param host   the user's host for it (overrides what the content says), or null
 * @param role   the user's role for it ({@code source}/{@code destination}), or null
 */
public record CaseArtifact(String entry, String name, long size, String sha256, String host, String role) {
    public CaseArtifact {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(sha256, "sha256");
        name = name == null ? entry : name;
        if (role != null && !role.equals("source") && !role.equals("destination")) {
            throw new IllegalArgumentException("role is source or destination: " + role);
        }
        if (host != null && host.isBlank()) {
            host = null;
        }
        if (host != null && (host.indexOf('=') >= 0 || host.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("a host name without '=' or control characters: " + host);
        }
    }

    public CaseArtifact withHost(String h) {
        return new CaseArtifact(entry, name, size, sha256, h, role);
    }

    public CaseArtifact withRole(String r) {
        return new CaseArtifact(entry, name, size, sha256, host, r);
    }
}
