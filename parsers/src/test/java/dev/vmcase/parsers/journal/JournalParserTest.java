package dev.vmcase.parsers.journal;

import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.Parsing;
import dev.vmcase.parsers.ingest.ParserRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalParserTest {
    private final JournalParser parser = new JournalParser();

    @Test
    void libvirtsRecordsAndTheQemuTailItQuotesAreReadAtTheirOwnLines() {
        assertEquals(JournalParser.FORMAT, ParserRegistry.detect(Head.of(JournalParser.SAMPLE)).orElseThrow().format());
        EvidenceSink s = Parsing.parse(parser, "journal", JournalParser.SAMPLE);
        assertEquals(List.of(), s.problems());
        assertEquals("h2.1.openstack.r0cket.net", s.host());
        List<Event> libvirt = s.events().stream().filter(e -> e.kind() == EventKind.LIBVIRT_MESSAGE).toList();
        assertEquals(2, libvirt.size());
        assertNull(libvirt.get(1).time(), "journald's short form has no year and no zone");
        assertEquals("Oct 17 10:28:43", libvirt.get(1).details().get("journal-time"));
        Event section = s.events().stream().filter(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR
                && e.message().contains("0000:00:05.0/virtio-balloon")).findFirst().orElseThrow();
        assertEquals(5, section.source().line());
        assertEquals(Instant.parse("2019-10-17T10:28:42.981272Z"), section.time(), "QEMU's own UTC stamp");
        Event failed = s.events().stream().filter(e -> e.kind() == EventKind.MIGRATION_LOAD_FAILED).findFirst().orElseThrow();
        assertEquals(6, failed.source().line());
        assertEquals(2, s.localTimes(), "both records wait for the host's zone and year");
    }

    @Test
    void isoTimesAreInstantsAndTellTheHostsOffset() {
        // an RFC 3339 journal/syslog line as posted in systemd/systemd#27503 (openSUSE Tumbleweed, 2023)
        String iso = "2023-05-03T09:59:01.673824+02:00 merlin systemd-coredump[22042]: Process 27027 (plasmashell) of "
                + "user 1000 dumped core.#012#012Stack trace of thread 27696:#012#0  0x00007f4816e2fe73 "
                + "_ZN7logging10LogMessageD2Ev (libQt5WebEngineCore.so.5 + 0x2a2fe73)\n";
        assertTrue(parser.recognizes(Head.of(iso)));
        EvidenceSink s = Parsing.parse(parser, "journal-iso", iso);
        assertEquals(List.of(), s.problems());
        assertEquals(1, s.indexed(), "an instant: on the timeline at once");
        assertEquals(0, s.localTimes());
        Event clock = s.events().stream().filter(e -> e.kind() == EventKind.HOST_CLOCK).findFirst().orElseThrow();
        assertEquals("7200", clock.details().get("utc-offset"));
        assertEquals("merlin", clock.details().get("host"));
        assertEquals(Instant.parse("2023-05-03T07:59:01.673824Z"), clock.time());
    }

    @Test
    void theKernelsAndSystemdCoredumpsRecordsOfADeadQemuAreCrashEvents() {
        // a NixOS host's journal as posted in https://github.com/servo/ci-runners/issues/3 (QEMU's vCPU thread faulted)
        String journal = "Sep 09 10:40:02 jupiter kernel: CPU 1/KVM[1545351]: segfault at 14 ip 000056473f97ca24 sp"
                + " 00007f550f076eb0 error 4 in .qemu-system-x86_64-wrapped[56473f771000+652000] likely on CPU 20 (core 4,"
                + " socket 0)\n"
                + "Sep 09 10:40:02 jupiter systemd-coredump[1545634]: Resource limits disable core dumping for process"
                + " 1545297 (.qemu-system-x8).\n"
                + "Sep 09 10:40:02 jupiter systemd-coredump[1545634]: [\uD83E\uDC55] Process 1545297 (.qemu-system-x8) of"
                + " user 301 terminated abnormally without generating a coredump.\n";
        EvidenceSink s = Parsing.parse(parser, "journal", journal);
        List<Event> crashes = s.events().stream().filter(e -> e.kind() == EventKind.TOOL_MESSAGE).toList();
        assertEquals(List.of(1, 3), crashes.stream().map(e -> e.source().line()).toList());
        assertEquals("crash/abort", crashes.get(0).details().get("message-class"));
        assertEquals("1545351", crashes.get(0).details().get("pid"));
        assertEquals("jupiter", crashes.get(0).details().get("host"));
        assertEquals("1545297", crashes.get(1).details().get("pid"));
        // systemd-coredump's record of another program (the ISO sample's plasmashell) is no QEMU's death
        assertTrue(Parsing.parse(parser, "journal", "2023-05-03T09:59:01.673824+02:00 merlin systemd-coredump[22042]:"
                + " Process 27027 (plasmashell) of user 1000 dumped core.\n").events().stream()
                .noneMatch(e -> e.kind() == EventKind.TOOL_MESSAGE));
    }

    @Test
    void aJournalWrittenInAnotherLanguageIsAJournal() {
        // canonical/multipass issue 240 (2018): a Polish desktop's journal, 'maj' for May, libvirtd's continuation lines
        String polish = "maj 09 10:36:51 michal-laptop libvirtd[25033]: Failed to probe capabilities for /usr/bin/kvm:"
                + " internal error: QEMU / QMP failed: Failed to open module: /usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so:"
                + " undefined symbol: scsi_sense_to_errno\n"
                + "                                               ioctl(KVM_CREATE_VM) failed: 12 Cannot allocate memory\n"
                + "                                               failed to initialize KVM: Cannot allocate memory\n"
                + "maj 09 10:36:51 michal-laptop libvirtd[25033]: failed to connect to monitor socket: No such process\n";
        assertTrue(parser.recognizes(Head.of(polish)));
        EvidenceSink s = Parsing.parse(parser, "journal", polish);
        assertEquals(List.of(), s.problems());
        assertEquals("michal-laptop", s.host());
        assertEquals(List.of(1, 4), s.events().stream().filter(e -> e.kind() == EventKind.LIBVIRT_MESSAGE)
                .map(e -> e.source().line()).toList());
        // canonical/multipass issue 1166 (2019): 'lis' is November in Polish but October in Croatian: never guessed
        assertEquals(null, dev.vmcase.parsers.time.Timestamps.read("lis 04 16:09:53 michal-laptop"
                + " multipass.multipassd[22054]: Failed to determine libvirtd version."));
        // a Chinese desktop writes '12月'
        assertTrue(dev.vmcase.parsers.time.Timestamps.read("12月 05 10:36:51 host libvirtd[1]: x") != null);
        // a word that is no month in any language is no time
        assertEquals(null, dev.vmcase.parsers.time.Timestamps.read("step 09 10:36:51 was the third"));
    }

    @Test
    void otherTextIsNotAJournal() {
        for (String t : List.of("Oct 17 was the day the migration failed\nand nothing worked\n",
                "2020-05-28 13:10:48.389+0000: 1234: error : qemuMonitorIO:719 : internal error\n",
                "[reporter's prose]\nOct 17 10:28:43 h2 libvirtd[1545]: x\n",
                // QEMU's own stderr with -msg timestamp=on is a domain log, not a journal
                "2024-04-26T13:28:53Z qemu-system-x86_64: warning: host doesn't support requested feature\n",
                "2019-07-24T06:47:22.187768Z qemu-system-x86_64: Failed to load virtio-balloon:virtio\n")) {
            assertFalse(parser.recognizes(Head.of(t)), t);
        }
        assertTrue(parser.recognizes(Head.of("-- Journal begins at Mon 2020-09-07 10:00:00 CEST. --\n"
                + "Sep 07 19:32:06 cmp-17 kernel: virtio_blk virtio3: [vdb] 2097152 512-byte logical blocks\n")));
    }
}
