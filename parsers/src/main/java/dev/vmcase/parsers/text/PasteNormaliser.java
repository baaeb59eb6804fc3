package dev.vmcase.parsers.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;
import dev.vmcase.parsers.qmp.Json;
import dev.vmcase.parsers.text.Unquoter.Unquoted;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pasted text as the lines its author meant: decoded and unquoted ({@link Unquoter}), then with the lines that
 * mail clients and trackers wrapped joined again. Each {@link PastedLine} keeps the number of the file's line it
 * starts on, so whatever is read from it cites the line a user sees in the file.
 * <p>
 * A line is joined to the one before only when its content says it cannot stand alone and the one before was cut:
 * <ul>
 *   <li>a log record (libvirtd, nova, QEMU or libvirt domain log, a bare QEMU message) goes on over a next line
 *       that starts nothing of its own, at the record's margin, when the record's last piece ends where the
 *       wrapping column would have cut it ({@link WrapWidth}: the next word would not have fitted); a QEMU message
 *       also over a line indented further (a hand-wrapped hanging indent);</li>
 *   <li>a QEMU command line goes on over lines ending in {@code \}, over lines starting with an option
 *       ({@code -device …}, as {@code qemu-dm} and scripts print them), and over wrapped pieces that are not
 *       prose;</li>
 *   <li>a JSON object cut at the wrapping column is joined until it is complete (at most {@link #MAX_JSON_LINES}
 *       lines); if it never completes, or turns out not to be JSON, nothing is joined. A pretty-printed document
 *       (short lines) stays as it is: its parser reads it line by line.</li>
 * </ul>
 * Joins stay inside one quote depth and one container (code fence, {@code <pre>}). Whatever cannot be joined stays
 * a line of its own: prose, for the readers after this.
 */
final class PasteNormaliser {
    /** One logical line: the file lines {@code first}–{@code last}, quote depth, container, text. */
    record PastedLine(int first, int last, int depth, int container, String text, boolean boundary) {
        boolean blank() {
            return text.isBlank();
        }
    }

    static final int MAX_WRAP_JOINS = 64;
    /** A line is split into at most this many pieces (a line of a million glued messages stays one past that). */
    static final int MAX_PIECES = 10_000;
    /** How many {@code \\n} escapes of one line are looked at (each asks every form whether a line starts there). */
    static final int MAX_ESCAPES_LOOKED_AT = 1_000;
    /**
     * Where a QEMU line glued to what comes before it starts, one character after the match: a character other than a
     * space, then QEMU's {@code -msg timestamp=on} time and a space; or an author's ellipsis or full stop, then QEMU's
     * program name and {@code ": "} ({@code …through libvirt...qemu-system-x86_64: error: …}).
     */
    private static final Pattern GLUED_QEMU_LINE = Pattern.compile(
            "[^\\s](?=\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z )"
                    + "|[.\u2026](?=(?:qemu-system-[\\w.-]+|qemu-kvm): )");
    static final int MAX_JSON_LINES = 2000;
    static final int MAX_COMMAND_LINES = 1000;
    /** How many lines of a file the wrapping column is estimated from. */
    static final int SAMPLE_LINES = 50_000;

    private final Unquoter in;
    private final Deque<Unquoted> ahead = new ArrayDeque<>();
    private final Deque<Unquoted> pieces = new ArrayDeque<>();
    private final int width;
    private final boolean hard;
    private final EvidenceSink problems;
    private final Formats formats;

    PasteNormaliser(LineReader lines, boolean quotedPrintable, int width, boolean hard, EvidenceSink problems,
                    Formats formats) {
        this.in = new Unquoter(lines, quotedPrintable, problems);
        this.width = width;
        this.hard = hard;
        this.problems = problems;
        this.formats = formats;
    }

    /** A normaliser over a whole source: reads its head to see whether it is quoted-printable and where it wraps. */
    static PasteNormaliser of(TextSource source, LineReader lines, EvidenceSink problems, Formats formats) {
        List<String> head = new ArrayList<>();
        boolean qp;
        WrapWidth w = new WrapWidth();
        try (LineReader r = source.lines()) {
            String l;
            while (head.size() < 400 && (l = r.next()) != null) {
                head.add(l.length() > 4096 ? l.substring(0, 4096) : l);
            }
        }
        qp = MailText.looksQuotedPrintable(head);
        try (LineReader r = source.lines()) {
            Unquoter u = new Unquoter(r, qp, new EvidenceSink("", ""));
            Unquoted x;
            int n = 0;
            while (n++ < SAMPLE_LINES && (x = u.next()) != null) {
                if (!x.boundary()) {
                    w.add(x.text());
                }
            }
        }
        int width = w.width();
        return new PasteNormaliser(lines, qp, width, w.hard(width), problems, formats);
    }

    int width() {
        return width;
    }

    /** The next line of the unquoter, or of the pieces a line it gave was split into. */
    private Unquoted read() {
        if (!pieces.isEmpty()) {
            return pieces.removeFirst();
        }
        Unquoted u = in.next();
        if (u == null || u.boundary() || u.blank()) {
            return u;
        }
        String message = structuredMessage(u.text());
        if (message != null) {
            u = new Unquoted(u.first(), u.last(), u.depth(), u.container(), message, false);
        }
        List<String> split = split(u.text());
        if (split.size() == 1) {
            return split.get(0).equals(u.text()) ? u
                    : new Unquoted(u.first(), u.last(), u.depth(), u.container(), split.get(0), false);
        }
        for (String piece : split) {
            pieces.addLast(new Unquoted(u.first(), u.last(), u.depth(), u.container(), piece, false));
        }
        return pieces.removeFirst();
    }

    /**
     * One line of text that holds several: the lines a program or a tracker glued into one, each cited by the line
     * they share. A line break inside the text (a structured log's message) is one; three glues are undone:
     * <ul>
     *   <li>{@code &#10;} — a tracker's HTML export of a line break outside {@code <pre>}
     *       ({@code … Read section footer failed: -5&#10;2025-01-09T18:20:49.710893Z qemu-kvm: load of …});</li>
     *   <li>a QEMU line glued to the one before it without a break, as libvirt quotes QEMU's log tail when the
     *       caller strips the newlines ({@code … Input/output error2023-06-05T09:56:55.516323Z qemu-kvm: …}): split
     *       before a QEMU timestamp that follows a character other than a space; and QEMU's lines an author strung
     *       together with ellipses ({@code …through libvirt...qemu-system-x86_64: error: failed to set MSR …
     *       0x7fffff00036dfb...qemu-system-x86_64: …: Assertion …}): split before QEMU's program name after a
     *       {@code .} or {@code …} (after a letter, a slash or a hyphen it is part of a word or a path);</li>
     *   <li>a {@code \n} escape of a program's repr of its output (Python's {@code b"…\nerror: …"}) when what
     *       follows it starts a line of some form or is virsh's {@code error: } line.</li>
     * </ul>
     */
    List<String> split(String text) {
        if (text.indexOf("&#") < 0 && text.indexOf('\\') < 0 && text.indexOf('Z') < 0 && text.indexOf('\n') < 0
                && text.indexOf("qemu") < 0) {
            return List.of(text);
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        Matcher glued = GLUED_QEMU_LINE.matcher(text);
        int nextGlue = glued.find() ? glued.start() + 1 : -1;
        int escapes = 0;
        int escapeCuts = 0;
        while (i < text.length() && out.size() < MAX_PIECES) {
            int cut = -1;
            int resume = -1;
            if (text.charAt(i) == '\n') {
                cut = i > 0 && text.charAt(i - 1) == '\r' ? i - 1 : i;
                resume = i + 1;
            } else if (text.startsWith("&#10;", i)) {
                cut = i > 5 && text.startsWith("&#13;", i - 5) ? i - 5 : i;
                resume = i + 5;
            } else if (text.startsWith("\\n", i) && i + 2 < text.length() && escapes++ < MAX_ESCAPES_LOOKED_AT
                    && startsALine(text.substring(i + 2, Math.min(text.length(), i + 2 + 512)).strip())) {
                cut = i > 1 && text.startsWith("\\r", i - 2) ? i - 2 : i;
                resume = i + 2;
                escapeCuts++;
            } else if (i == nextGlue) {
                cut = i;
                resume = i;
                nextGlue = glued.find(i + 1) ? glued.start() + 1 : -1;
            }
            if (cut >= 0) {
                if (cut > start) {
                    out.add(text.substring(start, cut));
                }
                start = resume;
                i = resume == cut ? resume + 1 : resume;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        if (out.isEmpty()) {
            return List.of(text);
        }
        // the repr's last line keeps its own "\n" and the closing quote: the program's line ends before them
        int lastPiece = out.size() - 1;
        Matcher end = REPR_END.matcher(out.get(lastPiece));
        if (end.find() && end.start() > 0 && (escapeCuts > 0 || BYTES_REPR.matcher(text).find())
                && !BYTES_REPR_OPEN_AT_END.matcher(out.get(lastPiece).substring(0, end.start())).find()) {
            out.set(lastPiece, out.get(lastPiece).substring(0, end.start()));
        }
        return out;
    }

    /** A repr's end: the escaped line break of its last line ({@code \n}, {@code \\n}, {@code \r\n}) and its closing quote. */
    private static final Pattern REPR_END = Pattern.compile("(?:\\\\{1,2}r)?\\\\{1,2}n[\"']\\)?,?\\s*$");
    /** Python's bytes repr opening ({@code stderr: b"error: …}, {@code b'…'}): a program's output as Python printed it. */
    private static final Pattern BYTES_REPR = Pattern.compile("(?<![\\w\\\\])b[\"']");
    /** An empty repr ({@code stdout: b'\n'}): its quotes are kept, so the line does not end in an opening quote. */
    private static final Pattern BYTES_REPR_OPEN_AT_END = Pattern.compile("(?<![\\w\\\\])b[\"']$");

    /**
     * The message of a structured log line: a JSON object of one line with the message in {@code msg} (or
     * {@code message}) beside a level, a component or a time, as KubeVirt's virt-launcher and virt-handler write every
     * record, libvirt's and QEMU's text relayed in {@code msg} ({@code {"component":"virt-launcher","level":"error",
     * "msg":"Unable to read from monitor: Connection reset by peer","subcomponent":"libvirt",…}}). The error a record
     * carries beside its message — zap's and logrus's {@code error} or {@code err}, KubeVirt's {@code reason}
     * ({@code "msg":"Failed to sync vmi",…,"reason":"virError(Code=99, …, Message='device not found: …')"}) — is a
     * line of its own after the message, so the message catalogue reads both. The message's own line breaks become
     * lines ({@link #split}). Null for any other line, a QMP message above all: QMP never writes {@code msg}, and its
     * {@code error} is an object, never a text.
     */
    static String structuredMessage(String text) {
        String t = withoutContainerPrefix(text.strip());
        if (t.length() < 10 || !t.startsWith("{\"") || !t.endsWith("}")
                || !t.contains("\"msg\":") && !t.contains("\"message\":")) {
            return null;
        }
        JsonNode record;
        try {
            record = Json.MAPPER.readTree(t);
        } catch (java.io.IOException | RuntimeException e) {
            return null; // not JSON after all (a brace in prose): the line is read as it is
        }
        if (record == null || !record.isObject() || record.has("execute") || record.has("return")
                || record.has("event") || record.has("error") && !record.get("error").isTextual()) {
            return null;
        }
        JsonNode msg = record.has("msg") ? record.get("msg") : record.get("message");
        boolean logRecord = record.has("level") || record.has("component") || record.has("timestamp")
                || record.has("severity") || record.has("ts");
        if (msg == null || !msg.isTextual() || !logRecord || msg.asText().isBlank()) {
            return null;
        }
        StringBuilder out = new StringBuilder(msg.asText());
        for (String key : ERROR_FIELDS) {
            JsonNode error = record.get(key);
            // KubeVirt repeats the error in msg at times ("libvirt failed to detach …: virError(…)"): said once
            if (error != null && error.isTextual() && !error.asText().isBlank()
                    && !msg.asText().contains(error.asText())) {
                out.append('\n').append(error.asText());
            }
        }
        return out.toString();
    }

    /**
     * The record without the one word a log collector puts in front of each line: the container's name
     * ({@code compute {"component":…}}, as {@code kubectl logs --prefix} or {@code stern} print a pod's containers),
     * bracketed or not. Anything longer in front is prose, and the line is given back as it is.
     */
    private static String withoutContainerPrefix(String t) {
        int brace = t.indexOf("{\"");
        if (brace <= 0 || brace > 256 || t.charAt(brace - 1) != ' ') {
            return t;
        }
        String prefix = t.substring(0, brace).strip();
        return prefix.indexOf(' ') < 0 && prefix.indexOf('\t') < 0 ? t.substring(brace) : t;
    }

    /** The fields a structured log record gives its error in: zap's and logrus's, and KubeVirt's. */
    private static final List<String> ERROR_FIELDS = List.of("error", "err", "reason");

    /** Whether {@code t} starts a line of some form, or virsh's {@code error: } line (vshError's prefix). */
    private boolean startsALine(String t) {
        return t.startsWith("error: ") || formats.startsAnything(t);
    }

    /** The next logical line, or null at the end. */
    PastedLine next() {
        Unquoted u = take();
        if (u == null) {
            return null;
        }
        if (u.boundary() || u.blank()) {
            return new PastedLine(u.first(), u.last(), u.depth(), u.container(), u.text(), u.boundary());
        }
        String t = u.text().strip();
        Kind kind = kind(t);
        if (kind == Kind.JSON) {
            PastedLine joined = joinJson(u);
            if (joined != null) {
                return joined;
            }
            kind = Kind.OTHER;
        }
        if (kind == Kind.EMBEDDED_JSON) {
            PastedLine joined = joinEmbedded(u);
            if (joined != null) {
                return joined;
            }
            kind = Kind.OTHER;
        }
        StringBuilder text = new StringBuilder(u.text());
        int last = u.last();
        int lastLength = u.text().stripTrailing().length();
        int margin = PasteForms.indent(u.text());
        int joins = 0;
        while (true) {
            Unquoted n = peek();
            if (n == null || n.boundary() || n.blank() || n.depth() != u.depth() || n.container() != u.container()) {
                break;
            }
            String nt = n.text().strip();
            boolean backslash = kind == Kind.COMMAND && endsWithBackslash(text);
            String glue;
            if (backslash && joins < MAX_COMMAND_LINES) {
                text.setLength(text.toString().stripTrailing().length() - 1);
                text.setLength(text.toString().stripTrailing().length());
                glue = " ";
            } else if (formats.startsAnything(nt) || joins >= limit(kind)) {
                break;
            } else if ((glue = kind == Kind.COMMAND || nt.startsWith(VIRSH_ERROR) ? null
                    : catalogueGlue(text, nt, lastLength)) != null) {
                text.setLength(text.toString().stripTrailing().length()); // the message goes on right there
            } else if (kind == Kind.OTHER
                    || (glue = glue(kind, lastLength, margin, n.text(), nt, hyphenBreak(text))) == null) {
                break; // prose joins nothing but what the catalogue recognises across the break
            }
            if (text.length() + nt.length() >= LineReader.MAX_LINE) {
                problems.problemOf(n.first(), "text.joinTooLong", LineReader.MAX_LINE);
                break;
            }
            take();
            text.append(glue).append(nt);
            last = n.last();
            lastLength = n.text().stripTrailing().length();
            joins++;
        }
        return new PastedLine(u.first(), last, u.depth(), u.container(), text.toString(), false);
    }

    /** virsh's error line (vshError's prefix): a line of its own, never the rest of the line before. */
    private static final String VIRSH_ERROR = "error: ";
    /** How much of each side of a break the catalogue looks at: any message of it is shorter. */
    static final int CATALOGUE_WINDOW = 400;
    /**
     * The catalogue's messages a join may make: those with a fixed phrase (needle) of three or more ASCII characters,
     * which a byte search finds at once in the lines around a break (not the known bugs' signatures, which a wrap
     * never makes; nor a one-character needle such as an option error's {@code -}, which any line holds).
     */
    private static final List<Message> MESSAGES = MessageCatalogue.get().messages().stream()
            .filter(m -> m.needle().length() >= 3 && m.needle().chars().allMatch(c -> c < 0x80)).toList();
    /** Their needles: no message can cross a break when neither join of the two lines holds one. */
    private static final AsciiPatterns NEEDLES = new AsciiPatterns(MessageCatalogue.needles(MESSAGES));
    private static final int LONGEST_NEEDLE = MESSAGES.stream().mapToInt(m -> m.needle().length()).max().orElse(0);

    /**
     * How the next line goes on with this one when the message catalogue says so: the glue ({@code " "} or, for a
     * word or an id broken by a tracker or a mail client, {@code ""}) with which the two make one of the
     * catalogue's messages that neither holds alone ({@code …'device_del': Hot-un} / {@code plug failed: guest is
     * busy (power indicator blinking)}), the message crossing the break. Null when no message does: nothing is
     * guessed. When both glues make a message, the break is taken as inside a word when it falls inside a quoted
     * name ({@code 'pcie-root-} / {@code port-3'}: QEMU's ids hold no blank) or at the column of a hard wrap.
     */
    private String catalogueGlue(CharSequence text, String nt, int lastLength) {
        String tail = text.subSequence(Math.max(0, text.length() - CATALOGUE_WINDOW), text.length()).toString()
                .stripTrailing();
        String head = nt.length() > CATALOGUE_WINDOW ? nt.substring(0, CATALOGUE_WINDOW) : nt;
        if (tail.isEmpty() || head.isEmpty()) {
            return null;
        }
        // most lines are spared the patterns: a message crossing the break has its needle in one of the joins —
        // in both when it lies in one line, and only one that crosses the break is in the joined-with-a-blank alone
        byte[] tightBytes = (tail + head).getBytes(StandardCharsets.ISO_8859_1);
        boolean needle = NEEDLES.anyIn(tightBytes, 0, tightBytes.length);
        if (!needle) {
            byte[] around = (tail.substring(Math.max(0, tail.length() - LONGEST_NEEDLE)) + " "
                    + head.substring(0, Math.min(head.length(), LONGEST_NEEDLE))).getBytes(StandardCharsets.ISO_8859_1);
            if (!NEEDLES.anyIn(around, 0, around.length)) {
                return null;
            }
        }
        boolean spaced = madeByJoin(tail, " ", head);
        boolean tight = needle && madeByJoin(tail, "", head);
        if (spaced && tight) {
            boolean insideQuotes = tail.chars().filter(c -> c == '\'').count() % 2 == 1;
            return insideQuotes || hard && lastLength == width ? "" : " ";
        }
        return tight ? "" : spaced ? " " : null;
    }

    /**
     * Whether a catalogue message crosses the join of {@code tail}, {@code glue} and {@code head}, in neither alone — or
     * goes on across it: the tail ends in the message and a colon announcing the rest, which the message's pattern
     * takes from the next line ({@code load of migration failed:} / {@code Operation not permitted}, a mail's wrap).
     */
    private static boolean madeByJoin(String tail, String glue, String head) {
        String joined = tail + glue + head;
        int cut = tail.length();
        for (Message m : MESSAGES) {
            MessageMatch found = m.find(joined);
            if (found == null || found.start() >= cut || found.end() <= cut + glue.length() || m.find(head) != null) {
                continue;
            }
            MessageMatch alone = m.find(tail);
            if (alone == null || tail.endsWith(":") && alone.start() == found.start() && alone.end() >= cut - 1) {
                return true;
            }
        }
        return false;
    }

    private enum Kind { RECORD, QEMU_MESSAGE, COMMAND, JSON, EMBEDDED_JSON, OTHER }

    private Kind kind(String t) {
        if (t.isEmpty()) {
            return Kind.OTHER;
        }
        // a record cut right after its priority ("…: 2460: debug :") lost the blank the wrap took
        if (formats.recordFormat(t) != null || width > 0 && t.endsWith(":") && formats.recordFormat(t + " x") != null) {
            return Kind.RECORD;
        }
        if (PasteForms.commandLineStart(t) >= 0 || PasteForms.startsEnvironment(t)) {
            return Kind.COMMAND;
        }
        if (PasteForms.isLogLine(t)) {
            return Kind.QEMU_MESSAGE;
        }
        char c = t.charAt(0);
        if ((c == '{' || c == '[') && width > 0 && !PasteForms.looksLikeQmpLine(t)) {
            return Kind.JSON;
        }
        if (PasteForms.withoutDirection(t) != t && PasteForms.withoutDirection(t).startsWith("{") && width > 0
                && !PasteForms.looksLikeQmpLine(t)) {
            return Kind.JSON;
        }
        if (!PasteForms.withoutDirection(t).startsWith("{") && PasteForms.openEmbeddedQmp(t, 1) > 0) {
            return Kind.EMBEDDED_JSON;
        }
        return Kind.OTHER;
    }

    private static int limit(Kind kind) {
        return kind == Kind.COMMAND ? MAX_COMMAND_LINES : MAX_WRAP_JOINS;
    }

    /**
     * How a next line that starts nothing of its own goes on with a line of this kind: the text to put between
     * them, or null when it does not go on.
     */
    private String glue(Kind kind, int lastLength, int margin, String next, String nt) {
        return glue(kind, lastLength, margin, next, nt, false);
    }

    /**
     * @param brokenAtHyphen the piece before ends in a hyphen inside a word: Python's textwrap (Launchpad's mails)
     *                       breaks there too ({@code "blockdev-} / {@code add"}), and the halves join without a blank
     */
    private String glue(Kind kind, int lastLength, int margin, String next, String nt, boolean brokenAtHyphen) {
        int indent = PasteForms.indent(next);
        if (kind == Kind.COMMAND && PasteForms.isOption(nt)) {
            return " ";
        }
        // a wrapped piece starts at the margin or left of it (a mail client drops the indentation it wraps)
        if (indent <= margin && wrapped(lastLength, nt)) {
            if (kind == Kind.COMMAND ? !commandPiece(nt) : PasteForms.looksLikeProse(nt)) {
                return null;
            }
            return hard && lastLength == width || brokenAtHyphen ? "" : " ";
        }
        if (indent > margin && kind == Kind.QEMU_MESSAGE) {
            return " "; // a hanging indent: the author's own continuation of a QEMU message
        }
        return null;
    }

    /**
     * Whether a line of this length was cut by the wrapping: the next line's first word would not have fitted. A
     * piece of machine text ({@code MAC=fe:bb:…}, {@code : Unable to …}) is given more room: the column it was
     * wrapped at may have counted quote markers that were added or taken since; a plain word is not (prose under a
     * log line must stay prose).
     */
    private boolean wrapped(int lastLength, String nt) {
        if (width == 0 || lastLength > width + 1 || lastLength * 2 < width) {
            return false;
        }
        int word = 0;
        while (word < nt.length() && !Character.isWhitespace(nt.charAt(word))) {
            word++;
        }
        int slack = technical(nt, word) ? MACHINE_SLACK : 2;
        return lastLength + 1 + word > width - slack;
    }

    /** Columns of room a wrapped piece of machine text is given (a quote prefix {@code >> } or two). */
    static final int MACHINE_SLACK = 8;

    /** A first word with option or log punctuation in it, or a quoted one: machine text, not a sentence's word. */
    private static boolean technical(String nt, int end) {
        for (int i = 0; i < end; i++) {
            if ("=,/:._-'\"0123456789[]()".indexOf(nt.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A piece of a command line, not a sentence: its first word has option punctuation in it ({@code
     * if=virtio,file=…}), or the line goes on with options ({@code host -smp 8 -m 16G}).
     */
    private static boolean commandPiece(String nt) {
        if (PasteForms.looksLikeProse(nt)) {
            return false;
        }
        int end = 0;
        while (end < nt.length() && !Character.isWhitespace(nt.charAt(end))) {
            end++;
        }
        return technical(nt, end) || nt.contains(" -");
    }

    /** Ends in a hyphen that follows a letter or digit: a word the wrap may have broken after its hyphen. */
    private static boolean hyphenBreak(CharSequence s) {
        int i = s.length() - 1;
        return i > 0 && s.charAt(i) == '-' && Character.isLetterOrDigit(s.charAt(i - 1));
    }

    private static boolean endsWithBackslash(CharSequence s) {
        int i = s.length() - 1;
        while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
            i--;
        }
        return i > 0 && s.charAt(i) == '\\' && Character.isWhitespace(s.charAt(i - 1));
    }

    /** A JSON value cut at the wrapping column, joined until complete; null when it is none (nothing consumed). */
    private PastedLine joinJson(Unquoted u) {
        JsonScan scan = new JsonScan();
        String first = PasteForms.withoutDirection(u.text().strip());
        if (!scan.feed(first) || scan.complete() || !wrapped(u.text().stripTrailing().length(), "x")) {
            return null;
        }
        List<Unquoted> taken = new ArrayList<>();
        StringBuilder text = new StringBuilder(u.text());
        int lastLength = u.text().stripTrailing().length();
        while (taken.size() < MAX_JSON_LINES && text.length() < LineReader.MAX_LINE) {
            Unquoted n = take();
            if (n == null) {
                break;
            }
            taken.add(n);
            if (n.boundary() || n.depth() != u.depth() || n.container() != u.container()) {
                break;
            }
            String nt = n.text().strip();
            String glue = hard && lastLength == width ? "" : " ";
            if (!scan.feed(glue) || !scan.feed(nt)) {
                break;
            }
            text.append(glue).append(nt);
            lastLength = n.text().stripTrailing().length();
            if (scan.complete()) {
                return new PastedLine(u.first(), n.last(), u.depth(), u.container(), text.toString(), false);
            }
        }
        // not JSON after all, or never complete: give the lines back
        for (int i = taken.size() - 1; i >= 0; i--) {
            ahead.addFirst(taken.get(i));
        }
        return null;
    }

    /**
     * A line quoting a QMP message that it ends inside of ({@code command '{ "execute": …, "arguments": { … }} /
     * {@code }' for VM …}): a mail client wrapped it. The next lines are joined until every message quoted in
     * them is closed; null when one never closes within {@link #MAX_JSON_LINES} lines, or stops being JSON
     * (nothing consumed then). No wrap width is needed: an open brace after a QMP key is the evidence.
     */
    private PastedLine joinEmbedded(Unquoted u) {
        String first = u.text().stripTrailing();
        JsonScan scan = new JsonScan();
        scan.feedUntilClosed(first, PasteForms.openEmbeddedQmp(first, 1));
        List<Unquoted> taken = new ArrayList<>();
        StringBuilder text = new StringBuilder(first);
        int lastLength = first.length();
        while (taken.size() < MAX_JSON_LINES && text.length() < LineReader.MAX_LINE) {
            Unquoted n = take();
            if (n == null) {
                break;
            }
            taken.add(n);
            if (n.boundary() || n.blank() || n.depth() != u.depth() || n.container() != u.container()) {
                break;
            }
            int from = text.length();
            text.append(hard && lastLength == width ? "" : " ").append(n.text().strip());
            int end = scan.feedUntilClosed(text, from);
            if (end == JsonScan.INVALID) {
                break;
            }
            if (end >= 0) {
                int next = PasteForms.openEmbeddedQmp(text, end);
                if (next < 0) {
                    return new PastedLine(u.first(), n.last(), u.depth(), u.container(), text.toString(), false);
                }
                scan = new JsonScan();
                scan.feedUntilClosed(text, next);
            }
            lastLength = n.text().stripTrailing().length();
        }
        for (int i = taken.size() - 1; i >= 0; i--) {
            ahead.addFirst(taken.get(i));
        }
        return null;
    }

    private Unquoted take() {
        return ahead.isEmpty() ? read() : ahead.removeFirst();
    }

    private Unquoted peek() {
        if (ahead.isEmpty()) {
            Unquoted u = read();
            if (u == null) {
                return null;
            }
            ahead.addLast(u);
        }
        return ahead.peekFirst();
    }
}
