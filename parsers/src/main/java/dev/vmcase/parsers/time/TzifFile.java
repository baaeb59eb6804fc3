package dev.vmcase.parsers.time;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * A compiled tz database file (TZif, RFC 8536) such as a host's {@code /etc/localtime} as a sosreport copies it.
 * The file does not name its zone; version 2 and later end with a POSIX TZ string giving the zone's current rules,
 * which is what this reads ({@link PosixTz}). A symbolic link {@code /etc/localtime → …/zoneinfo/Europe/Paris} names
 * the zone instead ({@link #zoneOfLink}).
 */
public final class TzifFile {
    private TzifFile() {
    }

    /** Whether the bytes start like a TZif file. */
    public static boolean isTzif(byte[] head) {
        return head != null && head.length >= 5 && head[0] == 'T' && head[1] == 'Z' && head[2] == 'i' && head[3] == 'f';
    }

    /** The footer's TZ string of a whole TZif file, when it has one. */
    public static Optional<String> footer(byte[] bytes) {
        if (!isTzif(bytes) || bytes[4] == 0 || bytes[bytes.length - 1] != '\n' || bytes.length > 1 << 20) {
            return Optional.empty();
        }
        int start = bytes.length - 2;
        while (start >= 0 && bytes[start] != '\n' && bytes.length - start < 256) {
            start--;
        }
        if (start < 0 || bytes[start] != '\n') {
            return Optional.empty();
        }
        String tz = new String(bytes, start + 1, bytes.length - start - 2, StandardCharsets.US_ASCII);
        return tz.isEmpty() || !tz.chars().allMatch(c -> c > ' ' && c < 127) ? Optional.empty() : Optional.of(tz);
    }

    /** The zone of a whole TZif file: its footer's rules, named by the footer. */
    public static Optional<HostZone> zone(byte[] bytes, String source) {
        Optional<String> tz = footer(bytes);
        if (tz.isEmpty()) {
            return Optional.empty();
        }
        ZoneRules rules = PosixTz.parse(tz.get());
        return rules == null ? Optional.empty()
                : Optional.of(new HostZone("TZ " + tz.get(), rules, source, true));
    }

    /** The zone a link target names ({@code ../usr/share/zoneinfo/Europe/Paris} → Europe/Paris), when it is one. */
    public static Optional<ZoneId> zoneOfLink(String target) {
        if (target == null) {
            return Optional.empty();
        }
        int i = target.indexOf("zoneinfo/");
        if (i < 0) {
            return Optional.empty();
        }
        String name = target.substring(i + "zoneinfo/".length());
        if (name.startsWith("posix/") || name.startsWith("right/")) {
            name = name.substring(6);
        }
        try {
            return Optional.of(ZoneId.of(name));
        } catch (RuntimeException e) {
            // a link into zoneinfo whose name this JDK does not know: no zone from the link's name
            return Optional.empty();
        }
    }
}
