package dev.vmcase.app.audit;

/**
 * A line a finding cites: {@code file} relative to the VM's bundle ({@code libvirtd-instance-0000b001.log}),
 * the file's sha256, the 1-based line and its text.
 */
public record EvidenceLine(String file, String sha256, int line, String text) {
}
