package dev.vmcase.parsers.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.parsers.EvidenceSink;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QmpReaderTest {
    /** The lab's QMP transcript: query-block before (line 7) and after (line 15) drive_del of virtio-disk1's drive. */
    private static final Path TRANSCRIPT = Path.of("../sample-cases/lab-orphaned-disk/evidence/source-qmp.jsonl");

    private final EvidenceSink sink = new EvidenceSink("sha", "monitor");
    private final QmpReader reader = new QmpReader(sink, "mon=0x1", true);
    private int line;

    /** Feeds one message as a lean reader's caller does: an answer said before need not be parsed. */
    private boolean feed(String text) throws IOException {
        line++;
        var ref = sink.ref(line, text);
        if (reader.repeated(text, ref)) {
            return true;
        }
        JsonNode node = Json.MAPPER.readTree(text);
        assertTrue(reader.accept(node, text, ref, null));
        return false;
    }

    @Test
    void anAnswerSaidBeforeIsObservedAgainUnparsedAndADifferentOneIsRead() throws IOException {
        List<String> t = Files.readAllLines(TRANSCRIPT);
        String askBefore = t.get(5);
        String before = t.get(6);
        String askAfter = t.get(13);
        String after = t.get(14);
        assertTrue(askBefore.contains("\"query-block\"") && askAfter.contains("\"query-block\""));
        assertFalse(feed(askBefore));
        assertFalse(feed(before));
        assertFalse(feed(askAfter));
        assertFalse(feed(after), "a different answer to the same query is read");
        assertFalse(feed(askBefore));
        assertTrue(feed(before), "the first answer again");
        assertFalse(feed(askAfter));
        assertTrue(feed(after), "and the second: both are remembered");
        assertFalse(feed(t.get(3)), "query-pci was never answered before");

        Map<Integer, List<String>> snapshots = new TreeMap<>();
        for (DeviceObservation o : sink.observations()) {
            assertEquals(Integer.toString(o.source().line()), o.attr(QmpReader.SNAPSHOT));
            Map<String, String> attrs = new TreeMap<>(o.attributes());
            attrs.remove(QmpReader.SNAPSHOT);
            snapshots.computeIfAbsent(o.source().line(), l -> new ArrayList<>())
                    .add(o.layer() + " " + o.id() + " " + o.type() + " " + o.backend() + " " + attrs);
        }
        assertEquals(List.of(2, 4, 6, 8), List.copyOf(snapshots.keySet()));
        assertEquals(snapshots.get(2), snapshots.get(6));
        assertEquals(snapshots.get(4), snapshots.get(8));
        assertNotEquals(snapshots.get(2), snapshots.get(4), "drive-virtio-disk1 is gone from the second");
        assertEquals(List.of(), sink.qmpMessages(), "housekeeping: no QMP message, only the devices");
    }

    @Test
    void aReaderOfEveryMessageNeverTakesTheShortcut() throws IOException {
        QmpReader full = new QmpReader(sink, "", false);
        List<String> t = Files.readAllLines(TRANSCRIPT);
        for (String m : List.of(t.get(5), t.get(6), t.get(5))) {
            full.accept(Json.MAPPER.readTree(m), m, sink.ref(++line, m), null);
        }
        assertFalse(full.repeated(t.get(6), sink.ref(++line, t.get(6))));
    }
}
