package dev.vmcase.parsers.lines;

import dev.vmcase.parsers.ProgressMonitor;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/** Streaming search of a {@link LogFile}: the next or previous matching line from a line, and the match count. */
public final class LineSearch {
    private LineSearch() {
    }

    /** A pattern from what the user typed: a regex, or literal text; case-insensitive unless it has capitals. */
    public static Pattern pattern(String text, boolean regex) {
        int flags = text.chars().anyMatch(Character::isUpperCase) ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        return Pattern.compile(regex ? text : Pattern.quote(text), flags);
    }

    /**
     * The first line after {@code from} (forward) or before it (backward) that matches and that {@code shown}
     * accepts (null: every line), or -1. Does not wrap.
     */
    public static int find(LogFile file, Pattern pattern, int from, boolean forward, IntPredicate shown,
                           ProgressMonitor monitor) {
        return forward ? forward(file, pattern, from + 1, shown, monitor) : backward(file, pattern, from - 1, shown,
                monitor);
    }

    private static int forward(LogFile file, Pattern pattern, int start, IntPredicate shown, ProgressMonitor monitor) {
        int[] hit = {-1};
        file.scan(Math.max(1, start), file.lineCount(), monitor, (n, s) -> {
            if ((shown == null || shown.test(n)) && pattern.matcher(s).find()) {
                hit[0] = n;
                return false;
            }
            return true;
        });
        return hit[0];
    }

    private static int backward(LogFile file, Pattern pattern, int start, IntPredicate shown, ProgressMonitor monitor) {
        int end = Math.min(start, file.lineCount());
        int step = LineIndex.STEP * 16;
        long done = 0;
        while (end >= 1) {
            int first = Math.max(1, end - step + 1);
            List<String> block = file.lines(first, end - first + 1);
            for (int i = block.size() - 1; i >= 0; i--) {
                int n = first + i;
                if ((shown == null || shown.test(n)) && pattern.matcher(block.get(i)).find()) {
                    return n;
                }
            }
            done += block.size();
            if (monitor.isCancelled()) {
                throw new CancellationException();
            }
            monitor.progress(done, start, file.path().toString());
            end = first - 1;
        }
        return -1;
    }

    /** How many lines (that {@code shown} accepts) match. */
    public static int count(LogFile file, Pattern pattern, IntPredicate shown, ProgressMonitor monitor) {
        int[] count = {0};
        file.scan(1, file.lineCount(), monitor, (n, s) -> {
            if ((shown == null || shown.test(n)) && pattern.matcher(s).find()) {
                count[0]++;
            }
            return true;
        });
        return count[0];
    }
}
