package dev.vmcase.app.audit;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a host's libvirtd (or virtqemud) debug log into one excerpt per domain: the lines of that domain, verbatim
 * and in their order, so each VM's bundle carries its own monitor traffic and libvirt's words about it, and the
 * analysis of one VM never reads another VM's {@code device_del} (every VM of a host has a {@code virtio-disk0}).
 * <p>
 * A record (a line starting {@code 2026-12-04 17:34:50.257+0000: 5338: debug : fn:line : …}, with its continuation
 * lines) belongs to a domain when it names it, in the ways libvirt 9.0 writes:
 * <pre>
 * … qemuDomainObjEnterMonitorInternal:6107 : Entering monitor (mon=0x7fcd640102f0 vm=0x7fcd64004820 name=instance-0000b001)
 * … virDomainDetachDeviceFlags:8912 : dom=0x7fcd580039f0, (VM: name=instance-0000b001, uuid=7a3c5e1e-…), xml=…
 * … qemuProcessWaitForMonitor:2291 : Connect monitor to vm=0x7ff714009050 name='instance-0000002a'
 * </pre>
 * or through a pointer such a record tied to it: the monitor's {@code mon=0x…} (or {@code mon:0x…}) on the I/O
 * thread's {@code QEMU_MONITOR_*} records, the domain object's {@code vm=0x…}; a pointer is tied to the name the
 * nearest naming record gives it, never across a {@code QEMU_MONITOR_NEW} of that pointer (a freed monitor's address
 * is reused by the next domain). That needs the whole log once before writing (two passes). Records of a worker
 * thread between {@code virThreadJobSet} and {@code virThreadJobClear} belong to the domain the job named (libvirt's
 * verdicts, "Detaching of device … failed", name no domain themselves). The banner (version, hostname) opens every
 * excerpt. Records that name no domain (the daemon's own work) are in no excerpt; they are counted.
 */
public final class DaemonLogExcerpts {
    /** libvirt ≥ 0.9.8: date, time, +0000, thread id, priority. */
    private static final Pattern RECORD = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+\\d{4}: (\\d+): (debug|info|warning|error) : (.*)$");
    private static final Pattern MON = Pattern.compile("\\bmon[=:](0x[0-9a-f]+)");
    private static final Pattern VM = Pattern.compile("\\bvm[=:](0x[0-9a-f]+)");
    /**
     * {@code vm=0x… name=NAME}, {@code vm=0x… name='NAME'}, {@code (VM: name=NAME, uuid=…)}, and the look-up by name
     * ({@code virDomainLookupByName:449 : conn=0x…, name=NAME}).
     */
    private static final Pattern NAME = Pattern.compile(
            "(?:\\bvm[=:]0x[0-9a-f]+,? name=|\\(VM: name=|virDomainLookupByName:\\d+ : conn=0x[0-9a-f]+, name=)'?([^\\s,')]+)");
    private static final int TIME_LENGTH = "2026-12-04 17:34:50.257+0000".length();

    /** One domain's excerpt: its file, lines written (banner included), monitor records, first and last record time. */
    public record Excerpt(Path file, long lines, long monitorRecords, String first, String last) {
    }

    /**
     * What the log holds: its first and last record times, whether libvirt logged QEMU monitor traffic at all
     * ({@code QEMU_MONITOR_SEND_MSG}: the {@code 1:qemu} debug filter), the excerpts written, and how many records
     * named no domain.
     */
    public record Result(String first, String last, boolean monitorTraffic, Map<String, Excerpt> excerpts,
                         long unattributed) {
    }

    private DaemonLogExcerpts() {
    }

    /**
     * Writes the excerpt of each domain in {@code files} (domain name → its excerpt's path); domains the log never
     * names get an excerpt of the banner only (0 monitor records).
     */
    public static Result split(Path log, Map<String, Path> files) throws IOException {
        Ties ties = learn(log);
        return write(log, files, ties);
    }

    /** Which pointer means which domain when: naming records per pointer, and each monitor's re-creations. */
    private static final class Ties {
        final Map<String, NavigableMap<Long, String>> named = new HashMap<>();
        final Map<String, NavigableSet<Long>> renewed = new HashMap<>();

        void name(String pointer, long line, String domain) {
            NavigableMap<Long, String> m = named.computeIfAbsent(pointer, k -> new TreeMap<>());
            Map.Entry<Long, String> before = m.floorEntry(line);
            NavigableSet<Long> news = renewed.get(pointer);
            Long lastNew = news == null ? null : news.floor(line);
            // only a change is kept: a long log names a monitor on every call
            if (before == null || !before.getValue().equals(domain) || (lastNew != null && lastNew > before.getKey())) {
                m.put(line, domain);
            }
        }

        void renew(String pointer, long line) {
            renewed.computeIfAbsent(pointer, k -> new TreeSet<>()).add(line);
        }

        /** The domain {@code pointer} stood for at {@code line}, or null. */
        String at(String pointer, long line) {
            NavigableMap<Long, String> m = named.get(pointer);
            if (m == null) {
                return null;
            }
            NavigableSet<Long> news = renewed.getOrDefault(pointer, new TreeSet<>());
            Long since = news.floor(line);
            Map.Entry<Long, String> before = m.floorEntry(line);
            if (before != null && (since == null || before.getKey() >= since)) {
                return before.getValue();
            }
            Long until = news.higher(line);
            Map.Entry<Long, String> after = m.ceilingEntry(line);
            return after != null && (until == null || after.getKey() < until) ? after.getValue() : null;
        }
    }

    private static Ties learn(Path log) throws IOException {
        Ties t = new Ties();
        read(log, (n, line, record) -> {
            if (record == null) {
                return;
            }
            String mon = find(MON, line);
            if (mon != null && line.contains("QEMU_MONITOR_NEW")) {
                t.renew(mon, n);
            }
            String name = find(NAME, line);
            if (name != null) {
                if (mon != null) {
                    t.name(mon, n, name);
                }
                String vm = find(VM, line);
                if (vm != null) {
                    t.name(vm, n, name);
                }
            }
        });
        return t;
    }

    private static Result write(Path log, Map<String, Path> files, Ties ties) throws IOException {
        Map<String, Writer> out = new LinkedHashMap<>();
        Map<String, long[]> counts = new HashMap<>(); // lines, monitor records
        Map<String, String[]> times = new HashMap<>(); // first, last
        try {
            for (Map.Entry<String, Path> e : files.entrySet()) {
                Files.createDirectories(e.getValue().toAbsolutePath().getParent());
                // ISO-8859-1 both ways: every byte of the log is written back as it was
                out.put(e.getKey(), new BufferedWriter(Files.newBufferedWriter(e.getValue(), StandardCharsets.ISO_8859_1)));
                counts.put(e.getKey(), new long[2]);
            }
            State s = new State(ties, out, counts, times);
            read(log, s::line);
            return new Result(s.first, s.last, s.monitorTraffic, excerpts(files, counts, times), s.unattributed);
        } finally {
            for (Writer w : out.values()) {
                w.close();
            }
        }
    }

    private static Map<String, Excerpt> excerpts(Map<String, Path> files, Map<String, long[]> counts,
                                                 Map<String, String[]> times) {
        Map<String, Excerpt> r = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            long[] c = counts.get(e.getKey());
            String[] t = times.getOrDefault(e.getKey(), new String[2]);
            r.put(e.getKey(), new Excerpt(e.getValue(), c[0], c[1], t[0], t[1]));
        }
        return r;
    }

    /** The second pass: each record (and its continuation lines) to the excerpt of its domain. */
    private static final class State {
        final Ties ties;
        final Map<String, Writer> out;
        final Map<String, long[]> counts;
        final Map<String, String[]> times;
        final Map<String, String> threadJob = new HashMap<>();
        boolean banner = true;
        String current; // the domain of the record being written, for its continuation lines
        String first;
        String last;
        boolean monitorTraffic;
        long unattributed;

        State(Ties ties, Map<String, Writer> out, Map<String, long[]> counts, Map<String, String[]> times) {
            this.ties = ties;
            this.out = out;
            this.counts = counts;
            this.times = times;
        }

        void line(long n, String line, Matcher record) throws IOException {
            if (record == null) {
                if (banner || current == null) {
                    return; // a stray line before any record, or the continuation of an unattributed one
                }
                emit(current, line, false, null);
                return;
            }
            String time = line.substring(0, TIME_LENGTH);
            first = first == null ? time : first;
            last = time;
            String message = record.group(3);
            // the banner: "libvirt version: …", "hostname: …" have no function:line
            if (banner && !message.matches("^[\\w.]+:\\d+ : .*")) {
                for (String d : out.keySet()) {
                    emit(d, line, false, null);
                }
                current = null;
                return;
            }
            banner = false;
            String thread = record.group(1);
            boolean monitor = message.contains("QEMU_MONITOR_");
            monitorTraffic |= message.contains("QEMU_MONITOR_SEND_MSG");
            if (message.startsWith("virThreadJobSet:")) {
                threadJob.remove(thread); // a new job: whatever the thread did before is over
            }
            String domain = domainOf(n, line, thread);
            if (message.startsWith("virThreadJobClear:")) {
                threadJob.remove(thread);
            }
            current = domain;
            if (domain == null) {
                unattributed++;
                return;
            }
            emit(domain, line, monitor && find(MON, line) != null, time);
        }

        private String domainOf(long n, String line, String thread) {
            String name = find(NAME, line);
            if (name != null) {
                threadJob.put(thread, name);
                return name;
            }
            String mon = find(MON, line);
            if (mon != null) {
                return ties.at(mon, n);
            }
            String vm = find(VM, line);
            if (vm != null) {
                String d = ties.at(vm, n);
                if (d != null) {
                    return d;
                }
            }
            return threadJob.get(thread);
        }

        private void emit(String domain, String line, boolean monitorRecord, String time) throws IOException {
            Writer w = out.get(domain);
            if (w == null) {
                return; // a domain not audited (not running, or not asked for)
            }
            w.write(line);
            w.write('\n');
            long[] c = counts.get(domain);
            c[0]++;
            if (monitorRecord) {
                c[1]++;
            }
            if (time != null) {
                String[] t = times.computeIfAbsent(domain, k -> new String[2]);
                t[0] = t[0] == null ? time : t[0];
                t[1] = time;
            }
        }
    }

    private interface LineHandler {
        void line(long number, String line, Matcher record) throws IOException;
    }

    private static void read(Path log, LineHandler h) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
            long n = 0;
            for (String line; (line = in.readLine()) != null; ) {
                n++;
                Matcher m = RECORD.matcher(line);
                h.line(n, line, m.matches() ? m : null);
            }
        }
    }

    private static String find(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? m.group(1) : null;
    }
}
