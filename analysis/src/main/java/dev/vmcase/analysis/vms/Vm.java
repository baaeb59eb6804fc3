package dev.vmcase.analysis.vms;

import java.util.List;

/**
 * One VM of the evidence: every name and UUID the evidence gives it, joined where a source gives both (the domain
 * log's {@code -name guest=… -uuid …}, the XML's {@code <name>} and {@code <uuid>}).
 *
 * @param key   stable identity: its first name (sorted), else its first UUID; {@link #UNNAMED} when the evidence names
 *              no VM at all (then everything is this one VM's)
 * @param names domain / guest names, sorted
 * @param uuids UUIDs (lower case), sorted
 */
public record Vm(String key, List<String> names, List<String> uuids) {
    /** The key of the one VM of evidence that names none. */
    public static final String UNNAMED = "";

    public Vm {
        names = List.copyOf(names);
        uuids = List.copyOf(uuids);
    }

    public static Vm unnamed() {
        return new Vm(UNNAMED, List.of(), List.of());
    }

    public boolean isUnnamed() {
        return key.isEmpty();
    }

    /** {@code instance-0000002a (7a3c5e1e-…)}, or whichever is known; "" for the unnamed VM. */
    public String label() {
        if (names.isEmpty()) {
            return uuids.isEmpty() ? "" : String.join(", ", uuids);
        }
        return String.join(", ", names) + (uuids.isEmpty() ? "" : " (" + String.join(", ", uuids) + ")");
    }

    /** Whether {@code nameOrUuid} is one of its names or UUIDs (UUIDs in any case). */
    public boolean isCalled(String nameOrUuid) {
        return names.contains(nameOrUuid) || uuids.contains(nameOrUuid.toLowerCase(java.util.Locale.ROOT));
    }
}
