package dev.vmcase.parsers.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.model.Event;
import dev.vmcase.model.SourceRef;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.LineRecords;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.cmdline.QemuCommandLine;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.gdb.BacktraceReader;
import dev.vmcase.parsers.qmp.Json;
import dev.vmcase.parsers.qmp.QmpReader;
import dev.vmcase.parsers.text.PasteNormaliser.PastedLine;
import dev.vmcase.parsers.tools.CrashLines;
import dev.vmcase.parsers.tools.UnplugLines;
import dev.vmcase.parsers.tools.VirshWords;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Evidence pasted among prose: a ticket, a mail (raw, quoted-printable, or a reply quoting another), a chat export,
 * a tracker's HTML export, a blog post such as the incident note vmcase comes from. Consulted only when no format
 * parser claims a file as a whole.
 * <p>
 * The text is first read as its author meant it ({@link PasteNormaliser}: quote markers, code fences,
 * {@code [quote]}, {@code <pre>}, quoted-printable and line-number gutters taken off; lines wrapped by mail clients
 * joined again). Then each line is looked at in turn:
 * <ul>
 *   <li>a record of a format that can be told line by line ({@link LineRecords}: libvirtd debug records, nova
 *       logs) opens a region that goes on over its records and their continuation lines; the region is handed to
 *       that format's parser as a file of its own;</li>
 *   <li>gdb frames and thread headers go to the backtrace reader, which tolerates the separator lines such copies
 *       carry;</li>
 *   <li>a QMP message on one line, a bare {@code query-*} result, a command typed at the HMP monitor
 *       ({@code (qemu) device_del net0}, read as QMP's {@code human-monitor-command}), a QEMU command line (also
 *       inside {@code ps} output or {@code args="…"}), a QEMU or libvirt domain-log line, or an old bare QEMU message
 *       starting its line is read on its own;</li>
 *   <li>the other lines gather in blocks (between blank lines, prompts, quote-depth changes, inside one code fence);
 *       a block, or its tail after a caption, that a format parser recognises as a whole ({@code info qtree},
 *       {@code info pci}, {@code info block}, {@code --pretty} JSON, domain XML, and whatever format is registered
 *       later) is handed to that parser as a region.</li>
 * </ul>
 * Every region is read by the parser of its form (among the format parsers this reader is given: the registry's),
 * from a
 * {@link TextSource} of its own lines; what it finds is then renumbered to the lines of this file
 * ({@link EvidenceSink#absorb}), so each citation names the file's real line, and its text is the line as the user
 * sees it without the quote markers. The role and host a region's parser would claim are not taken: a ticket that
 * quotes a destination's log is not that log. Prose lines are skipped silently; they are not problems.
 * <p>
 * Bounded work: a line is at most {@link LineReader#MAX_LINE} characters (a longer one is cut, with a problem),
 * joins and regions are bounded, and every step is linear in the size of the file.
 */
public final class EmbeddedEvidenceParser extends FormatParser {
    public static final String FORMAT = "text-with-evidence";

    public static final String SAMPLE = """
            Hi team, the live migration of instance-0000002a failed again during the cut-over.
            The destination's log ends with:
                qemu-system-x86_64: Unknown savevm section or instance '0000:00:07.0/virtio-blk' 0
                qemu-system-x86_64: load of migration failed: Invalid argument
            and gdb on the source shows the vCPU thread in the eject path:
            #0  acpi_pcihp_eject_slot (s=0x55d0c1a2e8f0, bsel=0, slots=128) at ../hw/acpi/pcihp.c:214
            #1  0x000055d0bf6c1e2b in pci_write (opaque=0x55d0c1a2e8f0, addr=8, data=128, size=4) at ../hw/acpi/pcihp.c:468
            Any idea why the disk is still there?
            """;

    /** A region or block is handed over when it reaches this many lines or characters, and a new one begins. */
    static final int MAX_REGION_LINES = 100_000;
    static final long MAX_REGION_CHARS = 16L << 20;
    /** Beside the block's first line, this many later lines are tried as the start of a dump after a caption. */
    static final int MAX_BLOCK_STARTS = 3;

    private static final String HMP_ERROR = "Error: ";

    /** A prompt starts a new block: what follows it is the output of one command. */
    private static final Pattern PROMPT = Pattern.compile(
            "^(?:\\(qemu\\)|\\(gdb\\)|virsh #|\\[[^\\]\\s]+@[^\\]]+\\][#$]|[#$] \\S)");

    private final Formats formats;

    /** @param formats the format parsers regions are handed to, in the registry's order of asking */
    public EmbeddedEvidenceParser(List<EvidenceParser> formats) {
        super(FORMAT, SAMPLE);
        this.formats = new Formats(formats);
    }

    /**
     * Whether a file is a pasted document even though a format parser might claim it for a few lines of its form
     * (a ticket with a QEMU command line in it): its first line is a mail header, or it has code fences, quote
     * markers on several lines, {@code [quote]}/{@code [code]}/{@code <pre>} blocks, or sentences of prose among its
     * first lines (three or more, and a fifth of them). Such a file is read here, and the regions of each form in it
     * are handed to their parsers.
     */
    public static boolean isPastedDocument(Head head) {
        List<String> lines = head.lines();
        if (!lines.isEmpty() && MailText.isMailHeader(lines.get(0))) {
            return true;
        }
        int quoted = 0;
        int prose = 0;
        int significant = 0;
        for (String l : lines) {
            String t = l.strip();
            if (t.isEmpty()) {
                continue;
            }
            significant++;
            String lower = t.length() > 8 ? t.substring(0, 8).toLowerCase(java.util.Locale.ROOT) : t.toLowerCase(
                    java.util.Locale.ROOT);
            if (t.startsWith("```") || t.startsWith("~~~") || lower.startsWith("[quote") || lower.startsWith("[code]")
                    || lower.startsWith("<pre")) {
                return true;
            }
            if (t.startsWith(">")) {
                quoted++;
            }
            if (PasteForms.looksLikeProse(t)) {
                prose++;
            }
        }
        return quoted >= 3 || prose >= 3 && prose * 5 >= significant;
    }

    /** True when the head holds any evidence; the ingest also runs this parser on unclaimed files anyway. */
    @Override
    public boolean recognizes(Head head) {
        EvidenceSink probe = new EvidenceSink("", "");
        parse(TextSource.ofText("", String.join("\n", head.lines())), probe);
        return !probe.events().isEmpty() || !probe.backtraces().isEmpty() || !probe.qmpMessages().isEmpty()
                || !probe.observations().isEmpty();
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        // read into a sink of its own, then taken over without the side or host the pasted lines would claim
        EvidenceSink work = new EvidenceSink(source.sha256(), source.path());
        Reading r = new Reading(source, work, formats);
        try (LineReader lines = source.lines()) {
            PasteNormaliser in = PasteNormaliser.of(source, lines, work, formats);
            PastedLine p;
            while ((p = in.next()) != null) {
                r.line(p);
            }
        }
        r.end();
        sink.absorb(work, line -> line);
        sink.quoteDepths(work.quoteDepths());
    }

    /** One parse's state: the open region or block, the backtrace and QMP readers, the quote depths seen. */
    private static final class Reading {
        private final EvidenceSink sink;
        private final BacktraceReader bt;
        private final QmpReader qmp;
        private final Map<Integer, Integer> depths = new HashMap<>();
        private final Regions regions;
        private final Formats formats;

        private Regions.Lines region;
        private EvidenceParser regionFormat;
        private int regionMargin;
        private Regions.Lines block;
        /** Follows the block's text while it may be one JSON document. */
        private JsonScan json;
        /** An HMP command was just typed: an {@code Error: …} line next is its answer. */
        private boolean hmpAnswerDue;

        Reading(TextSource source, EvidenceSink sink, Formats formats) {
            this.sink = sink;
            this.formats = formats;
            this.bt = new BacktraceReader(sink);
            this.qmp = new QmpReader(sink);
            this.regions = new Regions(source, sink, formats);
        }

        void line(PastedLine p) {
            if (p.depth() > 0) {
                depths.put(p.first(), p.depth());
            }
            String t = p.text().strip();
            if (region != null) {
                if (continuesRegion(p)) {
                    return;
                }
                flushRegion();
            }
            if (p.boundary() || t.isEmpty() || Head.isNoise(t)) {
                bt.accept(p.first(), t);
                // a JSON document goes on over blank lines (an HTML mail doubles every line break)
                if (p.boundary() || t.isEmpty() && p.container() == 0 && !openJson()) {
                    flushBlock();
                }
                return;
            }
            if (block != null && (block.depth() != p.depth() || block.container() != p.container()
                    || PROMPT.matcher(t).lookingAt())) {
                flushBlock();
            }
            if (PasteForms.isGdbLine(t) && !bt.inTrace()) {
                flushBlock();
            }
            // every line goes to the backtrace reader: besides frames it keeps the lines around a trace that say
            // which thread stopped on which signal ("Thread 6 "CPU 0/KVM" received signal SIGSEGV")
            if (bt.accept(p.first(), p.text())) {
                return;
            }
            EvidenceParser records = formats.recordFormat(t);
            if (records != null) {
                flushBlock();
                region = new Regions.Lines(p);
                regionFormat = records;
                regionMargin = PasteForms.indent(p.text());
                return;
            }
            if (lineEvidence(p, t)) {
                return;
            }
            if (block == null || block.full()) {
                flushBlock();
                block = new Regions.Lines(p);
                json = t.startsWith("{") || t.startsWith("[") ? new JsonScan() : null;
            } else {
                block.add(p);
            }
            if (json != null && !json.feed(t)) {
                json = null;
            }
        }

        /** The block so far is a JSON document that has not ended yet. */
        private boolean openJson() {
            return block != null && json != null && !json.complete() && !json.invalid()
                    && block.lines().size() < PasteNormaliser.MAX_JSON_LINES;
        }

        /** A line read on its own; false when it is none of those forms (nothing is emitted then). */
        private boolean lineEvidence(PastedLine p, String t) {
            String hmp = PasteForms.hmpCommand(t);
            if (hmp != null) {
                // a command typed at the HMP monitor is what QMP's human-monitor-command carries: the rules read
                // device_del and drive_del/netdev_del from it; what it printed below is read as its own block
                flushBlock();
                com.fasterxml.jackson.databind.node.ObjectNode cmd = Json.MAPPER.createObjectNode();
                cmd.put("execute", "human-monitor-command");
                cmd.putObject("arguments").put("command-line", hmp);
                qmp.accept(cmd, sink.ref(p.first(), p.text()));
                hmpAnswerDue = true;
                return true;
            }
            if (hmpAnswerDue && t.startsWith(HMP_ERROR)) {
                // HMP prints a refusal on the next line: the command's answer, as QMP would give it
                hmpAnswerDue = false;
                flushBlock();
                com.fasterxml.jackson.databind.node.ObjectNode err = Json.MAPPER.createObjectNode();
                err.putObject("error").put("class", "GenericError").put("desc", t.substring(HMP_ERROR.length()));
                qmp.accept(err, sink.ref(p.first(), p.text()));
                return true;
            }
            hmpAnswerDue = false;
            int cmd = PasteForms.commandLineStart(t);
            if (cmd >= 0) {
                flushBlock();
                String command = t.substring(cmd);
                if (cmd > 0 && (t.charAt(cmd - 1) == '"' || t.charAt(cmd - 1) == '\'')
                        && command.endsWith(String.valueOf(t.charAt(cmd - 1)))) {
                    command = command.substring(0, command.length() - 1);
                }
                QemuCommandLine.parse(command, sink.ref(p.first(), p.text()), sink);
                return true;
            }
            if (PasteForms.looksLikeQmpLine(t) || PasteForms.looksLikeJsonArrayLine(t)) {
                JsonNode n = json(PasteForms.withoutDirection(t));
                if (n != null && (n.isObject() ? qmpMessage(n, p) : bareResult(n, p))) {
                    return true;
                }
            }
            if (embeddedQmp(p, t)) {
                return true;
            }
            if (PasteForms.isLogLine(t)) {
                flushBlock();
                DomainLogParser.classify(t, p.first(), sink, false);
                return true;
            }
            int quoted = PasteForms.embeddedQemuMessage(t);
            if (quoted > 0) {
                // the QEMU message is read; the line it is cited by is the whole line, as the user sees it
                flushBlock();
                EvidenceSink one = new EvidenceSink(sink.ref(0, "").artifact(), sink.ref(0, "").path());
                DomainLogParser.classify(t.substring(quoted), p.first(), one, false);
                sink.absorb(one, line -> line, p.text());
                return true;
            }
            if (DomainLogParser.contextLine(t, p.first(), sink)) {
                flushBlock();
                return true;
            }
            return unplugLine(p, t) || crashLine(p, t);
        }

        /**
         * A tool's line about a device's removal (a harness's or an orchestrator's record, virsh's error, QEMU's
         * refusal relayed by either): an event of the catalogue's unplug class, with what a quoted virsh command
         * names. False when the line is none of those.
         */
        private boolean unplugLine(PastedLine p, String t) {
            Event e = UnplugLines.read(t, sink.ref(p.first(), p.text()));
            if (e == null) {
                return false;
            }
            flushBlock();
            String command = e.details().get("command");
            if (command != null) {
                Map<String, String> d = new java.util.LinkedHashMap<>(e.details());
                VirshWords.describe(command).forEach(d::putIfAbsent);
                e = new Event(e.source(), e.time(), e.kind(), e.message(), d);
            }
            sink.index(p.first(), (java.time.Instant) null, Timeline.INFO);
            sink.event(e);
            return true;
        }

        /** The host's record of a QEMU process's death (the kernel's, systemd-coredump's): an event of its class. */
        private boolean crashLine(PastedLine p, String t) {
            Event e = CrashLines.read(t, sink.ref(p.first(), p.text()));
            if (e == null) {
                return false;
            }
            flushBlock();
            sink.index(p.first(), (java.time.Instant) null, Timeline.ERROR);
            sink.event(e);
            return true;
        }

        /**
         * QMP messages a tool's line quotes ({@code QMP JSON Command: {"execute": …}}, {@code command '{…}' for VM
         * … failed ({"return": …})}): each read, cited by the line. False when it quotes none that parses.
         */
        private boolean embeddedQmp(PastedLine p, String t) {
            if (PasteForms.withoutDirection(t).startsWith("{")) {
                return false; // a message on a line of its own was read as such, or is no JSON
            }
            boolean read = false;
            List<String> messages = PasteForms.embeddedQmp(t);
            if (messages.isEmpty() && PasteForms.quotesPythonQmp(t)) {
                messages = PasteForms.embeddedQmp(PasteForms.pythonReprAsJson(t));
            }
            for (String quoted : messages) {
                JsonNode n = json(quoted);
                if (n == null || !n.isObject()) {
                    continue;
                }
                if (!read) {
                    flushBlock();
                }
                read |= qmp.accept(errorUnderReturn(n), sink.ref(p.first(), p.text()));
            }
            return read;
        }

        /**
         * QMP never answers success with an error object: a tool that prints QEMU's refusal as
         * {@code {"return": {"class": "GenericError", "desc": …}}} still gives its class and text, and it is read as
         * the error it is.
         */
        private static JsonNode errorUnderReturn(JsonNode n) {
            JsonNode ret = n.get("return");
            if (ret == null || !ret.isObject() || !ret.has("class") || !ret.has("desc") || ret.size() != 2) {
                return n;
            }
            com.fasterxml.jackson.databind.node.ObjectNode err = Json.MAPPER.createObjectNode();
            err.set("error", ret);
            if (n.has("id")) {
                err.set("id", n.get("id"));
            }
            return err;
        }

        private boolean qmpMessage(JsonNode n, PastedLine p) {
            flushBlock();
            return qmp.accept(n, sink.ref(p.first(), p.text()));
        }

        private boolean bareResult(JsonNode n, PastedLine p) {
            flushBlock();
            return qmp.acceptBareResult(n, sink.ref(p.first(), p.text()));
        }

        private static JsonNode json(String t) {
            try {
                return Json.MAPPER.readTree(t);
            } catch (JacksonException e) {
                return null; // prose with braces
            }
        }

        /** Adds the line to the open region when it goes on with it (a record of its format or a continuation). */
        private boolean continuesRegion(PastedLine p) {
            if (p.depth() != region.depth() || p.container() != region.container() || p.boundary()) {
                return false;
            }
            if (p.blank()) {
                if (p.container() == 0) {
                    return false;
                }
                return true; // a blank line inside a code fence: skipped, the region goes on
            }
            int indent = PasteForms.indent(p.text());
            if (indent < regionMargin) {
                return false;
            }
            String rel = p.text().substring(regionMargin);
            LineRecords form = (LineRecords) regionFormat;
            boolean goesOn = form.startsRecord(rel)
                    || !formats.startsAnything(rel.strip()) && form.continuesRecord(rel);
            if (!goesOn) {
                return false;
            }
            if (region.full()) {
                flushRegion();
                region = new Regions.Lines(p);
            } else {
                region.add(p);
            }
            return true;
        }

        private void flushRegion() {
            if (region != null) {
                regions.read(regionFormat, region.lines());
                region = null;
                regionFormat = null;
            }
        }

        private void flushBlock() {
            if (block != null) {
                Regions.Lines b = block;
                JsonScan j = json;
                block = null;
                json = null;
                if (!regions.readBlock(b.lines()) && j != null && j.complete()) {
                    oneJsonMessage(b.lines());
                }
            }
        }

        /**
         * A pretty-printed JSON value no format parser claims (a QMP error answer, a command): one QMP message.
         */
        private void oneJsonMessage(List<PastedLine> lines) {
            StringBuilder text = new StringBuilder();
            for (PastedLine l : lines) {
                text.append(l.text().strip()).append(' ');
            }
            String joined = text.toString().strip();
            JsonNode n = json(joined);
            if (n != null) {
                // cited by its first line, with the value's text (as the pretty-JSON parser cites what it reads)
                SourceRef ref = sink.ref(lines.get(0).first(), joined);
                if (n.isObject()) {
                    qmp.accept(n, ref);
                } else {
                    qmp.acceptBareResult(n, ref);
                }
            }
        }

        void end() {
            flushRegion();
            flushBlock();
            bt.finish();
            Map<Integer, Integer> d = Map.copyOf(depths);
            sink.quoteDepths(line -> d.getOrDefault(line, 0));
        }
    }
}
