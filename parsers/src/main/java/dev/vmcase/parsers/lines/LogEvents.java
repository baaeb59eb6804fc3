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

    /**
     * The event holding {@code line}: back to its timestamped first line, forward over its continuation lines. Reads
     * only as far as the event goes (backward in blocks of {@link LineIndex#STEP} lines), at most
     * {@link #MAX_EVENT_LINES} each way.
     */
    public static Span around(LogFile file, int line) {
        // backward: blocks of lines before, until a line the next one does not continue
        int first = line;
        String current = file.line(line);
        boolean inEvent = true;
        int blockEnd = line - 1;
        search:
        while (blockEnd >= 1 && line - first < MAX_EVENT_LINES) {
            int blockStart = Math.max(1, blockEnd - LineIndex.STEP + 1);
            List<String> block = file.lines(blockStart, blockEnd - blockStart + 1);
            for (int i = block.size() - 1; i >= 0; i--) {
                String prev = block.get(i);
                // whether prev's event is timestamped is not known yet: assume so, and check once at the end
                if (!LogLines.continues(prev, current, true)) {
                    break search;
                }
                first = blockStart + i;
                current = prev;
            }
            blockEnd = blockStart - 1;
        }
        if (first < line && !LogLines.startsWithTimestamp(file.line(first))) {
            // nothing before had a timestamp: lines before the first timestamped one are each their own event
            first = line;
            inEvent = LogLines.startsWithTimestamp(file.line(line));
        }
        // forward: the lines that continue it
        int last = line;
        try (LogFile.Cursor c = file.cursor(line)) {
            String prev = c.next();
            if (first == line) {
                inEvent = LogLines.startsWithTimestamp(prev);
            }
            String next;
            while (last - line < MAX_EVENT_LINES && (next = c.next()) != null) {
                if (!LogLines.continues(prev, next, inEvent)) {
                    break;
                }
                last++;
                prev = next;
            }
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
