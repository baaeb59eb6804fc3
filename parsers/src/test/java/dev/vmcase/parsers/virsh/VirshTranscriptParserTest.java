package dev.vmcase.parsers.virsh;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.QmpKind;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.Parsing;
import dev.vmcase.parsers.ingest.ParserRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VirshTranscriptParserTest {
    private final VirshTranscriptParser parser = new VirshTranscriptParser();

    static String resource(String name) throws IOException {
        try (InputStream in = VirshTranscriptParserTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private EvidenceSink parse(String text) {
        return Parsing.parse(parser, "virsh.txt", text);
    }

    private static Event command(EvidenceSink s, String name, int nth) {
        return s.events().stream().filter(e -> e.kind() == EventKind.VIRSH_COMMAND)
                .filter(e -> name.equals(e.details().get("command"))).skip(nth).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + s.events()));
    }

    /**
     * virsh migrate --verbose's output when the destination's QEMU went away, as a tp-libvirt test failure quotes it
     * (https://github.com/autotest/tp-libvirt/pull/4697); the prompt line is CONSTRUCTED around it, and the progress is
     * written once with carriage returns as the terminal receives it, once run together as the paste shows it.
     */
    @Test
    void aFailedMigratesVerdictAfterItsProgressIsTheCommandsErrorAndAToolMessageOfItsOwnLine() {
        String out = "Migration: [  0 %]Migration: [  0 %]Migration: [  1 %]Migration: [  1 %]Migration: [  1 %]"
                + "Migration: [  2 %]Migration: [  2 %]Migration: [  2 %]Migration: [  3 %]Migration: [  3 %]"
                + "Migration: [  3 %]Migration: [  4 %]Migration: [  4 %]error: operation failed: job 'migration out'"
                + " failed: Unable to write to socket: Bad file descriptor";
        for (String shown : List.of(out, out.replace("Migration: [", "\rMigration: ["))) {
            EvidenceSink sink = parse("$ virsh migrate --live --verbose avocado-vt-vm1 qemu+ssh://192.168.122.12/system\n"
                    + shown + "\n");
            Event cmd = sink.events().stream().filter(e -> e.kind() == EventKind.VIRSH_COMMAND).findFirst().orElseThrow();
            assertEquals("error", cmd.details().get("outcome"));
            assertEquals("error: operation failed: job 'migration out' failed: Unable to write to socket: Bad file"
                    + " descriptor", cmd.details().get("error"));
            Event verdict = sink.events().stream().filter(e -> e.kind() == EventKind.TOOL_MESSAGE).findFirst()
                    .orElseThrow(() -> new AssertionError(sink.events().toString()));
            // a carriage return ends a line as the log view shows it: the verdict is on the last progress line
            assertEquals(shown.indexOf('\r') < 0 ? 2 : 15, verdict.source().line());
            assertEquals("migrate/source-error", verdict.details().get("message-class"));
            assertEquals("libvirt.migrate.job-failed", verdict.details().get("message"));
            assertEquals("Unable to write to socket: Bad file descriptor", verdict.details().get("cause"));
            assertEquals("avocado-vt-vm1", verdict.details().get("domain"), verdict.details().toString());
        }
    }

    @Test
    void readsVirshsOwnShellCommandByCommand() throws IOException {
        String text = resource("virsh-test-driver-interactive.txt");
        assertEquals(VirshTranscriptParser.FORMAT, ParserRegistry.detect(Head.of(text)).orElseThrow().format());
        EvidenceSink s = parse(text);
        assertEquals(List.of(), s.problems());
        assertEquals("test=running", command(s, "list", 0).details().get("domains"));
        Event info = command(s, "dominfo", 0);
        assertEquals("running", info.details().get("info.state"));
        assertEquals("6695eb01-f6a4-8304-79aa-97f2502e193f", info.details().get("info.uuid"));
        Event attach = command(s, "attach-disk", 0);
        assertEquals("error", attach.details().get("outcome"));
        assertEquals("error: Failed to attach disk\nerror: this function is not supported by the connection driver: "
                + "virDomainAttachDeviceFlags", attach.details().get("error"));
        assertEquals("vdb", attach.details().get("target"));
        assertEquals("/var/lib/libvirt/images/data.img", attach.details().get("source"));
        assertEquals("true", attach.details().get("live"));
        Event detach = command(s, "detach-disk", 1);
        assertEquals("test", detach.details().get("domain"));
        assertEquals("vdz", detach.details().get("target"));
        assertEquals("error: No disk found whose source path or target is vdz", detach.details().get("error"));
        assertEquals("detach-disk test vdz --live", detach.message());
        assertEquals(46, detach.source().line());
        assertEquals("error", command(s, "qemu-monitor-command", 0).details().get("outcome"));
    }

    @Test
    void theDiskAndInterfaceTablesSayWhatTheyCover() throws IOException {
        EvidenceSink s = parse(resource("virsh-test-driver-interactive.txt"));
        List<DeviceObservation> obs = s.observations();
        assertEquals(2, obs.size(), obs.toString());
        DeviceObservation disk = obs.get(0);
        assertEquals(Layer.LIBVIRT_XML, disk.layer());
        assertEquals("vda", disk.attr("target"));
        assertEquals("/guest/diskimage1", disk.attr("source"));
        assertEquals("disks", disk.attr("coverage"));
        assertEquals("test", disk.attr("domain"));
        assertEquals("", disk.id(), "domblklist shows no alias");
        assertEquals(" vda      /guest/diskimage1", disk.source().text());
        DeviceObservation nic = obs.get(1);
        assertEquals("interfaces", nic.attr("coverage"));
        assertEquals("aa:bb:cc:dd:ee:ff", nic.attr("mac"));
        assertEquals("testnet0", nic.attr("ifname"));
        assertEquals("interface/network", nic.type(), "model '-' is no model");
    }

    @Test
    void shellPromptsGiveTheHostAndDumpxmlIsReadAsDomainXmlWithTheTranscriptsLines() throws IOException {
        String text = resource("virsh-test-driver-shell.txt");
        assertEquals(VirshTranscriptParser.FORMAT, ParserRegistry.detect(Head.of(text)).orElseThrow().format());
        EvidenceSink s = parse(text);
        assertEquals(List.of(), s.problems());
        assertEquals("vm", s.host());
        DeviceObservation detailed = s.observations().get(0);
        assertEquals("file", detailed.attr("type"));
        assertEquals("disk", detailed.attr("device"));
        assertEquals("vda", detailed.attr("target"));
        DeviceObservation xmlNic = s.observations().stream()
                .filter(o -> o.attr("coverage") == null && o.type().startsWith("interface")).findFirst().orElseThrow();
        assertEquals(new PciAddress(0, 0, 1, 0), xmlNic.pci());
        assertEquals("    <interface type='network'>", xmlNic.source().text());
        assertEquals(29, xmlNic.source().line(), "the transcript's own line");
        Event missing = command(s, "detach-device", 0);
        assertEquals("/nonexistent.xml", missing.details().get("file"));
        assertEquals("error: Failed to open file '/nonexistent.xml': No such file or directory",
                missing.details().get("error"));
    }

    @Test
    void prettyQmpAfterQemuMonitorCommandIsReadAsQmp() throws IOException {
        EvidenceSink s = parse(resource("query-pci-pretty-assembled.txt"));
        assertEquals(List.of(), s.problems());
        List<DeviceObservation> pci = s.observations().stream().filter(o -> o.layer() == Layer.PCI).toList();
        assertTrue(pci.stream().anyMatch(o -> "virtio-disk1".equals(o.id())), pci.toString());
        assertTrue(pci.stream().allMatch(o -> o.source().line() > 1), "cited in the transcript");
        assertEquals("success", command(s, "qemu-monitor-command", 0).details().get("outcome"));
        assertEquals("instance-0000002a", command(s, "qemu-monitor-command", 0).details().get("domain"));
    }

    @Test
    void readsTheLabsTranscriptWithItsTimesAndOutcomes() throws IOException {
        String text = Files.readString(Path.of("../sample-cases/libvirt-pending-unplug/evidence/virsh-commands.txt"));
        assertEquals(VirshTranscriptParser.FORMAT, ParserRegistry.detect(Head.of(text)).orElseThrow().format());
        EvidenceSink s = parse(text);
        assertEquals(List.of(), s.problems());
        Event detach = command(s, "detach-disk", 0);
        assertEquals("success", detach.details().get("outcome"));
        assertEquals("Disk detached successfully", detach.details().get("result"));
        assertEquals("vdb", detach.details().get("target"));
        assertEquals("instance-0000002a", detach.details().get("domain"));
        assertEquals(Instant.parse("2026-11-27T23:30:10.388Z"), detach.time());
        assertEquals("0", detach.details().get("exit"));
        assertTrue(s.indexed() >= 6, "each timed command is on the timeline");
        assertEquals(2, s.observations().size(), "domblklist's two disks");
        assertEquals("Domain 'instance-0000002a' destroyed", command(s, "destroy", 0).details().get("result"));
    }

    @Test
    void virshEventLinesAreEvents() {
        EvidenceSink s = parse("event 'device-removed' for domain 'instance-0000002a': virtio-disk1\n"
                + "2020-09-07 19:32:06.850+0000: event 'lifecycle' for domain 'instance-0000002a': Stopped Destroyed\n");
        assertEquals(2, s.events().size());
        Event removed = s.events().get(0);
        assertEquals(EventKind.VIRSH_EVENT, removed.kind());
        assertEquals("device-removed", removed.details().get("event"));
        assertEquals("virtio-disk1", removed.details().get("detail"));
        assertNull(removed.time());
        assertEquals(Instant.parse("2020-09-07T19:32:06.850Z"), s.events().get(1).time());
    }

    @Test
    void proseAboutVirshIsNotATranscript() {
        for (String prose : List.of(
                "I ran virsh detach-disk yesterday and it hung.\nThen the migration failed.\n",
                "# virsh is the libvirt shell\nIt has many commands.\n",
                "virsh # \nhelp\n",
                "$ ls -l\ntotal 0\n")) {
            assertFalse(parser.recognizes(Head.of(prose)), prose);
        }
        assertNull(VirshTranscriptParser.command("$ virsh --help-me-please"));
        assertEquals("detach-disk", VirshTranscriptParser.command("root@cmp-17:~# sudo virsh -c qemu:///system "
                + "detach-disk instance-00000042 vdb --live --config").name());
        assertEquals("cmp-17", VirshTranscriptParser.command("root@cmp-17:~# virsh list").host());
    }

    @Test
    void truncatedAndGarbageInputNeverThrows() throws IOException {
        String text = resource("virsh-test-driver-shell.txt");
        EvidenceSink cut = parse(text.substring(0, text.indexOf("<memballoon")));
        assertFalse(cut.problems().isEmpty(), "the cut XML is a problem");
        assertTrue(cut.events().stream().anyMatch(e -> "dumpxml".equals(e.details().get("command"))));
        EvidenceSink junk = parse("virsh # list\n\u0000\u0001 ---- \uFFFD\n");
        assertEquals(1, junk.events().size());
    }

    /**
     * Commands joined by {@code ;} on one prompt line are each a command, and each gets its own piece of the output:
     * the refused detach its error lines, {@code domiflist} its table (virsh-test-driver-joined.txt, a capture).
     */
    @Test
    void commandsJoinedOnOnePromptLineAreReadEachWithItsOwnOutput() throws IOException {
        EvidenceSink s = parse(resource("virsh-test-driver-joined.txt"));
        Event detach = command(s, "detach-interface", 0);
        assertEquals("test", detach.details().get("domain"));
        assertEquals("aa:bb:cc:dd:ee:00", detach.details().get("mac"));
        assertEquals("error", detach.details().get("outcome"));
        assertTrue(detach.details().get("error").contains("No interface with MAC address"), detach.toString());
        Event list = command(s, "domiflist", 0);
        assertEquals("success", list.details().get("outcome"));
        assertEquals(1, detach.source().line());
        assertEquals(1, list.source().line());
        // the table was read as domiflist's, at its own line
        assertTrue(s.observations().stream().anyMatch(o -> "aa:bb:cc:dd:ee:ff".equals(o.attributes().get("mac"))
                && o.source().line() == 7), s.observations().toString());
    }
}
