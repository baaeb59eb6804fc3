package dev.vmcase.parsers.domainlog;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Layer;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.Parsing;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainLogParserTest {
    private final DomainLogParser parser = new DomainLogParser();

    private EvidenceSink parse(String text) {
        return Parsing.parse(parser, "instance-0000002a.log", text);
    }

    @Test
    void readsTheBannerHostnameAndVersions() {
        EvidenceSink sink = parse(DomainLogParser.SAMPLE);
        Event start = sink.events().get(0);
        assertEquals(EventKind.LIBVIRT_START, start.kind());
        assertEquals("cmp-17", start.details().get("hostname"));
        assertEquals("2.11.1", start.details().get("qemu-version"));
        assertEquals("4.0.0", start.details().get("libvirt-version"));
        assertEquals(Instant.parse("2019-07-24T06:46:48.906Z"), start.time());
        assertEquals("cmp-17", sink.host());
    }

    @Test
    void readsTheShutdownReasonAndQemuTimestamps() {
        EvidenceSink sink = parse(DomainLogParser.SAMPLE);
        Event last = sink.events().get(sink.events().size() - 1);
        assertEquals(EventKind.LIBVIRT_SHUTDOWN, last.kind());
        assertEquals("failed", last.details().get("reason"));
        Event warning = sink.events().stream().filter(e -> e.message().startsWith("warning: Unknown firmware"))
                .findFirst().orElseThrow();
        assertEquals(Instant.parse("2019-07-24T06:46:49.487109Z"), warning.time());
        assertEquals("qemu-system-x86_64", warning.details().get("program"));
    }

    @Test
    void oldStopBannerHasNoReason() {
        EvidenceSink sink = parse("2016-01-26 10:30:51.895+0000: shutting down\nload of migration failed\n");
        assertEquals(EventKind.LIBVIRT_SHUTDOWN, sink.events().get(0).kind());
        assertNull(sink.events().get(0).details().get("reason"));
        assertEquals(EventKind.MIGRATION_LOAD_FAILED, sink.events().get(1).kind());
    }

    @Test
    void theIncomingMigrationMakesItTheDestination() {
        EvidenceSink sink = parse(DomainLogParser.SAMPLE);
        assertEquals(Role.DESTINATION, sink.role());
        // the rejected section; the cause lines QEMU printed before it are load errors too, naming no section
        Event err = sink.events().stream().filter(e -> e.kind() == EventKind.MIGRATION_LOAD_ERROR
                && e.details().containsKey("idstr")).findFirst().orElseThrow();
        assertEquals("0000:00:05.0/virtio-balloon", err.details().get("idstr"));
        assertEquals(6, err.source().line());
    }

    @Test
    void singleLineCommandLineBecomesCommandLineObservations() {
        EvidenceSink sink = parse(DomainLogParser.SAMPLE);
        List<DeviceObservation> cmd = sink.observations().stream().filter(o -> o.layer() == Layer.COMMAND_LINE).toList();
        DeviceObservation disk = cmd.stream().filter(o -> o.id().equals("virtio-disk0")).findFirst().orElseThrow();
        assertEquals("virtio-blk-pci", disk.type());
        assertEquals("0000:00:04.0", disk.pci().toString());
        assertEquals("drive-virtio-disk0", disk.backend());
        assertTrue(cmd.stream().anyMatch(o -> o.id().equals("drive-virtio-disk0")
                && o.role() == DeviceObservation.DeviceRole.BACKEND));
        assertTrue(cmd.stream().anyMatch(o -> o.id().equals("net0") && "hostnet0".equals(o.backend())));
        assertEquals(2, sink.events().get(1).source().line());
    }

    @Test
    void multiLineCommandLineWithJsonDevicesIsOneCommandLine() {
        String log = """
                2020-09-08 14:36:18.513+0000: starting up libvirt version: 6.0.0, package: 0ubuntu8.3 (Christian Ehrhardt <christian.ehrhardt@canonical.com> Thu, 30 Jul 2020 10:29:58 +0200), qemu version: 4.2.0Debian 1:4.2-3ubuntu6.4, kernel: 5.4.0-45-generic, hostname: ubuntu-bionic-ovh-bhs1
                LC_ALL=C \\
                PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin \\
                HOME=/var/lib/libvirt/qemu/domain-3-instance-00000002 \\
                /usr/bin/qemu-system-x86_64 \\
                -name guest=instance-00000002,debug-threads=on \\
                -machine pc-i440fx-4.2,accel=tcg,usb=off,dump-guest-core=off \\
                -blockdev '{"driver":"file","filename":"/opt/stack/data/nova/instances/8d3b/disk","node-name":"libvirt-2-storage","auto-read-only":true,"discard":"unmap"}' \\
                -blockdev '{"node-name":"libvirt-2-format","read-only":false,"driver":"qcow2","file":"libvirt-2-storage"}' \\
                -device virtio-blk-pci,bus=pci.0,addr=0x4,drive=libvirt-2-format,id=virtio-disk0,bootindex=1 \\
                -device '{"driver":"virtio-blk-pci","bus":"pci.0","addr":"0x7","drive":"libvirt-1-format","id":"virtio-disk1"}' \\
                -msg timestamp=on
                char device redirected to /dev/pts/0 (label charserial0)
                """;
        EvidenceSink sink = parse(log);
        assertEquals(EventKind.QEMU_COMMAND_LINE, sink.events().get(1).kind());
        assertEquals(2, sink.events().get(1).source().line());
        assertEquals("pc-i440fx-4.2", sink.events().get(1).details().get("machine"));
        assertEquals("instance-00000002", sink.events().get(1).details().get("name"));
        DeviceObservation d1 = sink.observations().stream().filter(o -> o.id().equals("virtio-disk1")).findFirst().orElseThrow();
        assertEquals("0000:00:07.0", d1.pci().toString());
        assertEquals("libvirt-1-format", d1.backend());
        assertTrue(sink.observations().stream().anyMatch(o -> o.id().equals("libvirt-2-format")
                && "qcow2".equals(o.type())));
        assertEquals(EventKind.QEMU_MESSAGE, sink.events().get(2).kind());
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void aBareCommandLineIsRecognised() {
        String cmd = "qemu-system-x86_64 -name guest=vm-src -machine pc,accel=tcg -m 128 -device virtio-blk-pci,drive=d1,id=disk1,addr=0x6\n";
        assertTrue(parser.recognizes(Head.of(cmd)));
        EvidenceSink sink = parse(cmd);
        assertEquals("0000:00:06.0", sink.observations().get(0).pci().toString());
    }

    @Test
    void proseIsNotADomainLog() {
        assertFalse(parser.recognizes(Head.of("The migration failed.\nWe looked at the logs.\n")));
    }

    @Test
    void aCommandLineCutByTheEndOfTheFileIsAProblem() {
        EvidenceSink sink = parse("LC_ALL=C \\\n/usr/bin/qemu-system-x86_64 \\\n-device virtio-blk-pci,id=virtio-disk0,addr=0x4 \\\n");
        assertEquals(1, sink.problems().size());
        assertEquals(1, sink.problems().get(0).line());
        assertEquals("virtio-disk0", sink.observations().get(0).id());
    }
}
