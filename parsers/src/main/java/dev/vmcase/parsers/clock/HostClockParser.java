package dev.vmcase.parsers.clock;

import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.time.LocalTimes;
import dev.vmcase.parsers.time.Timestamps;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a host says its clock is: {@code timedatectl} output (a sosreport's {@code sos_commands/systemd/timedatectl}, or
 * pasted) and date(1) output ({@code sos_commands/date/date}). Each becomes one {@link EventKind#HOST_CLOCK} event:
 * timedatectl's {@code Time zone: Europe/Paris (CET, +0100)} gives the zone by name, date(1)'s abbreviation only the
 * offset at that moment; both give the instant, hence the year, which journald's short lines lack. With these,
 * {@link LocalTimes} puts the host's local-time lines (nova, journald) on the timeline.
 */
public final class HostClockParser extends FormatParser {
    public static final String FORMAT = "host-clock";

    /** timedatectl on a CentOS-style host, as posted in a public Linux course (public-code index id 19825581032). */
    public static final String SAMPLE = """
            [joris@LinuxTp4B2 ~]$ timedatectl
                           Local time: Thu 2024-01-25 20:34:23 CET
                       Universal time: Thu 2024-01-25 19:34:23 UTC
                             RTC time: Thu 2024-01-25 19:34:23
                            Time zone: Europe/Paris (CET, +0100)
            System clock synchronized: no
                          NTP service: active
                      RTC in local TZ: no
            """;

    private static final Pattern FIELD = Pattern.compile("^\\s*(Local time|Universal time|RTC time|Time zone|"
            + "System clock synchronized|NTP service|NTP enabled|NTP synchronized|Network time on|RTC in local TZ|"
            + "DST active|systemd-timesyncd\\.service active|Last DST change|Next DST change):\\s?(.*)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ZONE = Pattern.compile("^(\\S+)(?: \\(([^,()]*), ([+-]\\d{4})\\))?\\s*$");
    private static final Pattern PROMPT = Pattern.compile("^.{0,80}?[$#>] *(?:sudo )?(?:timedatectl(?: status)?|date(?: --utc| -u)?)\\s*$");

    public HostClockParser() {
        super(FORMAT, SAMPLE);
    }

    /**
     * timedatectl: its {@code Time zone:} line and one of {@code Local time:} / {@code Universal time:} among the
     * first lines. date(1): every significant line (at most three, after an optional prompt) is date(1) output.
     */
    @Override
    public boolean recognizes(Head head) {
        boolean zone = false;
        boolean time = false;
        int dates = 0;
        int other = 0;
        int n = 0;
        for (String l : head.significant()) {
            if (++n > 12) {
                break;
            }
            if (PROMPT.matcher(l.strip()).matches()) {
                continue;
            }
            Matcher f = FIELD.matcher(l);
            if (f.matches()) {
                String k = f.group(1).toLowerCase(java.util.Locale.ROOT);
                zone |= k.equals("time zone");
                time |= k.equals("local time") || k.equals("universal time");
            } else if (isDate(l)) {
                dates++;
            } else {
                other++;
            }
        }
        return zone && time || dates >= 1 && other == 0 && head.significant().size() <= 4;
    }

    private static boolean isDate(String line) {
        Timestamps.Stamp s = Timestamps.read(line.strip());
        return s != null && s.end() == line.strip().length() && s.zoneText() != null;
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        Map<String, String> d = new LinkedHashMap<>();
        Instant utc = null;
        int firstLine = 0;
        String firstText = null;
        try (LineReader in = source.lines()) {
            String line;
            while ((line = in.next()) != null) {
                String l = line.strip();
                if (l.isEmpty() || PROMPT.matcher(l).matches()) {
                    continue;
                }
                Matcher f = FIELD.matcher(line);
                if (f.matches()) {
                    String k = f.group(1).toLowerCase(java.util.Locale.ROOT);
                    String v = f.group(2).strip();
                    if (firstText == null) {
                        firstLine = in.number();
                        firstText = line;
                    }
                    if (k.equals("universal time")) {
                        Timestamps.Stamp s = Timestamps.read(afterWeekday(v));
                        if (s != null && s.isInstant()) {
                            utc = instant(s.micros());
                            sink.index(in.number(), s, Timeline.INFO);
                        }
                    } else if (k.equals("local time")) {
                        d.put("local-time", v);
                    } else if (k.equals("time zone")) {
                        zone(v, d);
                    }
                    continue;
                }
                Timestamps.Stamp s = Timestamps.read(l);
                if (s != null && s.zoneText() != null) {
                    if (firstText == null) {
                        firstLine = in.number();
                        firstText = line;
                    }
                    if (s.isInstant()) {
                        sink.index(in.number(), s, Timeline.INFO);
                        if (s.offsetSeconds() != null && s.offsetSeconds() != 0 || !d.containsKey("utc-offset")) {
                            d.put("utc-offset", String.valueOf(s.offsetSeconds()));
                            d.put("abbreviation", s.zoneText());
                        }
                        utc = instant(s.micros());
                    } else {
                        d.put("local-time", l); // an abbreviation that names several zones: the year at least
                        d.putIfAbsent("abbreviation", s.zoneText());
                    }
                    d.putIfAbsent("source", "date");
                } else {
                    sink.problemOf(in.number(), "clock.notClockOutput");
                }
            }
        }
        if (firstText == null) {
            sink.problemOf(0, "clock.noStatement");
            return;
        }
        d.putIfAbsent("source", "timedatectl");
        sink.event(new Event(sink.ref(firstLine, firstText), utc, EventKind.HOST_CLOCK,
                "clock: " + d.getOrDefault("zone", d.getOrDefault("abbreviation", "?")), d));
    }

    /** {@code Europe/Paris (CET, +0100)}: the zone by name when it is one, and the offset now. */
    private static void zone(String v, Map<String, String> d) {
        Matcher z = ZONE.matcher(v);
        if (!z.matches()) {
            return;
        }
        try {
            d.put("zone", ZoneId.of(z.group(1)).getId());
        } catch (RuntimeException e) {
            d.put("zone-text", z.group(1)); // "n/a" or a name this Java does not know
        }
        if (z.group(3) != null) {
            int sign = z.group(3).charAt(0) == '-' ? -1 : 1;
            int h = Integer.parseInt(z.group(3).substring(1, 3));
            int m = Integer.parseInt(z.group(3).substring(3, 5));
            d.put("utc-offset", String.valueOf(sign * (h * 3600 + m * 60)));
            d.put("abbreviation", z.group(2));
        }
    }

    /** timedatectl prints a weekday first, in the host's language ({@code Thu}, {@code 二}). */
    private static String afterWeekday(String v) {
        int sp = v.indexOf(' ');
        return sp > 0 && sp <= 4 && !Character.isDigit(v.charAt(0)) ? v.substring(sp + 1) : v;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
