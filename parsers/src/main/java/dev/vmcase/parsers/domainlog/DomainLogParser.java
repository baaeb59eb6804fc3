package dev.vmcase.parsers.domainlog;

import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Role;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.cmdline.QemuCommandLine;
import dev.vmcase.parsers.knowledge.MessageMatch;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-domain QEMU log libvirt keeps in {@code /var/log/libvirt/qemu/NAME.log}, QEMU's own stderr, or a bare
 * QEMU command line. The file mixes libvirt's lines (banner, command line, taint, {@code shutting down}) with raw
 * QEMU stderr; each line is classified on its own:
 * <pre>
 * 2019-07-24 06:46:40.112+0000: starting up libvirt version: 4.0.0, package: 1ubuntu8.12, qemu version: 2.11.1, hostname: cmp-17
 * LC_ALL=C PATH=/usr/bin QEMU_AUDIO_DRV=none /usr/bin/qemu-system-x86_64 -name guest=instance-0000002a … \
 * 2019-07-24T06:47:22.187771Z qemu-system-x86_64: error while loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'
 * 2019-07-24 06:47:22.430+0000: shutting down, reason=failed
 * </pre>
 * The command line may be one physical line (old libvirt) or one option per line ending in {@code \} (libvirt ≥ 6).
 */
public final class DomainLogParser extends FormatParser {
    public static final String FORMAT = "qemu-domain-log";

    public static final String SAMPLE = """
            2019-07-24 06:46:48.906+0000: starting up libvirt version: 4.0.0, package: 1ubuntu8.12 (Christian Ehrhardt <christian.ehrhardt@canonical.com> Wed, 19 Jun 2019 10:15:29 +0200), qemu version: 2.11.1(Debian 1:2.11+dfsg-1ubuntu7.15), hostname: cmp-17
            LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin QEMU_AUDIO_DRV=spice /usr/bin/qemu-system-x86_64 -name guest=instance-0000002a,debug-threads=on -S -machine pc-i440fx-bionic,accel=kvm,usb=off,dump-guest-core=off -m 2048 -drive file=/var/lib/nova/instances/6e2f/disk,format=qcow2,if=none,id=drive-virtio-disk0,cache=none -device virtio-blk-pci,scsi=off,bus=pci.0,addr=0x4,drive=drive-virtio-disk0,id=virtio-disk0,bootindex=1 -netdev tap,fd=27,id=hostnet0,vhost=on,vhostfd=29 -device virtio-net-pci,netdev=hostnet0,id=net0,mac=fa:16:3e:4c:2b:10,bus=pci.0,addr=0x3 -incoming defer -device virtio-balloon-pci,id=balloon0,bus=pci.0,addr=0x5 -msg timestamp=on
            2019-07-24T06:46:49.487109Z qemu-system-x86_64: warning: Unknown firmware file in legacy mode: etc/msr_feature_control
            2019-07-24T06:47:22.187749Z qemu-system-x86_64: VQ 2 size 0x80 < last_avail_idx 0xb57 - used_idx 0xb59
            2019-07-24T06:47:22.187768Z qemu-system-x86_64: Failed to load virtio-balloon:virtio
            2019-07-24T06:47:22.187771Z qemu-system-x86_64: error while loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'
            2019-07-24T06:47:22.188194Z qemu-system-x86_64: load of migration failed: Operation not permitted
            2019-07-24 06:47:22.430+0000: shutting down, reason=failed
            """;

    /** libvirt's own lines: UTC with milliseconds and a literal {@code +0000}. */
    static final Pattern LIBVIRT_TS = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3})\\+0000: (.*)$");
    private static final Pattern HOSTNAME = Pattern.compile("hostname: (\\S+)");
    private static final Pattern QEMU_VERSION = Pattern.compile("qemu version: ([0-9.]+)");
    private static final Pattern LIBVIRT_VERSION = Pattern.compile("libvirt version: ([0-9.]+)");
    private static final Pattern SHUTDOWN = Pattern.compile("^shutting down(?:, reason=(.*))?$");
    private static final DateTimeFormatter LIBVIRT_FMT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    public DomainLogParser() {
        super(FORMAT, SAMPLE);
    }

    @Override
    public boolean recognizes(Head head) {
        int qemuLines = 0;
        for (String line : head.significant()) {
            Matcher lv = LIBVIRT_TS.matcher(line);
            if (lv.matches() && (lv.group(2).startsWith("starting up") || SHUTDOWN.matcher(lv.group(2)).matches())) {
                return true;
            }
            if (QemuCommandLine.looksLikeStart(line)) {
                return true;
            }
            if (QemuMessages.hasQemuPrefix(line)) {
                qemuLines++;
            }
        }
        // QEMU's stderr alone: most significant lines carry its timestamp or program prefix.
        int n = head.significant().size();
        return n > 0 && qemuLines * 2 > n && QemuMessages.hasQemuPrefix(head.first());
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        try (LineReader in = source.lines()) {
            StringBuilder cmd = null;
            int cmdLine = 0;
            String cmdFirst = null;
            String line;
            while ((line = in.next()) != null) {
                if (in.wasCut()) {
                    sink.lineCut(in.number());
                }
                if (cmd != null) {
                    cmd.append(' ').append(withoutContinuation(line));
                    if (!line.endsWith("\\")) {
                        QemuCommandLine.parse(cmd.toString(), sink.ref(cmdLine, cmdFirst), sink);
                        cmd = null;
                    }
                    continue;
                }
                if (QemuCommandLine.looksLikeStart(line) || isEnvContinuation(line)) {
                    if (line.endsWith("\\")) {
                        cmd = new StringBuilder(withoutContinuation(line));
                        cmdLine = in.number();
                        cmdFirst = line;
                    } else {
                        QemuCommandLine.parse(line, sink.ref(in.number(), line), sink);
                    }
                    continue;
                }
                classify(line, in.number(), sink, true);
            }
            if (cmd != null) {
                sink.problemOf(cmdLine, "domainlog.commandLineUnfinished");
                QemuCommandLine.parse(cmd.toString(), sink.ref(cmdLine, cmdFirst), sink);
            }
        }
    }

    private static String withoutContinuation(String line) {
        return line.endsWith("\\") ? line.substring(0, line.length() - 1) : line;
    }

    /** libvirt ≥ 6 starts the multi-line command line with env assignments, one per line. */
    private static boolean isEnvContinuation(String line) {
        return line.matches("^[A-Z_][A-Z0-9_]*=\\S* \\\\$");
    }

    /**
     * One line that is not part of a command line. Also used for log lines embedded in other text, where
     * {@code claimRole} is false: prose that quotes a destination's error is not itself the destination's log.
     */
    public static void classify(String line, int number, EvidenceSink sink, boolean claimRole) {
        if (line.isBlank()) {
            return;
        }
        Matcher lv = LIBVIRT_TS.matcher(line);
        if (lv.matches()) {
            libvirtLine(lv.group(1), lv.group(2), sink.ref(number, line), sink);
            return;
        }
        var migration = QemuMessages.classifyMigration(line, sink.ref(number, line));
        if (migration.isPresent()) {
            sink.index(number, migration.get().event().time(), Timeline.ERROR);
            sink.event(migration.get().event());
            migration.get().observations().forEach(sink::observation);
            if (claimRole) {
                sink.role(Role.DESTINATION);
            }
            return;
        }
        QemuMessages.Line q = QemuMessages.split(line);
        Map<String, String> d = new LinkedHashMap<>();
        if (q.program() != null) {
            d.put("program", q.program());
        }
        // a snapshot verdict or a start QEMU refused: what the load or start was, for the rules to tell it apart
        MessageMatch context = QemuMessages.classifyContext(q.message());
        if (context != null) {
            context.addTo(d);
        }
        sink.index(number, q.time(), context != null ? Timeline.ERROR
                : q.message().startsWith("warning:") ? Timeline.WARNING : Timeline.INFO);
        sink.event(new Event(sink.ref(number, line), q.time(), EventKind.QEMU_MESSAGE, q.message(), d));
    }

    /**
     * A pasted line of another program that says what a load or a start was ({@code error: Failed to restore domain
     * from …}, {@code Domain vm1 state saved by libvirt}, minimega's {@code vm config migrate FILE}): an event of
     * the catalogue's class, or false when the line is none of those.
     */
    public static boolean contextLine(String line, int number, EvidenceSink sink) {
        MessageMatch context = QemuMessages.classifyContext(line);
        if (context == null) {
            return false;
        }
        Map<String, String> d = new LinkedHashMap<>();
        context.addTo(d);
        EventKind kind = "qemu".equals(context.message().component()) ? EventKind.QEMU_MESSAGE
                : EventKind.LIBVIRT_MESSAGE;
        sink.index(number, (Instant) null, Timeline.INFO);
        sink.event(new Event(sink.ref(number, line), null, kind, line.strip(), d));
        return true;
    }

    private static void libvirtLine(String ts, String msg, dev.vmcase.model.SourceRef ref, EvidenceSink sink) {
        Instant time = null;
        try {
            time = LocalDateTime.parse(ts, LIBVIRT_FMT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            sink.problemOf(ref.line(), "domainlog.badTimestamp", ts);
        }
        Map<String, String> d = new LinkedHashMap<>();
        EventKind kind = EventKind.LIBVIRT_MESSAGE;
        Matcher sd = SHUTDOWN.matcher(msg);
        if (msg.startsWith("starting up")) {
            kind = EventKind.LIBVIRT_START;
            Matcher h = HOSTNAME.matcher(msg);
            if (h.find()) {
                d.put("hostname", h.group(1));
                sink.host(h.group(1));
            }
            Matcher qv = QEMU_VERSION.matcher(msg);
            if (qv.find()) {
                d.put("qemu-version", qv.group(1));
            }
            Matcher lvv = LIBVIRT_VERSION.matcher(msg);
            if (lvv.find()) {
                d.put("libvirt-version", lvv.group(1));
            }
        } else if (sd.matches()) {
            kind = EventKind.LIBVIRT_SHUTDOWN;
            if (sd.group(1) != null) {
                d.put("reason", sd.group(1));
            }
        }
        sink.index(ref.line(), time, Timeline.INFO);
        sink.event(new Event(ref, time, kind, msg, d));
    }
}
