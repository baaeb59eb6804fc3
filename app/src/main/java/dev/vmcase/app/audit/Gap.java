package dev.vmcase.app.audit;

/**
 * Something a check needed that the audit could not read, and what that does to the verdict.
 *
 * @param check  the check ({@code device-views}, {@code unplug-history}: docs/audit.md)
 * @param effect {@code unknown} (the verdict cannot be {@code ready}) or {@code caveat} ({@code ready} says it)
 * @param what   what is missing: a capture step ({@code query-pci}), {@code daemon log}, {@code domain log}
 * @param why    a message key of the Audit bundle ({@code gap.timeout})
 * @param detail the words of whoever refused or failed (libvirt's error, the capture's outcome), or null
 */
public record Gap(String check, String effect, String what, String why, String detail) {
    public static final String UNKNOWN = "unknown";
    public static final String CAVEAT = "caveat";
}
