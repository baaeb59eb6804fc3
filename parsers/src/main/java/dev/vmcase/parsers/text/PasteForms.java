package dev.vmcase.parsers.text;

import dev.vmcase.parsers.LineRecords;
import dev.vmcase.parsers.cmdline.QemuCommandLine;
import dev.vmcase.parsers.domainlog.QemuMessages;
import dev.vmcase.parsers.gdb.GdbFrameSyntax;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a line of a paste is, told from its text alone (no quote markers, no common indentation): a QEMU or libvirt
 * domain-log line, a QMP message on one line, a QEMU command line, a gdb frame or thread header, or none of these
 * (the start of a {@link LineRecords} format's record is asked of the formats themselves: {@link Formats}). The
 * forms a single line can be are the
 * formats' own knowledge ({@link QemuMessages}, {@link QemuCommandLine}, {@link GdbFrameSyntax},
 * {@link LineRecords#startsRecord}); this class only asks them, cheapest first.
 */
final class PasteForms {
    /** libvirt's own lines in a domain log: UTC with milliseconds and a literal {@code +0000}. */
    private static final Pattern LIBVIRT_LINE = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000: ");
    /** Messages old QEMU printed to stderr without any prefix. */
    private static final Pattern BARE_QEMU = Pattern.compile(
            "^(?:char device redirected to |Warning: option deprecated|qemu: warning: |qemu: terminating on signal)");
    /** A QEMU binary followed by an option anywhere in the line: {@code ps} output, {@code args="…"}. */
    private static final Pattern BINARY_WITH_OPTIONS = Pattern.compile(
            "(?:^|[\\s/\"'=])(?:qemu-system-[\\w.-]+|qemu-kvm|qemu-dm)[ \\t]+-[A-Za-z]");
    /** A line that is only a QEMU binary, maybe after {@code sudo} and env assignments: options follow below it. */
    private static final Pattern BINARY_ALONE = Pattern.compile(
            "^(?:sudo\\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*\\S*(?:qemu-system-[\\w.-]+|qemu-kvm|qemu-dm)"
                    + "(?:\\s+\\\\)?$");
    /** A shell prompt in front of a command: {@code $ }, {@code # }, {@code [root@cmp-17 ~]# }. */
    private static final Pattern SHELL_PROMPT = Pattern.compile(
            "^(?:\\[[^\\]\\s]+@[^\\]]+\\]|[\\w.-]+@[\\w.-]+:\\S*)?[$#] ");
    /** The direction markers of QMP transcripts in QEMU's documentation and qmp-shell. */
    private static final Pattern DIRECTION = Pattern.compile("^(?:->|<-|QMP>)\\s*");
    private static final Pattern THREAD_HEADER = Pattern.compile("^Thread \\d+(?:\\.\\d+)? \\(");
    /** A command-line option at the start of a line: {@code -device virtio-blk-pci,…}, {@code --foo}. */
    private static final Pattern OPTION = Pattern.compile("^--?[A-Za-z][\\w-]*(?:\\s|$)");

    private PasteForms() {
    }

    /**
     * A domain-log or QEMU stderr line: libvirt's dated line, QEMU's timestamp or program prefix, an old bare
     * message, or a migration failure message starting the line.
     */
    static boolean isLogLine(String t) {
        if (t.isEmpty()) {
            return false;
        }
        char c = t.charAt(0);
        if (Character.isDigit(c) && LIBVIRT_LINE.matcher(t).lookingAt()) {
            return true;
        }
        return QemuMessages.hasQemuPrefix(t) || BARE_QEMU.matcher(t).lookingAt()
                || Character.isLetter(c) && QemuMessages.startsWithMigrationFailure(t);
    }

    /**
     * A QEMU message inside another program's line: after a journal or syslog prefix, or quoted by libvirt's
     * {@code internal error: qemu unexpectedly closed the monitor: 2019-10-17T10:28:42.981201Z
     * qemu-system-x86_64: …}; after QEMU's timestamp the program may be a bare {@code qemu:} (ppc64 builds,
     * {@code 2018-08-08T06:27:53.853818Z qemu: Unknown savevm section …}).
     */
    private static final Pattern EMBEDDED_QEMU = Pattern.compile(
            "(?<=[\\s:])(?:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?Z\\s+(?:/\\S*/)?(?:qemu[\\w.-]*|kvm)"
                    + "|(?:/\\S*/)?(?:qemu-system-[\\w.-]+|qemu-kvm)): ");

    /**
     * A QEMU message without its time quoted in a sentence: {@code Error: "qemu: warning: error while loading state
     * for instance 0x0 of device 'ram' load of migration failed"} (a vendor's knowledge-base article, QEMU 1.4 era).
     */
    private static final Pattern QUOTED_BARE_QEMU = Pattern.compile("(?<=[\\s\"'`(])(?:qemu|kvm): ");

    /**
     * Where a QEMU message quoted inside this line starts (not at its start), or -1: a QEMU line with its program
     * name after any prefix, or any QEMU line ({@link #isLogLine}: old bare messages too) right after a bracketed
     * label such as a test harness's {@code [qemu output] }.
     */
    static int embeddedQemuMessage(String t) {
        if (t.indexOf("qemu") < 0 && t.indexOf("migration") < 0 && t.indexOf("savevm") < 0) {
            return -1;
        }
        Matcher m = EMBEDDED_QEMU.matcher(t);
        if (m.find() && m.start() > 0) {
            return m.start();
        }
        // a bare program name in quotes or parentheses, before a migration failure only (prose says "qemu: " too)
        Matcher bare = QUOTED_BARE_QEMU.matcher(t);
        for (int k = 0; k < MAX_LABELS && bare.find(); k++) {
            String message = t.substring(bare.end());
            if (message.startsWith("warning: ")) {
                message = message.substring("warning: ".length());
            }
            if (bare.start() > 0 && QemuMessages.startsWithMigrationFailure(message)) {
                return bare.start();
            }
        }
        int from = 0;
        for (int k = 0; k < MAX_LABELS; k++) {
            int close = t.indexOf("] ", from);
            if (close < 0) {
                break;
            }
            int start = close + 2;
            if (start < t.length() && isLogLine(t.substring(start))) {
                return start;
            }
            from = start;
        }
        return -1;
    }

    /** How much of a line's start tells whether a QEMU command line starts in it. */
    static final int COMMAND_HEAD = 8192;

    /** How many bracketed labels in front of a line are looked behind. */
    private static final int MAX_LABELS = 4;

    /** Where the QEMU command line in this line starts (after a shell prompt, {@code sudo}, …), or -1. */
    static int commandLineStart(String line) {
        // a command line is told by its start: the binary comes early, so a runaway line is looked at in part only
        String t = line.length() > COMMAND_HEAD ? line.substring(0, COMMAND_HEAD) : line;
        if (t.indexOf("qemu") < 0 && t.indexOf("kvm") < 0) {
            return -1;
        }
        Matcher prompt = SHELL_PROMPT.matcher(t);
        int from = prompt.lookingAt() ? prompt.end() : 0;
        String c = from == 0 ? t : t.substring(from);
        if (QemuCommandLine.looksLikeStart(c)) {
            return from;
        }
        if (c.length() < 12 || c.indexOf("qemu") < 0) {
            return -1;
        }
        Matcher alone = BINARY_ALONE.matcher(c);
        if (alone.matches()) {
            return from + (c.startsWith("sudo") ? c.indexOf(' ') + 1 : 0);
        }
        Matcher m = BINARY_WITH_OPTIONS.matcher(c);
        if (!m.find()) {
            return -1;
        }
        // back to the start of the binary's path word
        int s = m.start() == 0 && !Character.isWhitespace(c.charAt(0)) ? 0 : m.start() + 1;
        while (s > 0 && !Character.isWhitespace(c.charAt(s - 1)) && c.charAt(s - 1) != '"' && c.charAt(s - 1) != '\''
                && c.charAt(s - 1) != '=') {
            s--;
        }
        return from + s;
    }

    /** libvirt ≥ 6 starts a command line with its environment, one assignment a line: {@code LC_ALL=C \\}. */
    static boolean startsEnvironment(String t) {
        return ENVIRONMENT.matcher(t).matches();
    }

    private static final Pattern ENVIRONMENT = Pattern.compile("^[A-Z_][A-Z0-9_]*=\\S* \\\\$");

    /** A line that looks like a QMP message on one line (direction marker and braces); the JSON is read later. */
    static boolean looksLikeQmpLine(String t) {
        String j = withoutDirection(t);
        return j.length() > 2 && j.charAt(0) == '{' && j.charAt(j.length() - 1) == '}' && j.indexOf('"') > 0;
    }

    /**
     * The start of a QMP message quoted inside other text: {@code {"execute": …}}, {@code {"return": …}},
     * {@code {"error": …}}, {@code {"event": …}} after a tool's words ({@code QMP JSON Command: {…}},
     * {@code command '{…}' for VM "id" failed ({…})}).
     */
    private static final Pattern EMBEDDED_QMP =
            Pattern.compile("\\{\\s*\"(?:execute|exec-oob|return|error|event)\"\\s*:");

    /** A QMP message printed as a Python dict: {@code {'execute': 'device_del', 'arguments': {'id': 'stg5'}, …}}. */
    private static final Pattern PYTHON_QMP = Pattern.compile("\\{\\s*'(?:execute|exec-oob|return|error|event)'\\s*:");

    /**
     * Whether the line quotes a QMP message as Python prints a dict (avocado-vt's {@code Send command: {'execute':
     * 'device_del', 'arguments': {'id': 'stg5'}, 'id': 'R44XYgQ0'}}, as tp-qemu's logs and the tickets quoting them
     * show QEMU's monitor traffic).
     */
    static boolean quotesPythonQmp(String t) {
        return t.indexOf("{'") >= 0 && PYTHON_QMP.matcher(t).find();
    }

    /**
     * The line with Python's literals written as JSON's: single-quoted strings double-quoted (a double quote inside
     * escaped, {@code \\'} unescaped), {@code True}, {@code False}, {@code None} as {@code true}, {@code false},
     * {@code null} outside strings. Linear; text that is no Python literal comes out changed only in its quotes, and
     * what is read from it must still parse as QMP.
     */
    static String pythonReprAsJson(String t) {
        StringBuilder out = new StringBuilder(t.length() + 16);
        char quote = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < t.length()) {
                    char n = t.charAt(++i);
                    if (n == '\'') {
                        out.append('\'');
                    } else {
                        out.append('\\').append(n);
                    }
                } else if (c == quote) {
                    out.append('"');
                    quote = 0;
                } else if (c == '"') {
                    out.append("\\\"");
                } else {
                    out.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                out.append('"');
            } else if (Character.isLetter(c) && (i == 0 || !Character.isLetterOrDigit(t.charAt(i - 1)))) {
                String[] word = pythonWord(t, i);
                if (word == null) {
                    out.append(c);
                } else {
                    out.append(word[1]);
                    i += word[0].length() - 1;
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Python's words and JSON's for them. */
    private static final String[][] PYTHON_WORDS = {{"True", "true"}, {"False", "false"}, {"None", "null"}};

    /** Python's {@code True}, {@code False} or {@code None} starting at {@code i} and JSON's word for it, else null. */
    private static String[] pythonWord(String t, int i) {
        for (String[] w : PYTHON_WORDS) {
            int end = i + w[0].length();
            if (t.startsWith(w[0], i) && (end == t.length() || !Character.isLetterOrDigit(t.charAt(end)))) {
                return w;
            }
        }
        return null;
    }

    /** How many quoted QMP messages one line is searched for: a line of braces stays linear. */
    static final int MAX_EMBEDDED_QMP = 8;

    /** The QMP messages quoted whole inside the line, in order (none when it quotes none). */
    static List<String> embeddedQmp(String t) {
        if (t.indexOf('{') < 0 || t.indexOf('"') < 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Matcher m = EMBEDDED_QMP.matcher(t);
        int from = 0;
        for (int tries = 0; tries < MAX_EMBEDDED_QMP && from < t.length() && m.find(from); tries++) {
            int end = JsonScan.valueEnd(t, m.start());
            if (end >= 0) {
                out.add(t.substring(m.start(), end));
                from = end;
            } else {
                from = m.start() + 1;
            }
        }
        return out;
    }

    /**
     * The start of a QMP message quoted inside the text that the text ends inside of (a mail client wrapped the
     * line within it), or -1. Only from {@code from} on.
     */
    static int openEmbeddedQmp(CharSequence t, int from) {
        Matcher m = EMBEDDED_QMP.matcher(t);
        for (int tries = 0; tries < MAX_EMBEDDED_QMP && from < t.length() && m.find(from); tries++) {
            int end = JsonScan.valueEnd(t, m.start());
            if (end == JsonScan.OPEN) {
                return m.start();
            }
            from = end >= 0 ? end : m.start() + 1;
        }
        return -1;
    }

    /** A one-line JSON array: a bare {@code query-pci}/{@code query-block} result. */
    static boolean looksLikeJsonArrayLine(String t) {
        return t.length() > 2 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']' && t.startsWith("[{");
    }

    static String withoutDirection(String t) {
        Matcher d = DIRECTION.matcher(t);
        return d.lookingAt() ? t.substring(d.end()) : t;
    }

    static boolean isGdbLine(String t) {
        return GdbFrameSyntax.isFrameLine(t) || THREAD_HEADER.matcher(t).lookingAt();
    }

    static boolean isOption(String t) {
        return OPTION.matcher(t).lookingAt();
    }

    /** Whether the line is one of the one-line forms (a log line, a QMP message, a gdb frame, a command line). */
    static boolean startsLineForm(String t) {
        return isLogLine(t) || looksLikeQmpLine(t) || isGdbLine(t) || commandLineStart(t) >= 0
                || hmpCommand(t) != null;
    }

    /** An HMP monitor prompt and the command typed at it. */
    private static final Pattern HMP_PROMPT = Pattern.compile("^\\(qemu\\)[ \\t]+(\\S.*)$");

    /**
     * The command typed at an HMP monitor prompt ({@code (qemu) device_del net0} → {@code device_del net0}), or
     * null.
     */
    static String hmpCommand(String t) {
        if (!t.startsWith("(qemu)")) {
            return null;
        }
        Matcher m = HMP_PROMPT.matcher(t);
        return m.matches() ? m.group(1).strip() : null;
    }

    /**
     * Prose, for the purpose of not looking for a dump's start in it: a line of CJK text, or one of five or more
     * words of letters ending like a sentence. Dumps ({@code info pci}, lspci, qtree) have fewer plain words or
     * end otherwise.
     */
    static boolean looksLikeProse(String t) {
        if (t.isEmpty()) {
            return true;
        }
        if (Character.UnicodeScript.of(t.codePointAt(0)) == Character.UnicodeScript.HAN) {
            return true;
        }
        char end = t.charAt(t.length() - 1);
        if (".?!:,;".indexOf(end) < 0) {
            return false;
        }
        int words = 0;
        int tokens = 0;
        for (String w : t.split("\\s+", 9)) {
            if (++tokens > 8) {
                break;
            }
            if (w.matches("[A-Za-z][a-z'’-]*[,.;:!?]?")) {
                words++;
            }
        }
        return words >= 5;
    }

    /** Leading blanks of a line (tabs count as one). */
    static int indent(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
