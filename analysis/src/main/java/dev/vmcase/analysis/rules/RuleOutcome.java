package dev.vmcase.analysis.rules;

import java.util.List;
import java.util.Locale;

/**
 * What one rule concluded about one VM: it fired (with findings), it was checked and found nothing, or it could not be
 * checked for lack of evidence — so that "no findings" always says what was checked and what was not.
 *
 * @param rule     the rule's ID
 * @param vm       the VM's key ("" when the evidence names none)
 * @param status   fired, clear or not checked
 * @param findings how many findings it gave
 * @param missing  what it needed and the evidence lacked (for {@code FIRED}: what it could not also look at)
 */
public record RuleOutcome(String rule, String vm, Status status, int findings, List<Need> missing) {
    public RuleOutcome {
        missing = List.copyOf(missing);
    }

    /** The three outcomes of a rule. */
    public enum Status {
        FIRED, CLEAR, NOT_CHECKED;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The outcome of a rule that gave {@code findings} on evidence lacking {@code missing}. */
    public static RuleOutcome of(String rule, String vm, int findings, List<Need> missing) {
        Status s = findings > 0 ? Status.FIRED : missing.isEmpty() ? Status.CLEAR : Status.NOT_CHECKED;
        return new RuleOutcome(rule, vm, s, findings, missing);
    }
}
