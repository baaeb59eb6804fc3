package dev.vmcase.model;

import java.util.List;

/**
 * One input file as it was read.
 *
 * @param sha256   content hash, the artifact's identity
 * @param path     original path as given by the user; inside an archive the archive's path, {@code !/} and the
 *                 member's name, once per archive level ({@code b.tar.xz!/sosreport-cmp-17-…/var/log/x.log},
 *                 {@code outer.zip!/inner.tar.gz!/x.log}); a compression layer adds nothing ({@code x.log.gz})
 * @param size     size in bytes (uncompressed for a compressed file or archive member; an archive's own size)
 * @param format   detected format id (a parser's {@code format()}), {@code "archive"} for a tar/zip (its members
 *                 follow it), or {@code "unrecognized"}
 * @param host     host the artifact came from, when the content says so, else the sosreport holding it
 * @param role     migration side, when the content says so
 * @param problems what could not be read, with line numbers
 * @param guest    the VM the whole file speaks for, when its content names one ({@code -name guest=…}, the XML's
 *                 {@code <name>}); null when it names none or several (its records then say)
 */
public record Artifact(String sha256, String path, long size, String format, String host, Role role,
                       List<Problem> problems, Guest guest) {
    public static final String UNRECOGNIZED = "unrecognized";
    /** An archive (tar, zip, possibly compressed); its members are artifacts of their own. */
    public static final String ARCHIVE = "archive";

    public Artifact {
        problems = List.copyOf(problems);
        role = role == null ? Role.UNKNOWN : role;
    }

    public Artifact(String sha256, String path, long size, String format, String host, Role role,
                    List<Problem> problems) {
        this(sha256, path, size, format, host, role, problems, null);
    }

    public Artifact withHost(String h) {
        return new Artifact(sha256, path, size, format, h, role, problems, guest);
    }

    public Artifact withRole(Role r) {
        return new Artifact(sha256, path, size, format, host, r, problems, guest);
    }

    public Artifact withProblems(List<Problem> p) {
        return new Artifact(sha256, path, size, format, host, role, p, guest);
    }

    public Artifact withGuest(Guest g) {
        return new Artifact(sha256, path, size, format, host, role, problems, g);
    }

    public Artifact withSha256(String sha) {
        return new Artifact(sha, path, size, format, host, role, problems, guest);
    }

    public String id() {
        return Ids.shortHash(sha256);
    }
}
