package dev.vmcase.model;

import java.util.List;
import java.util.Map;

/**
 * A rule's conclusion. The summary is rendered from a message key and arguments so it can be shown in the
 * user's language; {@code details} hold the structured facts tests assert on.
 *
 * @param rule     the rule's stable ID ({@code ORPHANED_FRONTEND})
 * @param devices  qdev ids and/or PCI addresses the finding is about
 * @param evidence the lines that made the rule fire
 * @param messageKey resource-bundle key of the summary
 * @param messageArgs arguments of the summary
 * @param vm       the key of the VM it is about ({@code instance-0000002a}); "" when the evidence names no VM
 */
public record Finding(String rule, Severity severity, List<String> devices, List<SourceRef> evidence,
                      String messageKey, List<String> messageArgs, Map<String, String> details, String vm) {
    /** Detail key of the notes appended to a summary: lines of {@code messageKey|argument}. */
    public static final String NOTES = "notes";

    public Finding {
        devices = List.copyOf(devices);
        evidence = List.copyOf(evidence);
        messageArgs = List.copyOf(messageArgs);
        details = Map.copyOf(details);
        vm = vm == null ? "" : vm;
    }

    public Finding(String rule, Severity severity, List<String> devices, List<SourceRef> evidence,
                   String messageKey, List<String> messageArgs, Map<String, String> details) {
        this(rule, severity, devices, evidence, messageKey, messageArgs, details, "");
    }

    public Finding withVm(String key) {
        return new Finding(rule, severity, devices, evidence, messageKey, messageArgs, details, key);
    }

    /** Stable across reloads: the rule plus what it is about plus its first evidence line. */
    public String id() {
        String first = evidence.isEmpty() ? "" : evidence.get(0).id();
        return rule + "/" + String.join(",", devices) + "/" + first;
    }
}
