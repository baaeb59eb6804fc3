package dev.vmcase.parsers.gdb;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Frame;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads gdb backtrace text one line at a time and emits each backtrace to an {@link EvidenceSink}.
 * <p>
 * Feed every line to {@link #accept(int, String)} and call {@link #finish()} at the end. A backtrace is a run of
 * frames ({@code #N …}), optionally under {@code Thread N (…):} headers ({@code thread apply all bt}), with
 * {@code bt full} locals, wrapped continuation lines, {@code Backtrace stopped: …} and
 * {@code (More stack frames follow...)}. Noise lines (blank, a lone {@code -}) inside a trace are skipped, also in the
 * middle of a wrapped frame, so pastes like
 * <pre>
 * #11 0x00007ffff7b4115c in memory_region_write_accessor (mr=0x7ffff8bf8a28, …, mask=4294967295)
 * -
 * at /usr/local/src/qemu-2.1.2/memory.c:444
 * </pre>
 * give one frame. A frame whose parentheses are unbalanced continues on the following lines.
 * <p>
 * Two modes:
 * <ul>
 *   <li>embedded (the default, for evidence inside prose): the first line that is not backtrace text ends the trace
 *       and {@code accept} returns false for it;</li>
 *   <li>whole file ({@link #wholeFile(EvidenceSink)}, used by {@link GdbBacktraceParser}): known gdb chatter
 *       ({@code (gdb) bt}, {@code [New Thread …]}, {@code Program terminated…}) is skipped, a {@code (gdb)} prompt
 *       ends the current trace, and an unreadable line inside a trace is reported as a problem without ending it.</li>
 * </ul>
 * In both modes a frame number that does not increase (a second {@code bt} printed after the first) starts a new
 * backtrace, and a frame cut at the end of the input is reported as a problem and kept if its function is known.
 * Never throws on bad input.
 */
public final class BacktraceReader {
    private static final Pattern THREAD_HEADER = Pattern.compile("^\\s*Thread (\\d+(?:\\.\\d+)?) \\((.*)\\):\\s*$");
    private static final Pattern LWP = Pattern.compile("\\(LWP (\\d{1,18})\\)|^LWP (\\d{1,18})|^process (\\d{1,18})");
    private static final Pattern THREAD_NAME = Pattern.compile("\"(.*)\"\\s*$");
    private static final Pattern STOPPED = Pattern.compile("^\\s*Backtrace stopped:\\s*(.*)$");
    private static final Pattern MORE_FRAMES = Pattern.compile("^\\s*\\(More stack frames follow\\.\\.\\.\\)\\s*$");
    /** gdb's pager prompt, also as a mail's copy shows it ({@code   -Type <RET> for more, q to quit, …--}). */
    private static final Pattern PAGER = Pattern.compile(
            "^\\s*-{1,3}\\s*Type <(?:RET|return)>[^-\\n]*(?:-(?!-)[^-\\n]*)*-{1,3}\\s*");
    /** systemd-coredump's header of one thread's stack ({@code Stack trace of thread 3998:}). */
    private static final Pattern COREDUMP_THREAD = Pattern.compile("^\\s*Stack trace of thread (\\d{1,18}):\\s*$");
    /** {@code Thread 4 "CPU 0/KVM" received signal SIGSEGV, Segmentation fault.} (gdb ≥ 8 names the thread). */
    private static final Pattern THREAD_SIGNAL = Pattern.compile(
            "^\\s*Thread (\\d+(?:\\.\\d+)?) (?:\"(.*)\" )?received signal (SIG[A-Z0-9]+|\\d+)\\b.*$");
    /** {@code Program received signal SIGSEGV, …} (live, older gdb) or {@code Program terminated with signal 11, …}. */
    private static final Pattern PROGRAM_SIGNAL = Pattern.compile(
            "^\\s*Program (received|terminated with) signal (SIG[A-Z0-9]+|\\d+)\\b.*$");
    /** {@code [Switching to Thread 0x7f… (LWP 3998)]}, {@code [Current thread is 1 (Thread 0x7f… (LWP 3998))]}. */
    private static final Pattern SWITCHING = Pattern.compile(
            "^\\s*\\[(?:Switching to|Current thread is) (?:thread )?(\\d+(?:\\.\\d+)? )?\\(?(.*)\\]\\s*$");
    /** A cheap test before the context patterns. */
    private static final Pattern CONTEXT_HINT = Pattern.compile("[Ss]ignal|^\\s*\\[Switching to ");
    /** coredumpctl info's {@code Signal: 11 (SEGV)}. */
    private static final Pattern COREDUMP_SIGNAL = Pattern.compile("^\\s*Signal: (\\d{1,3})(?: \\(([A-Z0-9]+)\\))?\\s*$");
    private static final Pattern LOCAL = Pattern.compile("^[ \\t]+[A-Za-z_$<][\\w$.<> ]*(\\[[^\\]]*\\])?\\s=(\\s.*|)$");
    private static final Pattern NO_LOCALS = Pattern.compile("^\\s*(No locals\\.|No symbol table info available\\.)\\s*$");
    private static final Pattern CONT_LOCATION = Pattern.compile("^\\s*(at|from)\\s+\\S+\\s*$");
    private static final Pattern PROMPT = Pattern.compile("^\\s*\\(gdb\\).*$");
    /** gdb output around backtraces that carries no frame information. */
    // possessive where two quantifiers could share a run (spaces, digits): a line of a million spaces took hours
    private static final Pattern CHATTER = Pattern.compile("^\\s*+(?:"
            + "\\(gdb\\).*"
            + "|Core was generated by .*"
            + "|Program (?:terminated|received) (?:with )?signal .*"
            + "|\\[Current thread is .*\\]"
            + "|\\[Switching to .*\\]"
            + "|\\[New (?:Thread|LWP) .*\\]"
            + "|\\[Thread .* exited.*\\]"
            + "|\\[Inferior .*\\]"
            + "|\\[Thread debugging using libthread_db enabled\\]"
            + "|Using host libthread_db library .*"
            + "|Missing separate debuginfos?.*"
            + "|Reading symbols from .*"
            + "|Loaded symbols for .*"
            + "|Downloading .*"
            + "|warning: .*"
            + "|Thread \\S+ (?:\".*\" )?received signal .*"
            + "|Module \\S+ (?:from|with) .*"
            + "|ELF object binary architecture: .*"
            + "|(?:PID|UID|GID|Signal|Timestamp|Command Line|Executable|Control Group|Unit|User Unit|Slice|Session"
            + "|Owner UID|Boot ID|Machine ID|Hostname|Storage|Size on Disk|Disk Size|Package|build-id|Message): .*"
            + "|Process \\d+ \\(.*\\) of user \\d+ (?:dumped core|terminated abnormally).*"
            + "|Breakpoint \\d+, .*"
            + "|Starting program: .*"
            + "|Attaching to .*"
            + "|Continuing\\."
            + "|\\d++\\s++.*: No such file or directory\\."
            + "|\\d+\\s+in \\S+"
            + "|\\d{1,6}(?:\\t| {2,}).*" // the source line gdb shows where it stopped
            + "|\\.\\.\\."
            + "|[A-Za-z_][\\w:]* \\(.*\\) at \\S+:\\d+"
            + ")\\s*$");
    private static final int MAX_CONTINUATION_LINES = 8;
    private static final int MAX_LOCAL_LINES = 200;

    private final EvidenceSink sink;
    private final boolean wholeFile;

    // what the text said about the current thread and the signal, before the frames: lands on the thread it names
    private String currentNumber;
    private long currentLwp;
    private String currentName;
    private String signal;
    private String signalNumber;
    private long signalLwp;
    /** coredumpctl: the signal belongs to the first stack that follows. */
    private boolean signalOnFirstStack;

    // the backtrace being built
    private SourceRef traceStart;
    private final List<BacktraceThread> threads = new ArrayList<>();
    // its current thread
    private boolean threadOpen;
    private String threadNumber;
    private long threadLwp;
    private String threadName;
    private final List<Frame> frames = new ArrayList<>();
    private String stoppedReason;
    private int lastIndex = -1;
    /** The current thread came from a header ({@code Thread 3 (…):}, {@code Stack trace of thread N:}). */
    private boolean headed;
    // its last frame, still open for continuation lines and locals
    private StringBuilder frameText;
    private int frameLine;
    private int frameLastLine;
    private int frameJoins;
    private boolean frameTextClosed;
    private final List<String> locals = new ArrayList<>();
    private StringBuilder local;
    private int localJoins;

    /** An embedded-mode reader: the first non-backtrace line ends a trace. */
    public BacktraceReader(EvidenceSink sink) {
        this(sink, false);
    }

    private BacktraceReader(EvidenceSink sink, boolean wholeFile) {
        this.sink = sink;
        this.wholeFile = wholeFile;
    }

    /** A reader for a file that is a backtrace: gdb chatter is skipped, unreadable lines are problems. */
    public static BacktraceReader wholeFile(EvidenceSink sink) {
        return new BacktraceReader(sink, true);
    }

    /** Whether a backtrace is being read (a frame or a thread header was seen and not yet emitted). */
    public boolean inTrace() {
        return traceStart != null;
    }

    /**
     * Offers the next line.
     *
     * @return true when the line belongs to a backtrace (frame, continuation, locals, thread header, stop line,
     *     or noise inside a trace); false otherwise
     */
    public boolean accept(int lineNo, String rawLine) {
        String line = rawLine == null ? "" : PAGER.matcher(rawLine).replaceFirst("");
        if (frameText != null && !frameTextClosed && !GdbFrameSyntax.isBalanced(frameText.toString())) {
            if (Head.isNoise(line)) {
                return true;
            }
            if (!startsSomething(line) && frameJoins < MAX_CONTINUATION_LINES && looksLikeArgs(line)) {
                join(lineNo, line);
                return true;
            }
            // the frame was cut: report it, keep what was read, then look at this line afresh
            sink.problemOf(frameLastLine, "gdb.frameArgsCut", abbreviate(frameText));
            closeFrame();
        }
        if (local != null && !GdbFrameSyntax.isBalanced(local.toString()) && localJoins < MAX_LOCAL_LINES
                && !startsSomething(line)) {
            local.append('\n').append(line);
            localJoins++;
            return true;
        }
        if (Head.isNoise(line)) {
            return inTrace();
        }
        Matcher cd = COREDUMP_THREAD.matcher(line);
        if (cd.matches()) {
            startThread(lineNo, rawLine, null, "LWP " + cd.group(1));
            return true;
        }
        if (GdbFrameSyntax.isFrameLine(line)) {
            startFrame(lineNo, rawLine, line);
            return true;
        }
        Matcher th = THREAD_HEADER.matcher(line);
        if (th.matches()) {
            startThread(lineNo, rawLine, th.group(1), th.group(2));
            return true;
        }
        if (frameText != null && !frameTextClosed && continuesFrame(line)) {
            join(lineNo, line);
            return true;
        }
        if (frameText != null && acceptLocal(line)) {
            return true;
        }
        if (inTrace()) {
            Matcher st = STOPPED.matcher(line);
            if (st.matches()) {
                closeFrame();
                stoppedReason = st.group(1).strip();
                return true;
            }
            if (MORE_FRAMES.matcher(line).matches()) {
                closeFrame();
                return true;
            }
        }
        notBacktrace(lineNo, line);
        return false;
    }

    /** Ends the input: emits the backtrace being read, reporting a frame cut at the end. */
    public void finish() {
        if (frameText != null && !frameTextClosed) {
            GdbFrameSyntax.Parsed p = GdbFrameSyntax.parse(frameText.toString());
            if (p == null || !p.complete() || p.danglingLocation()) {
                sink.problemOf(frameLastLine, "gdb.frameCutAtEnd", abbreviate(frameText));
            }
        }
        emit();
    }

    private void notBacktrace(int lineNo, String line) {
        // "[Current thread is 1 (…)]" follows the frame gdb prints on loading a core and describes it; any other
        // statement about threads or signals is about what comes next, so the trace read so far ends first
        if (line.contains("[Current thread is ")) {
            context(line);
            return;
        }
        if (!wholeFile) {
            emit();
            if (!context(line) && !CHATTER.matcher(line).matches()) {
                forgetContext(); // prose between two pasted sessions: what the first said is not about the second
            }
            return;
        }
        if (CONTEXT_HINT.matcher(line).find()) {
            emit();
            if (context(line)) {
                return;
            }
        }
        if (PROMPT.matcher(line).matches()) {
            emit();
        } else if (inTrace() && !CHATTER.matcher(line).matches()) {
            sink.problemOf(lineNo, "gdb.notBacktrace", abbreviate(line));
        }
    }

    /**
     * Reads what gdb or systemd-coredump says about the thread a backtrace belongs to and the signal it stopped on.
     *
     * @return whether the line was such a statement
     */
    private boolean context(String line) {
        Matcher m = THREAD_SIGNAL.matcher(line);
        if (m.matches()) {
            currentNumber = m.group(1);
            currentName = m.group(2);
            currentLwp = 0;
            signal = signalName(m.group(3));
            signalNumber = currentNumber;
            signalLwp = 0;
            signalOnFirstStack = false;
            return true;
        }
        m = PROGRAM_SIGNAL.matcher(line);
        if (m.matches()) {
            signal = signalName(m.group(2));
            signalNumber = currentNumber;
            signalLwp = currentLwp;
            signalOnFirstStack = false;
            return true;
        }
        m = SWITCHING.matcher(line);
        if (m.matches()) {
            String number = m.group(1) == null ? null : m.group(1).strip();
            Matcher l = LWP.matcher(m.group(2));
            long lwp = l.find() ? Long.parseLong(l.group(1) != null ? l.group(1) : l.group(2) != null ? l.group(2)
                    : l.group(3)) : 0;
            boolean same = number != null && number.equals(currentNumber) || lwp != 0 && lwp == currentLwp;
            if (!same && currentNumber != null && number == null && signal != null
                    && Objects.equals(signalNumber, currentNumber) && signalLwp == 0) {
                same = true; // "Thread 4 … received signal" then "[Switching to Thread 0x… (LWP n)]": the same thread
            }
            if (!same) {
                currentName = null;
                currentNumber = number;
            } else if (number != null) {
                currentNumber = number;
            }
            currentLwp = lwp;
            if (signal != null && (Objects.equals(signalNumber, currentNumber) && signalNumber != null
                    || signalNumber == null && signalLwp == 0)) {
                signalNumber = currentNumber; // the signal's thread, now known ("[Current thread is 1 …]" of a core)
                signalLwp = currentLwp;
            }
            return true;
        }
        m = COREDUMP_SIGNAL.matcher(line);
        if (m.matches()) {
            signal = m.group(2) != null ? "SIG" + m.group(2) : signalName(m.group(1));
            signalNumber = null;
            signalLwp = 0;
            signalOnFirstStack = true;
            return true;
        }
        return false;
    }

    private void forgetContext() {
        currentNumber = null;
        currentLwp = 0;
        currentName = null;
        signal = null;
        signalNumber = null;
        signalLwp = 0;
        signalOnFirstStack = false;
    }

    /** {@code SIGSEGV} as is; a number (old gdb: {@code signal 11}) by the Linux numbering. */
    static String signalName(String s) {
        if (s == null || s.startsWith("SIG")) {
            return s;
        }
        switch (s) {
            case "4": return "SIGILL";
            case "5": return "SIGTRAP";
            case "6": return "SIGABRT";
            case "7": return "SIGBUS";
            case "8": return "SIGFPE";
            case "9": return "SIGKILL";
            case "11": return "SIGSEGV";
            case "15": return "SIGTERM";
            default: return "signal " + s;
        }
    }

    /** Whether a line starts a new unit and so cannot be a continuation. */
    private static boolean startsSomething(String line) {
        return GdbFrameSyntax.isFrameLine(line) || THREAD_HEADER.matcher(line).matches()
                || STOPPED.matcher(line).matches() || MORE_FRAMES.matcher(line).matches()
                || PROMPT.matcher(line).matches();
    }

    /** A wrapped piece of an argument list, e.g. {@code 0x7ffff7b410ba <memory_region_write_accessor>, mr=…) at …}. */
    private boolean looksLikeArgs(String line) {
        String prev = frameText.toString().stripTrailing();
        return prev.endsWith("=") || prev.endsWith(",") || prev.endsWith("(")
                || line.indexOf('=') >= 0 || line.indexOf(')') >= 0;
    }

    /** A balanced frame still missing its argument list or location, followed by the wrapped rest. */
    private boolean continuesFrame(String line) {
        GdbFrameSyntax.Parsed p = GdbFrameSyntax.parse(frameText.toString());
        if (p == null) {
            return false;
        }
        String s = line.strip();
        if (p.danglingLocation()) {
            return !s.contains(" ");
        }
        if (p.hasLocation()) {
            return false;
        }
        if (s.startsWith("(") && !p.hasArgs()) {
            return true; // "#5  0x… in translator_loop" then "     (ops=ops@entry=…"
        }
        return CONT_LOCATION.matcher(line).matches() || s.equals("at") || s.equals("from");
    }

    private boolean acceptLocal(String line) {
        if (NO_LOCALS.matcher(line).matches()) {
            finishLocal();
            frameTextClosed = true;
            return true;
        }
        if (LOCAL.matcher(line).matches()) {
            finishLocal();
            frameTextClosed = true;
            local = new StringBuilder(line.strip());
            localJoins = 0;
            return true;
        }
        return false;
    }

    private void finishLocal() {
        if (local != null) {
            locals.add(local.toString());
            local = null;
        }
    }

    private void join(int lineNo, String line) {
        frameText.append(' ').append(line.strip());
        frameLastLine = lineNo;
        frameJoins++;
    }

    private void startFrame(int lineNo, String rawLine, String line) {
        closeFrame();
        int index = GdbFrameSyntax.frameIndex(line);
        if (inTrace() && lastIndex >= 0 && index <= lastIndex) {
            emit(); // a second "bt" output: a new backtrace
        }
        if (!inTrace()) {
            traceStart = sink.ref(lineNo, rawLine);
        }
        threadOpen = true;
        lastIndex = index;
        frameText = new StringBuilder(line);
        frameLine = lineNo;
        frameLastLine = lineNo;
        frameJoins = 0;
        frameTextClosed = false;
        locals.clear();
        local = null;
    }

    private void startThread(int lineNo, String rawLine, String number, String inner) {
        closeFrame();
        if (!inTrace()) {
            traceStart = sink.ref(lineNo, rawLine);
        }
        closeThread();
        threadOpen = true;
        headed = true;
        threadNumber = number;
        Matcher l = LWP.matcher(inner.strip());
        threadLwp = 0;
        if (l.find()) {
            String n = l.group(1) != null ? l.group(1) : l.group(2) != null ? l.group(2) : l.group(3);
            threadLwp = Long.parseLong(n);
        }
        Matcher nm = THREAD_NAME.matcher(inner);
        threadName = nm.find() ? nm.group(1) : null;
    }

    /** Turns the open frame's text into a {@link Frame}, if it has a function. */
    private void closeFrame() {
        if (frameText == null) {
            return;
        }
        finishLocal();
        String text = frameText.toString();
        GdbFrameSyntax.Parsed p = GdbFrameSyntax.parse(text);
        if (p == null || p.function() == null) {
            sink.problemOf(frameLine, "gdb.noFunction", abbreviate(frameText));
        } else {
            frames.add(new Frame(sink.ref(frameLine, text), p.index(), p.address(), p.function(), p.args(),
                    p.file(), p.line(), p.library(), locals));
        }
        frameText = null;
        locals.clear();
    }

    private void closeThread() {
        if (threadOpen && (!frames.isEmpty() || threadNumber != null || threadLwp != 0)) {
            String number = threadNumber;
            long lwp = threadLwp;
            String name = threadName;
            if (!headed) {
                // a plain bt: the thread the text last switched to or stopped in
                number = currentNumber;
                lwp = currentLwp;
                name = currentName;
            } else if (name == null && currentName != null && (number != null && number.equals(currentNumber)
                    || lwp != 0 && lwp == currentLwp)) {
                name = currentName;
            }
            String sig = null;
            if (signal != null) {
                if (signalOnFirstStack) {
                    sig = threads.isEmpty() ? signal : null;
                } else if (!headed && (signalNumber == null && signalLwp == 0
                        || Objects.equals(signalNumber, number) && number != null || signalLwp != 0 && signalLwp == lwp)) {
                    sig = signal;
                } else if (headed && (signalNumber != null && signalNumber.equals(number)
                        || signalLwp != 0 && signalLwp == lwp)) {
                    sig = signal;
                }
            }
            threads.add(new BacktraceThread(number, lwp, name, frames, stoppedReason, sig));
        }
        headed = false;
        threadOpen = false;
        threadNumber = null;
        threadLwp = 0;
        threadName = null;
        frames.clear();
        stoppedReason = null;
        lastIndex = -1;
    }

    private void emit() {
        closeFrame();
        closeThread();
        boolean anyFrame = threads.stream().anyMatch(t -> !t.frames().isEmpty());
        if (traceStart != null && anyFrame) {
            sink.backtrace(new Backtrace(traceStart, threads));
        }
        traceStart = null;
        threads.clear();
    }

    private static String abbreviate(CharSequence s) {
        String t = s.toString().strip();
        return t.length() > 120 ? t.substring(0, 120) + "…" : t;
    }
}
