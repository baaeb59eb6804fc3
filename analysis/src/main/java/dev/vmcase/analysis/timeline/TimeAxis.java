package dev.vmcase.analysis.timeline;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Ticks of a time axis, without any toolkit: the round step that leaves at least a given number of pixels between
 * two ticks, and each tick's label at the precision that step needs (UTC, as the evidence's times are). The
 * workbench's timeline and the report's chart both use it, so they label time the same way.
 */
public final class TimeAxis {
    private static final long[] STEPS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000,
            50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 15_000_000, 30_000_000,
            60_000_000L, 120_000_000L, 300_000_000L, 600_000_000L, 900_000_000L, 1_800_000_000L, 3_600_000_000L,
            7_200_000_000L, 21_600_000_000L, 43_200_000_000L, 86_400_000_000L, 172_800_000_000L, 604_800_000_000L};

    private TimeAxis() {
    }

    /** The smallest round step (µs) whose ticks are at least {@code minPixels} apart at {@code pixelsPerMicro}. */
    public static long step(double pixelsPerMicro, double minPixels) {
        for (long s : STEPS) {
            if (s * pixelsPerMicro >= minPixels) {
                return s;
            }
        }
        return STEPS[STEPS.length - 1];
    }

    /** The first tick at or before {@code t0}. */
    public static long first(long t0, long step) {
        return Math.floorDiv(t0, step) * step;
    }

    /** A tick's label: the day for steps of days, minutes for minutes, down to microseconds. */
    public static String label(long micros, long step) {
        return formatter(step).format(instant(micros));
    }

    /** The date of a time, for the axis' corner ("2026-11-27 UTC"). */
    public static String day(long micros) {
        return fmt("yyyy-MM-dd 'UTC'").format(instant(micros));
    }

    /** The time of day to the microsecond ("22:57:21.845123"). */
    public static String clock(long micros) {
        return fmt("HH:mm:ss.SSSSSS").format(instant(micros));
    }

    /** A time to the microsecond, for a hover or a report ("2026-11-27 22:57:21.845123"). */
    public static String full(long micros) {
        return fmt("yyyy-MM-dd HH:mm:ss.SSSSSS").format(instant(micros));
    }

    private static DateTimeFormatter formatter(long step) {
        return step >= 86_400_000_000L ? fmt("MM-dd")
                : step >= 60_000_000L ? fmt("MM-dd HH:mm") : step >= 1_000_000L ? fmt("HH:mm:ss")
                : step >= 1_000L ? fmt("HH:mm:ss.SSS") : fmt("ss.SSSSSS");
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
    }

    private static DateTimeFormatter fmt(String p) {
        return DateTimeFormatter.ofPattern(p, Locale.ROOT).withZone(ZoneOffset.UTC);
    }
}
