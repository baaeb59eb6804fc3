package dev.vmcase.parsers.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.domainlog.QemuMessages;
import dev.vmcase.parsers.gdb.BacktraceReader;
import dev.vmcase.parsers.qmp.Json;
import dev.vmcase.parsers.qmp.QmpReader;

import java.util.regex.Pattern;

/**
 * Evidence pasted among prose: a ticket, a chat export, a blog post such as the incident note vmcase comes from.
 * Consulted only when no other parser claims a file. It picks out, wherever they appear:
 * gdb frames (with the backtrace reader, which tolerates the separator lines such copies carry), QEMU and libvirt
 * log lines (timestamped, program-prefixed, or a migration failure quoted bare) and one-line QMP messages.
 * Prose lines are skipped silently; they are not problems.
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

    private static final Pattern LIBVIRT_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000: .*");

    /** Messages old QEMU printed to stderr without any prefix. */
    private static final Pattern BARE_QEMU = Pattern.compile(
            "^(?:char device redirected to |Warning: option deprecated|qemu: warning: |qemu: terminating on signal)");

    public EmbeddedEvidenceParser() {
        super(FORMAT, SAMPLE);
    }

    /** True when the head holds any evidence line; the ingest also runs this parser on unclaimed files anyway. */
    @Override
    public boolean recognizes(Head head) {
        EvidenceSink probe = new EvidenceSink("", "");
        BacktraceReader bt = new BacktraceReader(probe);
        QmpReader qmp = new QmpReader(probe);
        int n = 0;
        for (String line : head.lines()) {
            if (!bt.accept(++n, line)) {
                lineEvidence(line, n, probe, qmp);
            }
        }
        bt.finish();
        return !probe.events().isEmpty() || !probe.backtraces().isEmpty() || !probe.qmpMessages().isEmpty();
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        BacktraceReader bt = new BacktraceReader(sink);
        QmpReader qmp = new QmpReader(sink);
        try (LineReader in = source.lines()) {
            String line;
            while ((line = in.next()) != null) {
                if (!bt.accept(in.number(), line)) {
                    lineEvidence(line, in.number(), sink, qmp);
                }
            }
        }
        bt.finish();
    }

    private static void lineEvidence(String line, int number, EvidenceSink sink, QmpReader qmp) {
        String t = line.strip();
        if (t.isEmpty()) {
            return;
        }
        if (t.startsWith("{") && t.endsWith("}")) {
            try {
                JsonNode n = Json.MAPPER.readTree(t);
                if (qmp.accept(n, sink.ref(number, line))) {
                    return;
                }
            } catch (JacksonException e) {
                // prose with braces
            }
        }
        if (LIBVIRT_LINE.matcher(t).matches() || QemuMessages.hasQemuPrefix(t) || BARE_QEMU.matcher(t).find()
                || QemuMessages.classifyMigration(t, sink.ref(number, line)).isPresent()) {
            DomainLogParser.classify(t, number, sink, false);
        }
    }
}
