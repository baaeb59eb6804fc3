package dev.vmcase.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vmcase analyze} on the seed note as it is, and its JSON interface (docs/cli.md). */
class AnalyzeCommandTest {
    private static final String SEED = "../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt";

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine(args);
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void theSeedNoteAsItIsYieldsItsBacktraceAndMigrationError() throws Exception {
        Run r = run("analyze", SEED, "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("text-with-evidence", json.at("/artifacts/0/format").asText());
        JsonNode mismatch = null;
        for (JsonNode f : json.get("findings")) {
            if (f.get("rule").asText().equals("MIGRATION_STATE_MISMATCH")) {
                mismatch = f;
            }
        }
        assertEquals("0000:00:06.0", mismatch.at("/devices/0").asText());
        assertEquals("6", mismatch.at("/details/slot").asText());
        assertEquals(9, mismatch.at("/evidence/0/line").asInt());
        assertTrue(mismatch.at("/evidence/0/text").asText().contains("'0000:06.0/virtio-blk'"));

        JsonNode frames = json.at("/backtraces/0/threads/0/frames");
        assertEquals(21, frames.size());
        JsonNode kvm = frames.get(16);
        assertEquals("kvm_handle_io", kvm.get("function").asText());
        assertEquals("44552", kvm.at("/args/0/value").asText());
        assertTrue(kvm.get("hints").toString().contains("0xae08"), kvm.toString());
        JsonNode eject = frames.get(9);
        assertEquals("acpi_pcihp_eject_slot", eject.get("function").asText());
        assertTrue(eject.get("hints").toString().contains("slot 5"), eject.toString());
        assertEquals("hw/acpi/pcihp.c", eject.get("file").asText());
        assertEquals(139, eject.get("line").asInt());
    }

    @Test
    void humanOutputListsFindingsWithEvidenceLines() {
        Run r = run("analyze", SEED);
        assertEquals(0, r.code());
        assertTrue(r.out().contains("MIGRATION_STATE_MISMATCH"));
        assertTrue(r.out().contains("000_01db9a105711600e.txt:9: Unknown savevm section or instance '0000:06.0/virtio-blk' 0"));
        assertTrue(r.out().contains("I/O port 0xae08: ACPI PCI hotplug eject"));
    }

    private static final String THREE_VMS = "../sample-cases/three-vms/evidence";

    @Test
    void everyVmIsReportedAndVmNarrowsToOne() throws Exception {
        Run all = run("analyze", THREE_VMS, "--json");
        assertEquals(0, all.code(), all.err());
        JsonNode json = new ObjectMapper().readTree(all.out());
        assertEquals(2, json.get("schema").asInt());
        assertEquals(List.of("vm-alpha", "vm-bravo", "vm-charlie"), keys(json.get("vms")));

        Run one = run("analyze", THREE_VMS, "--json", "--vm", "vm-charlie");
        assertEquals(0, one.code(), one.err());
        JsonNode charlie = new ObjectMapper().readTree(one.out());
        assertEquals(List.of("vm-charlie"), keys(charlie.get("vms")));
        assertTrue(charlie.get("findings").size() > 0);
        for (JsonNode f : charlie.get("findings")) {
            assertEquals("vm-charlie", f.get("vm").asText());
        }
        for (JsonNode d : charlie.get("devices")) {
            assertEquals("vm-charlie", d.get("vm").asText());
        }
        // by its UUID too (the lab's XML gives it), and in the human output
        String uuid = charlie.at("/vms/0/uuids/0").asText();
        Run byUuid = run("analyze", THREE_VMS, "--vm", uuid);
        assertEquals(0, byUuid.code(), byUuid.err());
        assertTrue(byUuid.out().contains("== VM vm-charlie"), byUuid.out());
        assertFalse(byUuid.out().contains("vm-alpha"), byUuid.out());
    }

    @Test
    void aVmTheEvidenceDoesNotNameIsAUsageErrorListingTheOnesItDoes() {
        Run r = run("analyze", THREE_VMS, "--vm", "vm-zulu");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("The evidence names no VM vm-zulu"), r.err());
        assertTrue(r.err().contains("vm-alpha") && r.err().contains("vm-bravo"), r.err());
    }

    @Test
    void theSeedSaysWhatItCouldNotCheckAndCountsItsOneDevice() throws Exception {
        Run text = run("analyze", SEED);
        assertTrue(text.out().contains("Devices (1)"), text.out());
        assertTrue(text.out().contains("not checked  UNACKED_UNPLUG: no QMP transcript, libvirtd debug log or tool record of the unplug"), text.out());
        JsonNode json = new ObjectMapper().readTree(run("analyze", SEED, "--json").out());
        JsonNode vm = json.at("/vms/0");
        assertEquals("", vm.get("key").asText(), "the note names no VM");
        assertEquals(1, vm.get("devices").asInt());
        JsonNode unacked = null;
        for (JsonNode o : vm.get("outcomes")) {
            if (o.get("rule").asText().equals("UNACKED_UNPLUG")) {
                unacked = o;
            }
        }
        assertEquals("not-checked", unacked.get("status").asText());
        assertEquals("qmp-conversation", unacked.at("/missing/0/anyOf/0").asText());
        assertEquals("no-evidence", json.at("/devices/0/layers/qdev").asText());
    }

    private static List<String> keys(JsonNode vms) {
        List<String> out = new java.util.ArrayList<>();
        vms.forEach(v -> out.add(v.get("key").asText()));
        return out;
    }

    @Test
    void novaLinesGoOnTheTimelineWithTheZoneTheUserGivesAndSayWhyNotWithout(@org.junit.jupiter.api.io.TempDir
                                                                              java.nio.file.Path dir) throws Exception {
        java.nio.file.Path nova = dir.resolve("nova-compute.log");
        java.nio.file.Files.writeString(nova, dev.vmcase.parsers.nova.NovaLogParser.SAMPLE);
        Run without = run("analyze", nova.toString(), "--json");
        assertEquals(0, without.code(), without.err());
        JsonNode l = new ObjectMapper().readTree(without.out()).at("/localTimes/0");
        assertEquals(false, l.get("placed").asBoolean());
        assertEquals("no-zone", l.get("reason").asText());
        assertEquals(3, l.get("lines").asInt());
        assertEquals("2018-11-13 13:59:12.653000", l.get("first").asText());
        Run text = run("analyze", nova.toString());
        assertTrue(text.out().contains("are NOT on the timeline: that host's time zone is not known"), text.out());
        assertTrue(text.out().contains("--tz '*'=ZONE"), text.out());

        Run with = run("analyze", nova.toString(), "--json", "--tz", "*=Asia/Shanghai");
        assertEquals(0, with.code(), with.err());
        JsonNode placed = new ObjectMapper().readTree(with.out()).at("/localTimes/0");
        assertEquals(true, placed.get("placed").asBoolean());
        assertEquals("Asia/Shanghai", placed.get("zone").asText());
        assertEquals("user", placed.get("zoneSource").asText());

        Run bad = run("analyze", nova.toString(), "--tz", "*=Mars/Olympus");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("Mars/Olympus"), bad.err());
    }

    @Test
    void aMissingPathIsAUsageErrorWithAClearMessage() {
        Run r = run("analyze", "/no/such/bundle");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("No such file or directory: /no/such/bundle"), r.err());
    }

    @Test
    void noPathIsAUsageError() {
        assertNotEquals(0, run("analyze").code());
    }
}
