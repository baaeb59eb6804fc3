package dev.vmcase.analysis.rules;

import dev.vmcase.model.Finding;

import java.util.List;

/**
 * A diagnosis rule: one file, a stable ID, pure ({@code evaluate} does no I/O, reads no clock, touches no UI).
 * Every finding cites the evidence lines that made it fire. It runs once per VM, on that VM's evidence.
 * <p>
 * {@link #needs()} says, typed, what evidence it must have to be checked at all; the analysis reports each rule per VM
 * as fired, clear (checked, nothing found) or not checked (naming what was missing: {@link RuleOutcome}), so an empty
 * report never passes for a clean bill of health.
 */
public interface Rule {
    String id();

    /** The evidence the rule must have to be checked; lacking any of it, it is "not checked". */
    Needs needs();

    List<Finding> evaluate(RuleContext context);
}
