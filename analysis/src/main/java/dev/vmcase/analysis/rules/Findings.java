package dev.vmcase.analysis.rules;

import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small builder so rules read as what they conclude. Every finding it builds is checked against the message
 * catalogue's known upstream bugs ({@code knowledge/bugs.json}): when a line it cites shows a bug's signature, the
 * finding says so ({@link #KNOWN_BUG}, {@link #FIXED_IN} and a sentence), whichever rule made it.
 */
final class Findings {
    /** Detail key holding the notes, one {@code key|argument} per line. */
    static final String NOTES = dev.vmcase.model.Finding.NOTES;

    /** Detail key: the public address of a known upstream bug whose signature a cited line shows. */
    static final String KNOWN_BUG = "known-bug";
    /** Detail key: the versions that fixed that bug. */
    static final String FIXED_IN = "fixed-in";

    private final String rule;
    private Severity severity;
    /** A finding cites at most this many lines; the rest are counted in {@code evidence-omitted}. */
    static final int MAX_EVIDENCE = 40;

    private final Set<String> devices = new LinkedHashSet<>();
    private final Set<SourceRef> evidence = new LinkedHashSet<>();
    private int omitted;
    private final Map<String, String> details = new LinkedHashMap<>();
    private String key;
    private List<String> args = List.of();

    private Findings(String rule, Severity severity) {
        this.rule = rule;
        this.severity = severity;
    }

    static Findings of(String rule, Severity severity) {
        return new Findings(rule, severity);
    }

    /** Another severity than the one the finding was begun with, once the evidence shows which it is. */
    Findings severity(Severity s) {
        this.severity = s;
        return this;
    }

    Findings devices(List<String> names) {
        devices.addAll(names);
        return this;
    }

    Findings cite(SourceRef ref) {
        if (ref != null && !evidence.contains(ref)) {
            if (evidence.size() < MAX_EVIDENCE) {
                evidence.add(ref);
            } else {
                omitted++;
            }
        }
        return this;
    }

    Findings cite(List<SourceRef> refs) {
        refs.forEach(this::cite);
        return this;
    }

    Findings detail(String k, String v) {
        if (v != null) {
            details.put(k, v);
        }
        return this;
    }

    Findings message(String key, String... args) {
        this.key = key;
        this.args = List.of(args);
        return this;
    }

    /** A further sentence, rendered after the summary ({@code dev.vmcase.analysis.FindingText}). */
    Findings note(String noteKey, String arg) {
        details.merge(NOTES, noteKey + "|" + arg, (a, b) -> a + "\n" + b);
        return this;
    }

    /** The first known bug whose signature a cited line shows, in citation order, added to the finding. */
    private void knownBug() {
        if (details.containsKey(KNOWN_BUG)) {
            return;
        }
        MessageCatalogue catalogue = MessageCatalogue.get();
        for (SourceRef ref : evidence) {
            Message bug = catalogue.knownBug(ref.text());
            if (bug != null) {
                details.put(KNOWN_BUG, bug.bug());
                details.put(FIXED_IN, bug.fixedIn());
                note("note_known_bug", bug.bug());
                note("note_fixed_in", bug.fixedIn());
                return;
            }
        }
    }

    Finding build() {
        knownBug();
        if (omitted > 0) {
            details.put("evidence-omitted", Integer.toString(omitted));
        }
        return new Finding(rule, severity, List.copyOf(devices), List.copyOf(evidence), key, args, details);
    }
}
