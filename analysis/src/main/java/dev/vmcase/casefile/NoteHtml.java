package dev.vmcase.casefile;

/**
 * A small, safe subset of Markdown for notes in the HTML report: paragraphs, line breaks, {@code - } lists,
 * {@code **bold**}, {@code *emphasis*} and {@code `code`}. The text is escaped first and only these tags are added,
 * so nothing the note holds can become markup (no links, no images, no raw HTML).
 */
final class NoteHtml {
    private NoteHtml() {
    }

    static String render(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean inList = false;
        StringBuilder para = new StringBuilder();
        for (String raw : SafeText.visibleLines(markdown).split("\n", -1)) {
            String line = raw.stripTrailing();
            boolean item = line.startsWith("- ") || line.startsWith("* ");
            if (line.isBlank() || item) {
                flush(out, para);
            }
            if (item) {
                if (!inList) {
                    out.append("<ul>");
                    inList = true;
                }
                out.append("<li>").append(inline(line.substring(2))).append("</li>");
                continue;
            }
            if (inList && !line.isBlank()) {
                out.append("</ul>");
                inList = false;
            }
            if (!line.isBlank()) {
                para.append(para.length() == 0 ? "" : "<br>").append(inline(line));
            }
        }
        flush(out, para);
        if (inList) {
            out.append("</ul>");
        }
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder para) {
        if (para.length() > 0) {
            out.append("<p>").append(para).append("</p>");
            para.setLength(0);
        }
    }

    /** Escapes, then turns `code`, **bold** and *em* into tags (code spans first, their content left alone). */
    static String inline(String text) {
        StringBuilder out = new StringBuilder();
        String[] parts = text.split("`", -1);
        for (int i = 0; i < parts.length; i++) {
            boolean code = i % 2 == 1 && i < parts.length - 1;
            String e = SafeText.html(parts[i]);
            if (code) {
                out.append("<code>").append(e).append("</code>");
            } else {
                if (i % 2 == 1) {
                    out.append('`'); // an unclosed backtick stays a backtick
                }
                e = e.replaceAll("\\*\\*([^*]+)\\*\\*", "<strong>$1</strong>");
                e = e.replaceAll("(?<![*\\w])\\*([^*\\s][^*]*)\\*(?![*\\w])", "<em>$1</em>");
                out.append(e);
            }
        }
        return out.toString();
    }
}
