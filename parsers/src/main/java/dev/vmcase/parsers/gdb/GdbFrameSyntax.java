package dev.vmcase.parsers.gdb;

import dev.vmcase.model.Frame;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one gdb frame, as gdb's {@code print_frame()} writes it (gdb/stack.c):
 * <pre>
 *   #LEVEL  [0xADDR in ] FUNC [ (ARGS)] [ at FILE:LINE | from OBJFILE | at OBJFILE]
 *   #LEVEL  &lt;signal handler called&gt;        #LEVEL  &lt;function called from gdb&gt;
 * </pre>
 * Two relatives of that line are read too:
 * <pre>
 *   LEVEL  0xADDR in FUNC (ARGS) at FILE:LINE      a frame printed without its '#' (a pager, a script's bt, a
 *                                                  mail's copy); only with an address, or with a full location
 *   #LEVEL 0xADDR FUNC (MODULE + 0xOFFSET)         systemd-coredump / coredumpctl; FUNC {@code n/a} = no symbol
 * </pre>
 * Pure string functions, shared by {@link BacktraceReader} and by anything else that meets frame text. The start of a
 * frame is found by a hand scanner, and the patterns applied to its body have no nested or lazy quantifier over the
 * same characters, so a hostile line costs time linear in its length.
 * Arguments are split at top-level commas only: commas inside strings, char literals, {@code ()}, {@code []},
 * {@code {}} and {@code <>} (as in {@code access=0x7ffff7b410ba <memory_region_write_accessor>}) do not split.
 */
public final class GdbFrameSyntax {
    private static final Pattern ADDRESS_IN = Pattern.compile("^(0x[0-9a-fA-F]+)\\s+in\\s+(.*)$", Pattern.DOTALL);
    /** What may follow {@code #N} for the line to be a frame (prose like {@code #1 issue} must not be one). */
    private static final Pattern FRAME_BODY = Pattern.compile(
            "^(0x[0-9a-fA-F]+\\s+in(\\s.*)?"
                    + "|<signal handler called>.*|<function called from gdb>.*"
                    + "|[A-Za-z_~$][^\\s(]*\\s*\\(.*"
                    + "|[A-Za-z_~$][^\\s(]*\\s+(at|from)\\s+\\S+\\s*"
                    + "|" + "0x[0-9a-fA-F]+\\s+[^\\s(]+\\s+\\([^()+]*\\+\\s*0x[0-9a-fA-F]+\\)\\s*)$");
    /** systemd-coredump's {@code FUNC (MODULE + 0xOFFSET)} after the address. */
    private static final Pattern COREDUMP_REST = Pattern.compile("^([^\\s(]+)\\s+\\(([^()+]*)\\+\\s*(0x[0-9a-fA-F]+)\\)\\s*$");
    /** A function name a bare frame (no '#') may carry: C identifiers and {@code ??}, nothing prose-like. */
    private static final Pattern BARE_FUNCTION = Pattern.compile("^(?:[A-Za-z_][\\w$.:@]*|\\?{2,3})$");
    private static final Pattern BARE_ADDRESS = Pattern.compile("^0x[0-9a-fA-F]{4,}\\s+in\\s.*$");
    private static final Pattern LOCATION_AT_LINE = Pattern.compile("^at\\s+(\\S+):(\\d{1,9})$");
    private static final Pattern LOCATION_AT_OBJ = Pattern.compile("^at\\s+(\\S+)$");
    private static final Pattern LOCATION_FROM = Pattern.compile("^from\\s+(\\S+)$");
    private static final Pattern NO_ARGS_WITH_LOCATION =
            Pattern.compile("^(.*?)\\s+((?:at|from)(?:\\s+\\S+)?)$", Pattern.DOTALL);
    private static final Pattern ARG_NAME = Pattern.compile("^[A-Za-z_$][\\w$.]*(@entry)?$");

    public static final String SIGNAL_FRAME = "<signal handler called>";
    public static final String DUMMY_FRAME = "<function called from gdb>";

    private GdbFrameSyntax() {
    }

    /**
     * Where a frame starts: {@code #N} or a bare {@code N} (up to 4 digits) at the start of the line after optional
     * whitespace, then whitespace, then the body. Scanned by hand: a line of a hundred thousand spaces costs one pass.
     *
     * @return {index, offset of the body, 1 when the level had a '#'}, or null
     */
    private static int[] start(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean hash = i < n && s.charAt(i) == '#';
        if (hash) {
            i++;
        }
        int digits = i;
        int max = hash ? 9 : 4;
        while (i < n && i - digits <= max && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == digits || i - digits > max || i >= n || !Character.isWhitespace(s.charAt(i))) {
            return null;
        }
        int index = Integer.parseInt(s.substring(digits, i));
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= n) {
            return null;
        }
        return new int[] {index, i, hash ? 1 : 0};
    }

    /** Whether the line starts a frame ({@code #N} or a bare level, followed by something shaped like a frame). */
    public static boolean isFrameLine(String line) {
        if (line == null) {
            return false;
        }
        int[] st = start(line);
        if (st == null) {
            return false;
        }
        String body = line.substring(st[1]).strip();
        if (st[2] == 1) {
            return FRAME_BODY.matcher(body).matches();
        }
        return bareBodyOk(parse(line));
    }

    /**
     * A frame printed without '#' must look unmistakably like one, or numbered prose would become a backtrace: an
     * address followed by {@code in} and a C name, or (an inlined frame) a C name, an argument list and
     * {@code at FILE:LINE}.
     */
    private static boolean bareBodyOk(Parsed p) {
        if (p == null || p.function() == null || !BARE_FUNCTION.matcher(p.function()).matches()) {
            return false;
        }
        if (p.address() != null) {
            return p.trailing() == null;
        }
        return p.hasArgs() && p.argsClosed() && p.file() != null && p.line() > 0;
    }

    /** Whether the line is a frame printed without gdb's '#'. */
    public static boolean isBareFrameLine(String line) {
        int[] st = line == null ? null : start(line);
        return st != null && st[2] == 0 && isFrameLine(line);
    }

    /** The frame number of a frame line, or -1. */
    public static int frameIndex(String line) {
        int[] st = start(line);
        return st == null ? -1 : st[0];
    }

    /**
     * The structure of a frame's (possibly joined, possibly incomplete) text.
     *
     * @param argsText     the text between the argument parentheses, null when the frame has no argument list
     * @param argsClosed   whether the argument list was closed
     * @param complete     parentheses and quotes are balanced
     * @param danglingLocation the text ends with a bare {@code at} / {@code from} (wrapped before the path)
     * @param trailing     text after the arguments that is not a location, or null
     */
    public record Parsed(int index, String address, String function, String argsText, boolean argsClosed,
                         String file, int line, String library, boolean complete, boolean danglingLocation,
                         String trailing) {
        public boolean hasLocation() {
            return file != null || library != null;
        }

        public boolean hasArgs() {
            return argsText != null;
        }

        public List<Frame.Arg> args() {
            if (argsText == null) {
                return List.of();
            }
            List<String> pieces = splitArgs(argsText);
            if (!argsClosed && !pieces.isEmpty() && !argsText.strip().endsWith(",")) {
                pieces = pieces.subList(0, pieces.size() - 1); // the last one may be cut
            }
            List<Frame.Arg> out = new ArrayList<>();
            for (String p : pieces) {
                out.add(parseArg(p));
            }
            return out;
        }
    }

    /** Parses frame text starting with {@code #N}; null when it is not frame text at all. */
    public static Parsed parse(String text) {
        String flat = text.replace('\n', ' ');
        int[] st = start(flat);
        if (st == null) {
            return null;
        }
        int index = st[0];
        String rest = flat.substring(st[1]).strip();
        if (st[2] == 0 && rest.startsWith("0x") && !BARE_ADDRESS.matcher(rest).matches()) {
            return null; // a bare level is followed by "0x… in", never by coredump's form or a lone number
        }
        if (rest.startsWith(SIGNAL_FRAME) || rest.startsWith(DUMMY_FRAME)) {
            String fn = rest.startsWith(SIGNAL_FRAME) ? SIGNAL_FRAME : DUMMY_FRAME;
            String tail = rest.substring(fn.length()).strip();
            return new Parsed(index, null, fn, null, true, null, 0, null, true, false,
                    tail.isEmpty() ? null : tail);
        }
        String address = null;
        Matcher a = ADDRESS_IN.matcher(rest);
        if (a.matches()) {
            address = a.group(1);
            rest = a.group(2).strip();
        } else if (rest.matches("0x[0-9a-fA-F]+\\s+in")) {
            return new Parsed(index, rest.substring(0, rest.indexOf(' ')), null, null, false, null, 0, null,
                    false, false, null);
        } else if (rest.startsWith("0x")) {
            int sp = 2;
            while (sp < rest.length() && !Character.isWhitespace(rest.charAt(sp))) {
                sp++;
            }
            Matcher c = COREDUMP_REST.matcher(rest.substring(sp).strip());
            if (c.matches()) {
                String fn = c.group(1).equals("n/a") ? "??" : c.group(1);
                String module = c.group(2).strip();
                return new Parsed(index, rest.substring(0, sp), fn, null, true, null, 0,
                        module.isEmpty() || module.equals("n/a") ? null : module, true, false, null);
            }
        }
        int open = argsOpen(rest);
        String function;
        String argsText = null;
        boolean argsClosed = true;
        boolean complete = true;
        String tail;
        if (open >= 0) {
            function = rest.substring(0, open).strip();
            int close = matchingClose(rest, open);
            if (close < 0) {
                argsText = rest.substring(open + 1);
                argsClosed = false;
                complete = false;
                tail = "";
            } else {
                argsText = rest.substring(open + 1, close);
                tail = rest.substring(close + 1).strip();
            }
        } else {
            Matcher nl = NO_ARGS_WITH_LOCATION.matcher(rest);
            if (nl.matches()) {
                function = nl.group(1).strip();
                tail = nl.group(2);
            } else {
                function = rest;
                tail = "";
            }
        }
        if (function.isEmpty()) {
            function = "??"; // the "in () at /lib/x.so" variant prints no name at all
        }
        String file = null;
        String library = null;
        int line = 0;
        boolean dangling = false;
        String trailing = null;
        if (!tail.isEmpty()) {
            Matcher t;
            if ((t = LOCATION_AT_LINE.matcher(tail)).matches()) {
                file = t.group(1);
                line = Integer.parseInt(t.group(2));
            } else if ((t = LOCATION_FROM.matcher(tail)).matches() || (t = LOCATION_AT_OBJ.matcher(tail)).matches()) {
                library = t.group(1);
            } else if (tail.equals("at") || tail.equals("from")) {
                dangling = true;
            } else {
                trailing = tail;
            }
        }
        return new Parsed(index, address, function, argsText, argsClosed, file, line, library, complete, dangling,
                trailing);
    }

    /** Index of the parenthesis that opens the argument list: the first top-level one at the start or after a space. */
    private static int argsOpen(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                if (depth == 0 && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
                    return i;
                }
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            }
        }
        return -1;
    }

    /** Index of the parenthesis closing the one at {@code open}, respecting quotes; -1 when unclosed. */
    private static int matchingClose(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'' && isCharLiteral(s, i)) {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Whether a text has no unterminated string or char literal and no unclosed {@code ( [ {}. */
    public static boolean isBalanced(String s) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'' && isCharLiteral(s, i)) {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if ((c == ')' || c == '}' || c == ']') && depth > 0) {
                depth--;
            }
        }
        return depth == 0 && quote == 0;
    }

    /** A {@code '} that opens a char literal ({@code 97 'a'}, {@code 39 '\\''}), not an apostrophe in prose. */
    private static boolean isCharLiteral(String s, int i) {
        return i + 2 < s.length() && (s.charAt(i + 2) == '\'' || s.charAt(i + 1) == '\\');
    }

    /** Splits an argument list at top-level commas; pieces are stripped, empty pieces dropped. */
    public static List<String> splitArgs(String args) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int angle = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '"':
                    quote = c;
                    break;
                case '\'':
                    if (isCharLiteral(args, i)) {
                        quote = c;
                    }
                    break;
                case '(':
                case '[':
                case '{':
                    depth++;
                    break;
                case ')':
                case ']':
                case '}':
                    if (depth > 0) {
                        depth--;
                    }
                    break;
                case '<':
                    angle++;
                    break;
                case '>':
                    // "->" inside a symbol is not a closing bracket
                    if (angle > 0 && !(i > 0 && args.charAt(i - 1) == '-')) {
                        angle--;
                    }
                    break;
                case ',':
                    if (depth == 0 && angle == 0) {
                        add(out, args.substring(start, i));
                        start = i + 1;
                    }
                    break;
                default:
                    break;
            }
        }
        add(out, args.substring(Math.min(start, args.length())));
        return out;
    }

    private static void add(List<String> out, String piece) {
        String p = piece.strip();
        if (!p.isEmpty()) {
            out.add(p);
        }
    }

    /**
     * One argument: {@code slots=32}; {@code slots@entry=256} (entry value); {@code sig=sig@entry=6} (value equal to
     * the entry value); {@code name=0x7ffff8bcb5b0 "drive"}; {@code mr=<optimized out>}; {@code data=...}.
     * A piece without {@code =} becomes an argument with an empty name and the piece as value.
     */
    public static Frame.Arg parseArg(String piece) {
        String p = piece.strip();
        int eq = p.indexOf('=');
        if (eq <= 0) {
            return new Frame.Arg("", p, false);
        }
        String name = p.substring(0, eq).strip();
        if (!ARG_NAME.matcher(name).matches()) {
            return new Frame.Arg("", p, false);
        }
        String value = p.substring(eq + 1).strip();
        boolean entry = false;
        if (name.endsWith("@entry")) {
            name = name.substring(0, name.length() - "@entry".length());
            entry = true;
        }
        String again = name + "@entry=";
        if (value.startsWith(again)) {
            value = value.substring(again.length()).strip();
            entry = true;
        }
        return new Frame.Arg(name, value, entry);
    }
}
