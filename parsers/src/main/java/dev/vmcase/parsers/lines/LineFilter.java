package dev.vmcase.parsers.lines;

import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ProgressMonitor;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Which lines to show: a lowest level and a text. A continuation line (see {@link LogLines#continues}) goes with its
 * event: it has the event's level and is shown when its event's first line is. Lines saying no level count as
 * {@link Timeline#INFO} (QMP transcripts, HMP dumps), unless the event says one.
 *
 * @param minLevel a {@link Timeline} level, {@link Timeline#DEBUG} for every line
 * @param text     lines (events) must contain a match of it; null for any
 */
public record LineFilter(byte minLevel, Pattern text) {
    public static final LineFilter ALL = new LineFilter(Timeline.DEBUG, null);

    public boolean isAll() {
        return minLevel <= Timeline.DEBUG && text == null;
    }

    /** The numbers of the lines that pass, in order; only numbers are kept, never the text. */
    public FilteredLines apply(LogFile file, ProgressMonitor monitor) {
        int[] size = {0};
        // the current event: its lines are decided together once it ends
        int[] event = {0, 0};
        byte[] eventLevel = {LogLines.UNKNOWN};
        boolean[] eventText = {false};
        boolean[] inEvent = {false};
        String[] prev = {null};
        int[][] holder = {new int[1024]};
        Runnable flushHeld = () -> {
            if (event[0] == 0) {
                return;
            }
            byte level = eventLevel[0] == LogLines.UNKNOWN ? Timeline.INFO : eventLevel[0];
            if (level >= minLevel && (text == null || eventText[0])) {
                for (int n = event[0]; n <= event[1]; n++) {
                    if (size[0] == holder[0].length) {
                        holder[0] = Arrays.copyOf(holder[0], holder[0].length * 2);
                    }
                    holder[0][size[0]++] = n;
                }
            }
        };
        file.scan(1, file.lineCount(), monitor, (n, s) -> {
            boolean cont = prev[0] != null && event[1] - event[0] < LogEvents.MAX_EVENT_LINES
                    && LogLines.continues(prev[0], s, inEvent[0]);
            if (!cont) {
                flushHeld.run();
                event[0] = n;
                eventLevel[0] = LogLines.level(s);
                eventText[0] = false;
                inEvent[0] = LogLines.startsWithTimestamp(s);
            }
            event[1] = n;
            if (text != null && !eventText[0] && text.matcher(s).find()) {
                eventText[0] = true;
            }
            prev[0] = s;
            return true;
        });
        flushHeld.run();
        return new FilteredLines(Arrays.copyOf(holder[0], size[0]));
    }
}
