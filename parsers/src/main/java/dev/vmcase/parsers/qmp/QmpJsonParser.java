package dev.vmcase.parsers.qmp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.TextSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A QMP answer saved as a JSON document, pretty-printed as {@code virsh qemu-monitor-command --pretty} prints it
 * ({@code {"return": [...], "id": "libvirt-42"}}) or bare ({@code [{"bus": 0, "devices": [...]}]}). The elements of a
 * {@code return} array are read one at a time, so a large dump is never held whole, and each element is cited by the
 * line it starts on. Several documents may follow each other in one file.
 */
public final class QmpJsonParser extends FormatParser {
    public static final String FORMAT = "qmp-json";

    public static final String SAMPLE = """
            {
              "return": [
                {
                  "io-status": "ok",
                  "device": "drive-virtio-disk0",
                  "locked": false,
                  "removable": false,
                  "inserted": {
                    "iops_rd": 0,
                    "ro": false,
                    "node-name": "#block185",
                    "drv": "qcow2",
                    "encrypted": false,
                    "file": "/srv/vm/images/nfs.qcow2"
                  },
                  "qdev": "/machine/peripheral/virtio-disk0/virtio-backend",
                  "type": "unknown"
                }
              ],
              "id": "libvirt-23"
            }
            """;

    public QmpJsonParser() {
        super(FORMAT, SAMPLE);
    }

    @Override
    public boolean recognizes(Head head) {
        String first = head.first().strip();
        if (!(first.startsWith("{") || first.startsWith("["))) {
            return false;
        }
        // '[reporter's prose omitted]' or '[  OK  ]' is a bracketed label, not a JSON array
        String inside = first.substring(1).strip();
        if (first.startsWith("[") && !inside.isEmpty() && Character.isLetter(inside.charAt(0))) {
            return false;
        }
        // a complete message on the first line is a wire transcript, not a document
        if (first.endsWith("}") && first.startsWith("{")) {
            try {
                if (QmpTranscriptParser.isQmpMessage(Json.MAPPER.readTree(first))) {
                    return false;
                }
            } catch (JacksonException e) {
                // not complete: a document spread over lines
            }
        }
        String joined = String.join("\n", head.significant());
        return joined.contains("\"return\"") || joined.contains("\"qdev_id\"") || joined.contains("\"node-name\"")
                || joined.contains("\"removable\"") || joined.contains("\"event\"");
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        QmpReader reader = new QmpReader(sink);
        try (InputStream in = source.open(); JsonParser p = Json.FACTORY.createParser(in)) {
            p.setCodec(Json.MAPPER);
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.START_ARRAY) {
                    if (!elements(p, reader, sink)) {
                        sink.problemOf(line, "qmp.unknownArray");
                    }
                } else if (t == JsonToken.START_OBJECT) {
                    document(p, line, reader, sink);
                } else {
                    sink.problemOf(line, "qmp.unexpectedTopLevel");
                }
            }
        } catch (JacksonException e) {
            sink.problemOf(e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "qmp.jsonBreaks", e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An object at top level: a QMP envelope whose {@code return} array is streamed element by element. */
    private static void document(JsonParser p, int line, QmpReader reader, EvidenceSink sink) throws IOException {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        boolean streamed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("return".equals(name) && v == JsonToken.START_ARRAY) {
                // the elements become observations as they are read; the envelope keeps an empty array
                elements(p, reader, sink);
                envelope.putArray("return");
                streamed = true;
            } else {
                envelope.set(name, p.readValueAsTree());
            }
        }
        SourceRef ref = sink.ref(line, abbreviate(envelope.toString()));
        if (streamed) {
            reader.accept(envelope, ref);
        } else if (!reader.accept(envelope, ref)) {
            sink.problemOf(line, "qmp.notMessageObject");
        }
    }

    /** Streams the elements of an array (parser positioned on START_ARRAY), each cited by its first line. */
    private static boolean elements(JsonParser p, QmpReader reader, EvidenceSink sink) throws IOException {
        boolean known = false;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            int line = p.currentTokenLocation().getLineNr();
            JsonNode element = p.readValueAsTree();
            ArrayNode one = Json.MAPPER.createArrayNode().add(element);
            known |= reader.acceptBareResult(one, sink.ref(line, abbreviate(element.toString())));
        }
        return known;
    }

    static String abbreviate(String json) {
        return json.length() > 400 ? json.substring(0, 400) + "…" : json;
    }
}
