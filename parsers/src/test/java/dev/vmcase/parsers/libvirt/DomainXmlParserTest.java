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
