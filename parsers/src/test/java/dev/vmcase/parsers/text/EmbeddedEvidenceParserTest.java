package dev.vmcase.parsers.text;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Layer;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Parsing;
import dev.vmcase.parsers.ingest.ParserRegistry;
import dev.vmcase.parsers.TextSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pasted evidence read from real notes and mails: the seed (a Chinese ops note with a backtrace and log lines among
 * prose and '-' separator lines) and the public mails of {@code src/test/resources/paste/README.md}; each region is
 * read by the parser of its form and cited by the file's own line numbers.
 */
class EmbeddedEvidenceParserTest {
    static final Path SEED = Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt");

    private static EvidenceSink parseSeed() throws IOException {
        TextSource src = TextSource.of(SEED, "seed");
        EvidenceSink sink = EvidenceSink.forSource(src);
        ParserRegistry.fallback().parse(src, sink);
        return sink;
    }

    @Test
    void noFormatParserClaimsTheSeed() throws IOException {
        assertTrue(ParserRegistry.detect(dev.vmcase.parsers.Head.of(Files.readString(SEED))).isEmpty());
    }

    @Test
    void findsTheSeedsMigrationErrorAmongTheProse() throws IOException {
        EvidenceSink sink = parseSeed();
        Event err = sink.events().stream().filter(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR).findFirst().orElseThrow();
        assertEquals("0000:06.0/virtio-blk", err.details().get("idstr"));
        assertEquals("0000:00:06.0", err.details().get("pci"));
        assertEquals(9, err.source().line());
        assertTrue(sink.events().stream().anyMatch(e -> e.kind() == EventKind.MIGRATION_LOAD_FAILED && e.source().line() == 11));
        assertEquals(Role.UNKNOWN, sink.role(), "quoting a destination's error does not make a note the destination's log");
    }

    @Test
    void findsTheSeedsBacktraceWithAllTwentyOneFrames() throws IOException {
        List<Backtrace> bts = parseSeed().backtraces();
        assertEquals(1, bts.size());
        List<Frame> frames = bts.get(0).threads().get(0).frames();
        assertEquals(21, frames.size());
        assertEquals("release_drive", frames.get(0).function());
        assertEquals("44552", frames.get(16).arg("port"));
        assertEquals("32", frames.get(9).arg("slots"));
        assertEquals(444, frames.get(11).line());
    }

    @Test
    void theOldBareQemuMessagesAreOnTheTimeline() throws IOException {
        List<Event> msgs = parseSeed().events().stream().filter(e -> e.kind() == EventKind.QEMU_MESSAGE).toList();
        assertTrue(msgs.stream().anyMatch(e -> e.message().startsWith("char device redirected to /dev/pts/17")));
        assertTrue(msgs.stream().anyMatch(e -> e.message().startsWith("Warning: option deprecated")));
    }

    private static EvidenceSink parse(String fixture) {
        TextSource src = TextSource.of(PasteNormaliserTest.PASTE.resolve(fixture), "mail");
        EvidenceSink sink = EvidenceSink.forSource(src);
        ParserRegistry.fallback().parse(src, sink);
        return sink;
    }

    private static EvidenceSink parseText(String text) {
        return Parsing.parse(ParserRegistry.fallback(), "ticket.txt", text);
    }

    @Test
    void libvirtdRecordsInAMailAreReadByTheirParserAndCiteTheMailsLines() {
        EvidenceSink sink = parse("launchpad-1894804-notification.eml");
        QmpMessage del = sink.qmpMessages().stream().filter(m -> "device_del".equals(m.name())).findFirst()
                .orElseThrow();
        assertEquals(149, del.source().line(), "the record's first line in the mail");
        assertTrue(del.source().text().startsWith("2020-09-07 19:30:14.165+0000: 65559: info : qemuMonitorSend:993 :"),
                "gutter and indentation off: " + del.source().text());
        QmpMessage notFound = sink.qmpMessages().stream().filter(m -> m.kind() == QmpKind.ERROR).findFirst()
                .orElseThrow();
        assertEquals("DeviceNotFound", notFound.name());
        assertEquals(222, notFound.source().line());
        assertEquals(del.channel(), notFound.channel(), "one monitor, one conversation");
        Event verdict = sink.events().stream()
                .filter(e -> e.message().contains("missing device in device deleted event")).findFirst().orElseThrow();
        assertEquals(188, verdict.source().line());
        Event nova = sink.events().stream().filter(e -> "DeviceDetachFailed".equals(e.details().get("exception-class")))
                .findFirst().orElseThrow();
        assertEquals(234, nova.source().line());
        DeviceObservation disk = sink.observations().stream().filter(o -> o.id().equals("virtio-disk1")).findFirst()
                .orElseThrow();
        assertEquals(Layer.COMMAND_LINE, disk.layer());
        assertEquals("0000:00:07.0", disk.pci().toString());
        assertEquals(24, disk.source().line(), "the command line starts at its first environment line");
        assertEquals(List.of(), sink.problems());
        assertTrue(sink.indexed() > 0, "the records are on the timeline");
    }

    @Test
    void noQuoteMarkerReachesWhatIsCited() {
        for (String f : List.of("qemu-devel-ramblock-reply-1.eml", "qemu-devel-ramblock-reply-2.eml")) {
            EvidenceSink sink = parse(f);
            // the rejected section (the cause lines before it are load errors too, with no section)
            Event err = sink.events().stream().filter(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR
                    && e.details().containsKey("idstr")).findFirst().orElseThrow();
            assertEquals("0000:00:03.0/ioh-3240-express-root-port", err.details().get("idstr"), f);
            assertEquals("qemu-system-x86_64: error while loading state for instance 0x0 of device"
                    + " '0000:00:03.0/ioh-3240-express-root-port'", err.source().text(), f);
            for (Event e : sink.events()) {
                assertFalse(e.source().text().startsWith(">"), e.source().text());
                assertFalse(e.message().contains("> "), e.message());
            }
        }
        EvidenceSink twice = parse("qemu-devel-ramblock-reply-2.eml");
        Event err = twice.events().stream().filter(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR
                && e.details().containsKey("idstr")).findFirst().orElseThrow();
        assertEquals(35, err.source().line());
        assertEquals(2, twice.quoteDepths().applyAsInt(35), "the depth of the line is kept for the merge of copies");
        assertEquals(0, twice.quoteDepths().applyAsInt(45));
    }

    @Test
    void aTicketQuotingADestinationsCommandLineIsNotTheDestination() {
        EvidenceSink sink = parse("qemu-devel-postcopy-fenced.eml");
        assertEquals(Role.UNKNOWN, sink.role());
        assertEquals(2, sink.events().stream().filter(e -> e.kind() == EventKind.QEMU_COMMAND_LINE).count());
        assertTrue(sink.observations().stream().anyMatch(o -> "br0".equals(o.id()) && o.source().line() == 45));
    }

    @Test
    void anInfoPciDumpAfterACaptionIsReadAsOneAndProseBelowItIsLeftOut() throws IOException {
        // real QEMU 7.2 output (sample-cases/orphaned-disk-qemu), quoted in a reply, with a sentence right under it
        List<String> dump = Files.readAllLines(
                Path.of("../sample-cases/orphaned-disk-qemu/evidence/source-info-pci.txt"));
        StringBuilder t = new StringBuilder("On the source, after the drive_del:\n");
        dump.forEach(l -> t.append("> ").append(l.replace("\r", "")).append('\n'));
        t.append("> So the slot is still taken even though the disk is gone from the XML.\n");
        EvidenceSink sink = parseText(t.toString());
        DeviceObservation orphan = sink.observations().stream().filter(o -> "virtio-disk1".equals(o.id())).findFirst()
                .orElseThrow();
        assertEquals(Layer.PCI, orphan.layer());
        assertEquals(2 + dump.indexOf(dump.stream().filter(l -> l.contains("device   6")).findFirst().orElseThrow()),
                orphan.source().line(), "cited at its header line in the ticket");
        assertEquals("  Bus  0, device   6, function 0:", orphan.source().text(), "as QEMU indents it, no marker");
        assertEquals(List.of(), sink.problems(), "the sentence under the dump is no problem of the dump");
    }

    @Test
    void prettyJsonPastedUnderACaptionIsReadByItsParserElementByElement() throws IOException {
        List<String> json = Files.readAllLines(
                Path.of("../sample-cases/orphaned-disk-qemu/evidence/source-query-pci.json"));
        StringBuilder t = new StringBuilder("Here is query-pci from the source right after the unplug:\n\n");
        json.forEach(l -> t.append("    ").append(l).append('\n'));
        t.append("\nThanks for looking.\n");
        EvidenceSink sink = parseText(t.toString());
        DeviceObservation orphan = sink.observations().stream().filter(o -> "virtio-disk1".equals(o.id())).findFirst()
                .orElseThrow();
        assertEquals(Layer.PCI, orphan.layer());
        // the element's opening brace, the line before its first "bus", in the ticket's numbering (its line 3 is
        // the document's line 1)
        int element = 3 + json.indexOf(json.stream().filter(l -> l.contains("\"bus\": 0,")).findFirst().orElseThrow())
                - 1;
        assertEquals(element, orphan.source().line());
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void proseMentioningAMessageInPassingIsNoEvidence() {
        // sample-cases/orphaned-disk-qemu/README.md line 128 names a variant run's message inside a sentence
        EvidenceSink sink = parseText("""
                * The `--slot 7 --id virtio-disk2` variant gave
                  `Unknown savevm section or instance '0000:00:07.0/virtio-blk' 0. ...` and
                  `[not inserted]` for `/machine/peripheral/virtio-disk2/virtio-backend`,
                """);
        assertEquals(List.of(), sink.events());
        assertEquals(List.of(), sink.observations());
    }

    @Test
    void aLineLongerThanTheReaderTakesIsAProblemNamingItAndTheRestLoads() {
        // 50 MB on one line (a paste of a whole binary-ish dump), then the seed's migration error
        int size = 50 << 20;
        byte[] text = new byte[size + 200];
        java.util.Arrays.fill(text, 0, size, (byte) 'x');
        byte[] tail = "\nUnknown savevm section or instance '0000:06.0/virtio-blk' 0\n"
                .getBytes(StandardCharsets.UTF_8);
        System.arraycopy(tail, 0, text, size, tail.length);
        byte[] bytes = java.util.Arrays.copyOf(text, size + tail.length);
        TextSource src = new TextSource("huge.txt", "h", () -> new java.io.ByteArrayInputStream(bytes));
        EvidenceSink sink = EvidenceSink.forSource(src);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(120), () -> ParserRegistry.fallback().parse(src, sink),
                "a hang guard, not a speed claim");
        assertTrue(sink.problems().stream().anyMatch(p -> p.line() == 1 && p.message().contains("characters")),
                sink.problems().toString());
        assertTrue(sink.events().stream().anyMatch(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR
                && e.source().line() == 2));
    }

    @Test
    void tenThousandQuotedLinesAreReadInOnePass() {
        // a long thread quoting a libvirtd record of Launchpad bug 1894804
        // (https://bugs.launchpad.net/bugs/1894804) over and over
        String record = "> > 2020-09-07 19:30:14.208+0000: 65555: debug : qemuMonitorJSONHandleDeviceDeleted:1287 :"
                + " missing device in device deleted event\n";
        StringBuilder t = new StringBuilder("Still seeing this after the upgrade:\n");
        for (int i = 0; i < 10_000; i++) {
            t.append(record);
        }
        EvidenceSink sink = parseText(t.toString());
        assertEquals(10_000, sink.events().size());
        assertEquals(2, sink.events().get(0).source().line());
        assertEquals(10_001, sink.events().get(9_999).source().line());
        assertEquals(2, sink.quoteDepths().applyAsInt(10_001));
    }

    @Test
    void commandsTypedAtTheHmpMonitorAreReadWithTheirRefusal() {
        // a quoted HMP session (depth 4, quoted-printable, in a signed mail): QMP's human-monitor-command carries
        // the same command, and the Error line is its answer
        EvidenceSink sink = parse("qemu-devel-spapr-dimm-unplug.eml");
        QmpMessage del = sink.qmpMessages().get(0);
        assertEquals(QmpKind.COMMAND, del.kind());
        assertEquals("human-monitor-command", del.name());
        assertEquals("device_del dimm1", del.arg("command-line"));
        assertEquals(19, del.source().line());
        assertEquals("(qemu) device_del dimm1", del.source().text());
        QmpMessage refusal = sink.qmpMessages().get(1);
        assertEquals(QmpKind.ERROR, refusal.kind());
        assertEquals("Memory hot unplug not supported for this guest", refusal.arg("desc"));
        assertEquals(20, refusal.source().line());
        assertEquals(4, sink.quoteDepths().applyAsInt(19));
        assertEquals(2, sink.qmpMessages().size(), "the signature part is not read");
    }

    @Test
    void aFormatFlowedMailsSoftBreakIsGluedBack() {
        EvidenceSink sink = parse("qemu-devel-flowed-assertion.eml");
        Event abort = sink.events().stream().filter(e -> e.message().contains("qdev_get_machine")).findFirst()
                .orElseThrow();
        assertEquals(14, abort.source().line());
        assertEquals("qemu-system-x86_64: ../hw/core/qdev.c:824: qdev_get_machine: Assertion `dev' failed.",
                abort.source().text());
    }

    @Test
    void aQemuMessageQuotedInsideAnotherProgramsLineIsRead() {
        // libvirt's "qemu unexpectedly closed the monitor: <QEMU's stderr>" in a Chinese note, CJK kept
        EvidenceSink sink = parse("notes-virsh-migrate-tls.md");
        Event stream = sink.events().stream().filter(e -> e.message().contains("Not a migration stream")).findFirst()
                .orElseThrow();
        assertEquals(EventKind.MIGRATION_LOAD_ERROR, stream.kind());
        assertEquals(8, stream.source().line());
        assertEquals("error: 内部错误：qemu unexpectedly closed the monitor: 2022-07-20T08:33:00.363302Z qemu-kvm: Not a"
                + " migration stream", stream.source().text(), "cited by the whole line the user sees");
        assertTrue(sink.events().stream().anyMatch(e -> e.kind() == EventKind.MIGRATION_LOAD_FAILED
                && e.source().line() == 9));
        assertTrue(sink.events().stream().anyMatch(e -> e.kind() == EventKind.QEMU_COMMAND_LINE) == false,
                "virsh migrate is no QEMU command line");
    }

    @Test
    void aPrettyQmpAnswerDoubleSpacedByAMailIsOneMessage() {
        // virsh qemu-monitor-command --pretty quoted twice in an ISO-8859-1 quoted-printable mail: =A0 is a no-break
        // space in that charset, and every line of the answer is followed by an empty quoted one
        EvidenceSink sink = parse("qemu-devel-pretty-json-latin1.eml");
        assertEquals(1, sink.qmpMessages().size());
        QmpMessage err = sink.qmpMessages().get(0);
        assertEquals(QmpKind.ERROR, err.kind());
        assertEquals("GenericError", err.name());
        assertEquals("Unknown protocol 'json'", err.arg("desc"));
        assertEquals("libvirt-45", err.qmpId());
        assertEquals(21, err.source().line());
        assertFalse(err.source().text().contains(">"), err.source().text());
        assertFalse(err.source().text().contains("\uFFFD"), "decoded in the part's charset: " + err.source().text());
    }

    @Test
    void wrappedLibvirtdRecordsAreReadByTheirParserAsTheyWereLogged() {
        EvidenceSink bridge = parse("netdev-bridge-libvirtd-wrapped.eml");
        Event error = bridge.events().stream().filter(e -> e.message().contains("Unable to add bridge")).findFirst()
                .orElseThrow();
        assertEquals(28, error.source().line());
        EvidenceSink swap = parse("launchpad-1929710-wrapped-libvirtd.eml");
        QmpMessage add = swap.qmpMessages().stream().filter(m -> "blockdev-add".equals(m.name())).findFirst()
                .orElseThrow();
        assertEquals("libvirt-5-format", add.arg("node-name"), "the JSON cut at its hyphens is whole again");
        assertEquals(15, add.source().line());
        assertTrue(swap.events().stream().anyMatch(e -> e.source().line() == 32
                && e.message().contains("Device virtio-disk1 removed from domain")));
    }

    @Test
    void aMailWhosePartLiesAboutItsCharsetIsAProblemNamingTheLine() throws IOException {
        // the ISO-8859-1 mail above, its header changed to claim UTF-8: =A0 is then no character
        String lying = Files.readString(PasteNormaliserTest.PASTE.resolve("qemu-devel-pretty-json-latin1.eml"))
                .replace("charset=iso-8859-1", "charset=utf-8");
        EvidenceSink sink = parseText(lying);
        assertEquals(1, sink.problems().size(), sink.problems().toString());
        assertEquals(19, sink.problems().get(0).line(), "the first line with such a byte");
        String said = sink.problems().get(0).message();
        assertTrue(said.contains("UTF-8") && said.contains("Latin-1"), said);
        assertEquals(1, sink.qmpMessages().size(), "the rest is read all the same");
    }

    @Test
    void proseWithoutEvidenceIsNotRecognised() {
        assertTrue(!ParserRegistry.fallback().recognizes(dev.vmcase.parsers.Head.of("好久不处理线上问题了\n问题分析:\n")));
    }

    @Test
    void aDetectorThatThrowsInsideAPasteIsSaidOnceAndTheOtherFormatsStillReadTheirRegions() {
        List<dev.vmcase.parsers.EvidenceParser> formats = new java.util.ArrayList<>(
                List.of(new dev.vmcase.parsers.BrokenDetector()));
        formats.addAll(ParserRegistry.formats());
        String pci = dev.vmcase.parsers.qemu.HmpPciParser.SAMPLE;
        EvidenceSink sink = Parsing.parse(new EmbeddedEvidenceParser(formats), "ticket.txt",
                "The disk is still there after the unplug:\n\n" + pci + "\nand again an hour later:\n\n" + pci);
        List<dev.vmcase.model.Problem> crashes = sink.problems().stream()
                .filter(p -> "text.detectorFailed".equals(p.key())).toList();
        assertEquals(1, crashes.size(), sink.problems()::toString);
        assertEquals(1, crashes.get(0).line(), "where it first tripped: the first block it was shown");
        assertEquals(dev.vmcase.parsers.BrokenDetector.FORMAT, crashes.get(0).args().get(0));
        assertTrue(sink.observations().stream().anyMatch(o -> "virtio-disk1".equals(o.id())),
                "info pci still read: " + sink.observations());
    }

    /**
     * A QMP exchange quoted inside a tool's error line, wrapped by the mail client inside both messages: qemu-devel,
     * 2023-04-03, "an issue for device hot-unplug"
     * (https://lore.kernel.org/qemu-devel/CAHEcVy5SV34jaubY5F-q=H+smvMVOzKbb=rTaNJDNXyGdFaLZg@mail.gmail.com/), the
     * three lines verbatim; the reply's quoted copy as the answer quoted it.
     */
    private static final String TOOL_LINE_WRAPPED = """
            command '{ "execute": "device_del", "arguments": { "id": "virtio-diskX" }
            }' for VM "id" failed ({ "return": {"class": "GenericError", "desc":
            "Device virtio-diskX is already in the process of unplug"} }).
            """;

    @Test
    void aQmpExchangeQuotedInsideAToolsWrappedLineIsReadAtItsFirstLine() {
        EvidenceSink sink = parseText("[a note written for this test]\n\n" + TOOL_LINE_WRAPPED
                + "\n[the reply]\n\n" + TOOL_LINE_WRAPPED.lines().map(l -> "> " + l + "\n")
                .collect(java.util.stream.Collectors.joining()));
        List<QmpMessage> del = sink.qmpMessages().stream()
                .filter(m -> m.kind() == QmpKind.COMMAND && "device_del".equals(m.name())).toList();
        assertEquals(List.of(3, 9), del.stream().map(m -> m.source().line()).toList(), sink.qmpMessages()::toString);
        assertEquals("virtio-diskX", del.get(0).arguments().get("id"));
        assertTrue(del.get(1).source().text().startsWith("command '{"), "quote marker off: " + del.get(1).source());
        assertTrue(del.get(0).source().text().endsWith("already in the process of unplug\"} })."),
                "the line as joined: " + del.get(0).source().text());
        // the tool prints QEMU's refusal under "return": it is the error it is, answering the device_del
        QmpMessage refusal = sink.qmpMessages().stream().filter(m -> m.kind() == QmpKind.ERROR).findFirst()
                .orElseThrow();
        assertEquals("GenericError", refusal.name());
        assertEquals("device_del", refusal.arguments().get("command"));
        assertEquals(3, refusal.source().line());
    }

    @Test
    void aQmpCommandInsideAToolsLogLineIsRead() {
        // Ganeti's node daemon logs the QMP message it sends after its own words (second real example of the class)
        EvidenceSink sink = parse("ganeti-1887-qmp-json-command.md");
        QmpMessage add = sink.qmpMessages().stream().filter(m -> m.kind() == QmpKind.COMMAND).findFirst()
                .orElseThrow();
        assertEquals("device_add", add.name());
        assertEquals("nic-4929e350-0431-4f56", add.arguments().get("id"));
        assertEquals("0x10", add.arguments().get("addr"));
        assertEquals(16, add.source().line());
        assertTrue(add.source().text().startsWith("2025-12-08 14:23:09,801: ganeti-noded"), add.source().text());
        assertEquals(1, sink.qmpMessages().size(), sink.qmpMessages()::toString);
    }

    @Test
    void aQuotedQmpMessageThatNeverClosesLeavesTheProseAlone() {
        String text = "the tool said: command '{\"execute\": \"device_del\", \"arguments\": {\"id\": \"net0\"\n"
                + "and then nothing more, the rest of the log was lost\n"
                + "2024-05-02T10:00:00.000000Z qemu-system-x86_64: terminating on signal 15 from pid 1234\n";
        EvidenceSink sink = parseText(text);
        assertTrue(sink.qmpMessages().isEmpty(), sink.qmpMessages()::toString);
        assertTrue(sink.events().stream().anyMatch(e -> e.source().line() == 3),
                "the next lines are read as they are: " + sink.events());
        // a line of ten thousand unclosed messages: a bounded number looked at, in linear time
        String braces = "x {\"return\": \"".repeat(10_000);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> parseText(braces + "\n" + braces + "\n"));
    }

    @Test
    void grepsFileNamesInFrontOfSyslogLinesOfAContainerisedNovaAreTakenOff() {
        // grep over sosreports: the file name, then rsyslog's prefix of a nova_compute container whose whole oslo
        // record follows (with its own dated time), ending in rsyslog's escape of a terminal colour code
        EvidenceSink sink = parse("nova-operator-777-grep-sosreport.md");
        Event failure = sink.events().stream().filter(e -> e.message().startsWith("Live Migration failure"))
                .findFirst().orElseThrow(() -> new AssertionError(sink.events().toString()));
        assertEquals(EventKind.NOVA_MESSAGE, failure.kind());
        assertEquals(4, failure.source().line());
        assertEquals("7b7edae6-f878-4756-a858-86f836d02c33", failure.details().get("instance"));
        assertEquals("np0004787595", failure.details().get("host"));
        assertEquals("2024-07-11 22:10:59.946", failure.details().get("local-time"), "the record's own time, with its year");
        assertFalse(failure.message().contains("#033"), failure.message());
        assertTrue(sink.events().stream().anyMatch(e -> e.source().line() == 5
                && e.message().contains("Post live migration at destination")), sink.events()::toString);
    }

    @Test
    void aBoldJournalLineOfProxmoxsQemuIsReadAsQemusMessage() {
        EvidenceSink sink = parse("vitastor-132-pve-journal-bold.md");
        Event footer = sink.events().stream().filter(e -> e.message().contains("Read section footer failed"))
                .findFirst().orElseThrow(() -> new AssertionError(sink.events().toString()));
        assertEquals(EventKind.MIGRATION_LOAD_ERROR, footer.kind());
        assertEquals(3, footer.source().line());
        assertEquals("transport", footer.details().get("failure-class"), footer.details()::toString);
        assertFalse(footer.message().contains("**"), footer.message());
    }

    @Test
    void aQemuMessageQuotedInASentenceIsReadOnlyWhenItIsAMigrationFailure() {
        // a vendor's knowledge-base article (SUSE/Micro Focus KB 7017048, 2015): QEMU 1.4's bare fprintf form, quoted
        EvidenceSink sink = parseText("Live KVM migration fails using qemu-kvm.\n\nError: \"qemu: warning: error while"
                + " loading state for instance 0x0 of device 'ram' load of migration failed\"\n");
        assertTrue(sink.events().stream().anyMatch(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR
                && e.source().line() == 3), sink.events()::toString);
        // prose naming the program is not a QEMU message
        EvidenceSink prose = parseText("Then I restarted it (qemu: the emulator, not libvirt) and it ran.\n");
        assertTrue(prose.events().isEmpty(), prose.events()::toString);
    }

    @Test
    void qmpMessagesPrintedAsPythonDictsAreRead() {
        // avocado-vt's monitor log as quoted in autotest/tp-qemu pull request 2345 (2020)
        EvidenceSink sink = parseText("```\n"
                + "06:16:34 DEBUG| (monitor avocado-vt-vm1.qmpmonitor1) Sending command 'device_del' \n"
                + "06:16:34 DEBUG| Send command: {'execute': 'device_del', 'arguments': {'id': 'stg5'}, 'id': 'R44XYgQ0'}\n"
                + "06:16:35 DEBUG| (monitor avocado-vt-vm1.qmpmonitor1) Sending command 'blockdev-del' \n"
                + "06:16:35 DEBUG| Send command: {'execute': 'blockdev-del', 'arguments': {'node-name': 'drive_stg5'},"
                + " 'id': 'sNMn5e0V'}\n```\n");
        List<QmpMessage> m = sink.qmpMessages();
        assertEquals(2, m.size(), m::toString);
        assertEquals("device_del", m.get(0).name());
        assertEquals("stg5", m.get(0).arguments().get("id"));
        assertEquals("R44XYgQ0", m.get(0).qmpId());
        assertEquals(3, m.get(0).source().line());
        assertEquals("drive_stg5", m.get(1).arguments().get("node-name"));
    }

    @Test
    void pythonsLiteralsBecomeJsons() {
        assertEquals("{\"a\": \"it's\", \"b\": true, \"c\": null, \"d\": \"say \\\"x\\\"\", \"Nonesuch\": false}",
                PasteForms.pythonReprAsJson("{'a': 'it\\'s', 'b': True, 'c': None, 'd': 'say \"x\"', 'Nonesuch': False}"));
        assertFalse(PasteForms.quotesPythonQmp("a dict {'name': 'x'} in prose"));
    }
}
