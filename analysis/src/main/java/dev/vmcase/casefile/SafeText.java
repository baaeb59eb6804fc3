package dev.vmcase.casefile;

/** Evidence text made visible and inert: terminal escapes and other control characters shown, never passed on. */
public final class SafeText {
    private SafeText() {
    }

    /**
     * ESC becomes ␛ (so {@code ESC[31m} reads {@code ␛[31m}), other C0 controls their control pictures (␀…␟), DEL ␡,
     * C1 controls and bidirectional overrides {@code \}{@code uXXXX}; tabs stay.
     */
    public static String visible(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t') {
                b.append(c);
            } else if (c < 0x20) {
                b.append((char) (0x2400 + c));
            } else if (c == 0x7f) {
                b.append('\u2421');
            } else if ((c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@link #visible} line by line: line breaks stay line breaks. */
    public static String visibleLines(String s) {
        if (s == null) {
            return "";
        }
        String[] lines = s.split("\r?\n", -1);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < lines.length; i++) {
            b.append(i == 0 ? "" : "\n").append(visible(lines[i]));
        }
        return b.toString();
    }

    public static String html(String s) {
        String v = visibleLines(s);
        StringBuilder b = new StringBuilder(v.length() + 16);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Inline Markdown text: every character with a meaning in CommonMark, GFM or Jira escaped, HTML tags inert. */
    public static String markdown(String s) {
        String v = visibleLines(s);
        StringBuilder b = new StringBuilder(v.length() + 16);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean lineStart = i == 0 || v.charAt(i - 1) == '\n';
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '|', '~', '$' -> b.append('\\').append(c);
                case '#', '+', '-', '=' -> b.append(lineStart ? "\\" : "").append(c);
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A code fence longer than any run of backticks in the text, so the text cannot close it. */
    public static String fence(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }
}
