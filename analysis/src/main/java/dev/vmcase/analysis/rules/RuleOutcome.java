package dev.vmcase.analysis.rules;

import java.util.List;
import java.util.Locale;

/**
 * What one rule concluded about one VM: it fired (with findings), it was checked and found nothing, it looked but could
 * not decide some of what it saw, or it could not be checked for lack of evidence — so that "no findings" always says
 * what was checked and what was not.
 *
 * @param rule      the rule's ID
 * @param vm        the VM's key ("" when the evidence names none)
 * @param status    fired, clear, partly checked or not checked
 * @param findings  how many findings it gave
 * @param missing   what it needed and the evidence lacked (for {@code FIRED}: what it could not also look at)
 * @param undecided what it saw and could not decide ({@link RuleContext#undecided}), each a sentence of
 *                  {@code Outcomes.properties}
 */
public record RuleOutcome(String rule, String vm, Status status, int findings, List<Need> missing,
                          List<Undecided> undecided) {
    public RuleOutcome {
        missing = List.copyOf(missing);
        undecided = List.copyOf(undecided);
    }

    public RuleOutcome(String rule, String vm, Status status, int findings, List<Need> missing) {
        this(rule, vm, status, findings, missing, List.of());
    }

    /**
     * Something a rule saw and could not decide: key {@code undecided.KEY} of {@code Outcomes.properties} with its
     * arguments ({@code blockdev-del of drive_stg5 at line 5: which device used it is not in the evidence}).
     */
    public record Undecided(String key, List<String> args) {
        public Undecided {
            args = List.copyOf(args);
        }
    }

    /** The outcomes of a rule. */
    public enum Status {
        /** It gave findings. */
        FIRED,
        /** It looked at everything it needs and found nothing. */
        CLEAR,
        /** It had what it needs and found nothing, but could not decide some of what it saw: no clean bill. */
        PARTLY_CHECKED,
        /** The evidence lacked what it needs. */
        NOT_CHECKED;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The outcome of a rule that gave {@code findings} on evidence lacking {@code missing}. */
    public static RuleOutcome of(String rule, String vm, int findings, List<Need> missing) {
        return of(rule, vm, findings, missing, List.of());
    }

    /** The outcome of a rule that gave {@code findings}, lacked {@code missing} and could not decide {@code undecided}. */
    public static RuleOutcome of(String rule, String vm, int findings, List<Need> missing, List<Undecided> undecided) {
        Status s = findings > 0 ? Status.FIRED : !missing.isEmpty() ? Status.NOT_CHECKED
                : !undecided.isEmpty() ? Status.PARTLY_CHECKED : Status.CLEAR;
        return new RuleOutcome(rule, vm, s, findings, missing, undecided);
    }
}
