package dev.vmcase.parsers.text;

/**
 * Follows JSON text piece by piece without building anything: how deep the brackets are, whether it is inside a
 * string, and whether every character so far could be JSON at all. Lets a wrapped QMP message be glued back line by
 * line in linear time, and gives up at the first character no JSON has (C code with braces, prose).
 */
final class JsonScan {
    private int depth;
    private boolean inString;
    private boolean escape;
    private boolean started;
    private boolean invalid;
    private boolean closed;

    /** {@link #valueEnd}: the text ended with the value still open (and valid so far). */
    static final int OPEN = -1;
    /** {@link #valueEnd}: the text is no JSON value. */
    static final int INVALID = -2;

    /** Feeds the next piece; returns false as soon as the text cannot be JSON. */
    boolean feed(CharSequence s) {
        for (int i = 0; i < s.length() && !invalid; i++) {
            feed(s.charAt(i));
        }
        return !invalid;
    }

    /**
     * Follows one JSON value that starts at {@code from} inside other text (a tool's log line quoting a QMP
     * message): the index just after it, {@link #OPEN} when the text ends inside it, or {@link #INVALID}.
     */
    static int valueEnd(CharSequence s, int from) {
        JsonScan scan = new JsonScan();
        return scan.feedUntilClosed(s, from);
    }

    /** Goes on from {@code from} until the value closes: as {@link #valueEnd}. */
    int feedUntilClosed(CharSequence s, int from) {
        for (int i = from; i < s.length(); i++) {
            feed(s.charAt(i));
            if (invalid) {
                return INVALID;
            }
            if (closed) {
                return i + 1;
            }
        }
        return OPEN;
    }

    private void feed(char c) {
        if (closed) {
            invalid = !Character.isWhitespace(c);
            return;
        }
        if (inString) {
            if (escape) {
                escape = false;
            } else if (c == '\\') {
                escape = true;
            } else if (c == '"') {
                inString = false;
            }
            return;
        }
        switch (c) {
            case '{':
            case '[':
                depth++;
                started = true;
                break;
            case '}':
            case ']':
                depth--;
                if (depth < 0) {
                    invalid = true;
                } else if (depth == 0) {
                    closed = true;
                }
                break;
            case '"':
                inString = true;
                break;
            default:
                invalid = !started || !(Character.isWhitespace(c) || c == ':' || c == ',' || c == '-' || c == '+'
                        || c == '.' || Character.isDigit(c) || "truefalsnE".indexOf(c) >= 0);
        }
    }

    /** The value is complete (brackets balanced) and nothing but blanks followed it. */
    boolean complete() {
        return closed && !invalid;
    }

    boolean invalid() {
        return invalid;
    }
}
