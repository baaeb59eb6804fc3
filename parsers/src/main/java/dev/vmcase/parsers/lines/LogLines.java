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
    private static final int LEVEL_WINDOW = 160;

    private LogLines() {
    }

    public static boolean startsWithTimestamp(CharSequence line) {
        return TIMESTAMP.matcher(line).lookingAt();
    }

    /** The level a line's header names (looked for in its first 160 characters), or {@link #UNKNOWN}. */
    public static byte level(String line) {
        long found = findLevel(line);
        return found < 0 ? UNKNOWN : (byte) (found >>> 32);
    }

    /** Where the level word ends, or -1. */
    private static int levelEnd(String line) {
        long found = findLevel(line);
        return found < 0 ? -1 : (int) found;
    }

    /**
     * The first level word (a whole word: not inside a dotted or dashed name, followed by a blank, ':' or ']'):
     * its level in the high half, its end in the low half; -1 when there is none. A hand scan: this runs on every
     * line of multi-GB logs when filtering.
     */
    private static long findLevel(String line) {
        int limit = Math.min(line.length(), LEVEL_WINDOW);
        int i = 0;
        while (i < limit) {
            char c = line.charAt(i);
            if (!Character.isLetter(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < limit && Character.isLetter(line.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (len < 3 || len > 8) {
                continue;
            }
            if (start > 0) {
                char p = line.charAt(start - 1);
                if (Character.isLetterOrDigit(p) || p == '_' || p == '.' || p == '-') {
                    continue;
                }
            }
            if (i < line.length()) {
                char n = line.charAt(i);
                if (!(Character.isWhitespace(n) || n == ':' || n == ']')) {
                    continue;
                }
            }
            int level = levelOf(line, start, len);
            if (level >= 0) {
                return ((long) level << 32) | i;
            }
        }
        return -1;
    }

    private static final String[] WORDS = {"debug", "trace", "info", "notice", "warn", "warning", "error", "err",
        "critical", "crit", "fatal"};
    private static final byte[] LEVELS = {Timeline.DEBUG, Timeline.DEBUG, Timeline.INFO, Timeline.INFO,
        Timeline.WARNING, Timeline.WARNING, Timeline.ERROR, Timeline.ERROR, Timeline.ERROR, Timeline.ERROR,
        Timeline.ERROR};

    private static int levelOf(String line, int start, int len) {
        for (int w = 0; w < WORDS.length; w++) {
            if (WORDS[w].length() == len && line.regionMatches(true, start, WORDS[w], 0, len)) {
                return LEVELS[w];
            }
        }
        return -1;
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
        Matcher ts = TIMESTAMP.matcher(line);
        if (!ts.lookingAt()) {
            return true;
        }
        // the lines of one traceback share their timestamp: most lines differ there already
        if (!line.regionMatches(0, previous, 0, ts.end())) {
            return false;
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
