package dev.vmcase.analysis.rules;

import java.util.List;
import java.util.Set;

/** What a rule needs to be checked at all: every one of these {@link Need}s. */
public record Needs(List<Need> allOf) {
    public Needs {
        allOf = List.copyOf(allOf);
    }

    public static Needs of(Need... needs) {
        return new Needs(List.of(needs));
    }

    /** The needs the present kinds do not meet, in order. */
    public List<Need> missing(Set<EvidenceKind> present) {
        return allOf.stream().filter(n -> !n.metBy(present)).toList();
    }
}
