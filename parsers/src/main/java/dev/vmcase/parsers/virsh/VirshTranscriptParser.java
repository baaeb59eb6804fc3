package dev.vmcase.parsers.virsh;

import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Guest;
import dev.vmcase.model.Layer;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;
import dev.vmcase.parsers.libvirt.DomainXmlParser;
import dev.vmcase.parsers.qemu.HmpBlockParser;
import dev.vmcase.parsers.qemu.HmpPciParser;
import dev.vmcase.parsers.qemu.HmpQtreeParser;
import dev.vmcase.parsers.qmp.QmpJsonParser;
import dev.vmcase.parsers.qmp.QmpTranscriptParser;
import dev.vmcase.parsers.time.Timestamps;
import dev.vmcase.parsers.tools.UnplugLines;
import dev.vmcase.parsers.tools.VirshWords;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A virsh session as engineers paste it: commands after a prompt ({@code virsh # …} in virsh's shell,
 * {@code $ virsh -c URI …}, {@code [root@cmp-17 ~]# virsh …}, {@code root@cmp-17:~# virsh …}) and what each printed.
 * <ul>
 *   <li>{@code attach-/detach-disk}, {@code -device}, {@code -interface}, {@code update-device}: a
 *       {@link EventKind#VIRSH_COMMAND} event with the domain, what it names, the flags and the outcome
 *       ({@code Disk detached successfully}, or the {@code error: …} lines: {@code error: Failed to detach disk} then
 *       libvirt's reason);</li>
 *   <li>{@code domblklist} / {@code domiflist}: libvirt-layer observations of the disks / interfaces, each saying it
 *       covers only that class ({@code coverage=disks}, {@code coverage=interfaces}): the table shows no alias and no
 *       address, so it proves nothing about other devices;</li>
 *   <li>{@code dumpxml}: the XML, read by {@link DomainXmlParser}; {@code qemu-monitor-command [--pretty]}: the QMP
 *       JSON, read as QMP; with {@code --hmp}, {@code info qtree/pci/block} read by the HMP parsers — each with the
 *       transcript's own line numbers;</li>
 *   <li>{@code migrate}: besides the command's event, its {@code error: …} line (after {@code --verbose}'s
 *       {@code Migration: [ 64 %]} progress) that the message catalogue recognises — libvirt's
 *       {@code job 'migration out' failed: …} with QEMU's cause — is a {@link EventKind#TOOL_MESSAGE} of its own line;</li>
 *   <li>{@code list}, {@code dominfo}, {@code domstate} and any other command: an event with its outcome;
 *       {@code virsh event} output ({@code event 'device-removed' for domain 'X': virtio-disk1}): a
 *       {@link EventKind#VIRSH_EVENT}.</li>
 * </ul>
 * Times: the lab's {@code # started 2026-…Z} line, or a timestamp {@code virsh event --timestamp} prints. The host: the
 * shell prompt's ({@code [root@cmp-17 ~]#}).
 */
public final class VirshTranscriptParser extends FormatParser {
    public static final String FORMAT = "virsh-transcript";

    /** virsh 9.0 against libvirt's test driver ({@code virsh -c test:///default}), as the terminal showed it. */
    public static final String SAMPLE = """
            virsh # domblklist test
             Target   Source
            -----------------------------
             vda      /guest/diskimage1

            virsh # detach-disk test vdb --live
            error: No disk found whose source path or target is vdb

            virsh # domiflist test
             Interface   Type      Source    Model   MAC
            ------------------------------------------------------------
             testnet0    network   default   -       aa:bb:cc:dd:ee:ff
            """;

    /** virsh's own shell: {@code virsh # } as root, {@code virsh > } otherwise. */
    private static final Pattern VIRSH_PROMPT = Pattern.compile("^\\s*virsh ?(?:\\([^)]{0,200}\\) ?)?[#>] ?(.*)$");
    /** A shell prompt, then virsh: {@code $ virsh …}, {@code [root@h ~]# virsh …}, {@code root@h:~# virsh …}. */
    private static final Pattern SHELL_PROMPT = Pattern.compile(
            "^\\s*(?:\\[([^\\]\\s@]{1,64})@([^\\]\\s]{1,128})[^\\]]{0,128}\\]|([\\w.-]{1,64})@([\\w.-]{1,128})[^\\s$#]{0,128}|[\\w.~/:-]{0,128})"
                    + "\\s?[$#]\\s*(?:sudo\\s+)?virsh(?:\\s+(.*))?$");
    /** Any shell prompt or virsh's own, whatever follows: the end of the previous command's output. */
    private static final Pattern ANY_PROMPT = Pattern.compile(
            "^\\s*(?:\\[[^\\]\\s@]{1,64}@[^\\]]{1,200}\\]\\s?[$#]|[\\w.-]{1,64}@[\\w.-]{1,128}:[^\\s$#]{0,128}[$#]|virsh ?[#>])(?:\\s|$).*");
    private static final Pattern EVENT = Pattern.compile("^event '([\\w-]+)' for domain '?([^':]+?)'?: ?(.*)$");
    private static final Pattern LAB_STARTED = Pattern.compile("^# started (\\S+)\\s*$");
    private static final Pattern LAB_EXIT = Pattern.compile("^# exit (-?\\d+)(?: after (?:([\\d.]+) s\\b)?.*)?$");
    private static final Pattern RULE = Pattern.compile("^\\s*-{4,}\\s*$");
    private static final Pattern INFO_LINE = Pattern.compile("^([A-Z][A-Za-z() ]{1,30}):\\s+(.*)$");
    private static final int MAX_OUTPUT_LINES = 200_000;
    /** What virsh prints on stderr before any output when polkit is not running (libvirt ≥ 8). */
    private static final String POLKIT = "Authorization not available";
    /**
     * {@code virsh migrate --verbose}'s progress ({@code Migration: [ 64 %]}, one after another on one line, each after a
     * carriage return) in front of what virsh printed next: its {@code error: …} when the migration failed.
     */
    private static final Pattern PROGRESS = Pattern.compile("^(?:[ \\t]*+Migration: \\[[^\\]\\n]{0,16}+\\])++[ \\t]*+");
    /** libvirt's words, which virsh's {@code error: …} lines carry: they are read first, then any other component's. */
    private static final List<Message> LIBVIRT = MessageCatalogue.get().ofComponent("libvirt");

    public VirshTranscriptParser() {
        super(FORMAT, SAMPLE);
    }

    /** A command line after a virsh or shell prompt naming a virsh command, or virsh's welcome, or its event lines. */
    @Override
    public boolean recognizes(Head head) {
        int n = 0;
        for (String l : head.significant()) {
            if (++n > 6) {
                break;
            }
            if (l.startsWith("Welcome to virsh, the virtualization interactive terminal.")) {
                return true;
            }
            if (command(l) != null || event(l) != null) {
                return true;
            }
            if (!l.startsWith(POLKIT)) {
                return false; // the first significant lines are something else: prose, another format
            }
        }
        return false;
    }

    /** A parsed command line. */
    record Command(String host, String name, List<String> args, String text) {
    }

    static Command command(String line) {
        List<Command> all = commands(line);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * The virsh commands of a prompt line: one, or several joined by {@code ;} or {@code &&}
     * ({@code # virsh attach-interface …; sleep 3; virsh detach-interface …}); the shell's own commands between them
     * are left out. Empty when the line is no virsh command after a prompt.
     */
    static List<Command> commands(String line) {
        String rest;
        String host = null;
        Matcher v = VIRSH_PROMPT.matcher(line);
        if (v.matches()) {
            rest = v.group(1);
        } else {
            Matcher s = SHELL_PROMPT.matcher(line);
            if (!s.matches() || s.group(5) == null) {
                return List.of();
            }
            host = s.group(2) != null ? s.group(2) : s.group(4);
            rest = s.group(5);
        }
        List<String> parts = VirshWords.segments(rest);
        Command first = virsh(host, parts.get(0));
        if (first == null) {
            return List.of();
        }
        List<Command> out = new ArrayList<>();
        out.add(first);
        for (String part : parts.subList(1, parts.size())) {
            String later = VirshWords.afterVirsh(part);
            Command c = later != null ? virsh(host, later) : null;
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }


    /** The command in the words after {@code virsh}, or null when they name none. */
    private static Command virsh(String host, String rest) {
        List<String> words = VirshWords.command(rest);
        return words == null ? null : new Command(host, words.get(0), words.subList(1, words.size()), rest.strip());
    }




    private static Matcher event(String line) {
        String l = line.strip();
        Timestamps.Stamp t = Timestamps.read(l);
        if (t != null && t.end() + 1 < l.length() && l.charAt(t.end()) == ':') {
            l = l.substring(t.end() + 1).strip();
        }
        Matcher m = EVENT.matcher(l);
        return m.matches() ? m : null;
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        List<Command> cmds = List.of();
        int cmdLine = 0;
        String cmdText = null;
        List<String> out = new ArrayList<>();
        int outStart = 0;
        boolean any = false;
        try (LineReader in = source.lines()) {
            String line;
            while ((line = in.next()) != null) {
                if (in.wasCut()) {
                    sink.lineCut(in.number());
                }
                List<Command> cs = commands(line);
                if (!cs.isEmpty()) {
                    finishLine(cmds, cmdLine, cmdText, out, outStart, source, sink);
                    cmds = cs;
                    cmdLine = in.number();
                    cmdText = line;
                    out = new ArrayList<>();
                    outStart = in.number() + 1;
                    any = true;
                    if (cs.get(0).host() != null) {
                        sink.host(cs.get(0).host());
                    }
                    continue;
                }
                if (!cmds.isEmpty() && ANY_PROMPT.matcher(line).matches()) {
                    finishLine(cmds, cmdLine, cmdText, out, outStart, source, sink); // "$ exit", "virsh # quit", …
                    cmds = List.of();
                    continue;
                }
                Matcher ev = event(line);
                if (ev != null) {
                    virshEvent(ev, in.number(), line, sink);
                    any = true;
                    continue;
                }
                if (!cmds.isEmpty() && out.size() < MAX_OUTPUT_LINES) {
                    out.add(line);
                }
            }
        }
        finishLine(cmds, cmdLine, cmdText, out, outStart, source, sink);
        if (!any) {
            sink.problemOf(0, "virsh.noCommand");
        }
    }

    /**
     * The commands of one prompt line with what followed it. One command gets all of it. Several joined commands
     * ({@code virsh a …; virsh b …}) printed one after another, virsh ending each command's output with a blank line
     * (after its message, its error lines, its table): the output is cut at blank lines and the k-th piece is the k-th
     * command's, the rest the last's; a command left without a piece printed nothing seen, its outcome unknown.
     */
    private static void finishLine(List<Command> cmds, int line, String text, List<String> out, int outStart,
                                   TextSource src, EvidenceSink sink) {
        if (cmds.size() == 1) {
            finish(cmds.get(0), line, text, out, outStart, src, sink, false);
            return;
        }
        int from = 0;
        for (int k = 0; k < cmds.size(); k++) {
            while (from < out.size() && out.get(from).isBlank()) {
                from++;
            }
            int to = from;
            if (k == cmds.size() - 1) {
                to = out.size();
            } else {
                while (to < out.size() && !out.get(to).isBlank()) {
                    to++;
                }
            }
            List<String> piece = out.subList(from, to);
            finish(cmds.get(k), line, text, piece, outStart + from, src, sink, piece.isEmpty());
            from = to;
        }
    }

    private static void virshEvent(Matcher ev, int line, String text, EvidenceSink sink) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("event", ev.group(1));
        d.put("domain", ev.group(2).strip());
        if (!ev.group(3).isBlank()) {
            d.put("detail", ev.group(3).strip());
        }
        Timestamps.Stamp t = Timestamps.read(text.strip());
        sink.index(line, t, Timeline.INFO);
        sink.event(new Event(sink.ref(line, text), t != null && t.isInstant() ? instant(t.micros()) : null,
                EventKind.VIRSH_EVENT, ev.group(0), d));
    }

    /**
     * One command with everything it printed; {@code unseen}: a command of a joined prompt line to which no piece of
     * the output fell (its outcome is unknown, not a success).
     */
    private static void finish(Command c, int line, String text, List<String> outRaw, int outStart, TextSource src,
                               EvidenceSink sink, boolean unseen) {
        // the lab's transcript adds "# started TIME" and "# exit N after S s" around the output
        Timestamps.Stamp started = null;
        String exit = null;
        String took = null;
        List<String> out = new ArrayList<>();
        int first = outStart;
        boolean leading = true;
        for (int i = 0; i < outRaw.size(); i++) {
            String l = outRaw.get(i);
            Matcher s = LAB_STARTED.matcher(l.strip());
            Matcher x = LAB_EXIT.matcher(l.strip());
            if (s.matches()) {
                started = Timestamps.read(s.group(1));
                if (leading) {
                    first = outStart + i + 1;
                }
                continue;
            }
            if (x.matches()) {
                exit = x.group(1);
                took = x.group(2);
                break;
            }
            if (leading && (l.isBlank() || l.startsWith(POLKIT))) {
                first = outStart + i + 1;
                continue;
            }
            leading = false;
            out.add(l);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        Map<String, String> d = new LinkedHashMap<>();
        VirshWords.arguments(c.name(), c.args(), d);
        if (exit != null) {
            d.put("exit", exit);
        }
        if (took != null) {
            d.put("seconds", took);
        }
        List<String> errors = out.stream().map(VirshTranscriptParser::withoutProgress)
                .filter(l -> l.startsWith("error: ")).map(String::strip).toList();
        String outcome = !errors.isEmpty() || exit != null && !"0".equals(exit) ? "error" : "success";
        if (unseen && errors.isEmpty()) {
            outcome = "unknown";
        }
        d.put("outcome", outcome);
        if (!errors.isEmpty()) {
            d.put("error", String.join("\n", errors));
        } else if (!unseen && !out.isEmpty() && out.size() <= 3 && !c.name().equals("qemu-monitor-command")) {
            d.put("result", out.get(0).strip());
        }
        for (int i = 0; i < outRaw.size(); i++) {
            // libvirt's reason for a failed detach (QEMU's refusal inside it), its "… detached successfully": an event of
            // the catalogue's class, cited by its own line
            String raw = outRaw.get(i);
            String l = withoutProgress(raw);
            Event why = l.startsWith("error: ") || VirshWords.DEVICE_COMMANDS.contains(c.name())
                    ? UnplugLines.read(l, sink.ref(outStart + i, raw)) : null;
            if (why == null && "migrate".equals(c.name()) && l.startsWith("error: ")) {
                // libvirt's verdict on the migration it ran (job 'migration out' failed: <QEMU's cause>), its own line
                why = recognised(l, sink.ref(outStart + i, raw));
            }
            if (why != null) {
                // with what the command named, and the lab's exit status and run time (a detach that returned only
                // after libvirt's wait for the device's removal ran out)
                Map<String, String> wd = new LinkedHashMap<>(why.details());
                d.forEach(wd::putIfAbsent);
                if (exit != null) {
                    wd.putIfAbsent("status", exit);
                }
                sink.event(new Event(why.source(), null, why.kind(), why.message(), wd));
            }
        }
        byte level = "error".equals(outcome) ? Timeline.ERROR : Timeline.INFO;
        if (started != null) {
            sink.index(line, started, level);
        }
        if (errors.isEmpty()) {
            switch (c.name()) {
                case "domblklist":
                    table(out, first, sink, "disks", d.get("domain"));
                    break;
                case "domiflist":
                    table(out, first, sink, "interfaces", d.get("domain"));
                    break;
                case "dominfo":
                    for (String l : out) {
                        Matcher m = INFO_LINE.matcher(l);
                        if (m.matches()) {
                            d.put("info." + m.group(1).toLowerCase(Locale.ROOT).replace(' ', '-'), m.group(2).strip());
                        }
                    }
                    break;
                case "list":
                    listed(out, d);
                    break;
                case "dumpxml":
                    handOver(List.of(new DomainXmlParser()), out, first, src, sink);
                    break;
                case "qemu-monitor-command":
                    handOver(List.of(new QmpJsonParser(), new QmpTranscriptParser(), new HmpQtreeParser(),
                            new HmpPciParser(), new HmpBlockParser()), out, first, src, sink);
                    break;
                default:
                    break;
            }
        }
        sink.event(new Event(sink.ref(line, text), started != null && started.isInstant()
                ? instant(started.micros()) : null, EventKind.VIRSH_COMMAND, c.text(), d));
    }



    /** The line without {@code virsh migrate --verbose}'s progress in front (and a carriage return at its end). */
    static String withoutProgress(String line) {
        String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        int cr = l.lastIndexOf('\r');
        if (cr >= 0) {
            l = l.substring(cr + 1);
        }
        Matcher m = PROGRESS.matcher(l);
        return m.lookingAt() ? l.substring(m.end()) : l;
    }

    /** A virsh error line the message catalogue recognises (libvirt's entries first), as a tool's message; else null. */
    private static Event recognised(String line, dev.vmcase.model.SourceRef ref) {
        MessageMatch m = MessageCatalogue.match(line, LIBVIRT);
        if (m == null) {
            m = MessageCatalogue.get().match(line);
        }
        if (m == null) {
            return null;
        }
        Map<String, String> d = new LinkedHashMap<>();
        m.addTo(d);
        return new Event(ref, null, EventKind.TOOL_MESSAGE, line.strip(), d);
    }

    /** {@code list}: one {@code name=state} per domain. */
    private static void listed(List<String> out, Map<String, String> d) {
        List<String> doms = new ArrayList<>();
        boolean body = false;
        for (String l : out) {
            if (RULE.matcher(l).matches()) {
                body = true;
                continue;
            }
            if (body && !l.isBlank()) {
                List<String> cols = List.of(l.strip().split("\\s{2,}|\\s+(?=\\S+$)"));
                if (cols.size() >= 3) {
                    doms.add(cols.get(1) + "=" + String.join(" ", cols.subList(2, cols.size())));
                }
            }
        }
        if (!doms.isEmpty()) {
            d.put("domains", String.join(",", doms));
        }
    }

    /**
     * {@code domblklist}/{@code domiflist}'s table into libvirt-layer observations of that class only. The columns
     * are read from the header ({@code Target Source}, with {@code --details} {@code Type Device Target Source};
     * {@code Interface Type Source Model MAC}).
     */
    private static void table(List<String> out, int first, EvidenceSink sink, String coverage, String domain) {
        List<String> header = null;
        boolean body = false;
        boolean covered = false;
        for (int i = 0; i < out.size(); i++) {
            String l = out.get(i);
            if (header == null) {
                if (!l.isBlank()) {
                    header = List.of(l.strip().toLowerCase(Locale.ROOT).split("\\s+"));
                }
                continue;
            }
            if (!body) {
                body = RULE.matcher(l).matches();
                continue;
            }
            if (l.isBlank()) {
                continue;
            }
            String[] cols = l.strip().split("\\s+", header.size());
            Map<String, String> a = new LinkedHashMap<>();
            for (int k = 0; k < cols.length && k < header.size(); k++) {
                if (!cols[k].equals("-")) {
                    a.put(header.get(k), cols[k]);
                }
            }
            a.put("coverage", coverage);
            a.put("listing", "disks".equals(coverage) ? "domblklist" : "domiflist");
            if (domain != null) {
                a.put("domain", domain);
            }
            String type;
            if ("disks".equals(coverage)) {
                a.put("element", "disk");
                type = "disk" + (a.containsKey("device") ? "/" + a.get("device") : "");
            } else {
                a.put("element", "interface");
                String ifname = a.remove("interface");
                if (ifname != null) {
                    a.put("ifname", ifname);
                }
                type = "interface" + (a.containsKey("type") ? "/" + a.get("type") : "")
                        + (a.containsKey("model") ? "/" + a.get("model") : "");
            }
            sink.observation(new DeviceObservation(sink.ref(first + i, l), Layer.LIBVIRT_XML, DeviceRole.FRONTEND,
                    "", type, null, null, a).withGuest(guestOf(domain)));
            if (!covered) {
                // every disk (interface) of the domain, but by target and source, not by the alias devices are joined
                // by: it shows them, and proves none absent
                covered = true;
                DeviceClass listed = "disks".equals(coverage) ? DeviceClass.DISK : DeviceClass.NIC;
                sink.covers(Layer.LIBVIRT_XML, Set.of(listed), Coverage.Extent.SOME, sink.ref(first + i, l));
            }
        }
    }

    /** The VM {@code virsh CMD DOMAIN} names: a name or a UUID (a numeric id is no lasting name), else null. */
    private static Guest guestOf(String domain) {
        if (domain == null || domain.isBlank() || domain.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return domain.matches("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}")
                ? Guest.withUuid(domain) : Guest.named(domain);
    }

    /** An output region read by the first parser that recognises it, with the transcript's line numbers. */
    private static void handOver(List<EvidenceParser> parsers, List<String> out, int first, TextSource src,
                                 EvidenceSink sink) {
        if (out.isEmpty()) {
            return;
        }
        Head head = new Head(out.subList(0, Math.min(out.size(), Head.MAX_LINES)));
        for (EvidenceParser p : parsers) {
            if (!p.recognizes(head)) {
                continue;
            }
            // blank lines in front keep the transcript's numbering: parsers cite lines through the sink, whose
            // artifact is the transcript
            StringBuilder b = new StringBuilder("\n".repeat(Math.max(0, first - 1)));
            out.forEach(l -> b.append(l).append('\n'));
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            p.parse(new TextSource(src.path(), src.sha256(), () -> new ByteArrayInputStream(bytes)), sink);
            return;
        }
    }

    private static java.time.Instant instant(long micros) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }
}
