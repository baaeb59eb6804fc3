package dev.vmcase.parsers.ingest;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the sosreport layout says about its members: the host (top folder name, the {@code hostname} file at the root,
 * {@code sos_commands/host/hostname}) and which logs sos cut at its size limit.
 */
final class Sosreport {
    /** sos ≥ 4: {@code sosreport-HOSTNAME[-LABEL][-CASEID]-YYYY-MM-DD-RANDOM}. */
    private static final Pattern NEW_NAME = Pattern.compile("sosreport-(.+)-\\d{4}-\\d{2}-\\d{2}-[A-Za-z0-9]+");
    /** older sos: {@code sosreport-HOSTNAME[.CASE]-YYYYMMDDHHMMSS} (the date may be followed by a random part). */
    private static final Pattern OLD_NAME = Pattern.compile("sosreport-([^.]+?)(?:\\.[^-]*)?-\\d{14}(?:-[A-Za-z0-9]+)?");
    /** A case id as sos appends it: a run of digits (Red Hat and Canonical case numbers have 8). */
    private static final Pattern CASE_ID = Pattern.compile("-\\d{6,}$");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");
    /** sos's own log line when it keeps only the tail of a file ({@code Plugin._add_copy_paths} and friends). */
    static final Pattern TAILED = Pattern.compile("collecting tail of '([^']+)' due to size\\s*limit");

    /** The key of this root: the container's path, {@code !/}, the top folder. */
    final String key;
    final String folderHost;
    String hostnameFile;
    String hostnameCommand;
    /** Absolute paths on the host whose tail only sos kept, from {@code sos_logs/}. */
    final Set<String> tailed = new LinkedHashSet<>();

    Sosreport(String key, String folder) {
        this.key = key;
        this.folderHost = hostFromFolder(folder).orElse(null);
    }

    /** The host: the root {@code hostname} file, else {@code sos_commands/…/hostname}, else the folder name. */
    String host() {
        return hostnameFile != null ? hostnameFile : hostnameCommand != null ? hostnameCommand : folderHost;
    }

    /** Whether an archive member's top folder looks like a sosreport's. */
    static boolean isRootFolder(String folder) {
        return folder.startsWith("sosreport-") && folder.length() > "sosreport-".length();
    }

    static Optional<String> hostFromFolder(String folder) {
        Matcher m = NEW_NAME.matcher(folder);
        if (m.matches()) {
            String h = CASE_ID.matcher(m.group(1)).replaceFirst("");
            return valid(h);
        }
        m = OLD_NAME.matcher(folder);
        if (m.matches()) {
            return valid(m.group(1));
        }
        return Optional.empty();
    }

    /** A hostname as the first line of a file says it, when it looks like one. */
    static Optional<String> valid(String line) {
        if (line == null) {
            return Optional.empty();
        }
        String h = line.strip();
        return HOSTNAME.matcher(h).matches() ? Optional.of(h) : Optional.empty();
    }

    /** Whether a path relative to the root names a file holding the hostname, and which kind. */
    static boolean isHostnameFile(String rel) {
        return rel.equals("hostname");
    }

    static boolean isHostnameCommand(String rel) {
        return rel.equals("sos_commands/host/hostname") || rel.equals("sos_commands/general/hostname");
    }

    static boolean isSosLog(String rel) {
        return rel.startsWith("sos_logs/");
    }

    /** sos stores a cut log as {@code sos_strings/PLUGIN/var.log.x.log.tailed} (its path with dots). */
    static boolean isTailedCopy(String rel) {
        return rel.startsWith("sos_strings/") && rel.endsWith(".tailed");
    }

    /** libvirt's per-domain log as sos keeps it: {@code var/log/libvirt/qemu/NAME.log}, rotated {@code .1}, compressed. */
    private static final Pattern DOMAIN_LOG = Pattern.compile(
            "var/log/libvirt/qemu/([^/]+?)\\.log(?:\\.\\d+|-\\d{8})?(?:\\.gz|\\.xz)?");

    /** The domain a libvirt domain log is named after, from its place in the sosreport. */
    static Optional<String> domainOfLog(String rel) {
        Matcher m = DOMAIN_LOG.matcher(rel);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether the member at {@code rel} is the copy or the place of a file sos said it cut. */
    Optional<String> tailedOriginal(String rel) {
        for (String original : tailed) {
            String stripped = original.replaceFirst("^/+", "");
            if (rel.equals(stripped) || rel.endsWith("/" + stripped.replace('/', '.') + ".tailed")) {
                return Optional.of(original);
            }
        }
        return Optional.empty();
    }
}
