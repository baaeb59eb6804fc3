package dev.vmcase.casefile;

import java.util.List;
import java.util.Objects;

/** A guided walk through the evidence, for training: one step per target, each with a note (Markdown). */
public record Tour(String id, String title, String description, List<Step> steps) {
    public Tour {
        Objects.requireNonNull(id, "id");
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public record Step(Target target, String title, String note) {
        public Step {
            Objects.requireNonNull(target, "target");
            title = title == null ? "" : title;
            note = note == null ? "" : note;
        }
    }
}
