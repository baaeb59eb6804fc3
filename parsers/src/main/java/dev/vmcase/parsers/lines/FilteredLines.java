package dev.vmcase.parsers.lines;

import java.util.Arrays;

/** The line numbers a filter kept, ascending: position {@code i} (0-based) in the filtered view → a line number. */
public final class FilteredLines {
    private final int[] lines;

    public FilteredLines(int[] lines) {
        this.lines = lines;
    }

    public int size() {
        return lines.length;
    }

    /** The line number at position {@code i}. */
    public int line(int i) {
        return lines[i];
    }

    public boolean contains(int line) {
        return Arrays.binarySearch(lines, line) >= 0;
    }

    /** The position of {@code line}, or of the first kept line after it (size() when none is). */
    public int positionOf(int line) {
        int i = Arrays.binarySearch(lines, line);
        return i >= 0 ? i : -i - 1;
    }
}
