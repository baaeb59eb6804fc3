package dev.vmcase.model;

import java.util.List;

/**
 * One input file as it was read.
 *
 * @param sha256   content hash, the artifact's identity
 * @param path     original path (as given by the user, or inside an archive)
 * @param size     size in bytes
 * @param format   detected format id (a parser's {@code format()}), or {@code "unrecognized"}
 * @param host     host the artifact came from, when the content says so
 * @param role     migration side, when the content says so
 * @param problems what could not be read, with line numbers
 */
public record Artifact(String sha256, String path, long size, String format, String host, Role role,
                       List<Problem> problems) {
    public static final String UNRECOGNIZED = "unrecognized";

    public Artifact {
        problems = List.copyOf(problems);
        role = role == null ? Role.UNKNOWN : role;
    }

    public String id() {
        return Ids.shortHash(sha256);
    }
}
