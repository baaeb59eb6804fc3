package dev.vmcase.app.audit;

import java.util.Locale;

/**
 * A VM's verdict before a cut-over. {@code READY} only when every check a blocking rule needs was made and none
 * fired (a check the audit could not make that does not decide alone is a caveat the verdict carries: docs/audit.md);
 * {@code BLOCKED} when a blocking rule fired, with its finding and evidence; {@code UNKNOWN} when what a blocking rule
 * needs could not be read, with what and why.
 */
public enum Verdict {
    BLOCKED, UNKNOWN, READY;

    /** {@code blocked}, as audit.json and the table write it. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Verdict of(String json) {
        return valueOf(json.toUpperCase(Locale.ROOT));
    }
}
