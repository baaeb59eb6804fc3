package dev.vmcase.parsers;

import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Guest;
import dev.vmcase.model.Layer;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.libvirt.DomainXmlParser;
import dev.vmcase.parsers.libvirt.LibvirtdLogParser;
import dev.vmcase.parsers.nova.NovaLogParser;
import dev.vmcase.parsers.qemu.HmpBlockParser;
import dev.vmcase.parsers.qemu.HmpPciParser;
import dev.vmcase.parsers.qemu.HmpQtreeParser;
import dev.vmcase.parsers.qmp.QmpJsonParser;
import dev.vmcase.parsers.qmp.QmpTranscriptParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which VM each parser's content names, and what it shows completely, on real output. */
class IdentityAndCoverageTest {
    private static final Path CASES = Path.of("../sample-cases");
    private static final Path QEMU = Path.of("src/test/resources/dev/vmcase/parsers/qemu");

    private static EvidenceSink parse(EvidenceParser p, Path file) throws IOException {
        return Parsing.parse(p, file.getFileName().toString(), Files.readString(file));
    }

    private static Map<Layer, Coverage.Extent> coverage(EvidenceSink s) {
        return s.coverage().stream().collect(Collectors.toMap(Coverage::layer, Coverage::extent, (a, b) -> a));
    }

    @Test
    void aDomainLogNamesItsGuestAndUuidAndShowsEveryDeviceOfItsCommandLine() throws IOException {
        EvidenceSink s = parse(new DomainLogParser(), CASES.resolve("libvirt-pending-unplug/evidence/instance-0000002a.log"));
        assertEquals(new Guest("instance-0000002a", "7a3c5e1e-2f4b-4c4e-9a51-00000000002a"), s.guest());
        assertEquals(Map.of(Layer.COMMAND_LINE, Coverage.Extent.ALL), coverage(s));
        // QEMU's own -name without libvirt's -uuid
        assertEquals(Guest.named("vm-alpha"),
                parse(new DomainLogParser(), CASES.resolve("three-vms/evidence/cmp-1/vm-alpha/vm-alpha.log")).guest());
    }

    @Test
    void aWholeLiveXmlShowsEveryDeviceAndATrimmedOneOnlyItsOwn() throws IOException {
        EvidenceSink live = parse(new DomainXmlParser(), CASES.resolve("libvirt-pending-unplug/evidence/domain-after.xml"));
        assertEquals(new Guest("instance-0000002a", "7a3c5e1e-2f4b-4c4e-9a51-00000000002a"), live.guest());
        assertEquals(Map.of(Layer.LIBVIRT_XML, Coverage.Extent.ALL), coverage(live));
        // the parser's sample: the same XML cut down to one disk (no <memory>, <os>, <memballoon>)
        EvidenceSink trimmed = Parsing.parse(new DomainXmlParser(), "d.xml", DomainXmlParser.SAMPLE);
        assertEquals(List.of(new Coverage(trimmed.coverage().get(0).source(), Layer.LIBVIRT_XML, Set.of(DeviceClass.DISK),
                Coverage.Extent.SOME)), trimmed.coverage());
        // an inactive definition (no alias: not what runs) is no complete view of the live domain
        EvidenceSink inactive = parse(new DomainXmlParser(), CASES.resolve("libvirt-pending-unplug/evidence/domain-input.xml"));
        assertEquals(Map.of(Layer.LIBVIRT_XML, Coverage.Extent.SOME), coverage(inactive));
    }

    @Test
    void eachMonitorOfALibvirtdLogIsTheDomainLibvirtEnteredItFor() throws IOException {
        EvidenceSink s = parse(new LibvirtdLogParser(), CASES.resolve("two-domains-one-daemon/evidence/libvirtd.log"));
        assertNull(s.guest(), "the daemon's log is no one domain's");
        Map<String, Set<Guest>> byChannel = s.qmpMessages().stream().collect(Collectors.groupingBy(QmpMessage::channel,
                Collectors.mapping(QmpMessage::guest, Collectors.toSet())));
        assertEquals(Map.of("mon=0x7fd0f0010740", Set.of(Guest.named("instance-0000b001")),
                "mon=0x7fd0f0010d00", Set.of(Guest.named("instance-0000b002"))), byChannel);
        // the answers libvirt reads past (query-pci at start-up) become observations of the same domain
        assertTrue(s.observations().stream().allMatch(o -> o.guest() != null), "an observation of no domain");
        assertEquals(Set.of(Guest.named("instance-0000b001"), Guest.named("instance-0000b002")),
                s.observations().stream().map(DeviceObservation::guest).collect(Collectors.toSet()));
    }

    @Test
    void libvirt60WritesTheSameMonitorLine() throws IOException {
        // Launchpad bug 1894804's libvirtd lines (libvirt 6.0, nova CI): the refused device_del is instance-0000003a's
        EvidenceSink s = parse(new LibvirtdLogParser(),
                Path.of("src/test/resources/dev/vmcase/parsers/libvirt/lp1894804-libvirtd-6.0.log"));
        assertEquals(Set.of(Guest.named("instance-0000003a")),
                s.qmpMessages().stream().map(QmpMessage::guest).collect(Collectors.toSet()));
    }

    @Test
    void novaNamesEachRecordsInstance() {
        EvidenceSink s = Parsing.parse(new NovaLogParser(), "nova-compute.log", NovaLogParser.SAMPLE);
        assertTrue(s.events().stream().allMatch(e -> Guest.withUuid("b54f2810-fd42-44ae-89d6-343a7030e2f3").equals(e.guest())),
                s.events().toString());
        assertNull(s.guest(), "nova's log is every instance's of its host");
    }

    @Test
    void aQmpConversationIsNamedByQemusOwnAnswers() throws IOException {
        EvidenceSink s = parse(new QmpTranscriptParser(), QEMU.resolve("qmp-query-name-uuid.jsonl"));
        assertEquals(new Guest("vm-fixture", "0b5c3a5e-6d2f-4e8a-9c41-5f7e2d1a9b63"), s.guest());
    }

    @Test
    void qemusViewsShowTheirWholeLayerButInfoBlockOfOneDeviceOnlyThatOne() throws IOException {
        assertEquals(Map.of(Layer.QDEV, Coverage.Extent.ALL), coverage(parse(new HmpQtreeParser(), QEMU.resolve("run-after-info-qtree.txt"))));
        assertEquals(Map.of(Layer.PCI, Coverage.Extent.ALL), coverage(parse(new HmpPciParser(), QEMU.resolve("run-after-info-pci.txt"))));
        assertEquals(Map.of(Layer.BLOCK, Coverage.Extent.ALL), coverage(parse(new HmpBlockParser(), QEMU.resolve("run-after-info-block.txt"))));
        assertEquals(Map.of(Layer.BLOCK, Coverage.Extent.SOME),
                coverage(parse(new HmpBlockParser(), QEMU.resolve("stdio-info-block-one-device.txt"))));
        EvidenceSink pci = parse(new QmpJsonParser(), QEMU.resolve("run-after-query-pci.json"));
        assertEquals(Map.of(Layer.PCI, Coverage.Extent.ALL), coverage(pci));
        assertEquals(1, pci.coverage().size(), "one answer, one view");
        EvidenceSink block = parse(new QmpJsonParser(), QEMU.resolve("run-after-query-block.json"));
        assertEquals(Set.of(DeviceClass.DISK), block.coverage().get(0).classes());
        assertEquals(Map.of(Layer.BLOCK, Coverage.Extent.SOME),
                coverage(parse(new QmpJsonParser(), QEMU.resolve("run-before-query-named-block-nodes.json"))));
    }

    @Test
    void aFileOfTwoVmsGivesEachRecordTheOneNamedBeforeIt() {
        EvidenceSink s = new EvidenceSink("sha", "ticket.txt");
        s.event(new Event(s.ref(1, "a"), null, EventKind.QEMU_MESSAGE, "a", Map.of()));
        s.guest(Guest.named("vm-1"));
        s.event(new Event(s.ref(2, "b"), null, EventKind.QEMU_MESSAGE, "b", Map.of()));
        s.guest(Guest.of("vm-1", "0b5c3a5e-6d2f-4e8a-9c41-5f7e2d1a9b63")); // the same VM, more of it
        s.event(new Event(s.ref(3, "c"), null, EventKind.QEMU_MESSAGE, "c", Map.of()));
        s.guest(Guest.named("vm-2"));
        s.event(new Event(s.ref(4, "d"), null, EventKind.QEMU_MESSAGE, "d", Map.of()));
        s.finish();
        assertNull(s.guest(), "two VMs: no one VM is the whole file's");
        assertEquals(List.of("vm-1", "vm-1", "vm-1", "vm-2"), s.events().stream().map(e -> e.guest().name()).toList());
        // claims that agree are the file's, merged
        EvidenceSink one = new EvidenceSink("sha", "x.log");
        one.guest(Guest.named("vm-1"));
        one.guest(Guest.withUuid("0B5C3A5E-6D2F-4E8A-9C41-5F7E2D1A9B63"));
        one.finish();
        assertEquals(new Guest("vm-1", "0b5c3a5e-6d2f-4e8a-9c41-5f7e2d1a9b63"), one.guest());
    }

    @Test
    void anExcerptShowsNoLayerWhole() throws IOException {
        TextSource src = TextSource.ofText("excerpt.txt", Files.readString(QEMU.resolve("run-after-info-qtree.txt")));
        EvidenceSink s = EvidenceSink.forSource(src);
        s.excerpt();
        new HmpQtreeParser().parse(src, s);
        assertEquals(Map.of(Layer.QDEV, Coverage.Extent.SOME), coverage(s));
    }
}
