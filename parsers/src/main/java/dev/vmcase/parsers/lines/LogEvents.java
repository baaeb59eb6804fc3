package dev.vmcase.parsers.lines;

import java.util.List;

/** The multi-line message (event) a line belongs to, found around it in a {@link LogFile}. */
public final class LogEvents {
    /** How far an event is looked for around a line, so a file without timestamps costs nothing. */
    public static final int MAX_EVENT_LINES = 2000;

    private LogEvents() {
    }

    /** An event: lines {@code first..last} (inclusive). */
    public record Span(int first, int last) {
        public boolean contains(int line) {
            return line >= first && line <= last;
        }

        public int size() {
            return last - first + 1;
        }
    }

    /** The event holding {@code line}: back to its timestamped first line, forward over its continuation lines. */
    public static Span around(LogFile file, int line) {
        int from = Math.max(1, line - MAX_EVENT_LINES);
        List<String> before = file.lines(from, line - from + 1);
        int firstTs = before.size();
        for (int i = 0; i < before.size(); i++) {
            if (LogLines.startsWithTimestamp(before.get(i))) {
                firstTs = i;
                break;
            }
        }
        int first = line;
        // walk back while the line continues the one before
        for (int i = before.size() - 1; i > 0; i--) {
            String prev = before.get(i - 1);
            if (!LogLines.continues(prev, before.get(i), i - 1 >= firstTs)) {
                break;
            }
            first = from + i - 1;
        }
        List<String> after = file.lines(line, MAX_EVENT_LINES);
        int last = line;
        boolean inEvent = before.size() - 1 >= firstTs;
        for (int i = 1; i < after.size(); i++) {
            if (!LogLines.continues(after.get(i - 1), after.get(i), inEvent)) {
                break;
            }
            last = line + i;
        }
        return new Span(first, last);
    }

    /**
     * Event spans of a window of consecutive lines {@code first..}: {@code result[i]} is the index in {@code lines} of
     * the first line of line i's event (within the window).
     */
    public static int[] starts(List<String> lines, boolean firstInEvent) {
        int[] out = new int[lines.size()];
        boolean inEvent = firstInEvent;
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i);
            if (i > 0 && LogLines.continues(lines.get(i - 1), s, inEvent)) {
                out[i] = out[i - 1];
            } else {
                out[i] = i;
                inEvent = LogLines.startsWithTimestamp(s);
            }
            if (i == 0) {
                inEvent = firstInEvent || inEvent;
            }
        }
        return out;
    }
}
