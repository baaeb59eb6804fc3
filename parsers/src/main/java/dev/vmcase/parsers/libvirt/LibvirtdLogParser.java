package dev.vmcase.parsers.libvirt;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Guest;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.SourceRef;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ByteLineReader;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;
import dev.vmcase.parsers.qmp.Json;
import dev.vmcase.parsers.qmp.QmpReader;
import dev.vmcase.parsers.text.AsciiPatterns;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vmcase.parsers.text.AsciiPatterns.at;

/**
 * libvirtd's debug log: one record per
 * {@code <YYYY-MM-DD HH:MM:SS.mmm+0000>: <tid>: <priority> : <function>:<line> : <message>}, where a message may go on
 * over continuation lines (the {@code \r\n} inside a monitor command leaves {@code " fd=-1"} or
 * {@code " len=79 ret=79 errno=0"} on the next line). The QEMU monitor traffic becomes QMP messages, one conversation
 * per monitor ({@code mon=0x7ff734005740}): {@code QEMU_MONITOR_SEND_MSG} (commands), {@code QEMU_MONITOR_RECV_REPLY}
 * (returns and errors), {@code QEMU_MONITOR_RECV_EVENT} (events); {@code IO_WRITE} and {@code Line [...]} repeat them
 * and are not counted twice — but an event or error reply is cited by its {@code Line [...]} echo just before the
 * probe, the first copy libvirt wrote of what QEMU sent. Warnings, errors and libvirt's own verdicts about device removal become events:
 * <pre>
 * 2014-06-11 13:33:31.706+0000: 1261: warning : qemuMonitorJSONHandleDeviceDeleted:931 : missing device in device deleted event
 * … debug : qemuDomainDeleteDevice:… : Detaching of device virtio-disk1 failed and no event arrived
 * </pre>
 */
public final class LibvirtdLogParser extends FormatParser implements dev.vmcase.parsers.LineRecords {
    public static final String FORMAT = "libvirtd-debug-log";

    /** Lines of libvirt 9.0's own debug log, captured by sample-cases/provenance/libvirt-pending-unplug/capture.sh. */
    public static final String SAMPLE = """
            2026-11-27 23:30:04.965+0000: 28287: info : libvirt version: 9.0.0, package: 9.0.0-4+deb12u2 (Debian)
            2026-11-27 23:30:04.965+0000: 28287: info : hostname: vm
            2026-11-27 23:30:04.965+0000: 28287: debug : main:962 : Decided on pid file path '/run/libvirtd.pid'
            2026-11-27 23:30:10.468+0000: 28298: info : qemuMonitorSend:861 : QEMU_MONITOR_SEND_MSG: mon=0x7ff734005740 msg={"execute":"device_del","arguments":{"id":"virtio-disk1"},"id":"libvirt-411"}
             fd=-1
            2026-11-27 23:30:10.469+0000: 28357: info : qemuMonitorIOWrite:366 : QEMU_MONITOR_IO_WRITE: mon=0x7ff734005740 buf={"execute":"device_del","arguments":{"id":"virtio-disk1"},"id":"libvirt-411"}
             len=79 ret=79 errno=0
            2026-11-27 23:30:10.470+0000: 28357: debug : qemuMonitorJSONIOProcessLine:189 : Line [{"return": {}, "id": "libvirt-411"}]
            2026-11-27 23:30:10.470+0000: 28357: info : qemuMonitorJSONIOProcessLine:208 : QEMU_MONITOR_RECV_REPLY: mon=0x7ff734005740 reply={"return": {}, "id": "libvirt-411"}
            """;

    /**
     * A record: date (≥ 0.9.7; {@code +0000} since 0.9.8), or time only before that; thread id since 0.8.6;
     * {@code function:line} absent for the version and hostname banner.
     */
    static final Pattern RECORD = Pattern.compile(
            "^(?:(\\d{4}-\\d{2}-\\d{2}) )?(\\d{2}:\\d{2}:\\d{2}\\.\\d{3})(\\+\\d{4})?: (?:(\\d+): )?(debug|info|warning|error) : "
                    + "(?:([\\w.]+):(\\d+) : )?(.*)$");
    private static final Pattern HOSTNAME = Pattern.compile("^hostname: (\\S+)$");
    private static final Pattern VERSION = Pattern.compile("^libvirt version: ([0-9.]+)");
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /**
     * libvirt's words about device removal (src/qemu/qemu_hotplug.c, qemu_domain.c, qemu_process.c), kept as events
     * whatever their priority: the message catalogue's libvirt entries of those classes ({@code knowledge/libvirt.json}).
     */
    private static final List<Message> VERDICTS = MessageCatalogue.get().ofComponent("libvirt").stream()
            .filter(m -> m.messageClass() == MessageClass.UNPLUG_EVENT_WITHOUT_DEVICE
                    || m.messageClass() == MessageClass.UNPLUG_NO_EVENT
                    || m.messageClass() == MessageClass.UNPLUG_REMOVED)
            .filter(m -> m.bug() == null) // a known bug's signature is a reading of a verdict, not another verdict
            .toList();

    /**
     * The {@link #VERDICTS}' needles looked for in a record's bytes, derived from the catalogue when the class loads so
     * that the prefilter and the verdicts cannot drift apart (every entry's needle is a phrase each of its lines holds).
     */
    private static final AsciiPatterns VERDICT_PHRASES = new AsciiPatterns(MessageCatalogue.needles(VERDICTS));

    public LibvirtdLogParser() {
        super(FORMAT, SAMPLE);
    }

    /** Most of the first significant lines are libvirt log records with a thread id and priority. */
    @Override
    public boolean recognizes(Head head) {
        int records = 0;
        int n = 0;
        for (String line : head.significant()) {
            if (n++ >= 20) {
                break;
            }
            Matcher m = RECORD.matcher(line);
            if (m.matches() && m.group(4) != null) {
                records++;
            }
        }
        return records >= 2 && records * 2 > n && RECORD.matcher(head.first()).matches();
    }

    /** A record with a date and a priority (the undated records of libvirt before 0.9.7 are not told in prose). */
    @Override
    public boolean startsRecord(String line) {
        if (line.length() < 30 || !Character.isDigit(line.charAt(0))) {
            return false;
        }
        Matcher m = RECORD.matcher(line);
        return m.matches() && m.group(1) != null;
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        Reading r = new Reading(sink);
        try (ByteLineReader in = source.byteLines()) {
            while (in.next()) {
                r.line(in);
            }
        }
        r.end();
    }

    /**
     * One parse's state. The work for a line is a method of its own, not the body of the loop in {@link #parse}: the
     * JIT then compiles it as a method, early and fully, instead of replacing a long-running loop mid-flight.
     */
    private static final class Reading {
        final EvidenceSink sink;
        final Map<String, QmpReader> monitors = new HashMap<>();
        final Records clock = new Records();
        final Scanner scanner = new Scanner();
        final Map<String, String> unread = new HashMap<>();
        final Monitors owners = new Monitors();
        /**
         * The last {@code Line [...]} record that may be cited for its message: libvirt's copy of a line QEMU sent,
         * written just before the {@code QEMU_MONITOR_RECV_*} probe of the same message. The probe is read (it names
         * the monitor); the citation goes to this first copy. Successful returns ({@code {"return"…}}, the bulk of
         * the bytes) are not kept: no finding cites them.
         */
        final Echo echo = new Echo();
        Pending pending;

        Reading(EvidenceSink sink) {
            this.sink = sink;
        }

        void line(ByteLineReader in) {
            if (in.wasCut()) {
                sink.lineCut(in.number());
            }
            byte[] b = in.buf();
            int s = in.start();
            int e = in.end();
            if (e - s >= 2 && b[e - 2] == '^' && b[e - 1] == 'M') {
                e -= 2;
            }
            int kind = e - s > LineReader.MAX_LINE ? Scanner.DECODE : scanner.scan(b, s, e);
            if (kind == Scanner.PLAIN || kind == Scanner.ENTER) {
                // a debug or info record nobody reads: indexed, never decoded
                if (pending != null && pending != PLAIN) {
                    record(pending, sink, monitors, unread, owners, echo);
                }
                sink.indexMicros(in.number(), scanner.micros, scanner.level);
                if (kind == Scanner.PLAIN && scanner.lineEcho(b, e)) {
                    echo.keep(in.number(), b, s, e);
                }
                if (kind == Scanner.ENTER) {
                    owners.entered(b, scanner.message + Monitors.ENTERING_BYTES.length, e, in.number(), sink);
                }
                pending = PLAIN;
                return;
            }
            if (kind == Scanner.NOT_RECORD && pending == PLAIN) {
                return; // a continuation of a record nobody reads
            }
            if (kind == Scanner.SEND || kind == Scanner.REPLY) {
                if (pending != null && pending != PLAIN) {
                    record(pending, sink, monitors, unread, owners, echo);
                }
                pending = null;
                if (scanner.housekeeping(kind, b, e, unread)) {
                    sink.indexMicros(in.number(), scanner.micros, scanner.level);
                    pending = PLAIN;
                    return;
                }
            }
            String line = in.text();
            String clean = line.endsWith("^M") ? line.substring(0, line.length() - 2) : line;
            Pending next = clock.record(in.number(), clean);
            if (next != null) {
                if (pending != null && pending != PLAIN) {
                    record(pending, sink, monitors, unread, owners, echo);
                }
                pending = next;
            } else if (pending != null) {
                if (pending != PLAIN) {
                    pending.continue_(clean);
                }
            } else if (!clean.isBlank()) {
                sink.problemOf(in.number(), "libvirtd.notRecord");
            }
        }

        void end() {
            if (pending != null && pending != PLAIN) {
                record(pending, sink, monitors, unread, owners, echo);
            }
        }
    }

    /** The record being continued is a {@link Scanner#PLAIN} one: its continuation lines are skipped. */
    private static final Pending PLAIN = new Pending(0, "", "debug", "", "");

    /**
     * Tells from a line's bytes, without decoding it, whether it is a record {@link Records} reads as a debug or info
     * record with a function that {@link #record} would only index (no QEMU monitor message, no verdict): most of a
     * debug log. Anything it is not sure of is left to the decoded path, which decides as it always did.
     */
    static final class Scanner {
        /** Index only; {@link #micros} and {@link #level} are set. */
        static final int PLAIN = 1;
        /** Not a record (a continuation line): its first bytes are ASCII, fail the modern layout, start with no digit. */
        static final int NOT_RECORD = 2;
        /** Decode the line and read it as text. */
        static final int DECODE = 3;
        /** A {@code QEMU_MONITOR_SEND_MSG} debug or info record: maybe a command whose answer nobody reads. */
        static final int SEND = 4;
        /** A {@code QEMU_MONITOR_RECV_REPLY} debug or info record: maybe the reply to one. */
        static final int REPLY = 5;
        /** {@code Entering monitor (mon=… vm=… name=…)}: index it, and note which domain the monitor serves. */
        static final int ENTER = 6;

        long micros;
        /** Where the message of the last {@link #PLAIN}, {@link #SEND} or {@link #REPLY} record starts. */
        int message;
        byte level;
        /**
         * The date of {@link #dayMicros} as {@link #scan} reads it: its first eight bytes and the last two (the low
         * bytes of the next word); zero, never a date, before the first.
         */
        private long day0;
        private long day1;
        private long dayMicros;

        /**
         * Whether the last {@link #PLAIN} record is a {@code Line [...]} echo whose message is not a successful return
         * ({@code Line [{"return"…}]}): an event, an error, a reply written id first.
         */
        boolean lineEcho(byte[] b, int e) {
            return at(b, message, e, LINE_ECHO) && !at(b, message + LINE_ECHO.length, e, RETURN_FIRST);
        }

        int scan(byte[] b, int s, int e) {
            int n = e - s;
            if (n < 36) {
                return shortLine(b, s, e);
            }
            // the header "YYYY-MM-DD hh:mm:ss.mmm+0000: " as four little-endian words, checked a word at a time: no
            // loop in this method (a loop here made the JIT compile it again and again for on-stack replacement)
            long w0 = (long) LONGS.get(b, s);
            long w1 = (long) LONGS.get(b, s + 8);
            long w2 = (long) LONGS.get(b, s + 16);
            long w3 = (long) LONGS.get(b, s + 24);
            if (((w0 | w1 | w2 | w3 | (long) LONGS.get(b, s + 28)) & HIGH_BITS) != 0) {
                return DECODE; // not ASCII: the char positions are not the byte positions
            }
            if ((((w0 & SEP0_MASK) ^ SEP0) | ((w1 & SEP1_MASK) ^ SEP1) | ((w2 & SEP2_MASK) ^ SEP2)
                    | ((w3 & SEP3_MASK) ^ SEP3)) != 0) {
                return !digit(b[s]) ? NOT_RECORD : DECODE;
            }
            int i = digitsEnd(b, s + 30, e); // the thread id
            if (i == s + 30 || i + 1 >= e || b[i] != ':' || b[i + 1] != ' ') {
                return DECODE;
            }
            int prio = i + 2;
            int rest;
            if (e - prio >= 8 && (long) LONGS.get(b, prio) == DEBUG_WORD) {
                level = Timeline.DEBUG;
                rest = prio + 8;
            } else if (e - prio >= 8 && ((long) LONGS.get(b, prio) & 0xFFFFFFFFFFFFFFL) == INFO_WORD) {
                level = Timeline.INFO;
                rest = prio + 7;
            } else {
                return DECODE; // warnings, errors (kept as events), an empty priority and whatever else
            }
            int sep = functionAndLine(b, rest, e);
            if (sep < 0) {
                return DECODE;
            }
            int message = sep + 3;
            int kind = PLAIN;
            if (at(b, message, e, MONITOR_PROBE)) {
                int name = message + MONITOR_PROBE.length;
                if (at(b, name, e, SEND_MSG)) {
                    kind = SEND;
                } else if (at(b, name, e, RECV_REPLY)) {
                    kind = REPLY;
                } else if (at(b, name, e, RECV_EVENT)) {
                    return DECODE;
                }
            } else if (at(b, message, e, Monitors.ENTERING_BYTES)) {
                kind = ENTER;
            } else if (!at(b, message, e, LINE_ECHO) && VERDICT_PHRASES.anyIn(b, message, e)) {
                return DECODE; // not monitor traffic (see verdict()) and it holds a verdict
            }
            this.message = message;
            if (!digits(w0, DIGITS0) || !digits(w1, DIGITS1) || !digits(w2, DIGITS2)) {
                return DECODE;
            }
            // the date as one word and two bytes, told apart with one test (a new day is rare: one branch the JIT may
            // have seen untaken, not three)
            if ((w0 ^ day0 | (w1 ^ day1) & 0xFFFF) != 0 && !newDay(b, s, w0, w1)) {
                return DECODE; // the day kept is still the last one read
            }
            long h = two(w1 >>> 24);
            long m = two(w1 >>> 48);
            long sec = two(w2 >>> 8);
            long ms = two(w2 >>> 32) * 10 + ((w2 >>> 48 & 0xFF) - '0');
            micros = dayMicros + ((h * 60 + m) * 60 + sec) * 1_000_000L + ms * 1000L;
            return kind;
        }

        /** A line too short for a record's header: whether it is ASCII and may be a continuation, or is decoded. */
        private static int shortLine(byte[] b, int s, int e) {
            for (int k = s; k < e; k++) {
                if (b[k] < 0) {
                    return DECODE;
                }
            }
            return e == s || !digit(b[s]) ? NOT_RECORD : DECODE;
        }

        /** Reads the new date {@code b[s, s + 10)} (the words {@code w0}, {@code w1}); false when no such day. */
        private boolean newDay(byte[] b, int s, long w0, long w1) {
            try {
                dayMicros = java.time.LocalDate.parse(new String(b, s, 10, java.nio.charset.StandardCharsets.US_ASCII))
                        .toEpochDay() * 86_400_000_000L;
            } catch (DateTimeParseException ex) {
                return false;
            }
            day0 = w0;
            day1 = w1 & 0xFFFF;
            return true;
        }

        /** Where the run of ASCII digits from {@code i} ends. */
        private static int digitsEnd(byte[] b, int i, int e) {
            while (i < e && digit(b[i])) {
                i++;
            }
            return i;
        }

        /** The two ASCII digits in the low bytes of {@code w}, as a number. */
        private static long two(long w) {
            return ((w & 0xFF) - '0') * 10 + ((w >>> 8 & 0xFF) - '0');
        }

        /**
         * Whether the bytes of {@code w} that {@code mask} selects (0xFF each) are ASCII digits; every byte of {@code w}
         * is below 0x80. A byte c is a digit when its high nibble is 3 and c + 6 has it too (no carry between bytes).
         */
        private static boolean digits(long w, long mask) {
            long high = 0xF0F0F0F0F0F0F0F0L & mask;
            long three = 0x3030303030303030L & mask;
            long d = w & mask;
            return ((d & high) ^ three | ((d + (0x0606060606060606L & mask)) & high) ^ three) == 0;
        }

        /**
         * {@link #skipHousekeeping} of a {@link #SEND} or {@link #REPLY} record (its message at {@link #message}):
         * whether it is a command whose answer nobody reads ({@link QmpReader#answerUnread}) or the successful answer
         * to one, updating {@code unread} as it does. Read on the bytes for the usual shapes, on the decoded message
         * otherwise.
         */
        boolean housekeeping(int kind, byte[] b, int e, Map<String, String> unread) {
            if (kind == REPLY && unread.isEmpty()) {
                return false;
            }
            // the common shapes, read on the bytes: a command libvirt wrote with "execute" first, a reply QEMU wrote
            // with "return" first; their id is the last one on the line
            int json = json(b, kind == SEND ? SEND_PROBE : REPLY_PROBE, kind == SEND ? MSG_KEY : REPLY_KEY, e);
            if (kind == SEND && json >= 0 && at(b, json, e, EXECUTE_FIRST)) {
                String command = quotedAt(b, json + EXECUTE_FIRST.length, e);
                if (!QmpReader.answerUnread(command)) {
                    return false; // a command whose answer is read
                }
                String key = key(b, lastQuoted(b, json, e, COMMAND_ID));
                return key != null && unread.putIfAbsent(key, command) == null;
            }
            if (kind == REPLY && json >= 0 && at(b, json, e, RETURN_FIRST)) {
                String key = key(b, lastQuoted(b, json, e, REPLY_ID));
                return key != null && unread.remove(key) != null;
            }
            String decoded = new String(b, message, e - message, java.nio.charset.StandardCharsets.UTF_8);
            return skipHousekeeping(decoded, unread);
        }

        /**
         * The key of a command of the last {@link #json} probe's monitor with this id (each monitor numbers its own
         * commands: libvirt-7 of one domain is not libvirt-7 of another), or null without an id.
         */
        private String key(byte[] b, String id) {
            return id == null ? null
                    : asked(new String(b, monitor, monitorEnd - monitor, java.nio.charset.StandardCharsets.UTF_8), id);
        }

        /** Where the monitor of the last {@link #json} probe is: {@code b[monitor, monitorEnd)}. */
        private int monitor;
        private int monitorEnd;

        /** Where the JSON of a {@code PROBE: mon=0x… key=JSON} message starts, or -1. */
        private int json(byte[] b, byte[] probe, byte[] key, int e) {
            if (!at(b, message, e, probe)) {
                return -1;
            }
            for (int i = message + probe.length; i < e && i - message < 64; i++) {
                if (b[i] == ' ') {
                    monitor = message + probe.length;
                    monitorEnd = i;
                    return at(b, i + 1, e, key) ? i + 1 + key.length : -1;
                }
            }
            return -1;
        }

        /** The text from {@code start} to the next quote, decoded as UTF-8 (the rest of the line without one). */
        private static String quotedAt(byte[] b, int start, int e) {
            int k = start;
            while (k < e && b[k] != '"') {
                k++;
            }
            return new String(b, start, k - start, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The text between the last {@code key} in {@code [from, e)} and the quote after it, decoded as UTF-8. */
        private static String lastQuoted(byte[] b, int from, int e, byte[] key) {
            for (int i = e - key.length; i >= from; i--) {
                if (b[i] == key[0] && at(b, i, e, key)) {
                    int start = i + key.length;
                    for (int k = start; k < e; k++) {
                        if (b[k] == '"') {
                            return new String(b, start, k - start, java.nio.charset.StandardCharsets.UTF_8);
                        }
                    }
                    return null;
                }
            }
            return null;
        }

        private static final byte[] MONITOR_PROBE = ascii("QEMU_MONITOR_");
        private static final byte[] SEND_MSG = ascii("SEND_MSG");
        private static final byte[] RECV_REPLY = ascii("RECV_REPLY");
        private static final byte[] RECV_EVENT = ascii("RECV_EVENT");
        private static final byte[] LINE_ECHO = ascii(MONITOR_LINE);
        private static final byte[] SEND_PROBE = ascii("QEMU_MONITOR_SEND_MSG: mon=");
        private static final byte[] REPLY_PROBE = ascii("QEMU_MONITOR_RECV_REPLY: mon=");
        private static final byte[] MSG_KEY = ascii("msg=");
        private static final byte[] REPLY_KEY = ascii("reply=");
        private static final byte[] EXECUTE_FIRST = ascii("{\"execute\":\"");
        private static final byte[] RETURN_FIRST = ascii(RETURN_FIRST_TEXT);
        /** libvirt writes a command's {@code "id":"libvirt-N"} without a space, QEMU a reply's with one. */
        private static final byte[] COMMAND_ID = ascii("\"id\":\"");
        private static final byte[] REPLY_ID = ascii("\"id\": \"");

        private static byte[] ascii(String text) {
            return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
                .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

        private static final long HIGH_BITS = 0x8080808080808080L;
        /**
         * The header's words ({@code "YYYY-MM-"}, {@code "DD hh:mm"}, {@code ":ss.mmm+"}, {@code "0000: "} and two
         * bytes of the thread id): the bytes of the separators, their values, and the bytes of the digits.
         */
        private static final long SEP0_MASK = mask("    X  X");
        private static final long SEP0 = word("0000-00-") & SEP0_MASK;
        private static final long SEP1_MASK = mask("  X  X  ");
        private static final long SEP1 = word("00 00:00") & SEP1_MASK;
        private static final long SEP2_MASK = mask("X  X   X");
        private static final long SEP2 = word(":00.000+") & SEP2_MASK;
        private static final long SEP3_MASK = mask("XXXXXX  ");
        private static final long SEP3 = word("0000: 00") & SEP3_MASK;
        private static final long DIGITS0 = mask("XXXX XX ");
        private static final long DIGITS1 = mask("XX XX XX");
        private static final long DIGITS2 = mask(" XX XXX ");

        /** 0xFF in each byte where {@code pattern} (eight characters) has an X, in the order {@link #LONGS} reads. */
        private static long mask(String pattern) {
            long m = 0;
            for (int i = 7; i >= 0; i--) {
                m = m << 8 | (pattern.charAt(i) == 'X' ? 0xFF : 0);
            }
            return m;
        }

        private static boolean digit(byte c) {
            return c >= '0' && c <= '9';
        }

        /**
         * As {@code Records.modern} reads the function: {@code name:digits} at {@code from}, then {@code " : "} within
         * 128 bytes; where the {@code " : "} is, or -1.
         */
        static int functionAndLine(byte[] b, int from, int e) {
            int limit = Math.min(e - 2, from + 128);
            int i = from;
            while (i + 8 <= limit) { // the name, eight bytes a step
                long not = ~nameBytes((long) LONGS.get(b, i)) & HIGH_BITS;
                if (not != 0) {
                    i += Long.numberOfTrailingZeros(not) >>> 3;
                    break;
                }
                i += 8;
            }
            while (i < limit && nameChar(b[i])) {
                i++;
            }
            if (i == from || i >= limit || b[i] != ':') {
                return -1;
            }
            int j = i + 1;
            while (j < limit && digit(b[j])) {
                j++;
            }
            return j > i + 1 && j < limit && b[j] == ' ' && b[j + 1] == ':' && b[j + 2] == ' ' ? j : -1;
        }

        /**
         * 0x80 in each byte of {@code w} that is a {@link #nameChar}, 0 in the others, exactly: on the low seven bits of
         * each byte a sum stays within its byte, so "above" and "below" tests are per byte (a digit, a letter of either
         * case, {@code _}, {@code .}), and a byte with its high bit set is no name byte.
         */
        private static long nameBytes(long w) {
            long x = w & 0x7F7F7F7F7F7F7F7FL;
            long digit = (x + 0x5050505050505050L) & ~(x + 0x4646464646464646L); // above '/', below ':'
            long folded = x | 0x2020202020202020L; // 'A'-'Z' to 'a'-'z'
            long letter = (folded + 0x1F1F1F1F1F1F1F1FL) & ~(folded + 0x0505050505050505L); // above '`', below '{'
            long underscore = ~((x ^ 0x5F5F5F5F5F5F5F5FL) + 0x7F7F7F7F7F7F7F7FL); // '_': the byte's xor is 0
            long dot = ~((x ^ 0x2E2E2E2E2E2E2E2EL) + 0x7F7F7F7F7F7F7F7FL); // '.'
            return (digit | letter | underscore | dot) & ~w & HIGH_BITS;
        }

        private static boolean nameChar(byte c) {
            return NAME_CHARS[c & 0xFF];
        }

        /** The bytes of a function name: ASCII letters, digits, {@code _} and {@code .}; one load a byte. */
        private static final boolean[] NAME_CHARS = new boolean[256];

        static {
            for (int c = 0; c < 128; c++) {
                NAME_CHARS[c] = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
                        || c == '.';
            }
        }

        /** {@code "debug : "} and {@code "info : "} as the little-endian words {@link #LONGS} reads. */
        private static final long DEBUG_WORD = word("debug : ");
        private static final long INFO_WORD = word("info : ");

        private static long word(String ascii) {
            long w = 0;
            for (int i = ascii.length() - 1; i >= 0; i--) {
                w = w << 8 | ascii.charAt(i);
            }
            return w;
        }
    }

    /**
     * Recognises record lines: a hand-written reader for the format of libvirt ≥ 0.9.8 (millions of lines per
     * gigabyte: a regular expression and a DateTimeFormatter per line cost more than everything else), the
     * {@link #RECORD} pattern for older ones. Caches the epoch day of the last date seen.
     */
    static final class Records {
        private String day = "";
        private long dayMicros;

        Pending record(int lineNo, String text) {
            Pending p = modern(lineNo, text);
            if (p != null) {
                return p;
            }
            if (text.isEmpty() || !isDigit(text.charAt(0))) {
                return null; // a continuation line: no record starts otherwise
            }
            Matcher m = RECORD.matcher(text);
            if (!m.matches()) {
                return null;
            }
            Pending old = new Pending(lineNo, text, m.group(5), m.group(6), m.group(8));
            old.micros = "+0000".equals(m.group(3)) && m.group(1) != null
                    ? micros(m.group(1), m.group(2), 0) : Long.MIN_VALUE;
            return old;
        }

        private Pending modern(int lineNo, String t) {
            if (t.length() < 36 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' ' || t.charAt(13) != ':'
                    || t.charAt(16) != ':' || t.charAt(19) != '.' || t.charAt(23) != '+' || t.charAt(28) != ':'
                    || t.charAt(29) != ' ' || !t.startsWith("0000", 24)) {
                return null;
            }
            int i = 30;
            while (i < t.length() && isDigit(t.charAt(i))) {
                i++;
            }
            if (i == 30 || !t.startsWith(": ", i)) {
                return null;
            }
            int prioStart = i + 2;
            int prioEnd = t.indexOf(" : ", prioStart);
            if (prioEnd < 0) {
                return null;
            }
            String priority = priority(t, prioStart, prioEnd);
            if (priority == null) {
                return null;
            }
            int rest = prioEnd + 3;
            String function = null;
            // a function name is short: look for its " : " only in the next few characters
            int sep = t.indexOf(" : ", rest);
            if (sep > rest && sep - rest < 128 && isFunctionAndLine(t, rest, sep)) {
                function = t.substring(rest, t.lastIndexOf(':', sep - 1));
                rest = sep + 3;
            }
            Pending p = new Pending(lineNo, t, priority, function, t.substring(rest));
            p.micros = t.regionMatches(0, day, 0, 10) && day.length() == 10 ? dayMicros + timeMicros(t)
                    : micros(t.substring(0, 10), null, timeMicros(t));
            return p;
        }

        private static String priority(String t, int from, int to) {
            for (String p : PRIORITIES) {
                if (to - from == p.length() && t.startsWith(p, from)) {
                    return p;
                }
            }
            return null;
        }

        /** {@code qemuMonitorSend:861}. */
        private static boolean isFunctionAndLine(String t, int from, int to) {
            int colon = t.lastIndexOf(':', to - 1);
            if (colon <= from || colon == to - 1) {
                return false;
            }
            for (int i = colon + 1; i < to; i++) {
                if (!isDigit(t.charAt(i))) {
                    return false;
                }
            }
            for (int i = from; i < colon; i++) {
                char c = t.charAt(i);
                if (!(isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '.')) {
                    return false;
                }
            }
            return true;
        }

        /** ASCII only: {@link Character#isDigit} looks up Unicode tables, millions of times per gigabyte. */
        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static long timeMicros(String t) {
            long h = num(t, 11, 2);
            long m = num(t, 14, 2);
            long s = num(t, 17, 2);
            long ms = num(t, 20, 3);
            return ((h * 60 + m) * 60 + s) * 1_000_000L + ms * 1000L;
        }

        private static long num(String t, int at, int len) {
            long v = 0;
            for (int i = at; i < at + len; i++) {
                v = v * 10 + (t.charAt(i) - '0');
            }
            return v;
        }

        /** Microseconds since the epoch of a UTC date plus either a time text or microseconds into the day. */
        private long micros(String date, String time, long timeOfDay) {
            if (!date.equals(day)) {
                try {
                    dayMicros = java.time.LocalDate.parse(date).toEpochDay() * 86_400_000_000L;
                    day = date;
                } catch (DateTimeParseException e) {
                    // no such day: the caller makes the record a problem of its file and leaves it off the timeline
                    return Long.MIN_VALUE;
                }
            }
            if (time != null) {
                try {
                    return dayMicros + java.time.LocalTime.parse(time).toNanoOfDay() / 1000;
                } catch (DateTimeParseException e) {
                    // no such time of day: as an impossible date, a problem of the file
                    return Long.MIN_VALUE;
                }
            }
            return dayMicros + timeOfDay;
        }
    }

    private static final List<String> PRIORITIES = List.of("debug", "info", "warning", "error");

    /**
     * The last kept {@code Line [...]} record ({@link Reading#echo}): its line number and bytes, which the probe of the
     * same message just after it is cited by instead of its own line (the first copy of a message, never both).
     */
    private static final class Echo {
        /** A probe follows its echo at once, or after the echo's continuation line. */
        private static final int WITHIN = 2;
        /** Longer echoes are not kept (a query's answer, never cited). */
        private static final int MAX_BYTES = 1 << 14;
        private int line = -1;
        private byte[] bytes = new byte[0];
        private int length;

        void keep(int number, byte[] b, int s, int e) {
            if (e - s > MAX_BYTES) {
                line = -1;
                return;
            }
            if (bytes.length < e - s) {
                bytes = new byte[Math.max(e - s, 256)];
            }
            System.arraycopy(b, s, bytes, 0, e - s);
            length = e - s;
            line = number;
        }

        /** The echo's reference when it is the same message as the probe's {@code json} at {@code probeLine}, or null. */
        SourceRef of(int probeLine, String json, EvidenceSink sink) {
            if (line < 0 || probeLine <= line || probeLine - line > WITHIN) {
                return null;
            }
            String text = new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
            int at = text.indexOf(MONITOR_LINE);
            int end = text.lastIndexOf(']');
            if (at < 0 || end < at || !text.substring(at + MONITOR_LINE.length(), end).strip().equals(json.strip())) {
                return null;
            }
            return sink.ref(line, text);
        }
    }

    /** A record and its continuation lines. */
    private static final class Pending {
        final int line;
        final String text;
        final String priority;
        final String function;
        final String message;
        long micros = Long.MIN_VALUE;
        private StringBuilder continuation;

        Pending(int line, String text, String priority, String function, String message) {
            this.line = line;
            this.text = text;
            this.priority = priority;
            this.function = function;
            this.message = message;
        }

        void continue_(String more) {
            if (continuation == null) {
                continuation = new StringBuilder();
            }
            continuation.append('\n').append(more);
        }

        String fullMessage() {
            return continuation == null ? message : message + continuation;
        }

        /** UTC; null before libvirt 0.9.8, which wrote local time (and 0.9.7 the wrong month). */
        Instant instant() {
            return micros == Long.MIN_VALUE ? null
                    : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        }
    }

    /**
     * libvirt probes a new domain with hundreds of {@code qom-get}/{@code qom-list}, and a fresh daemon probes each
     * QEMU binary's capabilities ({@code query-qmp-schema}'s answer alone is 200 KB); the lean QMP reader makes nothing
     * of their answers ({@link QmpReader#answerUnread}), so such commands and their successful answers are recognised
     * from the text and never parsed as JSON. Such commands awaiting a reply, by monitor and id.
     */
    private static final String EXECUTE_KEY = "\"execute\":\"";
    /** A reply QEMU wrote with {@code "return"} first: no error in it. */
    private static final String RETURN_FIRST_TEXT = "{\"return\"";

    private static boolean skipHousekeeping(String m, Map<String, String> unread) {
        String mon = quoted(m, ": mon=", m.indexOf(": mon="), ' ');
        if (mon == null) {
            return false;
        }
        if (m.startsWith("QEMU_MONITOR_SEND_MSG")) {
            String command = quoted(m, EXECUTE_KEY, m.indexOf(EXECUTE_KEY), '"');
            if (command == null || !QmpReader.answerUnread(command)) {
                return false;
            }
            String id = quoted(m, "\"id\":\"", m.lastIndexOf("\"id\":\""), '"');
            return id != null && unread.putIfAbsent(asked(mon, id), command) == null;
        }
        if (m.startsWith("QEMU_MONITOR_RECV_REPLY") && !unread.isEmpty()
                && (m.contains("reply=" + RETURN_FIRST_TEXT) || !m.contains("\"error\""))) {
            String id = quoted(m, "\"id\": \"", m.lastIndexOf("\"id\": \""), '"');
            return id != null && unread.remove(asked(mon, id)) != null;
        }
        return false;
    }

    /** The key of a command read past: its monitor and id. */
    private static String asked(String monitor, String id) {
        return monitor + ' ' + id;
    }

    /** The text after {@code key} (found at {@code at}) up to {@code end}, or null. */
    private static String quoted(String s, String key, int at, char end) {
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int to = s.indexOf(end, from);
        return to < 0 ? null : s.substring(from, to);
    }

    /**
     * A monitor probe that carries a QMP message: {@code QEMU_MONITOR_SEND_MSG}, {@code _RECV_REPLY} or
     * {@code _RECV_EVENT}, then {@code : mon=0x7ff734005740} (or {@code (nil)}) and {@code msg=}, {@code reply=} or
     * {@code event=} before the JSON (and whatever follows it). Read by hand: the JSON runs to kilobytes.
     */
    private record Probe(String name, String mon, String json) {
        static final String REPLY = "QEMU_MONITOR_RECV_REPLY";
        private static final List<String> NAMES = List.of("QEMU_MONITOR_SEND_MSG", REPLY, "QEMU_MONITOR_RECV_EVENT");
        private static final List<String> KEYS = List.of("msg=", "reply=", "event=");

        static Probe of(String m) {
            for (String name : NAMES) {
                if (m.startsWith(name) && m.startsWith(": mon=", name.length())) {
                    int from = name.length() + 6;
                    int space = m.indexOf(' ', from);
                    if (space < 0 || !monitor(m, from, space)) {
                        return null;
                    }
                    for (String key : KEYS) {
                        if (m.startsWith(key, space + 1)) {
                            return new Probe(name, m.substring(from, space), m.substring(space + 1 + key.length()));
                        }
                    }
                    return null;
                }
            }
            return null;
        }

        /** {@code 0x} and hex digits, or {@code (nil)}. */
        private static boolean monitor(String m, int from, int to) {
            if (to - from == 5 && m.startsWith("(nil)", from)) {
                return true;
            }
            if (to - from < 3 || !m.startsWith("0x", from)) {
                return false;
            }
            for (int i = from + 2; i < to; i++) {
                char c = m.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Which domain each monitor serves. One libvirtd log holds the monitors of every domain the daemon ran; libvirt
     * names the pair each time it enters a monitor ({@code qemuDomainObjEnterMonitorInternal}):
     * <pre>
     * … debug : qemuDomainObjEnterMonitorInternal:6107 : Entering monitor (mon=0x7ff734005740 vm=0x7ff714009050 name=instance-0000002a)
     * </pre>
     * That line comes before every command libvirt sends, so it is read on the bytes and decoded only when a monitor
     * changes hands (a monitor's address is reused after its domain stops).
     */
    static final class Monitors {
        static final String ENTERING = "Entering monitor (mon=";
        static final byte[] ENTERING_BYTES = ENTERING.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        private byte[] last = new byte[0];

        /** The bytes {@code b[from, e)} after {@link #ENTERING}: {@code 0x… vm=0x… name=NAME)}. */
        void entered(byte[] b, int from, int e, int line, EvidenceSink sink) {
            if (e - from == last.length && Arrays.equals(b, from, e, last, 0, last.length)) {
                return; // the same monitor, the same domain as the last time
            }
            last = Arrays.copyOfRange(b, from, e);
            entered(new String(last, java.nio.charset.StandardCharsets.UTF_8), line, sink);
        }

        /** The text after {@link #ENTERING}. */
        void entered(String rest, int line, EvidenceSink sink) {
            int space = rest.indexOf(' ');
            int name = rest.indexOf(" name=");
            int close = rest.lastIndexOf(')');
            if (space <= 0 || name < 0 || close < name + 6) {
                return;
            }
            String domain = rest.substring(name + 6, close);
            if (!domain.isBlank()) {
                sink.guestOfChannel("mon=" + rest.substring(0, space), line, Guest.named(domain));
            }
        }
    }

    private static void record(Pending p, EvidenceSink sink, Map<String, QmpReader> monitors,
                               Map<String, String> unread, Monitors owners, Echo echo) {
        if (p.micros != Long.MIN_VALUE) {
            sink.indexMicros(p.line, p.micros, level(p.priority));
        } else if (p.text.startsWith("+0000", 23)) { // UTC, so not the local time of old libvirt: no such day
            sink.problemOf(p.line, "libvirtd.noSuchDate", p.text.substring(0, 10));
        }
        if (p.message.startsWith("QEMU_MONITOR_") && skipHousekeeping(p.message, unread)) {
            return;
        }
        if (p.message.startsWith(Monitors.ENTERING)) {
            owners.entered(p.message.substring(Monitors.ENTERING.length()), p.line, sink);
            return;
        }
        Probe probe = p.message.startsWith("QEMU_MONITOR_") ? Probe.of(p.fullMessage()) : null;
        if (probe != null) {
            SourceRef ref = echo.of(p.line, probe.json(), sink);
            if (ref == null) {
                ref = sink.ref(p.line, p.text);
            }
            QmpReader reader = monitors.computeIfAbsent(probe.mon(), k -> new QmpReader(sink, "mon=" + k, true));
            // libvirt asks a running domain the same query-block again and again: the same answer is not parsed again
            if (probe.name().equals(Probe.REPLY) && reader.repeated(probe.json().strip(), ref)) {
                return;
            }
            Written json = readJson(probe.json());
            if (json == null) {
                sink.problemOf(p.line, "libvirtd.badJson", probe.name());
                return;
            }
            String id = json.node().path("id").isTextual() ? json.node().path("id").asText() : null;
            String command = id == null ? null : unread.remove(asked(probe.mon(), id));
            if (command != null) {
                reader.asked(id, command); // an answer kept (an error) to housekeeping read past unparsed
            }
            if (!reader.accept(json.node(), json.text(), ref, p.instant())) {
                sink.problemOf(p.line, "libvirtd.noQmp", probe.name());
            }
            return;
        }
        if (p.function == null) {
            SourceRef ref = sink.ref(p.line, p.text);
            Matcher h = HOSTNAME.matcher(p.message);
            if (h.matches()) {
                sink.host(h.group(1));
            }
            Matcher v = VERSION.matcher(p.message);
            if (h.matches() || v.find()) {
                Map<String, String> d = new LinkedHashMap<>();
                if (h.matches()) {
                    d.put("hostname", h.group(1));
                } else {
                    d.put("libvirt-version", v.group(1));
                }
                sink.event(new Event(ref, p.instant(), EventKind.LIBVIRT_MESSAGE, p.message, d));
            }
            return;
        }
        MessageMatch verdict = verdict(p.message);
        if (verdict != null || "warning".equals(p.priority) || "error".equals(p.priority)) {
            SourceRef ref = sink.ref(p.line, p.text);
            Map<String, String> d = new LinkedHashMap<>();
            d.put("priority", p.priority);
            d.put("function", p.function);
            if (verdict != null) {
                d.put("verdict", verdict.message().id());
                verdict.addTo(d);
            }
            sink.event(new Event(ref, p.instant(), EventKind.LIBVIRT_MESSAGE, p.message, d));
        }
    }

    private static byte level(String priority) {
        switch (priority) {
            case "error":
                return Timeline.ERROR;
            case "warning":
                return Timeline.WARNING;
            case "info":
                return Timeline.INFO;
            default:
                return Timeline.DEBUG;
        }
    }

    /** libvirt's echo of each line QEMU sends ({@code qemuMonitorJSONIOProcessLine}). */
    private static final String MONITOR_LINE = "Line [";

    /**
     * The verdict a message states, or null. Monitor traffic (the {@code QEMU_MONITOR_*} probes and the
     * {@link #MONITOR_LINE} echoes, half a debug log's bytes) carries QEMU's words, never libvirt's: not looked in.
     */
    private static MessageMatch verdict(String message) {
        if (message.startsWith("QEMU_MONITOR_") || message.startsWith(MONITOR_LINE)) {
            return null;
        }
        return MessageCatalogue.match(message, VERDICTS);
    }

    /** A JSON value and its text as the log has it. */
    private record Written(JsonNode node, String text) {
    }

    /**
     * The first JSON value of a probe's text and that value's own text (its message keeps the text as libvirt or QEMU
     * wrote it; no re-serialising); what follows it ({@code fd=-1}, {@code len=…}) is ignored.
     */
    private static Written readJson(String text) {
        String t = text.strip();
        try (com.fasterxml.jackson.core.JsonParser in = Json.MAPPER.createParser(t)) {
            JsonNode node = Json.MAPPER.readTree(in);
            if (node == null) {
                return new Written(com.fasterxml.jackson.databind.node.MissingNode.getInstance(), "");
            }
            long end = in.currentLocation().getCharOffset();
            return new Written(node, end > 0 && end <= t.length() ? t.substring(0, (int) end) : t);
        } catch (JacksonException e) {
            // not JSON: the caller says 'unreadable JSON' as a problem of the line
            return null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // reading a String: not expected
        }
    }
}
