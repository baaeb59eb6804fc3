package dev.vmcase.parsers.libvirt;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.PciAddress;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.Parsing;
import dev.vmcase.parsers.ingest.ParserRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A device's XML without its domain is a partial libvirt view. */
class DomainXmlFragmentTest {
    private final DomainXmlParser parser = new DomainXmlParser();

    static String resource(String name) throws IOException {
        try (InputStream in = DomainXmlFragmentTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aDiskWithoutItsDomainIsReadWithItsAliasAndAddress() throws IOException {
        String xml = resource("disk-fragment-45474151428.xml");
        assertEquals(DomainXmlParser.FORMAT, ParserRegistry.detect(Head.of(xml)).orElseThrow().format());
        EvidenceSink s = Parsing.parse(parser, "disk.xml", xml);
        assertEquals(List.of(), s.problems());
        DeviceObservation d = s.observations().get(0);
        assertEquals("virtio-disk1", d.id());
        assertEquals(new PciAddress(0, 0, 3, 0), d.pci());
        assertEquals("vdb", d.attr("target"));
        assertEquals("fragment", d.attr("coverage"));
        assertNull(d.attr("inactive"), "a fragment's missing alias says nothing about the domain's state");
        assertEquals(1, d.source().line());
        assertEquals("    <disk type='file' device='disk'>", d.source().text());
    }

    @Test
    void severalTopLevelDevicesEachBecomeOne() throws IOException {
        EvidenceSink s = Parsing.parse(parser, "disks.xml", resource("two-disks-fragment-66656861429.xml"));
        assertEquals(List.of(), s.problems());
        assertEquals(2, s.observations().size());
        assertEquals("ide0-1-0", s.observations().get(1).id());
        assertEquals(10, s.observations().get(1).source().line());
        assertEquals("disk/cdrom", s.observations().get(1).type());
    }

    @Test
    void aDevicesBlockAndAHostdevAreFragmentsToo() {
        // libvirt's domain XML schema documentation example of a PCI host device (formats: libvirt formatdomain)
        String xml = """
                <devices>
                  <hostdev mode='subsystem' type='pci' managed='yes'>
                    <source>
                      <address domain='0x0000' bus='0x06' slot='0x02' function='0x0'/>
                    </source>
                    <boot order='1'/>
                    <rom bar='on' file='/etc/fake/boot.bin'/>
                  </hostdev>
                </devices>
                """;
        EvidenceSink s = Parsing.parse(parser, "hostdev.xml", xml);
        assertEquals(List.of(), s.problems());
        assertEquals(1, s.observations().size());
        assertEquals("hostdev/pci", s.observations().get(0).type());
        assertEquals(2, s.observations().get(0).source().line());
    }

    @Test
    void entitiesAreNotExpandedInFragmentsEither() {
        String xml = "<disk type='file' device='disk'>\n  <source file='&xxe;'/>\n  <target dev='vdb' bus='virtio'/>\n</disk>\n";
        EvidenceSink s = Parsing.parse(parser, "evil.xml", xml);
        assertFalse(s.problems().isEmpty(), s.observations().toString());
        String doctype = "<!DOCTYPE disk [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<disk type='file'>\n"
                + "  <source file='&xxe;'/>\n</disk>\n";
        EvidenceSink d = Parsing.parse(parser, "evil2.xml", doctype);
        assertTrue(d.observations().stream().noneMatch(o -> String.valueOf(o.attr("source")).contains("root:")));
    }

    @Test
    void proseMentioningADiskIsNot() {
        assertFalse(parser.recognizes(Head.of("<disk> is the element you want, see the docs\nthanks\n")));
        assertFalse(parser.recognizes(Head.of("<interface> changes are not applied live\n")));
    }
}
