package dev.vmcase.parsers.text;

import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.ingest.ParserRegistry;
import dev.vmcase.parsers.text.PasteNormaliser.PastedLine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lines of real pasted text as their authors meant them (fixtures: {@code src/test/resources/paste/README.md}):
 * quote markers, fences and mail encodings off, wrapped lines joined, each line still knowing the file line it
 * starts on.
 */
class PasteNormaliserTest {
    static final Path PASTE = Path.of("src/test/resources/paste");

    static List<PastedLine> lines(TextSource src) {
        List<PastedLine> out = new ArrayList<>();
        try (LineReader r = src.lines()) {
            PasteNormaliser n = PasteNormaliser.of(src, r, new EvidenceSink("", ""),
                    new Formats(ParserRegistry.formats()));
            PastedLine p;
            while ((p = n.next()) != null) {
                out.add(p);
            }
        }
        return out;
    }

    static List<PastedLine> lines(String fixture) throws IOException {
        return lines(TextSource.of(PASTE.resolve(fixture), "x"));
    }

    static List<PastedLine> text(String text) {
        return lines(TextSource.ofText("paste.txt", text));
    }

    private static PastedLine containing(List<PastedLine> lines, String part) {
        return lines.stream().filter(l -> l.text().contains(part)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + part));
    }

    @Test
    void joinsAQemuMessageTheMailClientWrappedBeforeItsSectionName() throws IOException {
        List<PastedLine> l = lines("xen-devel-virtio-gpu.eml");
        PastedLine err = containing(l, "error while loading state");
        assertEquals("qemu-system-i386: error while loading state for instance 0x0 of device"
                + " '0000:00:03.0/virtio-gpu'", err.text());
        assertEquals(18, err.first());
        assertEquals(19, err.last());
        assertEquals(17, containing(l, "Failed to load virtio-gpu").first(), "the line before is not touched");
    }

    @Test
    void readsOnlyTheTextPartOfAMultipartMail() throws IOException {
        // the quoted-printable HTML alternative repeats the messages: it must not give them a second time
        long copies = lines("xen-devel-virtio-gpu.eml").stream()
                .filter(p -> p.text().contains("load of migration failed")).count();
        assertEquals(1, copies);
    }

    @Test
    void decodesQuotedPrintableAndFollowsAHangingIndent() throws IOException {
        List<PastedLine> l = lines("qemu-devel-ramblock-original.eml");
        PastedLine err = containing(l, "error while loading state");
        // "devic=" / "e" is one line glued by a soft break; the indented section name is the author's own wrap
        assertEquals("  qemu-system-x86_64: error while loading state for instance 0x0 of device"
                + " '0000:00:03.0/ioh-3240-express-root-port'", err.text());
        assertEquals(34, err.first());
        assertEquals(36, err.last());
        assertTrue(containing(l, "-drive file=./image").text().contains("format=raw,if=virtio"), "=3D decoded");
        assertEquals(0, err.depth());
    }

    @Test
    void takesOffQuoteMarkersAndNoBreakSpacesAndKeepsTheDepth() throws IOException {
        PastedLine once = containing(lines("qemu-devel-ramblock-reply-1.eml"), "error while loading state");
        assertEquals(1, once.depth());
        assertEquals("  qemu-system-x86_64: error while loading state for instance 0x0 of device"
                + " '0000:00:03.0/ioh-3240-express-root-port'", once.text());

        PastedLine twice = containing(lines("qemu-devel-ramblock-reply-2.eml"), "error while loading state");
        assertEquals(2, twice.depth());
        assertEquals("   qemu-system-x86_64: error while loading state for instance 0x0 of device"
                + " '0000:00:03.0/ioh-3240-express-root-port'", twice.text(), "=C2=A0 indentation is plain spaces");
        assertFalse(twice.text().contains(">"));
    }

    @Test
    void joinsACommandLineWrappedWithoutBackslashesInsideAFence() throws IOException {
        List<PastedLine> l = lines("qemu-devel-postcopy-fenced.eml");
        PastedLine source = containing(l, "qemu-6.0.0/build");
        assertEquals(35, source.first());
        assertEquals(41, source.last());
        assertTrue(source.text().contains("-device virtio-net-pci,netdev=hn0,id=br0,mac=00:16:3e:33:ad:7d -net"
                + " user,smb="), source.text());
        PastedLine destination = containing(l, "qeme-6.0.0/build");
        assertTrue(destination.text().contains("x86_64-softmmu/qemu-system-x86_64 -cpu host -smp 8"),
                "a binary alone on its line is followed by its options");
        assertTrue(destination.text().contains("-incoming tcp:0:4444"));
        assertTrue(source.container() > 0 && source.container() != destination.container(), "each in its fence");
    }

    @Test
    void keepsTheLinesOfAFenceAsTheyAre() throws IOException {
        List<PastedLine> l = lines("qemu-devel-postcopy-fenced.eml");
        PastedLine err = containing(l, "error while loading state");
        assertEquals("qemu-system-x86_64: error while loading state for instance 0x0 of device 'kvm-tpr-opt'",
                err.text(), "wrapped inside the fence: joined all the same");
        assertTrue(l.stream().anyMatch(p -> p.boundary() && p.first() == 14), "the fence line is a boundary");
    }

    @Test
    void stripsALogViewersGutterAndGluesTheRecordsTheMailEncodingCut() throws IOException {
        List<PastedLine> l = lines("launchpad-1894804-notification.eml");
        PastedLine send = containing(l, "QEMU_MONITOR_SEND_MSG");
        assertTrue(send.text().startsWith("  2020-09-07 19:30:14.165+0000: 65559: info : qemuMonitorSend:993 :"),
                send.text());
        assertTrue(send.text().endsWith("\"id\":\"libvirt-367\"}"), "the ^M a pager printed is gone: " + send.text());
        PastedLine fd = l.get(l.indexOf(send) + 1);
        assertEquals("   fd=-1", fd.text().stripTrailing(), "a continuation keeps its own indentation");
        PastedLine nova = containing(l, "ERROR oslo.service.loopingcall nova.exception.DeviceDetachFailed");
        assertTrue(nova.text().startsWith("  Sep 07 19:32:06.850434 ubuntu-focal"), nova.text());
    }

    @Test
    void joinsLibvirtdRecordsAMailClientSplitAfterTheirPriorityAndBeforeTheirMessage() throws IOException {
        // quoted twice, wrapped at the first mail's column: a piece ending "debug :", "MAC=…" and ": Unable …"
        List<PastedLine> l = lines("netdev-bridge-libvirtd-wrapped.eml");
        PastedLine mac = containing(l, "virNetDevSetMACInternal");
        assertEquals("2021-04-21 07:43:09.453+0000: 2460: debug : virNetDevSetMACInternal:287 : SIOCSIFHWADDR vnet0"
                + " MAC=fe:bb:83:28:01:02 - Success", mac.text());
        assertEquals(25, mac.first());
        assertEquals(27, mac.last());
        assertEquals("2021-04-21 07:43:09.453+0000: 2460: error : virNetDevBridgeAddPort:633 : Unable to add bridge"
                + " virbr1 port vnet0: Operation not supported", containing(l, "virNetDevBridgeAddPort").text());
        assertEquals(2, mac.depth());
    }

    @Test
    void joinsAWordLaunchpadBrokeAfterItsHyphenWithoutABlank() throws IOException {
        // Launchpad wraps a bug's description with Python's textwrap, which also breaks after hyphens
        PastedLine send = containing(lines("launchpad-1929710-wrapped-libvirtd.eml"), "QEMU_MONITOR_SEND_MSG");
        assertTrue(send.text().endsWith("msg={\"execute\":\"blockdev-add\",\"arguments\":{\"node-name\":"
                + "\"libvirt-5-format\",\"read-only\":false,\"cache\":{\"direct\":true,\"no-flush\":false},"
                + "\"driver\":\"raw\",\"file\":\"libvirt-5-storage\"},\"id\":\"libvirt-379\"}"), send.text());
        assertEquals(15, send.first());
        assertEquals(20, send.last());
    }

    @Test
    void joinsLibvirtsMultiLineCommandLineFromItsEnvironmentOn() throws IOException {
        PastedLine cmd = containing(lines("launchpad-1894804-notification.eml"), "LC_ALL=C");
        assertTrue(cmd.text().strip().startsWith("LC_ALL=C PATH=/usr/local/sbin"), cmd.text());
        assertTrue(cmd.text().contains("/usr/bin/qemu-system-x86_64 -name guest=instance-0000003a"), cmd.text());
        assertTrue(cmd.text().endsWith("-msg timestamp=on"), cmd.text());
        assertFalse(cmd.text().contains("\\"));
    }

    @Test
    void leavesTheSeedAsItIs() throws IOException {
        // the seed has no wrapping column (long frame lines), its C code braces are no JSON to glue
        TextSource seed = TextSource.of(
                Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt"), "s");
        List<PastedLine> l = lines(seed);
        long physical;
        try (var s = Files.lines(Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt"))) {
            physical = s.count();
        }
        assertEquals(physical, l.size(), "one logical line per line");
        assertEquals("好久不处理线上问题了,昨天处理一例平台服务器割接过程中KVM虚拟机热迁移问题,留记录", l.get(0).text(),
                "CJK text intact");
    }

    @Test
    void aQuoteInsideAFenceAndTagsOfForumsAndTrackers() {
        // machine lines from the seed and from Launchpad bug 1838569 (https://bugs.launchpad.net/bugs/1838569), in the
        // containers
        // trackers and forums wrap them in
        List<PastedLine> l = text("""
                > ```
                > 2019-07-24T06:47:22.187771Z qemu-system-x86_64: error while loading state for instance 0x0 of device '0000:00:05.0/virtio-balloon'
                > > not a second quote level inside the fence
                > ```
                [quote="someone, post: 12"]Unknown savevm section or instance '0000:06.0/virtio-blk' 0[/quote]
                [CODE]load of migration failed[/CODE]
                <pre>2019-07-24 06:47:22.430+0000: shutting down, reason=failed &amp; more</pre>
                """);
        assertEquals(1, containing(l, "virtio-balloon").depth());
        assertEquals("> not a second quote level inside the fence", containing(l, "second quote").text());
        PastedLine quoted = containing(l, "Unknown savevm");
        assertEquals("Unknown savevm section or instance '0000:06.0/virtio-blk' 0", quoted.text().strip());
        assertEquals(1, quoted.depth());
        assertEquals("load of migration failed", containing(l, "load of migration").text());
        assertEquals("2019-07-24 06:47:22.430+0000: shutting down, reason=failed & more",
                containing(l, "shutting down").text(), "entities of an HTML export decoded");
    }

    @Test
    void doesNotJoinProseToALongLogLine() {
        // a QEMU 8.2 destination's line quoted on qemu-devel (April 2024), then a sentence, in text wrapped at 72 columns
        List<PastedLine> l = text("""
                The destination printed this when the load failed on the CPU state, all
                within the same second, which makes the ordering of the lines useful:
                2024-04-26T13:28:53Z qemu-system-x86_64: error while loading state for
                instance 0x1b of device 'cpu'
                Nothing else was printed by the destination afterwards, and the source
                reported the migration as failed a little later than that as well.
                """);
        PastedLine err = containing(l, "error while loading state");
        assertEquals("2024-04-26T13:28:53Z qemu-system-x86_64: error while loading state for instance 0x1b of"
                + " device 'cpu'", err.text());
        assertTrue(l.stream().anyMatch(p -> p.text().startsWith("Nothing else was printed")));
    }

    @Test
    void joinsAQmpMessageCutAtTheColumnButNotAPrettyDocument() {
        // the event of a public libvirt 6.0 bug report (Launchpad 1894804) as a mail client wraps it at 72
        List<PastedLine> l = text("""
                This is the only event QEMU sent after the device_del, and it names the
                backend child of the disk rather than the disk itself, as shown here:
                {"timestamp": {"seconds": 1599507014, "microseconds": 201037}, "event":
                "DEVICE_DELETED", "data": {"path":
                "/machine/peripheral/virtio-disk1/virtio-backend"}}
                {
                    "return": [],
                    "id": "libvirt-23"
                }
                """);
        PastedLine event = containing(l, "DEVICE_DELETED");
        assertEquals(3, event.first());
        assertEquals(5, event.last());
        assertTrue(event.text().endsWith("\"/machine/peripheral/virtio-disk1/virtio-backend\"}}"));
        assertEquals("{", l.get(l.indexOf(event) + 1).text(), "a pretty document keeps its lines for its parser");
    }

    @Test
    void grepsPrefixIsTakenOffADatedLineOnly() {
        // grep -r (several files), grep -n (a line number too), grep -A (a context line: '-' instead of ':')
        assertEquals("Jul 11 18:10:59 np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR x",
                Unquoter.withoutGrepPrefix("sosreport-compute-1-2024-07-11-rujznhs/var/log/messages:Jul 11 18:10:59"
                        + " np0004787595 nova_compute[129891]: 2024-07-11 22:10:59.946 2 ERROR x"));
        assertEquals("2024-01-18T00:16:31.582070Z qemu-kvm: Missing section footer for 0000:00:01.3/piix4_pm",
                Unquoter.withoutGrepPrefix("/var/log/libvirt/qemu/vm1.log:212:2024-01-18T00:16:31.582070Z qemu-kvm:"
                        + " Missing section footer for 0000:00:01.3/piix4_pm"));
        assertEquals("2020-05-28 13:10:48.389+0000: 5678: debug : x",
                Unquoter.withoutGrepPrefix("libvirtd.log-2020-05-28 13:10:48.389+0000: 5678: debug : x"));
        // not a grep prefix: a dated line as it is, a QEMU message, prose with a colon, a time inside the text
        for (String kept : List.of("2024-07-11 22:10:59.946 2 ERROR nova.compute.manager x",
                "qemu-system-x86_64: load of migration failed: Invalid argument",
                "Note: the migration started at 10:00",
                "see the log at 2024-07-11 22:10:59 for details")) {
            assertEquals(kept, Unquoter.withoutGrepPrefix(kept));
        }
    }

    @Test
    void linesGluedIntoOneAreSplitAndCiteTheLineTheyShare() {
        // autotest/tp-libvirt pull request 6121 (2025): a tracker's &#10; for the break between two QEMU lines
        List<PastedLine> a = text("Before:\nCan not find the expected patterns 'domain is not running' in output 'Migration: [ 0.58 %]"
                + " Migration: [ 2.07 %]error: internal error: QEMU unexpectedly closed the monitor (vm='avocado-vt-vm1'):"
                + " 2025-01-09T18:20:49.709830Z qemu-kvm: check_section_footer: Read section footer failed: -5&#10;"
                + "2025-01-09T18:20:49.710893Z qemu-kvm: load of migration failed: Invalid argument'\n");
        PastedLine load = containing(a, "load of migration failed");
        assertTrue(load.text().startsWith("2025-01-09T18:20:49.710893Z qemu-kvm: load of"), load.text());
        assertEquals(2, load.first());
        assertTrue(containing(a, "Read section footer failed").text().endsWith("failed: -5"));
        // pull request 4931 (2023): QEMU's lines glued without any break, as libvirt's quote reached the test log
        List<PastedLine> b = text("output 'error: internal error: QEMU unexpectedly closed the monitor (vm='avocado-vt-vm1'):"
                + " 2023-06-05T09:56:55.516267Z qemu-kvm: Cannot read from TLS channel: Input/output error"
                + "2023-06-05T09:56:55.516346Z qemu-kvm: Not a migration stream2023-06-05T09:56:55.516356Z qemu-kvm: load"
                + " of migration failed: Invalid argument'\n");
        assertEquals("2023-06-05T09:56:55.516346Z qemu-kvm: Not a migration stream", containing(b, "Not a migration").text());
        assertTrue(containing(b, "closed the monitor").text().endsWith("Input/output error"),
                "the first QEMU line, after a space, stays in libvirt's message");
        assertEquals(3, b.size(), b::toString);
        // pull request 4856 (2023): Python's repr of virsh's stderr, its lines joined by \n escapes
        List<PastedLine> c = text("stderr: b\"error: Failed to detach device from /tmp/xml_utils_temp_yqqnkxc6.xml\\nerror:"
                + " internal error: unable to execute QEMU command 'device_del': Hot-unplug failed: guest is busy (power"
                + " indicator blinking)\\n\"\n");
        assertTrue(containing(c, "unable to execute").text().startsWith("error: internal error: unable to execute"),
                c::toString);
        // ... and the repr's own "\n" and closing quote are not part of virsh's last line
        assertTrue(containing(c, "unable to execute").text().endsWith("(power indicator blinking)"), c::toString);
        // an empty repr keeps its quotes; a Windows path in quotes is no repr
        assertEquals("stdout: b'\\n'", text("stdout: b'\\n'\n").get(0).text());
        assertEquals("copy \"C:\\new\"", text("copy \"C:\\new\"\n").get(0).text());
        // meilihao/tour_book, shell/cmd/virt/vmware.md: an author's notes string libguestfs's and QEMU's lines together
        // with ellipses; each QEMU line is one again (the assertion one is a crash's record)
        List<PastedLine> d = text("### VMWare启用嵌套虚拟化后使用libguestfs时报\"libguestfs: error: could not create appliance through"
                + " libvirt...qemu-system-x86_64: error: failed to set MSR 0x48f to 0x7fffff00036dfb...qemu-system-x86_64:"
                + " .../qemu-4.2.1/target/i386/kvm.c:2655: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs'"
                + " failed. [code=1 int1=-1]\"\n");
        assertEquals(3, d.size(), d::toString);
        assertEquals("qemu-system-x86_64: error: failed to set MSR 0x48f to 0x7fffff00036dfb...", d.get(1).text());
        assertTrue(d.get(2).text().startsWith("qemu-system-x86_64: .../qemu-4.2.1/target/i386/kvm.c:2655:"), d::toString);
        assertTrue(d.get(0).text().endsWith("through libvirt..."), d::toString);
        // not split: a Windows path's \n, a time after a space, a time alone
        for (String kept : List.of("copy C:\\new\\disk.img to the share",
                "the monitor: 2019-10-17T10:28:42.981201Z qemu-system-x86_64: x",
                "2019-10-17T10:28:42.981201Z qemu-system-x86_64: x",
                "cannot execute binary /usr/bin/qemu-system-x86_64: Operation not permitted",
                "libvirt-qemu-kvm: x")) {
            assertEquals(1, text(kept + "\n").size(), kept);
        }
    }

    @Test
    void aStructuredLogLineIsReadAsItsMessage() {
        // KubeVirt issue 2589 (2019): virt-launcher relays libvirt's error in "msg"
        assertEquals("Unable to read from monitor: Connection reset by peer", PasteNormaliser.structuredMessage(
                "{\"component\":\"virt-launcher\",\"level\":\"error\",\"msg\":\"Unable to read from monitor: Connection"
                        + " reset by peer\",\"pos\":\"qemuMonitorIORead:607\",\"subcomponent\":\"libvirt\",\"thread\":\"63\","
                        + "\"timestamp\":\"2019-08-12T16:34:22.589000Z\"}"));
        // KubeVirt pull request 18147 (2026): an escaped quote inside the message is decoded
        assertEquals("DomainLifecycle event Domain event=\"shutdown\" detail=\"unknown\" with event id 6 reason 2 received",
                PasteNormaliser.structuredMessage("{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":"
                        + "\"DomainLifecycle event Domain event=\\\"shutdown\\\" detail=\\\"unknown\\\" with event id 6 reason 2"
                        + " received\",\"pos\":\"client.go:533\",\"timestamp\":\"2026-06-16T07:16:32.050428Z\"}"));
        // a QMP message, a JSON object without a log record's fields, prose with braces: not structured log lines
        for (String other : List.of("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}",
                "{\"msg\": \"hello\"}", "{\"msg\": {broken", "{\"execute\":\"device_del\",\"arguments\":{\"id\":\"x\"}}")) {
            assertEquals(null, PasteNormaliser.structuredMessage(other), other);
        }
        // the message's own line breaks make lines, each citing the record's line
        List<PastedLine> l = text("{\"component\":\"virt-launcher\",\"level\":\"error\",\"msg\":\"internal error: a\\n"
                + "2019-08-12T16:34:22.588377Z qemu-system-x86_64: b\",\"timestamp\":\"2019-08-12T16:34:22.589000Z\"}\n");
        assertEquals(List.of("internal error: a", "2019-08-12T16:34:22.588377Z qemu-system-x86_64: b"),
                l.stream().map(PastedLine::text).toList());
        assertEquals(List.of(1, 1), l.stream().map(PastedLine::first).toList());
    }

    @Test
    void aStructuredLogLinesErrorIsALineAfterItsMessage() {
        // Harvester's tests/README.md (harvester/harvester): virt-launcher's record as a collector printed it, the
        // container's name in front; libvirt's error is in KubeVirt's "reason", with a line break of its own
        List<PastedLine> l = text("compute {\"component\":\"virt-launcher\",\"kind\":\"\",\"level\":\"error\",\"msg\":"
                + "\"Failed to sync vmi\",\"name\":\"test-grsvz\",\"namespace\":\"default\",\"pos\":\"server.go:202\","
                + "\"reason\":\"virError(Code=1, Domain=10, Message='internal error: Failed to start QEMU binary"
                + " /usr/bin/qemu-system-x86_64 for probing: libvirt:  error : cannot execute binary"
                + " /usr/bin/qemu-system-x86_64: Operation not permitted\\n')\",\"timestamp\":"
                + "\"2024-06-26T07:46:15.346012Z\",\"uid\":\"e4ec1043-d9ce-4246-b672-f554e9a00169\"}\n");
        assertEquals(List.of("Failed to sync vmi", "virError(Code=1, Domain=10, Message='internal error: Failed to start"
                + " QEMU binary /usr/bin/qemu-system-x86_64 for probing: libvirt:  error : cannot execute binary"
                + " /usr/bin/qemu-system-x86_64: Operation not permitted", "')"), l.stream().map(PastedLine::text).toList());
        assertEquals(List.of(1, 1, 1), l.stream().map(PastedLine::first).toList());
        // KubeVirt issue 13721 (2025): the error repeated in msg is said once
        String twice = "{\"component\":\"virt-launcher\",\"level\":\"error\",\"msg\":\"libvirt failed to detach interface"
                + " dyniface1: virError(Code=99, Domain=20, Message='device not found: no device found at address"
                + " '0.0.0000' matching MAC address '02:66:8c:00:00:03' and alias 'ua-dyniface1'')\",\"pos\":"
                + "\"nichotplug.go:111\",\"reason\":\"virError(Code=99, Domain=20, Message='device not found: no device"
                + " found at address '0.0.0000' matching MAC address '02:66:8c:00:00:03' and alias 'ua-dyniface1'')\","
                + "\"timestamp\":\"2025-01-27T17:17:48.929271Z\"}";
        assertEquals(1, text(twice + "\n").size());
        assertTrue(PasteNormaliser.structuredMessage(twice).startsWith("libvirt failed to detach interface dyniface1"));
        // lima-vm/alpine-lima issue 7 (2021): lima's host agent logs through logrus, its error under "error" (a text)
        assertEquals("connection to the guest agent was closed unexpectedly\nunexpected EOF",
                PasteNormaliser.structuredMessage("{\"error\":\"unexpected EOF\",\"level\":\"warning\",\"msg\":\"connection"
                        + " to the guest agent was closed unexpectedly\",\"time\":\"2021-08-06T15:29:05-07:00\"}"));
        // QMP's error is an object, and QMP writes no msg: not a log record even with both
        assertEquals(null, PasteNormaliser.structuredMessage("{\"error\": {\"class\": \"GenericError\", \"desc\":"
                + " \"Device 'net0' not found\"}, \"msg\": \"x\", \"level\": \"error\"}"));
        // prose in front of a record is not a collector's prefix
        assertEquals(null, PasteNormaliser.structuredMessage("the log says {\"level\":\"error\",\"msg\":\"x y\"}"));
    }

    @Test
    void aMessageWrappedMidWordIsJoinedWhereTheCatalogueRecognisesItAcrossTheBreak() {
        // autotest/tp-libvirt pull request 4583 (2022): GitHub shows the avocado result line broken inside
        // "Hot-unplug"; the \n escapes of virsh's stderr repr split it into virsh's two lines first
        List<PastedLine> l = text("Before:\n```\n (1/1) type_specific.io-github-autotest-libvirt.vsock.normal_test.hotplug"
                + ".nop.auto_cid: FAIL: error: Failed to detach device from /tmp/xml_utils_temp__0pjfaxj.xml\\nerror:"
                + " internal error: unable to execute QEMU command 'device_del': Hot-un\nplug failed: guest is busy (power"
                + " indicator blinking)\\n (27.35 s)                                                                  \n```\n");
        PastedLine refusal = containing(l, "Hot-unplug failed");
        assertTrue(refusal.text().startsWith("error: internal error: unable to execute QEMU command 'device_del':"
                + " Hot-unplug failed: guest is busy (power indicator blinking)"), refusal.text());
        assertEquals(3, refusal.first());
        assertEquals(4, refusal.last(), "the line after the break is part of it, cited from the first");
        // autotest/tp-libvirt pull request 3982 (2022): a commit message wrapped at its column; libvirt's and QEMU's
        // words glued to the tester's ("detach diskerror:"); the message crosses the second break only
        List<PastedLine> c = text("Fix following error:\n  Failed to detach diskerror: internal error: unable to execute\n"
                + "  QEMU command 'device_del': Hot-unplug failed: guest is busy\n  (power indicator blinking)\n");
        assertEquals(List.of("Fix following error:", "  Failed to detach diskerror: internal error: unable to execute",
                "  QEMU command 'device_del': Hot-unplug failed: guest is busy (power indicator blinking)"),
                c.stream().map(PastedLine::text).toList());
        // the tp-qemu pull request 2950 line (QEMU <= 6.0's refusal) cut inside the port's quoted name: both joins make
        // the message, and a break inside quotes is inside a name (QEMU's ids hold no blank)
        List<PastedLine> q = text("05:04:41 INFO | Context: Hot-unplug virtio-blk-pci failed as expected: Hot-unplug"
                + " failed: unsupported by the port device 'pcie-root-\nport-3'\n");
        assertEquals(1, q.size(), q::toString);
        assertTrue(q.get(0).text().endsWith("unsupported by the port device 'pcie-root-port-3'"), q::toString);
        // prose that no message crosses stays as it is, line by line
        List<PastedLine> p = text("Hot-unplug failed: guest is busy\nso we waited three seconds and tried again\n");
        assertEquals(2, p.size(), p::toString);
        // a qemu-devel mail (Message-ID <CAMGffE=cZ_TgG=Ae+oVE+emWwuDNssozKNDsidS1+yTrh=cZXQ@mail.gmail.com>, 2025)
        // wrapped at its column after the verdict's colon: the reason on the next line is the verdict's
        List<PastedLine> v = text("2025-09-23T07:06:14.915851Z qemu-8.2: error while loading state for\n"
                + "instance 0x0 of device '0000:00:02.0:06.0/virtio-net'\n"
                + "2025-09-23T07:06:14.917894Z qemu-8.2: load of migration failed:\nOperation not permitted\n");
        assertEquals(List.of("2025-09-23T07:06:14.915851Z qemu-8.2: error while loading state for instance 0x0 of device"
                + " '0000:00:02.0:06.0/virtio-net'", "2025-09-23T07:06:14.917894Z qemu-8.2: load of migration failed:"
                + " Operation not permitted"), v.stream().map(PastedLine::text).toList());
    }

    @Test
    void aLineQuotedAsACodeSpanOfSeveralBackticksIsItsText() {
        // QaidVoid/Complete-Single-GPU-Passthrough issue 13 (2022): two lines of a domain log, each in ``…``
        List<PastedLine> l = text("[prose]\n``qxl_send_events: spice-server bug: guest stopped, ignoring``\n"
                + "``2022-05-16 06:19:39.337+0000: shutting down, reason=crashed``\n");
        assertEquals(List.of("[prose]", "qxl_send_events: spice-server bug: guest stopped, ignoring",
                "2022-05-16 06:19:39.337+0000: shutting down, reason=crashed"), l.stream().map(PastedLine::text).toList());
        // Markdown's blank inside the backticks is not the text's; an unbalanced or a fence line is left as it is
        assertEquals("a `b` c", Unquoter.oneCodeSpan("`` a `b` c ``"));
        assertEquals("``a`", Unquoter.oneCodeSpan("``a`"));
        assertEquals("```", Unquoter.oneCodeSpan("```"));
        assertEquals("`a` and `b`", Unquoter.oneCodeSpan("`a` and `b`"));
    }
}
