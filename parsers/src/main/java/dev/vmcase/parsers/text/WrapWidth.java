package dev.vmcase.parsers.text;

/**
 * The column at which a mail client or tracker wrapped a paste, estimated from the lengths of its lines: wrapped
 * text has many lines a little shorter than the column and almost none longer. Text nobody wrapped (long log lines
 * pasted as they were) has no such column, and then no line is joined to the next for its length.
 */
final class WrapWidth {
    /** Wrapping columns seen in mail and trackers: 60 to 100. */
    static final int MIN = 60;
    static final int MAX = 100;
    /** Lengths are counted up to here; longer lines count as "long". */
    private static final int CAP = 4096;

    private final int[] counts = new int[CAP + 1];
    private int lines;

    /** Counts one line (its text without quote markers and trailing blanks). */
    void add(String text) {
        int len = text.stripTrailing().length();
        if (len >= 30) {
            counts[Math.min(len, CAP)]++;
            lines++;
        }
    }

    /**
     * The estimated column, or 0 when the text was not wrapped: the smallest column that at most one line in twenty
     * exceeds, provided a sixth of the lines (and at least three) end within twelve characters of it.
     */
    int width() {
        if (lines < 4) {
            return 0;
        }
        int over = lines;
        for (int len = 30; len <= MIN; len++) {
            over -= counts[len];
        }
        for (int w = MIN; w <= MAX; w++) {
            if (w > MIN) {
                over -= counts[w];
            }
            if (over * 20 <= lines) {
                int near = 0;
                int widest = 0;
                for (int len = w - 11; len <= Math.min(w + 4, CAP); len++) {
                    near += counts[len];
                    if (counts[len] > 0) {
                        widest = len;
                    }
                }
                return near >= Math.max(3, lines / 6) ? Math.max(w, widest) : 0;
            }
        }
        return 0;
    }

    /**
     * Whether the text was cut at exactly the column, inside words (a terminal, a fixed-width export): most lines
     * near the column are exactly at it, and many of them. A soft wrap's lines only cluster near the column, though
     * a short mail may have a few exactly at it.
     */
    boolean hard(int width) {
        if (width == 0) {
            return false;
        }
        int near = 0;
        for (int len = width - 11; len <= width; len++) {
            near += counts[len];
        }
        return counts[width] >= 8 && counts[width] * 10 >= near * 6;
    }
}
