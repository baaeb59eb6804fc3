package dev.vmcase.model;

/**
 * A line of an artifact: the unit of evidence every finding cites.
 *
 * @param artifact the artifact's sha256
 * @param path     the artifact's original path, for display
 * @param line     1-based line number (0 when the artifact has no lines, e.g. an archive member list)
 * @param text     the line as it was read, without its line terminator (shortened if very long)
 */
public record SourceRef(String artifact, String path, int line, String text) {
    public static final int MAX_TEXT = 2000;

    public SourceRef {
        // a text cut once (MAX_TEXT and the ellipsis) is not cut and copied again when the ref is remade
        if (text != null && text.length() > MAX_TEXT + 1) {
            text = text.substring(0, MAX_TEXT).concat("…"); // one copy: a builder would grow, then inflate to UTF-16
        }
    }

    public String id() {
        return Ids.lineId(artifact, line);
    }
}
