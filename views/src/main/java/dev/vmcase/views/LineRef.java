package dev.vmcase.views;

import dev.vmcase.model.SourceRef;

/**
 * One line of one artifact (by its sha256 and 1-based line number): what the views pass between them when the user
 * selects something. An event, a log line, a finding's evidence and a device's evidence all come down to lines.
 */
public record LineRef(String sha256, int line) {
    public LineRef {
        if (sha256 == null || sha256.isEmpty()) {
            throw new IllegalArgumentException("a line needs its artifact");
        }
    }

    public static LineRef of(SourceRef ref) {
        return new LineRef(ref.artifact(), ref.line());
    }
}
