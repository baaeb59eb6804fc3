package dev.vmcase.analysis.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.callchain.FrameHint;
import dev.vmcase.analysis.callchain.FrameHints;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Layer;
import dev.vmcase.model.Problem;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.qmp.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The {@code analyze --json} output, a public interface documented in {@code docs/cli.md}. Fields are only ever
 * added; {@code schema} names the version.
 */
public final class JsonReport {
    public static final int SCHEMA = 1;

    private JsonReport() {
    }

    public static void write(AnalysisResult r, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeNumberField("schema", SCHEMA);
            artifacts(g, r.evidence().artifacts());
            devices(g, r.devices());
            findings(g, r.findings());
            backtraces(g, r);
            localTimes(g, r);
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void artifacts(JsonGenerator g, List<Artifact> artifacts) throws IOException {
        g.writeArrayFieldStart("artifacts");
        for (Artifact a : artifacts) {
            g.writeStartObject();
            g.writeStringField("path", a.path());
            g.writeStringField("sha256", a.sha256());
            g.writeNumberField("size", a.size());
            g.writeStringField("format", a.format());
            g.writeStringField("host", a.host());
            g.writeStringField("role", a.role().jsonName());
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

    private static void devices(JsonGenerator g, DeviceTable t) throws IOException {
        g.writeArrayFieldStart("devices");
        for (DeviceRow row : t.source()) {
            device(g, row, "source");
        }
        for (DeviceRow row : t.destination()) {
            device(g, row, "destination");
        }
        g.writeEndArray();
    }

    private static void device(JsonGenerator g, DeviceRow row, String side) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", row.qdevId());
        g.writeStringField("key", row.key());
        g.writeStringField("side", side);
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
            g.writeStringField("rule", f.rule());
            g.writeStringField("severity", f.severity().jsonName());
            g.writeStringField("summary", FindingText.summary(f));
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
        for (Backtrace b : r.evidence().backtraces()) {
            g.writeStartObject();
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
                    frame(g, f, r.devices(), t.frames());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
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
