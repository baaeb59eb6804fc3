package dev.vmcase.views.findings;

import dev.vmcase.analysis.rules.Rule;
import dev.vmcase.analysis.rules.RuleRegistry;
import dev.vmcase.model.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * What one rule made of the evidence, as the findings pane lists it under the findings, so "no finding" always says
 * which rules ran. A rule either fired (with how many findings) or gave none; this version of the analysis does not
 * yet tell "checked and clear" from "could not check" ({@link State#NO_FINDING} says so), so neither is claimed.
 */
public record RuleOutcome(Rule rule, State state, int findings) {
    public enum State {
        /** The rule fired. */
        FIRED,
        /** The rule gave no finding: either the evidence is clear of it or it lacked what it reads. */
        NO_FINDING
    }

    /** Every registered rule's outcome on these findings, in the registry's order. */
    public static List<RuleOutcome> of(List<Finding> findings) {
        List<RuleOutcome> out = new ArrayList<>();
        for (Rule r : RuleRegistry.all()) {
            int n = (int) findings.stream().filter(f -> f.rule().equals(r.id())).count();
            out.add(new RuleOutcome(r, n > 0 ? State.FIRED : State.NO_FINDING, n));
        }
        return out;
    }
}
