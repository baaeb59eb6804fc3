package dev.vmcase.parsers.libvirt;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Layer;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.Parsing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DomainXmlParserTest {
    private static final Path LIVE = Path.of("../sample-cases/libvirt-pending-unplug/evidence/domain-after.xml");
    private final DomainXmlParser parser = new DomainXmlParser();

    @TempDir
    Path dir;

    /**
     * libvirt's {@code virsh domcapabilities} (captured by the lab's libvirt-probe) holds {@code <domain>kvm</domain>}:
     * neither the file nor the text read as pasted evidence may take that line for a domain XML's root (it gave a
     * "malformed XML" problem at line 4).
     */
    @Test
    void domainCapabilitiesAreNoDomainXml() {
        for (String name : List.of("domcapabilities-kvm.xml", "domcapabilities-qemu.xml")) {
            Path caps = Path.of("../sample-cases/libvirt-probe/evidence", name);
            var artifacts = dev.vmcase.parsers.ingest.Ingest.load(List.of(caps), dev.vmcase.parsers.ProgressMonitor.NONE)
                    .artifacts();
            assertEquals(1, artifacts.size());
            assertEquals(List.of(), artifacts.get(0).problems(), name);
            assertFalse(artifacts.get(0).format().equals(DomainXmlParser.FORMAT), name);
        }
        assertTrue(parser.recognizes(Head.of("<domain type='kvm' id='3'>\n  <name>x</name>\n")));
        assertTrue(parser.recognizes(Head.of("<domain type='kvm'><name>x</name><devices/></domain>\n")));
    }

    @Test
    void aQ35DeviceGetsThePathOfItsRootPortFromTheControllerIndex() throws IOException {
        String xml = new String(DomainXmlParserTest.class.getResourceAsStream("q35-live.xml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        EvidenceSink sink = Parsing.parse(parser, "q35-live.xml", xml);
        assertEquals(List.of(), sink.problems());
        List<DeviceObservation> obs = sink.observations();
        // bus='0x04' is the pcie-root-port of index 4 at 00:01.3: the disk is slot 0 behind it
        assertEquals("0000:00:01.3:00.0", byAlias(obs, "virtio-disk1").attr("pci-path"));
        assertEquals("0000:00:01.2:00.0", byAlias(obs, "virtio-disk0").attr("pci-path"));
        assertEquals("0000:00:01.0:00.0", byAlias(obs, "net0").attr("pci-path"));
        assertEquals("0000:00:01.4", byAlias(obs, "pci.5").attr("pci-path"));
        assertEquals("0000:00:1f.2", byAlias(obs, "ide").attr("pci-path"));
    }

    @Test
    void aControllerTheXmlDoesNotHoldGivesNoPath() throws IOException {
        String xml = new String(DomainXmlParserTest.class.getResourceAsStream("q35-live.xml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        // drop the root port of index 4: nothing says where virtio-disk1's bus is
        String cut = xml.replaceAll("(?s)<controller type='pci' index='4'.*?</controller>", "");
        DeviceObservation disk = byAlias(Parsing.parse(parser, "cut.xml", cut).observations(), "virtio-disk1");
        assertEquals(null, disk.attr("pci-path"));
        assertEquals("0000:04:00.0", disk.pci().toString());
    }

    @Test
    void theXmlAndTheCommandLineLibvirtStartedFromItAgreeOnEveryPath() throws IOException {
        String xml = new String(DomainXmlParserTest.class.getResourceAsStream("q35-live.xml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String log = new String(DomainXmlParserTest.class.getResourceAsStream("q35-domain.log").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        List<DeviceObservation> fromXml = Parsing.parse(parser, "q35-live.xml", xml).observations();
        List<DeviceObservation> fromCmd = Parsing.parse(new dev.vmcase.parsers.domainlog.DomainLogParser(),
                "instance-0000002b.log", log).observations();
        for (String alias : List.of("virtio-disk0", "virtio-disk1", "net0", "balloon0", "usb", "pci.1", "pci.6")) {
            String p = byAlias(fromXml, alias).attr("pci-path");
            assertTrue(p != null && p.startsWith("0000:00:01."), alias + " " + p);
            assertEquals(p, byAlias(fromCmd, alias).attr("pci-path"), alias);
        }
    }

    private static DeviceObservation byAlias(List<DeviceObservation> obs, String alias) {
        return obs.stream().filter(o -> o.id().equals(alias)).findFirst().orElseThrow(() -> new AssertionError(alias));
    }

    @Test
    void liveXmlGivesAliasTargetAndPciAddressPerDevice() throws IOException {
        EvidenceSink sink = Parsing.parse(parser, "domain-after.xml", Files.readString(LIVE));
        List<DeviceObservation> obs = sink.observations();
        DeviceObservation vdb = obs.stream().filter(o -> o.id().equals("virtio-disk1")).findFirst().orElseThrow();
        assertEquals(Layer.LIBVIRT_XML, vdb.layer());
        assertEquals("vdb", vdb.attr("target"));
        assertEquals("0000:00:03.0", vdb.pci().toString());
        assertEquals("disk/disk", vdb.type());
        assertTrue(vdb.source().text().contains("<disk type='file' device='disk'>"));
        assertTrue(obs.stream().noneMatch(o -> o.id().equals("input0")), "PS/2 input is no PCI device row");
        assertEquals(List.of(), sink.problems());
    }

    @Test
    void entitiesAreNeitherExpandedNorFetched() throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        String hostile = "<?xml version=\"1.0\"?>\n<!DOCTYPE domain [\n <!ENTITY a \"aaaaaaaaaa\">\n"
                + " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                + " <!ENTITY x SYSTEM \"file://" + secret + "\">\n]>\n"
                + "<domain type='kvm'><name>&c;&x;</name><devices><disk type='file' device='disk'><target dev='vda' bus='virtio'/>"
                + "<alias name='virtio-disk0'/><source file='&x;'/></disk></devices></domain>\n";
        assertTrue(parser.recognizes(Head.of(hostile)));
        EvidenceSink sink = Parsing.parse(parser, "hostile.xml", hostile);
        assertFalse(sink.problems().isEmpty());
        assertTrue(sink.observations().stream().noneMatch(o -> String.valueOf(o.attributes()).contains("TOP-SECRET")));
    }

    @Test
    void aTruncatedXmlKeepsTheDevicesBeforeTheBreak() throws IOException {
        String text = Files.readString(LIVE);
        String cut = text.substring(0, text.indexOf("<controller type='usb'") + 10);
        EvidenceSink sink = Parsing.parse(parser, "cut.xml", cut);
        assertEquals(2, sink.observations().size());
        assertEquals(1, sink.problems().size());
    }

    @Test
    void otherXmlIsNotADomain() {
        assertFalse(parser.recognizes(Head.of("<?xml version=\"1.0\"?>\n<network><name>default</name></network>\n")));
    }
}
