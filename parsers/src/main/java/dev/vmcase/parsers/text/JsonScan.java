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

    /** Feeds the next piece; returns false as soon as the text cannot be JSON. */
    boolean feed(CharSequence s) {
        for (int i = 0; i < s.length() && !invalid; i++) {
            char c = s.charAt(i);
            if (closed) {
                invalid = !Character.isWhitespace(c);
                continue;
            }
            if (inString) {
                if (escape) {
                    escape = false;
                } else if (c == '\\') {
                    escape = true;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
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
        return !invalid;
    }

    /** The value is complete (brackets balanced) and nothing but blanks followed it. */
    boolean complete() {
        return closed && !invalid;
    }

    boolean invalid() {
        return invalid;
    }
}
