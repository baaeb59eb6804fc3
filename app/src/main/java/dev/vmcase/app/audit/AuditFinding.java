package dev.vmcase.app.audit;

import java.util.List;
import java.util.Map;

/**
 * A finding of a VM's analysis as audit.json keeps it: the rule and what the verdict policy makes of it
 * ({@code effect}: {@code blocks}, {@code unknown} or {@code notes}; {@code reason}: {@code pending-unplug}…), the
 * summary in English and as a message key with its arguments (so a report renders it in the reader's language), the
 * devices, the structured details and the evidence lines.
 */
public record AuditFinding(String rule, String severity, String effect, String reason, String summary,
                           String messageKey, List<String> messageArgs, List<String> devices,
                           Map<String, String> details, List<EvidenceLine> evidence) {
    public AuditFinding {
        messageArgs = messageArgs == null ? List.of() : List.copyOf(messageArgs);
        devices = devices == null ? List.of() : List.copyOf(devices);
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(details));
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    public boolean blocks() {
        return VerdictPolicy.BLOCKS.equals(effect);
    }
}
