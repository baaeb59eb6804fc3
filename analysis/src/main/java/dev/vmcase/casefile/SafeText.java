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
        return dev.vmcase.analysis.report.Visible.text(s);
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

    /**
     * A note (the user's Markdown, or Markdown pasted from anywhere) made safe to render in a ticket: raw HTML and
     * autolinks inert ({@code <} {@code >} {@code &} escaped, so {@code <img>}, {@code <javascript:…>} and entity
     * tricks such as {@code jav&#97;script:} stay text), no image (an image fetches its address when the ticket is
     * viewed: {@code ![…]} becomes {@code !\[…]}, inline and by reference), and no link whose scheme is not
     * {@code http}, {@code https} or {@code mailto} (inline {@code [a](javascript:…)} and a reference definition
     * {@code [r]: javascript:…} are escaped so they render as text). Browsers drop tabs, line breaks and other
     * controls inside a URL ({@code java\tscript:}), so the scheme is judged without them. Links to http(s) stay.
     */
    public static String inertNote(String markdown) {
        String inert = visibleLines(markdown).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        String[] lines = inert.split("\n", -1);
        for (int li = 0; li < lines.length; li++) {
            java.util.regex.Matcher def = REFERENCE_DEFINITION.matcher(lines[li]);
            if (def.lookingAt()) {
                // the destination may be on the next line
                String dest = def.group(2).isEmpty() && li + 1 < lines.length ? lines[li + 1].strip() : def.group(2);
                if (!safeDestination(dest.split("[ \t]", 2)[0])) {
                    lines[li] = lines[li].substring(0, def.start(1)) + "\\" + lines[li].substring(def.start(1));
                }
            }
        }
        String text = String.join("\n", lines);
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' && i > 0 && text.charAt(i - 1) == '!') {
                b.append("\\[");
            } else if (c == '(' && i > 0 && text.charAt(i - 1) == ']' && !safeDestination(destination(text, i + 1))) {
                b.append("\\(");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code [label]: destination} at a line start (up to three spaces in). */
    private static final java.util.regex.Pattern REFERENCE_DEFINITION =
            java.util.regex.Pattern.compile("^ {0,3}(\\[)[^\\]]{1,999}\\]:[ \t]*+(\\S*+)");

    /** The destination of an inline link starting at {@code from} (after its "("), past spaces and one line end. */
    private static String destination(String text, int from) {
        int i = from;
        boolean newline = false;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t'
                || (text.charAt(i) == '\n' && !newline))) {
            newline |= text.charAt(i) == '\n';
            i++;
        }
        int end = i;
        while (end < text.length() && text.charAt(end) != ')' && text.charAt(end) != ' ' && text.charAt(end) != '\n') {
            end++;
        }
        return text.substring(i, end);
    }

    /** A destination with no scheme (a relative link) or an http, https or mailto one. */
    static boolean safeDestination(String dest) {
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < dest.length(); i++) {
            char c = dest.charAt(i);
            // what browsers strip from a URL before they read its scheme, and control pictures of such characters
            if (c > ' ' && c != 0x7f && !(c >= 0x2400 && c <= 0x2421) && c != '\\') {
                d.append(Character.toLowerCase(c));
            }
        }
        String u = d.toString();
        int colon = u.indexOf(':');
        if (colon < 0) {
            return true;
        }
        String scheme = u.substring(0, colon);
        if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
            return true; // not a scheme: "a/b:c" is a relative path
        }
        return scheme.equals("http") || scheme.equals("https") || scheme.equals("mailto");
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
