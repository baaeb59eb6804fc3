package dev.vmcase.parsers.qmp;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Layer;
import dev.vmcase.model.QmpKind;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Parsing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QmpJsonParserTest {
    private final QmpJsonParser parser = new QmpJsonParser();

    private EvidenceSink parse(String text) {
        return Parsing.parse(parser, "query.json", text);
    }

    @Test
    void readsAPrettyQueryBlockElementByElementWithItsLine() {
        EvidenceSink sink = parse(QmpJsonParser.SAMPLE);
        DeviceObservation o = sink.observations().get(0);
        assertEquals(Layer.BLOCK, o.layer());
        assertEquals("drive-virtio-disk0", o.id());
        assertEquals("true", o.attr("inserted"));
        assertEquals(3, o.source().line());
        assertEquals(QmpKind.RETURN, sink.qmpMessages().get(0).kind());
        assertEquals("libvirt-23", sink.qmpMessages().get(0).qmpId());
    }

    @Test
    void readsABareQueryPciArray() {
        EvidenceSink sink = parse("[{\"bus\": 0, \"devices\": [{\"bus\": 0, \"slot\": 6, \"function\": 0, \"qdev_id\": \"virtio-disk1\", "
                + "\"class_info\": {\"class\": 256, \"desc\": \"SCSI controller\"}, \"id\": {\"device\": 4097, \"vendor\": 6900}, \"regions\": []}]}]");
        assertEquals("virtio-disk1", sink.observations().get(0).id());
        assertEquals(Layer.PCI, sink.observations().get(0).layer());
    }

    @Test
    void aTruncatedDocumentKeepsWhatWasReadAndNamesTheLine() {
        EvidenceSink sink = parse(QmpJsonParser.SAMPLE.replace("\"type\": \"unknown\"\n    }\n  ],", "\"type\": \"unknown\"\n    },\n    {\"device\": \"drive-vi"));
        assertEquals(1, sink.observations().size());
        assertEquals(1, sink.problems().size());
        assertEquals(19, sink.problems().get(0).line(), "the second element breaks off on line 19");
    }

    @Test
    void deepNestingIsRefusedNotFollowed() {
        String bomb = "{\"return\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        EvidenceSink sink = parse(bomb);
        assertEquals(1, sink.problems().size());
        assertTrue(sink.problems().get(0).message().contains("nesting"), sink.problems().get(0).message());
    }
}
