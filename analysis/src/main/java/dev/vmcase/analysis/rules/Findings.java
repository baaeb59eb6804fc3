package dev.vmcase.analysis.rules;

import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small builder so rules read as what they conclude. */
final class Findings {
    /** Detail key holding the notes, one {@code key|argument} per line. */
    static final String NOTES = dev.vmcase.model.Finding.NOTES;

    private final String rule;
    private final Severity severity;
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

    Finding build() {
        if (omitted > 0) {
            details.put("evidence-omitted", Integer.toString(omitted));
        }
        return new Finding(rule, severity, List.copyOf(devices), List.copyOf(evidence), key, args, details);
    }
}
