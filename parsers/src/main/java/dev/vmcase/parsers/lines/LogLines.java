package dev.vmcase.parsers.lines;

import dev.vmcase.model.Timeline;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one log line says about itself, from its text alone: whether it starts with a timestamp, its level, and
 * whether it continues the message of the line before (a libvirtd XML dump under its debug line, the lines of a nova
 * traceback logged with the same header). Levels use {@link Timeline}'s numbers; {@link #UNKNOWN} when none is said.
 */
public final class LogLines {
    public static final byte UNKNOWN = -1;
    /** ISO dates (libvirtd, QEMU {@code -msg timestamp=on}, nova), syslog/journal dates, kernel-style {@code [ 1.23]}. */
    public static final Pattern TIMESTAMP = Pattern.compile(
            "^(?:\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?"
                    + "|[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?"
                    + "|\\[\\s*\\d+\\.\\d+\\])");
    private static final Pattern LEVEL = Pattern.compile(
            "(?<![\\w.-])(debug|info|notice|warn|warning|error|err|critical|crit|fatal|trace)(?=\\s|:|\\]|$)",
            Pattern.CASE_INSENSITIVE);
    private static final int LEVEL_WINDOW = 160;

    private LogLines() {
    }

    public static boolean startsWithTimestamp(CharSequence line) {
        return TIMESTAMP.matcher(line).lookingAt();
    }

    /** The level a line's header names (looked for in its first 160 characters), or {@link #UNKNOWN}. */
    public static byte level(String line) {
        Matcher m = LEVEL.matcher(line);
        m.region(0, Math.min(line.length(), LEVEL_WINDOW));
        if (!m.find()) {
            return UNKNOWN;
        }
        return switch (m.group(1).toLowerCase(java.util.Locale.ROOT)) {
            case "debug", "trace" -> Timeline.DEBUG;
            case "info", "notice" -> Timeline.INFO;
            case "warn", "warning" -> Timeline.WARNING;
            default -> Timeline.ERROR;
        };
    }

    /** Where the level word ends, or -1. */
    private static int levelEnd(String line) {
        Matcher m = LEVEL.matcher(line);
        m.region(0, Math.min(line.length(), LEVEL_WINDOW));
        return m.find() ? m.end() : -1;
    }

    /**
     * Whether {@code line} continues the message of {@code previous}: it has no timestamp while the event before had
     * one, or both carry the same header (timestamp, process, level, logger and a {@code [context]}) as the lines of
     * one nova/oslo traceback do.
     *
     * @param inEvent whether {@code previous} belongs to a timestamped event
     */
    public static boolean continues(String previous, String line, boolean inEvent) {
        if (previous == null || !inEvent) {
            return false;
        }
        if (!startsWithTimestamp(line)) {
            return true;
        }
        String h = header(line);
        return h != null && h.equals(header(previous));
    }

    /** The header up to the {@code [context]} after the level, or null when there is no such bracket. */
    static String header(String line) {
        int end = levelEnd(line);
        if (end < 0) {
            return null;
        }
        int open = line.indexOf(" [", end);
        if (open < 0 || open - end > 120) {
            return null;
        }
        int close = line.indexOf(']', open);
        return close < 0 ? null : line.substring(0, close + 1);
    }
}
