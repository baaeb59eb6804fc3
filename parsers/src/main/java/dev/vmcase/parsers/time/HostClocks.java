package dev.vmcase.parsers.time;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the user says about hosts' clocks: per host, its time zone and, for logs that print no year (journald's short
 * form, syslog), the year. Written {@code HOST=ZONE[@YEAR]} on the command line ({@code --tz cmp-17=Europe/Paris},
 * {@code --tz cmp-17=+02:00@2020}) and as {@code ZONE[@YEAR]} per host in a case file; the host {@code *} stands for
 * every host nobody named, including evidence whose host is unknown. The user's word beats the bundle's.
 */
public final class HostClocks {
    public static final HostClocks NONE = new HostClocks(Map.of());
    public static final String ANY_HOST = "*";

    private final Map<String, String> specs;
    private final Map<String, HostZone> zones = new LinkedHashMap<>();
    private final Map<String, Integer> years = new LinkedHashMap<>();

    /**
     * From specs per host ({@code Europe/Paris}, {@code +02:00@2020}, {@code @2021} for a year alone).
     *
     * @throws IllegalArgumentException naming the host and what is wrong
     */
    public HostClocks(Map<String, String> specs) {
        this.specs = Collections.unmodifiableMap(new LinkedHashMap<>(specs == null ? Map.of() : specs));
        this.specs.forEach((host, spec) -> {
            String s = spec == null ? "" : spec.strip();
            int at = s.lastIndexOf('@');
            String zone = at >= 0 ? s.substring(0, at).strip() : s;
            if (at >= 0) {
                String y = s.substring(at + 1).strip();
                if (!y.matches("\\d{4}")) {
                    throw new IllegalArgumentException(host + ": the year after @ must have four digits, not '" + y + "'");
                }
                years.put(host, Integer.parseInt(y));
            }
            if (!zone.isEmpty()) {
                try {
                    zones.put(host, HostZone.parse(zone, "user"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(host + ": " + e.getMessage());
                }
            } else if (at < 0) {
                throw new IllegalArgumentException(host + ": no time zone given");
            }
        });
    }

    /** Parses {@code HOST=ZONE[@YEAR]} arguments. */
    public static HostClocks parse(Iterable<String> args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + a + "': expected HOST=ZONE[@YEAR], e.g. cmp-17=Europe/Paris");
            }
            m.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
        }
        return new HostClocks(m);
    }

    /** The specs as given, per host (what a case file keeps). */
    public Map<String, String> specs() {
        return specs;
    }

    public boolean isEmpty() {
        return specs.isEmpty();
    }

    /** The zone the user gave for a host (or for every host), or null. */
    public HostZone zone(String host) {
        HostZone z = host == null ? null : zones.get(host);
        return z != null ? z : zones.get(ANY_HOST);
    }

    /** The year the user gave for a host (or for every host), or null. */
    public Integer year(String host) {
        Integer y = host == null ? null : years.get(host);
        return y != null ? y : years.get(ANY_HOST);
    }
}
