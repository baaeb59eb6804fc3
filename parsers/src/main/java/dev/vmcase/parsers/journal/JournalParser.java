package dev.vmcase.parsers.journal;

import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.domainlog.QemuMessages;
import dev.vmcase.parsers.time.Timestamps;
import dev.vmcase.parsers.tools.CrashLines;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The systemd journal as {@code journalctl} prints it, in any of its time formats — {@code short} and syslog
 * ({@code Oct 17 10:28:43}, local time without a year), {@code short-precise}, {@code short-iso}
 * ({@code 2020-09-07T19:32:06+0200}), {@code short-iso-precise}, {@code short-full} ({@code Mon 2020-09-07 19:32:06
 * CEST}) — then {@code HOST IDENTIFIER[PID]: MESSAGE}, a multi-line message continued on lines indented to the message
 * column:
 * <pre>
 * Oct 17 10:28:43 h2 libvirtd[1545]: internal error: qemu unexpectedly closed the monitor: 2019-10-17T10:28:42.981201Z qemu-system-x86_64: …
 *                                    2019-10-17T10:28:42.981272Z qemu-system-x86_64: error while loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'
 * </pre>
 * Every record goes on the timeline (a local time until the host's zone is known, {@code LocalTimes}); libvirt's
 * records become {@link EventKind#LIBVIRT_MESSAGE} events; QEMU's own lines, and the QEMU log tail libvirt quotes
 * in its messages, are read as QEMU's domain log reads them (migration failures with their section names), each at its
 * own line. A record whose time gives its UTC offset makes the host's offset known ({@link EventKind#HOST_CLOCK},
 * source {@code offset}). nova's records in a journal are the nova parser's.
 */
public final class JournalParser extends FormatParser {
    public static final String FORMAT = "journal";

    /** libvirtd's journal on an OpenStack Train host during a failed incoming migration (Launchpad bug 1838569, comment 4). */
    public static final String SAMPLE = """
            Oct 17 10:28:43 h2.1.openstack.r0cket.net libvirtd[1545]: Unable to read from monitor: Connection reset by peer
            Oct 17 10:28:43 h2.1.openstack.r0cket.net libvirtd[1545]: internal error: qemu unexpectedly closed the monitor: 2019-10-17T10:28:42.981201Z qemu-system-x86_64: get_pci_config_device: Bad config data: i=0x10 read: a1 device: 1 cmask: ff wmask: c0 w1cmask:0
                                                                      2019-10-17T10:28:42.981250Z qemu-system-x86_64: Failed to load PCIDevice:config
                                                                      2019-10-17T10:28:42.981263Z qemu-system-x86_64: Failed to load virtio-balloon:virtio
                                                                      2019-10-17T10:28:42.981272Z qemu-system-x86_64: error while loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'
                                                                      2019-10-17T10:28:42.983672Z qemu-system-x86_64: load of migration failed: Invalid argument
            """;

    /** After the time: {@code HOST IDENT[PID]: MESSAGE} or {@code HOST IDENT: MESSAGE}. */
    private static final Pattern REST = Pattern.compile("^ ([^\\s:\\[\\]]{1,253}) ([^\\s\\[:]{1,128})(?:\\[(\\d{1,10})\\])?: ?(.*)$");
    private static final Pattern HEADER = Pattern.compile("^-- (?:Logs begin at|Journal begins at|Boot |No entries|Reboot).*");
    /** QEMU's own processes: by their program, or as Proxmox's journal names them ({@code QEMU[PID]}). */
    private static final Pattern QEMU_IDENT = Pattern.compile("^(?:qemu-system-[\\w-]+|qemu-kvm|qemu|QEMU|kvm)$");
    private static final Pattern LIBVIRT_IDENT = Pattern.compile("^(?:libvirtd|virtqemud|virtproxyd|libvirt)$");

    public JournalParser() {
        super(FORMAT, SAMPLE);
    }

    /** A parsed record start. */
    record Start(Timestamps.Stamp stamp, String host, String ident, String pid, String message, int column) {
    }

    static Start start(String line) {
        Timestamps.Stamp t = Timestamps.read(line);
        if (t == null) {
            return null;
        }
        Matcher m = REST.matcher(line.substring(t.end()));
        if (!m.matches()) {
            return null;
        }
        return new Start(t, m.group(1), m.group(2), m.group(3), m.group(4), t.end() + m.start(4));
    }

    /** The first significant line (after journalctl's own header) is a record, and so are most of the head. */
    @Override
    public boolean recognizes(Head head) {
        int records = 0;
        int others = 0;
        int n = 0;
        for (String l : head.significant()) {
            if (HEADER.matcher(l).matches()) {
                continue;
            }
            if (++n > 40) {
                break;
            }
            if (start(l) != null) {
                records++;
            } else if (records == 0) {
                return false;
            } else if (!Character.isWhitespace(l.charAt(0))) {
                others++;
            }
        }
        return records >= 1 && others * 2 <= records;
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        Start current = null;
        int currentLine = 0;
        String currentText = null;
        StringBuilder body = null;
        boolean offsetTold = false;
        try (LineReader in = source.lines()) {
            String line;
            while ((line = in.next()) != null) {
                if (in.wasCut()) {
                    sink.lineCut(in.number());
                }
                if (line.isBlank() || HEADER.matcher(line).matches()) {
                    continue;
                }
                Start s = start(line);
                if (s != null) {
                    if (current != null) {
                        emit(current, currentLine, currentText, body, sink);
                    }
                    current = s;
                    currentLine = in.number();
                    currentText = line;
                    body = new StringBuilder(s.message());
                    sink.index(in.number(), s.stamp(), level(s.message()));
                    sink.host(s.host());
                    if (!offsetTold && s.stamp().offsetSeconds() != null) {
                        offsetTold = true;
                        Map<String, String> d = new LinkedHashMap<>();
                        d.put("utc-offset", String.valueOf(s.stamp().offsetSeconds()));
                        d.put("source", "offset");
                        d.put("host", s.host());
                        sink.event(new Event(sink.ref(in.number(), line), instant(s.stamp().micros()),
                                EventKind.HOST_CLOCK, "clock: UTC offset " + s.stamp().zoneText(), d));
                    }
                    if (QEMU_IDENT.matcher(s.ident()).matches()) {
                        DomainLogParser.classify(s.message(), in.number(), sink, false);
                    } else {
                        quotedQemu(s.message(), in.number(), line, sink);
                    }
                    continue;
                }
                if (current != null && Character.isWhitespace(line.charAt(0))) {
                    // a continuation: the message goes on; a QEMU line libvirt quotes is QEMU's, at this line
                    String cont = line.strip();
                    if (body.length() < 64 * 1024) {
                        body.append('\n').append(cont);
                    }
                    if (QemuMessages.hasQemuPrefix(cont) || QemuMessages.classifyMigration(cont,
                            sink.ref(in.number(), line)).isPresent()) {
                        DomainLogParser.classify(cont, in.number(), sink, false);
                    }
                } else {
                    sink.problemOf(in.number(), "journal.notRecord");
                }
            }
        }
        if (current != null) {
            emit(current, currentLine, currentText, body, sink);
        } else {
            sink.problemOf(0, "journal.noRecord");
        }
    }

    /** libvirt quotes QEMU's log tail after "qemu unexpectedly closed the monitor: " and the like. */
    private static void quotedQemu(String message, int number, String line, EvidenceSink sink) {
        Timestamps.Stamp t;
        for (int i = message.indexOf(": "); i >= 0; i = message.indexOf(": ", i + 2)) {
            String tail = message.substring(i + 2);
            if ((t = Timestamps.read(tail)) != null && t.isInstant() && QemuMessages.hasQemuPrefix(tail)) {
                DomainLogParser.classify(tail, number, sink, false);
                return;
            }
        }
    }

    private static void emit(Start s, int line, String text, StringBuilder body, EvidenceSink sink) {
        if (!LIBVIRT_IDENT.matcher(s.ident()).matches()) {
            // the kernel's or systemd-coredump's record of a QEMU process that died
            Event crash = CrashLines.read(s.message(), sink.ref(line, text));
            if (crash != null) {
                Map<String, String> d = new LinkedHashMap<>(crash.details());
                d.put("host", s.host());
                d.put("program", s.ident());
                sink.event(new Event(crash.source(), s.stamp().isInstant() ? instant(s.stamp().micros()) : null,
                        crash.kind(), crash.message(), d));
            }
            return;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("host", s.host());
        d.put("program", s.ident());
        if (s.pid() != null) {
            d.put("pid", s.pid());
        }
        d.put("journal-time", text.substring(0, s.stamp().end()));
        sink.event(new Event(sink.ref(line, text), s.stamp().isInstant() ? instant(s.stamp().micros()) : null,
                EventKind.LIBVIRT_MESSAGE, body.toString(), d));
    }

    private static byte level(String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("error") || m.contains("failed") || m.startsWith("unable")) {
            return Timeline.ERROR;
        }
        return m.contains("warning") ? Timeline.WARNING : Timeline.INFO;
    }

    private static java.time.Instant instant(long micros) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
