package dev.vmcase.analysis.rules;

import java.util.List;
import java.util.Set;

/**
 * One thing a rule needs: any of some kinds of evidence. {@code message} names it for the user when it is missing
 * ({@code Outcomes.properties}: {@code need.KEY}); without one, the kinds are listed.
 *
 * @param anyOf   the kinds that will do, in the order they are named
 * @param message the bundle key of what is missing ("no QMP or libvirt log of the unplug"), or null
 */
public record Need(List<EvidenceKind> anyOf, String message) {
    public Need {
        if (anyOf.isEmpty()) {
            throw new IllegalArgumentException("a need names at least one kind of evidence");
        }
        anyOf = List.copyOf(anyOf);
    }

    public static Need anyOf(String message, EvidenceKind... kinds) {
        return new Need(List.of(kinds), message);
    }

    public static Need of(EvidenceKind kind) {
        return new Need(List.of(kind), null);
    }

    public boolean metBy(Set<EvidenceKind> present) {
        return anyOf.stream().anyMatch(present::contains);
    }
}
