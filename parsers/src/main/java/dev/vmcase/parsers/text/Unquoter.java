package dev.vmcase.parsers.text;

import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.LineReader;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first step of reading a paste: each physical line of a ticket or a mail, decoded and without what the
 * medium added around the text the user pasted.
 * <ul>
 *   <li>a raw mail's structure: headers and MIME parts (only text/plain ones are read), quoted-printable (a soft
 *       break glues lines back, {@code =XX} escapes decoded) and format=flowed (a line ending in a space goes on with
 *       the next one);</li>
 *   <li>quote markers: {@code >}, {@code > >}, {@code >>>>}, a column-0 {@code | } (the depth is kept: a reply's
 *       quoted copy of a line defers to its original), {@code [quote]…[/quote]};</li>
 *   <li>containers: Markdown code fences ({@code ```}, {@code ~~~}, inside a quote too), {@code [code]…[/code]},
 *       {@code <pre>…</pre>} of tracker exports (HTML entities decoded); inside a container nothing else is
 *       stripped, and the container's fence lines are boundaries;</li>
 *   <li>a line that is one inline code span ({@code `…`}), a log viewer's line-number gutter ({@code 329357
 *       2020-09-07 19:30:14.208+0000: …}, kept off while the numbers go on one by one), no-break spaces and a
 *       carriage return rendered as {@code ^M};</li>
 *   <li>the file name (and line number) {@code grep} writes in front of a dated line it found, inside a container
 *       too: {@code sosreport-c1/var/log/messages:Jul 11 18:10:59 …}.</li>
 * </ul>
 * Linear in the size of the file; never throws. A line {@link LineReader} had to cut becomes a problem.
 */
final class Unquoter {
    /** One line as the user meant it: its physical lines (more than one after a soft break), quote depth, text. */
    record Unquoted(int first, int last, int depth, int container, String text, boolean boundary) {
        boolean blank() {
            return text.isBlank();
        }
    }

    private static final Pattern FENCE = Pattern.compile("^(`{3,}|~{3,})[\\w+.#-]*\\s*$");
    private static final Pattern GUTTER = Pattern.compile("^([ \\t]*)(\\d{1,9})[ \\t]");
    /** What a log line of a dated format starts with: a date, or a journal's month and day, or a time. */
    private static final Pattern DATED = Pattern.compile(
            "^(?:\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:|[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}"
                    + "|\\d{2}:\\d{2}:\\d{2}[.,]\\d)");
    private static final int MAX_LEADING_SPACES = 4;
    /** A path {@code grep} puts in front of a line is at most this long (PATH_MAX is 4096; real ones are short). */
    private static final int MAX_GREP_PREFIX = 512;

    private final LineReader in;
    private final boolean quotedPrintable;
    private final EvidenceSink problems;

    private int containers;
    // an open Markdown fence
    private boolean fenced;
    private int fenceDepth;
    private char fenceChar;
    private int fenceLength;
    private int fenceContainer;
    // an open [code] or <pre>
    private String codeClose;
    private int codeDepth;
    private int codeContainer;
    // [quote] nesting
    private int tagDepth;
    // the last line-number gutter stripped
    private long gutter = -1;

    Unquoter(LineReader in, boolean quotedPrintable, EvidenceSink problems) {
        this.in = in;
        this.quotedPrintable = quotedPrintable;
        this.problems = problems;
    }

    /** The next line, or null at the end. */
    Unquoted next() {
        String raw = read();
        if (raw == null) {
            return null;
        }
        int first = number;
        int last = first;
        Unquoted mime = mime(first, raw);
        if (mime != null) {
            return mime;
        }
        if (partFlowed && !quotedPrintable()) {
            // format=flowed (RFC 3676): a line ending in a space goes on with the next one of the same quote depth
            int depth = quoteMarks(raw);
            StringBuilder sb = null;
            int glued = 0;
            String current = raw;
            while (current.endsWith(" ") && !current.equals("-- ") && glued++ < MailText.MAX_SOFT_BREAKS
                    && (sb == null || sb.length() < LineReader.MAX_LINE)) {
                String more = read();
                if (more == null) {
                    break;
                }
                if (quoteMarks(more) != depth || more.isBlank() || headerOrBoundary(more)) {
                    pushBack = more;
                    pushBackNumber = number;
                    break;
                }
                if (sb == null) {
                    sb = new StringBuilder(raw);
                }
                String rest = more.substring(depth);
                sb.append(depth > 0 && rest.startsWith(" ") ? rest.substring(1) : rest);
                last = number;
                current = more;
            }
            if (sb != null) {
                raw = sb.toString();
            }
        }
        if (quotedPrintable()) {
            if (MailText.softBreak(raw)) {
                // a quoted copy of an encoded mail quotes each physical line: the pieces lose their markers
                int depth = quoteMarks(raw);
                StringBuilder sb = new StringBuilder(raw);
                int glued = 0;
                while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '=' && glued++ < MailText.MAX_SOFT_BREAKS
                        && sb.length() < LineReader.MAX_LINE) {
                    String more = read();
                    if (more == null) {
                        break;
                    }
                    last = number;
                    sb.setLength(sb.length() - 1);
                    sb.append(depth > 0 && quoteMarks(more) >= depth ? more.substring(depth) : more);
                }
                raw = sb.toString();
            }
            String decoded = MailText.decodeQuotedPrintable(raw, partCharset);
            if (!badEncodingSaid && !decoded.equals(MailText.decodeQuotedPrintable(raw, partCharset, false))) {
                // said once: a mail that lies about its charset does so on every line
                badEncodingSaid = true;
                problems.problemOf(first, "text.qpNotCharset", partCharset.name());
            }
            raw = decoded;
        }
        return unquote(first, last, MailText.clean(raw));
    }

    // A raw mail: its headers and MIME parts. Only text/plain parts are read; quoted-printable is decoded where a
    // header says so (or, in a body without headers, where the text looks like it).
    private static final Pattern HEADER = Pattern.compile("^[A-Za-z][\\w-]*: |^From \\S");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private boolean headers;
    private String boundary;
    private boolean partQuotedPrintable;
    private boolean partFlowed;
    private boolean badEncodingSaid;
    private java.nio.charset.Charset partCharset = java.nio.charset.StandardCharsets.UTF_8;
    private boolean skipPart;
    private String contentType = "text/plain";
    private String transferEncoding = "";
    private boolean anyHeaders;

    private boolean quotedPrintable() {
        return anyHeaders ? partQuotedPrintable : quotedPrintable;
    }

    /** A line that belongs to a mail's structure rather than its text, as a boundary; null for a text line. */
    private Unquoted mime(int line, String raw) {
        if (line == 1 && HEADER.matcher(raw).lookingAt() && MailText.isMailHeader(raw)) {
            headers = true;
            anyHeaders = true;
        }
        if (boundary != null && raw.startsWith("--" + boundary)) {
            headers = true;
            contentType = "text/plain";
            transferEncoding = "";
            return new Unquoted(line, line, 0, 0, "", true);
        }
        if (headers) {
            if (raw.isBlank()) {
                headers = false;
                partQuotedPrintable = transferEncoding.contains("quoted-printable");
                partCharset = MailText.charset(contentType);
                partFlowed = contentType.contains("format=flowed");
                skipPart = !contentType.startsWith("text/plain") && !contentType.startsWith("multipart/")
                        || transferEncoding.contains("base64");
                return new Unquoted(line, line, 0, 0, "", true);
            }
            String lower = raw.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-type:")) {
                contentType = lower.substring(13).strip();
            } else if (lower.startsWith("content-transfer-encoding:")) {
                transferEncoding = lower.substring(26).strip();
            }
            Matcher b = BOUNDARY.matcher(raw);
            if ((lower.startsWith("content-type:") || Character.isWhitespace(raw.isEmpty() ? 'x' : raw.charAt(0)))
                    && b.find()) {
                boundary = b.group(1);
            }
            return new Unquoted(line, line, 0, 0, "", true);
        }
        if (skipPart) {
            return new Unquoted(line, line, 0, 0, "", true);
        }
        return null;
    }

    // one physical line read ahead (format=flowed looks at the next line before gluing it)
    private String pushBack;
    private int pushBackNumber;
    private int number;

    /** The next physical line (a line read ahead first); its number in {@link #number}. */
    private String read() {
        if (pushBack != null) {
            String l = pushBack;
            number = pushBackNumber;
            pushBack = null;
            return l;
        }
        String l = in.next();
        if (l != null) {
            number = in.number();
            cut(number);
        }
        return l;
    }

    /** How many {@code >} a line starts with (format=flowed quotes without spaces between them). */
    private static int quoteMarks(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '>') {
            i++;
        }
        return i;
    }

    private boolean headerOrBoundary(String raw) {
        return boundary != null && raw.startsWith("--" + boundary);
    }

    private void cut(int line) {
        if (in.wasCut()) {
            problems.lineCut(line);
        }
    }

    private Unquoted unquote(int first, int last, String s) {
        int limit = fenced ? fenceDepth : codeClose != null ? codeDepth : Integer.MAX_VALUE;
        int depth = 0;
        int i = 0;
        while (i < s.length() && i < MAX_LEADING_SPACES && s.charAt(i) == ' ') {
            i++;
        }
        int contentStart = 0;
        while (depth < limit && i < s.length() && (s.charAt(i) == '>' || pipeQuote(s, i, depth))) {
            depth++;
            i++;
            contentStart = i < s.length() && s.charAt(i) == ' ' ? i + 1 : i;
            int j = i;
            while (j < s.length() && s.charAt(j) == ' ') {
                j++;
            }
            if (j < s.length() && s.charAt(j) == '>') {
                i = j;
            } else {
                break;
            }
        }
        String content = depth == 0 ? s : s.substring(contentStart);
        if (fenced) {
            if (closesFence(content)) {
                fenced = false;
                return new Unquoted(first, last, fenceDepth, fenceContainer, "", true);
            }
            return new Unquoted(first, last, fenceDepth, fenceContainer, withoutGrepPrefix(content), false);
        }
        if (codeClose != null) {
            return inCode(first, last, content);
        }
        String t = content.strip();
        Matcher f = FENCE.matcher(t);
        if (f.matches()) {
            fenced = true;
            fenceDepth = depth;
            fenceChar = t.charAt(0);
            fenceLength = f.group(1).length();
            fenceContainer = ++containers;
            return new Unquoted(first, last, depth, fenceContainer, "", true);
        }
        String lower = t.length() > 12 ? t.substring(0, 12).toLowerCase(Locale.ROOT) : t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("[code]") || lower.startsWith("<pre>") || lower.startsWith("<pre ")) {
            codeClose = lower.startsWith("[") ? "[/code]" : "</pre>";
            codeDepth = depth + tagDepth;
            codeContainer = ++containers;
            int gt = t.indexOf(lower.startsWith("[") ? ']' : '>');
            String rest = t.substring(gt + 1);
            return rest.isBlank() ? new Unquoted(first, last, codeDepth, codeContainer, "", true)
                    : inCode(first, last, rest);
        }
        if (lower.startsWith("[quote]") || lower.startsWith("[quote=") || lower.startsWith("[quote ")) {
            int close = t.indexOf(']');
            if (close > 0) {
                tagDepth++;
                String rest = t.substring(close + 1);
                if (rest.isBlank()) {
                    return new Unquoted(first, last, depth + tagDepth, 0, "", true);
                }
                content = rest;
                t = rest.strip();
            }
        }
        int endQuote = tagDepth > 0 ? t.toLowerCase(Locale.ROOT).lastIndexOf("[/quote]") : -1;
        int lineDepth = depth + tagDepth;
        if (endQuote >= 0) {
            tagDepth--;
            content = t.substring(0, endQuote);
            if (content.isBlank()) {
                return new Unquoted(first, last, lineDepth, 0, "", true);
            }
        }
        return new Unquoted(first, last, lineDepth, 0, withoutGrepPrefix(withoutGutter(oneCodeSpan(content))), false);
    }

    private Unquoted inCode(int first, int last, String content) {
        int close = content.toLowerCase(Locale.ROOT).indexOf(codeClose);
        boolean pre = "</pre>".equals(codeClose);
        String text = close >= 0 ? content.substring(0, close) : content;
        if (pre) {
            text = MailText.decodeEntities(text);
        }
        int container = codeContainer;
        if (close >= 0) {
            codeClose = null;
        }
        return new Unquoted(first, last, codeDepth, container, withoutGrepPrefix(text), close >= 0 && text.isBlank());
    }

    /** A column-0 {@code | } quote (some mail clients and forum exports); a table row ends with {@code |} too. */
    private static boolean pipeQuote(String s, int i, int depth) {
        return depth == 0 && i == 0 && s.charAt(0) == '|' && (s.length() == 1 || s.charAt(1) == ' ')
                && !s.stripTrailing().endsWith("|") || depth == 0 && i == 0 && s.equals("|");
    }

    private boolean closesFence(String content) {
        String t = content.strip();
        if (t.length() < fenceLength || t.charAt(0) != fenceChar) {
            return false;
        }
        for (int k = 0; k < t.length(); k++) {
            if (t.charAt(k) != fenceChar) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code `qemu-system-x86_64: load of migration failed`} on a line of its own is that line, and so is a span
     * opened by a run of backticks and closed by as many ({@code ``2022-05-16 06:19:39.337+0000: shutting down,
     * reason=crashed``}, Markdown's way to quote a text that may hold a backtick; the one blank each side such a span
     * may have is Markdown's, not the text's); so is a line a tracker's Markdown made bold as a whole
     * ({@code **QEMU[2538388]: kvm: check_section_footer: …**}).
     */
    static String oneCodeSpan(String content) {
        String t = content.strip();
        int open = 0;
        while (open < t.length() && t.charAt(open) == '`') {
            open++;
        }
        int close = 0;
        while (close < t.length() - open && t.charAt(t.length() - 1 - close) == '`') {
            close++;
        }
        // three or more alone on a line open a fence instead; a run as long inside would have closed the span
        if (open > 0 && open == close && t.length() > 2 * open
                && !t.substring(open, t.length() - open).contains("`".repeat(open))) {
            String inner = t.substring(open, t.length() - open);
            return open > 1 && inner.length() > 2 && inner.startsWith(" ") && inner.endsWith(" ") && !inner.isBlank()
                    ? inner.substring(1, inner.length() - 1) : inner;
        }
        if (t.length() > 4 && t.startsWith("**") && t.endsWith("**") && t.indexOf("**", 2) == t.length() - 2) {
            return t.substring(2, t.length() - 2);
        }
        return content;
    }

    /**
     * What {@code grep} puts in front of a line it found in one of several files (or with {@code -H}, {@code -n}):
     * {@code sosreport-c1/var/log/messages:Jul 11 18:10:59 …}, {@code nova-compute.log:12:2024-07-11 …}, and {@code -}
     * instead of {@code :} on a context line ({@code -A}, {@code -B}). Stripped when what follows is a dated log line
     * and the line itself is not one: a file name is one word, so only the line's first word is searched.
     */
    static String withoutGrepPrefix(String content) {
        if (content.isEmpty() || DATED.matcher(content).lookingAt()) {
            return content;
        }
        int end = Math.min(content.length(), MAX_GREP_PREFIX);
        Matcher dated = DATED.matcher(content);
        for (int i = 1; i < end - 1; i++) {
            char c = content.charAt(i);
            if (c == ' ' || c == '\t') {
                break;
            }
            if ((c == ':' || c == '-') && dated.region(i + 1, content.length()).lookingAt()) {
                return content.substring(i + 1);
            }
        }
        return content;
    }

    /**
     * A log viewer's line numbers in front of the lines: stripped in front of a dated line, and then from every
     * line whose number is the next one (a record's continuation keeps its own indentation).
     */
    private String withoutGutter(String content) {
        Matcher g = GUTTER.matcher(content);
        if (!g.lookingAt()) {
            gutter = -1;
            return content;
        }
        long n = Long.parseLong(g.group(2));
        String rest = content.substring(g.end());
        if (gutter >= 0 && n == gutter + 1 || DATED.matcher(rest).lookingAt()) {
            gutter = n;
            return g.group(1) + rest;
        }
        gutter = -1;
        return content;
    }
}
