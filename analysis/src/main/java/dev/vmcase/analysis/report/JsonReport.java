package dev.vmcase.analysis.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.OutcomeText;
import dev.vmcase.analysis.VmResult;
import dev.vmcase.analysis.callchain.FrameHint;
import dev.vmcase.analysis.callchain.FrameHints;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.rules.EvidenceKind;
import dev.vmcase.analysis.rules.Need;
import dev.vmcase.analysis.rules.RuleOutcome;
import dev.vmcase.analysis.vms.Unattributed;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Layer;
import dev.vmcase.model.Problem;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.qmp.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code analyze --json} output, a public interface documented in {@code docs/cli.md}. Fields are only ever
 * added within a schema; {@code schema} names the version. Schema 2: every VM the evidence names ({@code vms[]}, with
 * each rule's outcome), the VM of every device, finding and artifact, evidence of no VM ({@code unattributed[]}), and
 * presence {@code no-evidence} where schema 1 said {@code unknown}.
 */
public final class JsonReport {
    public static final int SCHEMA = 2;

    private JsonReport() {
    }

    public static void write(AnalysisResult r, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeNumberField("schema", SCHEMA);
            artifacts(g, r);
            vms(g, r);
            g.writeArrayFieldStart("devices");
            for (VmResult v : r.vms()) {
                devices(g, v.devices());
            }
            g.writeEndArray();
            findings(g, r.findings());
            backtraces(g, r);
            unattributed(g, r);
            localTimes(g, r);
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void artifacts(JsonGenerator g, AnalysisResult r) throws IOException {
        Map<String, List<String>> vms = new HashMap<>();
        for (VmResult v : r.vms()) {
            for (Artifact a : v.evidence().artifacts()) {
                vms.computeIfAbsent(a.path(), k -> new ArrayList<>()).add(v.vm().key());
            }
        }
        g.writeArrayFieldStart("artifacts");
        for (Artifact a : r.evidence().artifacts()) {
            g.writeStartObject();
            g.writeStringField("path", a.path());
            g.writeStringField("sha256", a.sha256());
            g.writeNumberField("size", a.size());
            g.writeStringField("format", a.format());
            g.writeStringField("host", a.host());
            g.writeStringField("role", a.role().jsonName());
            g.writeStringField("guest", a.guest() == null ? null : a.guest().label());
            g.writeArrayFieldStart("vms");
            for (String k : vms.getOrDefault(a.path(), List.of())) {
                g.writeString(k);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("problems");
            for (Problem p : a.problems()) {
                g.writeStartObject();
                g.writeNumberField("line", p.line());
                g.writeStringField("message", p.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Each VM: its names, counts, what each rule concluded, and what its sources show completely. */
    private static void vms(JsonGenerator g, AnalysisResult r) throws IOException {
        g.writeArrayFieldStart("vms");
        for (VmResult v : r.vms()) {
            g.writeStartObject();
            g.writeStringField("key", v.vm().key());
            g.writeArrayFieldStart("names");
            for (String n : v.vm().names()) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("uuids");
            for (String u : v.vm().uuids()) {
                g.writeString(u);
            }
            g.writeEndArray();
            g.writeNumberField("findings", v.findings().size());
            g.writeNumberField("devices", v.devices().count());
            g.writeArrayFieldStart("outcomes");
            for (RuleOutcome o : v.outcomes()) {
                g.writeStartObject();
                g.writeStringField("rule", o.rule());
                g.writeStringField("status", o.status().jsonName());
                g.writeNumberField("findings", o.findings());
                g.writeArrayFieldStart("missing");
                for (Need n : o.missing()) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("anyOf");
                    for (EvidenceKind k : n.anyOf()) {
                        g.writeString(k.jsonName());
                    }
                    g.writeEndArray();
                    g.writeStringField("text", OutcomeText.missing(n, Locale.ROOT));
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (!o.undecided().isEmpty()) {
                    g.writeArrayFieldStart("undecided");
                    for (RuleOutcome.Undecided u : o.undecided()) {
                        g.writeStartObject();
                        g.writeStringField("key", u.key());
                        g.writeStringField("text", OutcomeText.undecided(u, Locale.ROOT));
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                if (o.status() == RuleOutcome.Status.NOT_CHECKED || o.status() == RuleOutcome.Status.PARTLY_CHECKED) {
                    g.writeStringField("why", OutcomeText.why(o, Locale.ROOT));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("coverage");
            coverage(g, v.devices().sourceCoverage(), "source");
            coverage(g, v.devices().destinationCoverage(), "destination");
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void coverage(JsonGenerator g, List<Coverage> list, String side) throws IOException {
        for (Coverage c : list) {
            g.writeStartObject();
            g.writeStringField("side", side);
            g.writeStringField("layer", c.layer().jsonName());
            g.writeStringField("extent", c.extent().jsonName());
            g.writeArrayFieldStart("classes");
            for (DeviceClass d : DeviceClass.values()) {
                if (c.classes().contains(d)) {
                    g.writeString(d.jsonName());
                }
            }
            g.writeEndArray();
            g.writeStringField("artifact", c.source().path());
            g.writeNumberField("line", c.source().line());
            g.writeEndObject();
        }
    }

    private static void unattributed(JsonGenerator g, AnalysisResult r) throws IOException {
        g.writeArrayFieldStart("unattributed");
        for (Unattributed u : r.unattributed()) {
            g.writeStartObject();
            g.writeStringField("artifact", u.artifact().path());
            g.writeNumberField("records", u.records());
            g.writeStringField("reason", u.reason().jsonName());
            g.writeStringField("folder", u.folder());
            g.writeNumberField("vms", u.vms());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void devices(JsonGenerator g, DeviceTable t) throws IOException {
        for (DeviceRow row : t.source()) {
            device(g, row, "source");
        }
        for (DeviceRow row : t.destination()) {
            device(g, row, "destination");
        }
    }

    private static void device(JsonGenerator g, DeviceRow row, String side) throws IOException {
        g.writeStartObject();
        g.writeStringField("vm", row.vm());
        g.writeStringField("id", row.qdevId());
        g.writeStringField("key", row.key());
        g.writeStringField("side", side);
        g.writeStringField("class", row.deviceClass().jsonName());
        g.writeStringField("type", row.type());
        g.writeStringField("pci", row.pci() == null ? null : row.pci().toString());
        g.writeStringField("backend", row.backend());
        g.writeObjectFieldStart("layers");
        for (Layer l : Layer.values()) {
            g.writeStringField(l.jsonName(), row.presence(l).jsonName());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void findings(JsonGenerator g, List<Finding> findings) throws IOException {
        g.writeArrayFieldStart("findings");
        for (Finding f : findings) {
            g.writeStartObject();
            g.writeStringField("id", f.id());
            g.writeStringField("vm", f.vm());
            g.writeStringField("rule", f.rule());
            g.writeStringField("severity", f.severity().jsonName());
            g.writeStringField("summary", FindingText.summary(f));
            g.writeBooleanField("fromPastedNote", dev.vmcase.analysis.Witness.fromPastedNote(f));
            g.writeArrayFieldStart("devices");
            for (String d : f.devices()) {
                g.writeString(d);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("evidence");
            for (SourceRef s : f.evidence()) {
                ref(g, s);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("details");
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(f.details()).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void ref(JsonGenerator g, SourceRef s) throws IOException {
        g.writeStartObject();
        g.writeStringField("artifact", s.path());
        g.writeNumberField("line", s.line());
        g.writeStringField("text", s.text());
        g.writeEndObject();
    }

    private static void localTimes(JsonGenerator g, AnalysisResult r) throws IOException {
        g.writeArrayFieldStart("localTimes");
        for (LocalTimeLines.Entry x : LocalTimeLines.of(r.evidence())) {
            var l = x.local();
            g.writeStartObject();
            g.writeStringField("artifact", x.artifact().path());
            g.writeStringField("sha256", x.artifact().sha256());
            g.writeStringField("host", l.host() == null || l.host().isEmpty() ? null : l.host());
            g.writeNumberField("lines", l.size());
            g.writeStringField("first", x.first());
            g.writeStringField("last", x.last());
            g.writeBooleanField("noYear", l.anyWithoutYear());
            g.writeBooleanField("placed", l.placed());
            g.writeStringField("zone", l.zone());
            g.writeStringField("zoneSource", l.zoneSource());
            if (l.year() > 0) {
                g.writeNumberField("year", l.year());
            } else {
                g.writeNullField("year");
            }
            g.writeStringField("reason", l.unplacedReason());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void backtraces(JsonGenerator g, AnalysisResult r) throws IOException {
        g.writeArrayFieldStart("backtraces");
        for (VmResult v : r.vms()) {
            for (Backtrace b : v.evidence().backtraces()) {
                backtrace(g, b, v);
            }
        }
        g.writeEndArray();
    }

    private static void backtrace(JsonGenerator g, Backtrace b, VmResult v) throws IOException {
        // one backtrace, of the VM whose evidence holds it
        g.writeStartObject();
        g.writeStringField("vm", v.vm().key());
        g.writeStringField("artifact", b.source().path());
        g.writeNumberField("line", b.source().line());
        g.writeArrayFieldStart("threads");
        for (BacktraceThread t : b.threads()) {
            g.writeStartObject();
            g.writeStringField("number", t.number());
            g.writeStringField("name", t.name());
            g.writeNumberField("lwp", t.lwp());
            g.writeStringField("stopped", t.stoppedReason());
            g.writeStringField("signal", t.signal());
            g.writeArrayFieldStart("frames");
            for (Frame f : t.frames()) {
                frame(g, f, v.devices(), t.frames());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void frame(JsonGenerator g, Frame f, DeviceTable devices, List<Frame> thread) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", f.index());
        g.writeStringField("address", f.address());
        g.writeStringField("function", f.function());
        g.writeStringField("file", f.file());
        if (f.line() > 0) {
            g.writeNumberField("line", f.line());
        } else {
            g.writeNullField("line");
        }
        g.writeStringField("library", f.library());
        g.writeArrayFieldStart("args");
        for (Frame.Arg a : f.args()) {
            g.writeStartObject();
            g.writeStringField("name", a.name());
            g.writeStringField("value", a.value());
            g.writeEndObject();
        }
        g.writeEndArray();
        List<FrameHint> hints = FrameHints.standard().hints(f, java.util.Locale.ROOT, thread);
        g.writeArrayFieldStart("hints");
        for (FrameHint h : hints) {
            g.writeString(h.text());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("devices");
        for (String d : FrameHint.devicesIn(devices, hints)) {
            g.writeString(d);
        }
        g.writeEndArray();
        g.writeNumberField("sourceLine", f.source().line());
        g.writeEndObject();
    }
}
