package dev.vmcase.parsers.time;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * A POSIX {@code TZ} string, as the footer of a TZif file ({@code /etc/localtime}, RFC 8536 §3.3) gives a host's
 * current rules: {@code UTC0}, {@code <+08>-8}, {@code CET-1CEST,M3.5.0,M10.5.0/3}, {@code EST5EDT,M3.2.0,M11.1.0}.
 * Turned into {@link ZoneRules} with Java's own transition rules (week-of-month {@code Mm.w.d} forms, which tzdata
 * writes for every zone with daylight saving time; Julian-day forms are not read). The rules hold from 1970 on: a
 * footer describes the zone as it is now, so old timestamps of a zone whose rules changed may be off by its change.
 */
final class PosixTz {
    private PosixTz() {
    }

    /** The rules of a TZ string, or null when it is not one this reads. */
    static ZoneRules parse(String tz) {
        if (tz == null) {
            return null;
        }
        int[] pos = {0};
        String std = name(tz, pos);
        Integer stdOff = offset(tz, pos);
        if (std == null || stdOff == null) {
            return null;
        }
        ZoneOffset standard = ZoneOffset.ofTotalSeconds(-stdOff);
        if (pos[0] == tz.length()) {
            return standard.getRules();
        }
        String dst = name(tz, pos);
        if (dst == null) {
            return null;
        }
        ZoneOffset daylight = ZoneOffset.ofTotalSeconds(standard.getTotalSeconds() + 3600);
        if (pos[0] < tz.length() && tz.charAt(pos[0]) != ',') {
            Integer d = offset(tz, pos);
            if (d == null) {
                return null;
            }
            daylight = ZoneOffset.ofTotalSeconds(-d);
        }
        if (pos[0] >= tz.length() || tz.charAt(pos[0]) != ',') {
            return null; // no rules: POSIX's default rules are not tzdata's practice
        }
        String[] rules = tz.substring(pos[0] + 1).split(",");
        if (rules.length != 2) {
            return null;
        }
        ZoneOffsetTransitionRule start = rule(rules[0], standard, standard, daylight);
        ZoneOffsetTransitionRule end = rule(rules[1], standard, daylight, standard);
        if (start == null || end == null) {
            return null;
        }
        List<ZoneOffsetTransition> first = new ArrayList<>();
        first.add(start.createTransition(1970));
        first.add(end.createTransition(1970));
        first.sort((a, b) -> a.getInstant().compareTo(b.getInstant()));
        ZoneOffset before = first.get(0).getOffsetBefore();
        return ZoneRules.of(standard, before, List.of(), first, List.of(start, end));
    }

    private static String name(String s, int[] pos) {
        int i = pos[0];
        if (i < s.length() && s.charAt(i) == '<') {
            int close = s.indexOf('>', i);
            if (close < 0) {
                return null;
            }
            pos[0] = close + 1;
            return s.substring(i + 1, close);
        }
        int j = i;
        while (j < s.length() && Character.isLetter(s.charAt(j))) {
            j++;
        }
        if (j - i < 3) {
            return null;
        }
        pos[0] = j;
        return s.substring(i, j);
    }

    /** {@code [+-]hh[:mm[:ss]]} in seconds (POSIX sign: west of Greenwich is positive). */
    private static Integer offset(String s, int[] pos) {
        int i = pos[0];
        int sign = 1;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            sign = s.charAt(i) == '-' ? -1 : 1;
            i++;
        }
        int[] parts = new int[3];
        int n = 0;
        while (n < 3) {
            int j = i;
            while (j < s.length() && Character.isDigit(s.charAt(j)) && j - i < 3) {
                j++;
            }
            if (j == i) {
                break;
            }
            parts[n++] = Integer.parseInt(s.substring(i, j));
            i = j;
            if (i < s.length() && s.charAt(i) == ':' && n < 3) {
                i++;
            } else {
                break;
            }
        }
        if (n == 0 || parts[0] > 167) {
            return null;
        }
        pos[0] = i;
        return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
    }

    /** {@code Mm.w.d[/time]}: month m, week w (5 = the last), weekday d (0 = Sunday), wall-clock time (02:00). */
    private static ZoneOffsetTransitionRule rule(String r, ZoneOffset standard, ZoneOffset before, ZoneOffset after) {
        if (!r.startsWith("M")) {
            return null;
        }
        String[] at = r.substring(1).split("/", 2);
        String[] mwd = at[0].split("\\.");
        if (mwd.length != 3) {
            return null;
        }
        try {
            int m = Integer.parseInt(mwd[0]);
            int w = Integer.parseInt(mwd[1]);
            int d = Integer.parseInt(mwd[2]);
            int seconds = 7200;
            if (at.length == 2) {
                int[] p = {0};
                Integer t = offset(at[1], p);
                if (t == null || p[0] != at[1].length()) {
                    return null;
                }
                seconds = t;
            }
            if (m < 1 || m > 12 || w < 1 || w > 5 || d < 0 || d > 6 || seconds < 0 || seconds > 86_400) {
                return null; // hours past 24 or before 0 (TZif v3) are not read
            }
            Month month = Month.of(m);
            DayOfWeek dow = d == 0 ? DayOfWeek.SUNDAY : DayOfWeek.of(d);
            int indicator = w == 5 ? -1 : 1 + 7 * (w - 1);
            boolean endOfDay = seconds == 86_400;
            LocalTime time = endOfDay ? LocalTime.MIDNIGHT : LocalTime.ofSecondOfDay(seconds);
            return ZoneOffsetTransitionRule.of(month, indicator, dow, time, endOfDay,
                    ZoneOffsetTransitionRule.TimeDefinition.WALL, standard, before, after);
        } catch (RuntimeException e) {
            // fields the JDK's transition rules refuse: no rule from this TZ string, as for the ranges checked above
            return null;
        }
    }
}
