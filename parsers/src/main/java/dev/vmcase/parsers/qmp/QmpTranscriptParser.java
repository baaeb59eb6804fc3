package dev.vmcase.parsers.qmp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;

import java.util.regex.Pattern;

/**
 * A raw QMP wire transcript: one JSON message per line (greeting, commands, returns, errors, events with their own
 * timestamps), optionally with the {@code -> }/{@code <- } direction markers of QEMU's documentation and qmp-shell:
 * <pre>
 * {"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7"}, "capabilities": ["oob"]}}
 * {"execute": "device_del", "arguments": {"id": "virtio-disk1"}, "id": "libvirt-367"}
 * {"return": {}, "id": "libvirt-367"}
 * {"timestamp": {"seconds": 1637196945, "microseconds": 957654}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/virtio-disk1/virtio-backend"}}
 * </pre>
 */
public final class QmpTranscriptParser extends FormatParser {
    public static final String FORMAT = "qmp-transcript";

    public static final String SAMPLE = """
            {"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 6}, "package": "qemu-kvm-6.2.0-11.module+el8.6.0+14707+5aa4b42d"}, "capabilities": ["oob"]}}
            {"execute": "qmp_capabilities", "id": "libvirt-1"}
            {"return": {}, "id": "libvirt-1"}
            {"execute": "device_del", "arguments": {"id": "virtio-disk1"}, "id": "libvirt-367"}
            {"return": {}, "id": "libvirt-367"}
            {"timestamp": {"seconds": 1637196945, "microseconds": 957654}, "event": "DEVICE_DELETED", "data": {"path": "/machine/peripheral/virtio-disk1/virtio-backend"}}
            {"execute": "device_del", "arguments": {"id": "virtio-disk1"}, "id": "libvirt-369"}
            {"id": "libvirt-369", "error": {"class": "DeviceNotFound", "desc": "Device 'virtio-disk1' not found"}}
            """;

    private static final Pattern DIRECTION = Pattern.compile("^\\s*(?:->|<-|QMP>)\\s*");

    public QmpTranscriptParser() {
        super(FORMAT, SAMPLE);
    }

    @Override
    public boolean recognizes(Head head) {
        int checked = 0;
        int qmp = 0;
        for (String line : head.significant()) {
            if (checked++ >= 5) {
                break;
            }
            JsonNode n = readLine(line);
            if (n != null && isQmpMessage(n)) {
                qmp++;
            }
        }
        return qmp > 0 && qmp * 2 >= Math.min(checked, 5) && readLine(head.first()) != null;
    }

    static boolean isQmpMessage(JsonNode n) {
        return n.isObject() && (n.has("QMP") || n.has("execute") || n.has("exec-oob") || n.has("return")
                || n.has("error") || n.has("event"));
    }

    private static JsonNode readLine(String line) {
        String t = DIRECTION.matcher(line).replaceFirst("").strip();
        if (!t.startsWith("{") || !t.endsWith("}")) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(t);
        } catch (JacksonException e) {
            // not a QMP message: the caller counts the line as such (a problem of it, or no transcript)
            return null;
        }
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        QmpReader reader = new QmpReader(sink);
        try (LineReader in = source.lines()) {
            String line;
            while ((line = in.next()) != null) {
                if (Head.isNoise(line)) {
                    continue;
                }
                String t = DIRECTION.matcher(line).replaceFirst("").strip();
                try {
                    JsonNode n = Json.MAPPER.readTree(t);
                    if (n == null || !reader.accept(n, sink.ref(in.number(), line))) {
                        sink.problemOf(in.number(), "qmp.notMessage");
                    }
                } catch (JacksonException e) {
                    sink.problemOf(in.number(), "qmp.incompleteJson", e.getOriginalMessage());
                }
            }
        }
    }
}
