package dev.vmcase.analysis.rules;

import dev.vmcase.model.Finding;

import java.util.List;

/**
 * A diagnosis rule: one file, a stable ID, pure ({@code evaluate} does no I/O, reads no clock, touches no UI).
 * Every finding cites the evidence lines that made it fire.
 */
public interface Rule {
    String id();

    /** What evidence the rule reads, for documentation and for telling users what is missing. */
    String needs();

    List<Finding> evaluate(RuleContext context);
}
