package dev.vmcase.parsers.time;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the timestamp at the start of a text, in every shape the evidence carries, and says what it is worth: an
 * instant (it names UTC or an offset), a local time (a date and a time of day, no zone: the host's zone decides), or
 * a local time without a year (journald's and syslog's short form).
 * <pre>
 *   2018-04-05T21:48:43.153292Z            QEMU -msg timestamp=on, rsyslog, journalctl -o short-iso-precise
 *   2020-09-07T19:32:06+0200               journalctl -o short-iso ({@code +02:00}, {@code -0500} alike)
 *   2020-05-28 13:10:48.389+0000           libvirt
 *   2024-03-05 10:11:12.123                nova's oslo.log: local
 *   Sep 07 19:32:06.850434, Sep  7 19:32:06 journalctl -o short / short-precise, syslog: local, no year
 *   Mon 2020-09-07 19:32:06 CEST           journalctl -o short-full, coredumpctl's Timestamp:
 *   Mon Sep  7 19:32:06 CEST 2020          date(1) in the C locale
 * </pre>
 * A zone abbreviation is read as an offset only when it names one offset ({@code zone-abbreviations.properties});
 * {@code CST} and the like leave the time local. QMP's {@code {"seconds": …, "microseconds": …}} is read where the
 * JSON is ({@code QmpReader}). Hand-scanned: one pass over at most the first 40 characters, no regular expression.
 */
public final class Timestamps {
    /** What a timestamp is worth on its own. */
    public enum Kind {
        /** An instant: {@link Stamp#micros()} is microseconds since the epoch, UTC. */
        INSTANT,
        /** A local date and time: {@link Stamp#micros()} is that wall-clock time counted as if it were UTC. */
        LOCAL,
        /** A local month, day and time: {@link Stamp#micros()} counts it in the leap year 2000 as if it were UTC. */
        LOCAL_NO_YEAR
    }

    /**
     * A timestamp read.
     *
     * @param end      index just after it in the text
     * @param offsetSeconds the UTC offset the text gave (a number or an abbreviation), or null
     * @param zoneText the zone as written ({@code CEST}, {@code +0200}, {@code Z}), or null
     */
    public record Stamp(Kind kind, long micros, int end, Integer offsetSeconds, String zoneText) {
        public boolean isInstant() {
            return kind == Kind.INSTANT;
        }
    }

    /** The leap year {@link Kind#LOCAL_NO_YEAR} times are counted in, so that Feb 29 exists. */
    public static final int NO_YEAR = 2000;
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final Map<String, Integer> ABBREVIATIONS;
    private static final java.util.Set<String> AMBIGUOUS;

    static {
        Properties p = data("zone-abbreviations.properties");
        Map<String, Integer> m = new HashMap<>();
        java.util.Set<String> amb = new java.util.HashSet<>();
        for (String k : p.stringPropertyNames()) {
            String v = p.getProperty(k).strip();
            if (v.equals("ambiguous")) {
                amb.add(k);
            } else {
                m.put(k, ZoneOffset.of(v).getTotalSeconds());
            }
        }
        ABBREVIATIONS = Collections.unmodifiableMap(m);
        AMBIGUOUS = Collections.unmodifiableSet(amb);
    }

    private Timestamps() {
    }

    /** The timestamp at the start of {@code s}, or null. */
    public static Stamp read(String s) {
        return read(s, 0);
    }

    /** The timestamp at {@code from} in {@code s}, or null. */
    public static Stamp read(String s, int from) {
        if (s == null || from < 0 || from >= s.length()) {
            return null;
        }
        Stamp t = iso(s, from);
        if (t == null) {
            t = shortForm(s, from);
        }
        if (t == null && s.length() - from > 4 && s.charAt(from + 3) == ' ' && isWeekday(s, from)) {
            t = iso(s, from + 4);
            if (t == null) {
                t = cDate(s, from + 4);
            }
        }
        return t;
    }

    /** The UTC offset a zone abbreviation names, or null when it names none or several. */
    public static Integer abbreviationOffset(String abbreviation) {
        return abbreviation == null || AMBIGUOUS.contains(abbreviation) ? null : ABBREVIATIONS.get(abbreviation);
    }

    /** Whether an abbreviation is known to stand for several offsets. */
    public static boolean ambiguous(String abbreviation) {
        return AMBIGUOUS.contains(abbreviation);
    }

    /** Microseconds since the epoch of a stamp's local reading in {@code year} (its own year for {@link Kind#LOCAL}). */
    public static long localMicros(long micros, Kind kind, int year) {
        if (kind != Kind.LOCAL_NO_YEAR) {
            return micros;
        }
        long day = Math.floorDiv(micros, 86_400_000_000L);
        long inDay = Math.floorMod(micros, 86_400_000_000L);
        LocalDate d = LocalDate.ofEpochDay(day);
        LocalDate moved = LocalDate.of(year, d.getMonth(), Math.min(d.getDayOfMonth(),
                d.getMonth().length(java.time.Year.isLeap(year))));
        if (moved.getDayOfMonth() != d.getDayOfMonth()) {
            throw new DateTimeException("February 29 in " + year);
        }
        return moved.toEpochDay() * 86_400_000_000L + inDay;
    }

    // ---------------------------------------------------------------- shapes

    /** {@code YYYY-MM-DD[T ]HH:MM:SS[.f][Z|±HH[:]MM| ABBR]}. */
    private static Stamp iso(String s, int i) {
        int y = num(s, i, 4);
        if (y < 0 || !at(s, i + 4, '-')) {
            return null;
        }
        int mo = num(s, i + 5, 2);
        int d = num(s, i + 8, 2);
        if (mo < 0 || d < 0 || !at(s, i + 7, '-') || !(at(s, i + 10, 'T') || at(s, i + 10, ' '))) {
            return null;
        }
        long[] tm = time(s, i + 11);
        if (tm == null) {
            return null;
        }
        long date;
        try {
            date = LocalDate.of(y, mo, d).toEpochDay();
        } catch (DateTimeException e) {
            // no such date (30 February): not a timestamp, the line is kept untimed
            return null;
        }
        return zoned(s, (int) tm[1], date * 86_400_000_000L + tm[0], true, Kind.LOCAL);
    }

    /**
     * {@code Mmm [ d]d HH:MM:SS[.f]}: journalctl's short forms and syslog; no year. The month is English, or the
     * abbreviation of the locale journalctl ran in ({@code maj 09 10:36:51}, {@code 12月 05 10:36:51}, {@code Mär}):
     * {@link #localMonth}.
     */
    private static Stamp shortForm(String s, int i) {
        int mo = month(s, i);
        int after = i + 3;
        if (mo < 0) {
            after = i;
            int end = Math.min(s.length(), i + MAX_LOCAL_MONTH + 1);
            while (after < end && s.charAt(after) != ' ') {
                after++;
            }
            mo = after > i && after < end ? localMonth(s.substring(i, after)) : -1;
        }
        if (mo < 0 || !at(s, after, ' ')) {
            return null;
        }
        int j = after + 1;
        if (at(s, j, ' ')) {
            j++;
        }
        int d = num(s, j, 2);
        int len = 2;
        if (d < 0) {
            d = num(s, j, 1);
            len = 1;
        }
        if (d < 1 || !at(s, j + len, ' ')) {
            return null;
        }
        long[] tm = time(s, j + len + 1);
        if (tm == null) {
            return null;
        }
        long date;
        try {
            date = LocalDate.of(NO_YEAR, mo, d).toEpochDay();
        } catch (DateTimeException e) {
            // no such date, even in a leap year: not a timestamp
            return null;
        }
        return new Stamp(Kind.LOCAL_NO_YEAR, date * 86_400_000_000L + tm[0], (int) tm[1], null, null);
    }

    /** date(1) in the C locale after its weekday: {@code Sep  7 19:32:06 CEST 2020}. */
    private static Stamp cDate(String s, int i) {
        Stamp md = shortForm(s, i);
        if (md == null || !at(s, md.end(), ' ')) {
            return null;
        }
        int z = md.end() + 1;
        int ze = z;
        while (ze < s.length() && s.charAt(ze) != ' ') {
            ze++;
        }
        int y = num(s, ze + 1, 4);
        if (y < 0 || ze == z) {
            return null;
        }
        long local;
        try {
            local = localMicros(md.micros(), Kind.LOCAL_NO_YEAR, y);
        } catch (DateTimeException e) {
            // the year placed on a yearless date makes it impossible (29 February): not a timestamp
            return null;
        }
        String zone = s.substring(z, ze);
        Integer off = offsetOf(zone);
        int end = ze + 5;
        if (off == null) {
            return new Stamp(Kind.LOCAL, local, end, null, zone);
        }
        return new Stamp(Kind.INSTANT, local - off * 1_000_000L, end, off, zone);
    }

    /** The zone after a time: {@code Z}, {@code ±HH[:MM]}, or (after a space, when {@code words}) an abbreviation. */
    private static Stamp zoned(String s, int i, long local, boolean words, Kind unzoned) {
        if (at(s, i, 'Z')) {
            return new Stamp(Kind.INSTANT, local, i + 1, 0, "Z");
        }
        if (at(s, i, '+') || at(s, i, '-')) {
            int sign = s.charAt(i) == '-' ? -1 : 1;
            int h = num(s, i + 1, 2);
            if (h >= 0 && h <= 18) {
                int j = i + 3;
                if (at(s, j, ':')) {
                    j++;
                }
                int m = num(s, j, 2);
                int end = m >= 0 ? j + 2 : i + 3;
                int off = sign * (h * 3600 + Math.max(m, 0) * 60);
                return new Stamp(Kind.INSTANT, local - off * 1_000_000L, end, off, s.substring(i, end));
            }
        }
        if (words && at(s, i, ' ')) {
            int z = i + 1;
            int ze = z;
            while (ze < s.length() && ze - z < 6 && Character.isUpperCase(s.charAt(ze))) {
                ze++;
            }
            if (ze - z >= 1 && (ze == s.length() || !Character.isLetterOrDigit(s.charAt(ze)))) {
                String zone = s.substring(z, ze);
                Integer off = abbreviationOffset(zone);
                if (off != null) {
                    return new Stamp(Kind.INSTANT, local - off * 1_000_000L, ze, off, zone);
                }
                if (AMBIGUOUS.contains(zone)) {
                    return new Stamp(unzoned, local, ze, null, zone);
                }
            }
        }
        return new Stamp(unzoned, local, i, null, null);
    }

    private static Integer offsetOf(String zone) {
        Integer off = abbreviationOffset(zone);
        if (off != null) {
            return off;
        }
        if (zone.length() == 5 && (zone.charAt(0) == '+' || zone.charAt(0) == '-')) {
            Stamp z = zoned(zone, 0, 0, false, Kind.LOCAL);
            return z.offsetSeconds();
        }
        return null;
    }

    /** {@code HH:MM:SS[.f{1,9}]} at i: {micros of the day, end}; null when not a time. */
    private static long[] time(String s, int i) {
        int h = num(s, i, 2);
        int m = num(s, i + 3, 2);
        int sec = num(s, i + 6, 2);
        if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60 || !at(s, i + 2, ':') || !at(s, i + 5, ':')) {
            return null;
        }
        long micros = ((h * 60L + m) * 60 + Math.min(sec, 59)) * 1_000_000L;
        int j = i + 8;
        if ((at(s, j, '.') || at(s, j, ',')) && j + 1 < s.length() && isDigit(s.charAt(j + 1))) {
            j++;
            long frac = 0;
            int digits = 0;
            while (j < s.length() && isDigit(s.charAt(j)) && digits < 9) {
                if (digits < 6) {
                    frac = frac * 10 + (s.charAt(j) - '0');
                }
                digits++;
                j++;
            }
            for (int k = Math.min(digits, 6); k < 6; k++) {
                frac *= 10;
            }
            micros += frac;
        }
        return new long[] {micros, j};
    }

    /** The longest month abbreviation read in another language (with its dot: {@code sept.}, {@code févr.}). */
    private static final int MAX_LOCAL_MONTH = 8;
    /**
     * Month abbreviations of every locale of the JDK's CLDR data (the short names standing alone and in a date, as
     * {@code strftime}'s {@code %b} writes them in a journal), lower case, with and without a final dot, each to its
     * month; a spelling two locales give to different months is left out, never guessed. Kept as a data file
     * ({@code month-abbreviations.properties}, checked against the JDK by its test): reading CLDR's 800 locales takes a
     * second. Loaded on the first month that is not English.
     */
    private static final class LocalMonths {
        static final Map<String, Integer> MAP = load();

        private static Map<String, Integer> load() {
            Properties p = data("month-abbreviations.properties");
            Map<String, Integer> m = new HashMap<>();
            p.forEach((k, v) -> m.put((String) k, Integer.valueOf((String) v)));
            return Collections.unmodifiableMap(m);
        }
    }

    /** One of this package's data files (UTF-8 properties); a missing one is a broken build. */
    private static Properties data(String name) {
        Properties p = new Properties();
        try (InputStream in = Timestamps.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The month a locale's abbreviation names (lower case), or -1. */
    static int localMonth(String abbreviation) {
        return LocalMonths.MAP.getOrDefault(abbreviation.toLowerCase(java.util.Locale.ROOT), -1);
    }

    private static int month(String s, int i) {
        if (i + 3 > s.length()) {
            return -1;
        }
        for (int k = 0; k < 12; k++) {
            if (s.startsWith(MONTHS[k], i)) {
                return k + 1;
            }
        }
        return -1;
    }

    private static boolean isWeekday(String s, int i) {
        return s.startsWith("Mon", i) || s.startsWith("Tue", i) || s.startsWith("Wed", i) || s.startsWith("Thu", i)
                || s.startsWith("Fri", i) || s.startsWith("Sat", i) || s.startsWith("Sun", i);
    }

    private static boolean at(String s, int i, char c) {
        return i >= 0 && i < s.length() && s.charAt(i) == c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The value of exactly {@code n} digits at i, or -1. */
    private static int num(String s, int i, int n) {
        if (i < 0 || i + n > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = i; k < i + n; k++) {
            char c = s.charAt(k);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
