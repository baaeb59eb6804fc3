package dev.vmcase.parsers.qmp;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Layer;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.Parsing;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QmpTranscriptParserTest {
    private final QmpTranscriptParser parser = new QmpTranscriptParser();

    private EvidenceSink parse(String text) {
        return Parsing.parse(parser, "qmp.log", text);
    }

    @Test
    void classifiesEveryKindOfMessageWithItsIdAndLine() {
        List<QmpMessage> m = parse(QmpTranscriptParser.SAMPLE).qmpMessages();
        assertEquals(8, m.size());
        assertEquals(QmpKind.GREETING, m.get(0).kind());
        assertEquals("6", m.get(0).arg("major"));
        assertEquals(QmpKind.COMMAND, m.get(3).kind());
        assertEquals("device_del", m.get(3).name());
        assertEquals("virtio-disk1", m.get(3).arg("id"));
        assertEquals("libvirt-367", m.get(3).qmpId());
        assertEquals(QmpKind.RETURN, m.get(4).kind());
        assertEquals("device_del", m.get(4).name());
        assertEquals(QmpKind.EVENT, m.get(5).kind());
        assertEquals("/machine/peripheral/virtio-disk1/virtio-backend", m.get(5).arg("path"));
        assertEquals(Instant.parse("2021-11-18T00:55:45.957654Z"), m.get(5).time());
        assertEquals(QmpKind.ERROR, m.get(7).kind());
        assertEquals("DeviceNotFound", m.get(7).name());
        assertEquals("device_del", m.get(7).arg("command"));
        assertEquals(8, m.get(7).source().line());
    }

    @Test
    void acceptsDirectionMarkers() {
        List<QmpMessage> m = parse("-> { \"execute\": \"query-status\" }\n<- { \"return\": { \"running\": true, \"status\": \"running\" } }\n")
                .qmpMessages();
        assertEquals("query-status", m.get(1).name());
        assertEquals("running", m.get(1).arg("status"));
    }

    @Test
    void aReturnOfQueryPciBecomesPciObservationsOfThatSnapshot() {
        String t = """
                {"execute": "query-pci", "id": "vmcase-2"}
                {"return": [{"bus": 0, "devices": [{"irq_pin": 1, "bus": 0, "qdev_id": "virtio-disk1", "irq": 11, "slot": 6, "class_info": {"class": 256, "desc": "SCSI controller"}, "id": {"device": 4097, "subsystem-vendor": 6900, "vendor": 6900, "subsystem": 2}, "function": 0, "regions": []}]}], "id": "vmcase-2"}
                """;
        List<DeviceObservation> obs = parse(t).observations();
        assertEquals(1, obs.size());
        assertEquals(Layer.PCI, obs.get(0).layer());
        assertEquals("virtio-disk1", obs.get(0).id());
        assertEquals("0000:00:06.0", obs.get(0).pci().toString());
        assertEquals("2", obs.get(0).attr(QmpReader.SNAPSHOT));
    }

    @Test
    void migrateMakesItTheSourceAndIncomingTheDestination() {
        assertEquals(Role.SOURCE, parse("{\"execute\": \"migrate\", \"arguments\": {\"uri\": \"unix:/tmp/m\"}}\n").role());
        assertEquals(Role.DESTINATION, parse("{\"execute\": \"migrate-incoming\", \"arguments\": {\"uri\": \"unix:/tmp/m\"}}\n").role());
    }

    @Test
    void truncatedAndForeignLinesAreProblemsWithTheirLineNumbers() {
        EvidenceSink sink = parse("{\"execute\": \"query-block\", \"id\": 1}\n{\"return\": [{\"device\": \"drive-vir\n[1, 2]\n");
        assertEquals(1, sink.qmpMessages().size());
        assertEquals(2, sink.problems().size());
        assertEquals(2, sink.problems().get(0).line());
        assertEquals(3, sink.problems().get(1).line());
    }

    @Test
    void unexpectedFieldsAreKept() {
        QmpMessage m = parse("{\"event\": \"DEVICE_DELETED\", \"data\": {\"device\": \"net0\", \"path\": \"/machine/peripheral/net0\", \"x-new\": [1]}, \"timestamp\": {\"seconds\": -1, \"microseconds\": -1}, \"extra\": true}\n")
                .qmpMessages().get(0);
        assertEquals("net0", m.arg("device"));
        assertEquals("[1]", m.arg("x-new"));
        assertEquals(null, m.time());
    }

    @Test
    void aPrettyPrintedDocumentIsNotATranscript() {
        assertFalse(parser.recognizes(Head.of(QmpJsonParser.SAMPLE)));
        assertTrue(parser.recognizes(Head.of(QmpTranscriptParser.SAMPLE)));
    }
}
