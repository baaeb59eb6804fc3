package dev.vmcase.casefile;

import java.util.List;
import java.util.Objects;

/**
 * A note on the evidence.
 *
 * @param id       unique within the case (a UUID)
 * @param target   what it is about
 * @param text     Markdown, as the user wrote it
 * @param tags     free tags, for filtering
 * @param author   who wrote it
 * @param created  ISO-8601 instant
 * @param modified ISO-8601 instant
 */
public record Annotation(String id, Target target, String text, List<String> tags, String author, String created,
                         String modified) {
    public Annotation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        text = text == null ? "" : text;
        tags = tags == null ? List.of() : List.copyOf(tags);
        author = author == null ? "" : author;
    }
}
