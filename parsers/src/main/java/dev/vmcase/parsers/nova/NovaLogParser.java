package dev.vmcase.parsers.nova;

import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Guest;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.NovaKind;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TerminalEscapes;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;
import dev.vmcase.parsers.time.Timestamps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nova-compute's log, written by oslo.log either to a file
 * <pre>
 * 2018-11-13 13:59:12.653 134780 ERROR nova.virt.libvirt.driver [req-… user project - default default] [instance: UUID] Live Migration failure: …
 * </pre>
 * or through journald, as devstack does ({@code MMM dd HH:MM:SS[.ffffff] HOST nova-compute[PID]: LEVEL logger …}, every
 * physical line with the journal prefix). One record is one event: in a file the lines of a multi-line message
 * (an XML dump) carry no prefix; a traceback is prefixed line by line with {@code logging_exception_prefix} (same pid,
 * level and logger, the context may be absent), and old nova wrote those lines at level {@code TRACE}; in journald a
 * continuation line is one whose text after the journal prefix does not start with a level and a logger.
 * <p>
 * Only records that matter become events: warnings and errors, and the messages nova's libvirt driver and compute
 * manager write about a live migration (§3.2, verbatim texts) and a device detach ({@code guest.py}/{@code driver.py}),
 * whatever their level: the message catalogue's nova entries ({@code knowledge/nova.json}), see {@link #classify}.
 * Each carries {@code level}, {@code logger}, {@code pid}, {@code request-id}, {@code global-request-id},
 * {@code instance}, {@code host} (journald), {@code kind} and what the message names ({@code device}, {@code alias},
 * {@code target}, {@code reason}); a traceback adds {@code exception} (its last line) and {@code exception-class}.
 * <p>
 * Time: oslo writes the host's local time without a zone, and journald's text has no year: the text is kept
 * ({@code local-time}, {@code journal-time}), {@link Event#time()} is null, and every record's line is kept as a local
 * time ({@link EvidenceSink#index(int, Timestamps.Stamp, byte)}) that {@link dev.vmcase.parsers.time.LocalTimes}
 * places on the timeline once the host's zone (and year) are known — nothing is guessed.
 */
public final class NovaLogParser extends FormatParser implements dev.vmcase.parsers.LineRecords {
    public static final String FORMAT = "nova-compute-log";

    /** A public nova-compute log, verbatim (Queens-era nova-compute log with full context; a public note). */
    public static final String SAMPLE = """
            2018-11-13 13:59:12.653 134780 ERROR nova.virt.libvirt.driver [req-e2a6270f-a772-4c51-916d-8e6e735c089f b7b6e6d00a77423c8b9627305edcd3e7 738eefc285c846dd86504d0c09bb55de - default default] [instance: b54f2810-fd42-44ae-89d6-343a7030e2f3] Live Migration failure: internal error: unable to execute QEMU command 'migrate-set-capabilities': Postcopy is not supported: libvirtError: internal error: unable to execute QEMU command 'migrate-set-capabilities': Postcopy is not supported
            2018-11-13 13:59:13.021 134780 ERROR nova.virt.libvirt.driver [req-e2a6270f-a772-4c51-916d-8e6e735c089f b7b6e6d00a77423c8b9627305edcd3e7 738eefc285c846dd86504d0c09bb55de - default default] [instance: b54f2810-fd42-44ae-89d6-343a7030e2f3] Migration operation has aborted
            2018-11-13 13:59:14.152 134780 WARNING nova.compute.manager [req-ed530b4d-dc61-4de0-870a-ac69f4fba8b9 b7b6e6d00a77423c8b9627305edcd3e7 738eefc285c846dd86504d0c09bb55de - default default] [instance: b54f2810-fd42-44ae-89d6-343a7030e2f3] Received unexpected event network-vif-plugged-4df35fff-5674-42d8-921c-028b1a91874f for instance
            """;

    private static final String LEVELS = "DEBUG|INFO|AUDIT|WARNING|ERROR|CRITICAL|TRACE";
    /** oslo.log's file format: {@code asctime.msecs process levelname name …}. */
    static final Pattern OSLO = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{3})?) (\\d+) (" + LEVELS + ") ([A-Za-z_][\\w.]*)(?: (.*))?$");
    /**
     * The journal's (or syslog's) prefix of a nova service: {@code nova-compute[PID]:}, or {@code nova_compute[PID]:}
     * as the containers of TripleO and kolla name it.
     */
    static final Pattern JOURNAL = Pattern.compile(
            "^([A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?) (\\S+) (nova[-_][\\w-]+)\\[(\\d+)\\]: ?(.*)$");
    /** What oslo writes after the journal prefix: {@code levelname name …}. */
    private static final Pattern BODY = Pattern.compile("^(" + LEVELS + ") ([A-Za-z_][\\w.]*)(?: (.*))?$");
    private static final Pattern REQ = Pattern.compile("req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INSTANCE = Pattern.compile("^\\[instance: ([0-9a-fA-F-]{36})\\] ?");
    /** devstack's {@code {{(pid=1234) func file:line}}} at the end of a message, found without a scan per start. */
    private static final Pattern DEVSTACK_PID = Pattern.compile("\\{\\{\\(pid=\\d++\\)");
    private static final Set<String> NOTABLE_LEVELS = Set.of("WARNING", "ERROR", "CRITICAL");

    /** The catalogue's nova messages that say what a record is (each entry states a {@code kind}), verdicts aside. */
    private static final List<Message> KINDS = MessageCatalogue.get().ofComponent("nova").stream()
            .filter(m -> m.details().containsKey(Detail.KIND.key()) && m.messageClass() != MessageClass.UNPLUG_GAVE_UP)
            .toList();
    /**
     * nova's verdict on a detach ({@code nova.exception.DeviceDetachFailed: Device detach failed for vdb: …}), looked
     * for anywhere in the record: the traceback's last line holds it too.
     */
    private static final List<Message> VERDICTS = MessageCatalogue.get().ofComponent("nova").stream()
            .filter(m -> m.messageClass() == MessageClass.UNPLUG_GAVE_UP).toList();
    private static final String DETACH_XML = NovaKind.DETACH_DEVICE_XML.value();
    private static final Pattern EXCEPTION_LINE = Pattern.compile("^([A-Za-z_][\\w.]*(?:Error|Exception|Failed|Failure|NotFound|Timeout|Fault|Exit|Interrupt)\\w*)(?::|$)");
    private static final Pattern ALIAS_XML = Pattern.compile("<alias\\s+name=[\"']([^\"']+)[\"']");
    private static final Pattern TARGET_XML = Pattern.compile("<target\\s+[^>]*dev=[\"']([^\"']+)[\"']");
    /** A record's continuation lines are kept up to this size; more (a huge XML dump) is counted, not held. */
    static final int MAX_RECORD = 64 * 1024;

    public NovaLogParser() {
        super(FORMAT, SAMPLE);
    }

    /** The first significant line is a nova record, and so are at least a third (and two) of the first forty. */
    @Override
    public boolean recognizes(Head head) {
        if (parseStart(head.first()) == null) {
            return false;
        }
        int n = 0;
        int records = 0;
        for (String line : head.significant()) {
            if (n++ >= 40) {
                break;
            }
            if (parseStart(line) != null) {
                records++;
            }
        }
        return records >= Math.min(2, n) && records * 3 >= n;
    }

    @Override
    public boolean startsRecord(String line) {
        return !line.isEmpty() && Character.isLetterOrDigit(line.charAt(0)) && parseStart(line) != null;
    }

    /** A journal line of a nova service whose text is no new record: the next line of a multi-line message. */
    @Override
    public boolean continuesRecord(String line) {
        return dev.vmcase.parsers.LineRecords.super.continuesRecord(line) || JOURNAL.matcher(line).matches();
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        try (LineReader in = source.lines()) {
            Record pending = null;
            String line;
            while ((line = in.next()) != null) {
                if (in.wasCut()) {
                    sink.lineCut(in.number());
                }
                Start s = parseStart(line);
                if (s != null && pending != null && pending.continuedBy(s)) {
                    pending.append(in.number(), s.message);
                    continue;
                }
                if (s != null) {
                    if (pending != null) {
                        emit(pending, sink);
                    }
                    pending = new Record(in.number(), line, s);
                    continue;
                }
                Matcher j = JOURNAL.matcher(line);
                String text = j.matches() ? j.group(5) : line;
                if (pending != null && (!j.matches()
                        || j.group(2).equals(pending.start.host) && j.group(4).equals(pending.start.pid))) {
                    pending.append(in.number(), text);
                } else if (!line.isBlank()) {
                    sink.problemOf(in.number(), "nova.notRecord");
                }
            }
            if (pending != null) {
                emit(pending, sink);
            }
        }
    }

    /** The prefix of a record line, parsed; null when the line starts no record. */
    record Start(String localTime, String journalTime, String host, String pid, String level, String logger,
                 String context, String instance, String message) {
    }

    static Start parseStart(String raw) {
        String line = TerminalEscapes.strip(raw);
        Matcher o = OSLO.matcher(line);
        if (o.matches()) {
            return start(o.group(1), null, null, o.group(2), o.group(3), o.group(4), o.group(5));
        }
        Matcher j = JOURNAL.matcher(line);
        if (j.matches()) {
            // a container's nova writes its whole oslo record to the journal, its own time (with the year) first
            Matcher whole = OSLO.matcher(j.group(5));
            if (whole.matches()) {
                return start(whole.group(1), j.group(1), j.group(2), whole.group(2), whole.group(3), whole.group(4),
                        whole.group(5));
            }
            Matcher b = BODY.matcher(j.group(5));
            if (b.matches()) {
                return start(null, j.group(1), j.group(2), j.group(4), b.group(1), b.group(2), b.group(3));
            }
        }
        return null;
    }

    private static Start start(String local, String journal, String host, String pid, String level, String logger,
                               String rest) {
        String r = rest == null ? "" : rest;
        String context = null;
        if (r.startsWith("[") && !r.startsWith("[instance: ")) {
            int close = r.indexOf(']');
            if (close > 0) {
                context = r.substring(1, close);
                r = r.substring(close + 1).stripLeading();
            }
        }
        String instance = null;
        Matcher i = INSTANCE.matcher(r);
        if (i.find()) {
            instance = i.group(1);
            r = r.substring(i.end());
        }
        r = withoutDevstackSuffix(r);
        return new Start(local, journal, host, pid, level, logger, context, instance, r);
    }

    /**
     * The message without devstack's suffix. (A pattern {@code \\s*\\{\\{\\(pid=…}} searched with find() tries every
     * start and runs over every space: hours on a line of a million spaces.)
     */
    static String withoutDevstackSuffix(String r) {
        String t = r.stripTrailing();
        if (!t.endsWith("}}")) {
            return r;
        }
        Matcher m = DEVSTACK_PID.matcher(t);
        for (int at = t.indexOf("{{(pid="); at >= 0; at = t.indexOf("{{(pid=", at + 1)) {
            if (m.region(at, t.length()).lookingAt()) {
                return t.substring(0, at).stripTrailing();
            }
        }
        return r;
    }

    /** One record: its first line and what followed it. */
    private static final class Record {
        final int line;
        final String text;
        final Start start;
        final StringBuilder body = new StringBuilder();
        int lastLine;
        int omittedChars;
        /** 0 no traceback, 1 in the frames, 2 after the exception line. */
        int traceback;
        String exception;
        int exceptionLine;

        Record(int line, String text, Start start) {
            this.line = line;
            this.text = text;
            this.start = start;
            this.lastLine = line;
            body.append(start.message);
            if (isTracebackStart(start.message)) {
                traceback = 1;
            }
        }

        /** A prefixed line that belongs to this record: a traceback line written with the exception prefix. */
        boolean continuedBy(Start s) {
            if (!s.pid.equals(start.pid) || !s.logger.equals(start.logger) || !Objects.equals(s.host, start.host)) {
                return false;
            }
            if ("TRACE".equals(s.level)) {
                return true; // old nova: the traceback of the record above, at level TRACE
            }
            if (!s.level.equals(start.level) || !"ERROR".equals(s.level)) {
                return false;
            }
            if (s.context != null && start.context != null && !s.context.equals(start.context)) {
                return false;
            }
            if (s.instance != null && start.instance != null && !s.instance.equals(start.instance)) {
                return false;
            }
            String m = s.message;
            if (traceback == 0) {
                return isTracebackStart(m);
            }
            if (traceback == 1) {
                return true; // frames, then the exception line
            }
            // after the exception line only a chained traceback goes on
            return m.isBlank() || isTracebackStart(m) || m.startsWith("During handling of the above exception")
                    || m.startsWith("The above exception was the direct cause");
        }

        void append(int number, String message) {
            lastLine = number;
            if (body.length() + message.length() + 1 <= MAX_RECORD) {
                body.append('\n').append(message);
            } else {
                omittedChars += message.length() + 1;
            }
            if (isTracebackStart(message)) {
                traceback = 1;
            } else if (traceback >= 1 && !message.isBlank() && !Character.isWhitespace(message.charAt(0))
                    && !message.startsWith("During handling") && !message.startsWith("The above exception")) {
                exception = message;
                exceptionLine = number;
                traceback = 2;
            }
        }

        boolean hadTraceback() {
            return traceback > 0 || exception != null;
        }
    }

    private static boolean isTracebackStart(String m) {
        return m.startsWith("Traceback (most recent call last):");
    }

    private static void emit(Record r, EvidenceSink sink) {
        Start s = r.start;
        Map<String, String> d = new LinkedHashMap<>();
        d.put("level", s.level);
        d.put("logger", s.logger);
        d.put("pid", s.pid);
        put(d, "local-time", s.localTime);
        put(d, "journal-time", s.journalTime);
        if (s.host != null) {
            d.put("host", s.host);
            sink.host(s.host);
        }
        if (s.context != null) {
            Matcher m = REQ.matcher(s.context);
            String first = m.find() ? m.group() : null;
            String second = first != null && m.find() ? m.group() : null;
            if (second != null) {
                d.put("global-request-id", first);
                d.put("request-id", second);
            } else {
                put(d, "request-id", first);
            }
        }
        put(d, "instance", s.instance);
        String body = r.body.toString();
        if (r.hadTraceback()) {
            d.put("traceback", "true");
            if (r.exception != null) {
                d.put("exception", r.exception);
                d.put("exception-line", Integer.toString(r.exceptionLine));
                Matcher e = EXCEPTION_LINE.matcher(r.exception);
                if (e.find()) {
                    String cls = e.group(1);
                    d.put("exception-class", cls.substring(cls.lastIndexOf('.') + 1));
                }
            } else {
                d.put("traceback-cut", "true"); // the file ends before the exception line
            }
        }
        if (r.lastLine > r.line) {
            d.put("last-line", Integer.toString(r.lastLine));
        }
        if (r.omittedChars > 0) {
            d.put("omitted-chars", Integer.toString(r.omittedChars));
        }
        // every record goes on the timeline, in the host's local time until its zone is known (LocalTimes)
        sink.index(r.line, Timestamps.read(s.localTime != null ? s.localTime : s.journalTime), level(s.level));
        classify(s.message, body, d);
        if (!d.containsKey(Detail.KIND.key()) && !NOTABLE_LEVELS.contains(s.level) && !r.hadTraceback()) {
            return; // routine DEBUG/INFO chatter
        }
        // nova-compute logs every instance of its host into one file: each record names its own ([instance: UUID],
        // the libvirt domain's UUID)
        sink.event(new Event(sink.ref(r.line, r.text), null, EventKind.NOVA_MESSAGE, body, d,
                Guest.of(null, d.get(Detail.INSTANCE.key()))));
    }

    private static byte level(String level) {
        switch (level) {
            case "ERROR":
            case "CRITICAL":
                return Timeline.ERROR;
            case "WARNING":
                return Timeline.WARNING;
            case "DEBUG":
                return Timeline.DEBUG;
            default:
                return Timeline.INFO;
        }
    }

    /**
     * The messages that matter, by nova's own texts (nova/virt/libvirt/guest.py, driver.py, compute/manager.py): the
     * message catalogue's nova entries ({@code knowledge/nova.json}: each states its {@code kind} and {@code phase} and
     * names what it captures), every one with a real sample. No nova wording is matched in Java any more: the last
     * ones without a public sample (the compute manager's verdicts on a live migration, Pike to Wallaby's detach)
     * moved to the catalogue with lines nova's own code wrote here (sample-cases/provenance/nova-zed-lines). What is
     * left here is what no wording says: the alias and target read from the detach XML that follows {@code detach
     * device xml:}, and nova's detach verdict found anywhere in the record, its traceback included.
     */
    static void classify(String message, String body, Map<String, String> d) {
        MessageMatch known = MessageCatalogue.match(message, KINDS);
        if (known != null && known.start() == 0) {
            put(known, d);
        }
        if (DETACH_XML.equals(d.get(Detail.KIND.key()))) {
            Matcher a = ALIAS_XML.matcher(body);
            if (a.find()) {
                d.put("alias", a.group(1));
            }
            Matcher t = TARGET_XML.matcher(body);
            if (t.find()) {
                d.put("target", t.group(1));
                d.put("device", t.group(1));
            }
        }
        // a verdict (DeviceDetachFailed), in the message or in the traceback's last line, wins
        MessageMatch verdict = MessageCatalogue.match(body, VERDICTS);
        if (verdict != null) {
            d.remove("phase");
            put(verdict, d);
            String reason = d.get("detach-failure");
            if (reason != null && reason.endsWith(")")) {
                // the exception's repr closes its parenthesis after the reason
                d.put("detach-failure", reason.substring(0, reason.length() - 1));
            }
        }
    }

    /** An entry's fixed details and its captures, each under its group's name in kebab case ({@code detachFailure}). */
    private static void put(MessageMatch m, Map<String, String> d) {
        d.putAll(m.message().details());
        m.groups().forEach((g, v) -> d.put(kebab(g), v));
    }

    private static String kebab(String group) {
        StringBuilder out = new StringBuilder();
        for (char c : group.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void put(Map<String, String> d, String k, String v) {
        if (v != null && !v.isEmpty()) {
            d.put(k, v);
        }
    }
}
