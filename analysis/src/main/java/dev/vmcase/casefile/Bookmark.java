package dev.vmcase.casefile;

import java.util.Objects;

/** A named place in the evidence to come back to. */
public record Bookmark(String id, Target target, String label, String created) {
    public Bookmark {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        label = label == null ? "" : label;
    }
}
