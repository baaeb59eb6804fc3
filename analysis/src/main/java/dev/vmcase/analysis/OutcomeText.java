package dev.vmcase.analysis;

import dev.vmcase.analysis.rules.EvidenceKind;
import dev.vmcase.analysis.rules.Need;
import dev.vmcase.analysis.rules.Needs;
import dev.vmcase.analysis.rules.RuleOutcome;

import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.stream.Collectors;

/**
 * Words for rule outcomes ({@code Outcomes.properties}, {@code Outcomes_zh_CN.properties}): the status, what a rule
 * needs, and what it lacked ("no QMP or libvirt log of the unplug").
 */
public final class OutcomeText {
    private static final String BUNDLE = "dev.vmcase.analysis.Outcomes";

    private OutcomeText() {
    }

    private static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale == null ? Locale.ROOT : locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** {@code fired}, {@code clear}, {@code partly checked}, {@code not checked}. */
    public static String status(RuleOutcome.Status s, Locale locale) {
        return bundle(locale).getString("status." + s.jsonName());
    }

    /** A kind of evidence: {@code a QMP transcript or libvirtd debug log}. */
    public static String kind(EvidenceKind k, Locale locale) {
        return bundle(locale).getString("kind." + k.jsonName());
    }

    /** What is missing when a need is not met: its own words, else "no " and its kinds. */
    public static String missing(Need n, Locale locale) {
        ResourceBundle b = bundle(locale);
        if (n.message() != null && b.containsKey("need." + n.message())) {
            return b.getString("need." + n.message());
        }
        return java.text.MessageFormat.format(b.getString("need.none-of"), n.anyOf().stream()
                .map(k -> kind(k, locale)).collect(Collectors.joining(b.getString("or"))));
    }

    /** Everything an outcome lacked, joined; the internal-error text for a rule that failed. */
    public static String missing(RuleOutcome o, Locale locale) {
        if (o.status() == RuleOutcome.Status.NOT_CHECKED && o.missing().isEmpty()) {
            return bundle(locale).getString("missing.internal-error");
        }
        return missing(o.missing(), locale);
    }

    public static String missing(List<Need> needs, Locale locale) {
        return needs.stream().map(n -> missing(n, locale)).collect(Collectors.joining(bundle(locale).getString("and")));
    }

    /** What a rule saw and could not decide, in words: {@code blockdev-del of drive_stg5 (line 5): …}. */
    public static String undecided(RuleOutcome.Undecided u, Locale locale) {
        return java.text.MessageFormat.format(bundle(locale).getString("undecided." + u.key()), u.args().toArray());
    }

    /** Everything an outcome could not decide, joined. */
    public static String undecided(RuleOutcome o, Locale locale) {
        return o.undecided().stream().map(u -> undecided(u, locale))
                .collect(Collectors.joining(bundle(locale).getString("and")));
    }

    /** Why an outcome is not a clean bill: what was missing, or what could not be decided; empty for the others. */
    public static String why(RuleOutcome o, Locale locale) {
        switch (o.status()) {
            case NOT_CHECKED:
                return missing(o, locale);
            case PARTLY_CHECKED:
                return undecided(o, locale);
            default:
                return "";
        }
    }

    /** A rule's needs, for documentation and help: each need as its kinds joined by "or", the needs by "and". */
    public static String needs(Needs needs, Locale locale) {
        ResourceBundle b = bundle(locale);
        return needs.allOf().stream().map(n -> n.anyOf().stream().map(k -> kind(k, locale))
                .collect(Collectors.joining(b.getString("or")))).collect(Collectors.joining(b.getString("and")));
    }

    /** One outcome as a line: {@code not checked  MIGRATION_STATE_MISMATCH: no destination evidence}. */
    public static String line(RuleOutcome o, Locale locale) {
        ResourceBundle b = bundle(locale);
        String head = String.format("%-12s %s", status(o.status(), locale), o.rule());
        switch (o.status()) {
            case FIRED:
                String fired = java.text.MessageFormat.format(b.getString("findings"), o.findings());
                return head + " " + fired + (o.missing().isEmpty() ? ""
                        : java.text.MessageFormat.format(b.getString("also-missing"), missing(o.missing(), locale)));
            case NOT_CHECKED:
                return head + ": " + missing(o, locale);
            case PARTLY_CHECKED:
                return head + ": " + java.text.MessageFormat.format(b.getString("could-not-decide"),
                        undecided(o, locale));
            default:
                return head;
        }
    }
}
