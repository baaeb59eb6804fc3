package dev.vmcase.parsers.lspci;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Layer;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class LspciParserTest {
    private final LspciParser parser = new LspciParser();

    static String resource(String name) throws IOException {
        try (InputStream in = LspciParserTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static DeviceObservation at(EvidenceSink s, int slot) {
        return s.observations().stream().filter(o -> o.pci().slot() == slot).findFirst().orElseThrow();
    }

    @Test
    void readsTheGuestsViewWithIdsAndClasses() {
        EvidenceSink s = Parsing.parse(parser, "lspci", LspciParser.SAMPLE);
        assertEquals(List.of(), s.problems());
        assertEquals(8, s.observations().size());
        DeviceObservation blk = s.observations().get(5);
        assertEquals(Layer.GUEST_PCI, blk.layer());
        assertEquals(new PciAddress(0, 0, 5, 0), blk.pci());
        assertEquals("SCSI storage controller", blk.type());
        assertEquals("0100", blk.attr("class-id"));
        assertEquals("1af4", blk.attr("vendor-id"));
        assertEquals("1001", blk.attr("device-id"));
        assertEquals("Red Hat, Inc. Virtio block device", blk.attr("description"));
        assertEquals(7, blk.source().line());
        DeviceObservation host = s.observations().get(0);
        assertEquals("Intel Corporation 440FX - 82441FX PMC [Natoma]", host.attr("description"), "a name's own brackets stay");
        assertEquals("02", host.attr("revision"));
        assertEquals(new PciAddress(0, 0, 1, 3), s.observations().get(3).pci());
    }

    @Test
    void readsDriversAndSubsystemsOfVerboseAndKernelListings() throws IOException {
        EvidenceSink vvv = Parsing.parse(parser, "lspci-vvv", resource("lspci-vvv.txt"));
        assertEquals(List.of(), vvv.problems());
        assertEquals(6, vvv.observations().size());
        DeviceObservation blk = at(vvv, 2);
        assertEquals("virtio-pci", blk.attr("driver"));
        assertEquals("Red Hat, Inc. Virtio 1.0 block device", blk.attr("subsystem"));
        assertEquals("Mass storage controller", blk.type());
        EvidenceSink nnk = Parsing.parse(parser, "lspci-nnk", resource("lspci-nnk.txt"));
        assertEquals("1042", at(nnk, 2).attr("device-id"));
        assertEquals("virtio-pci", at(nnk, 2).attr("driver"));
        EvidenceSink d = Parsing.parse(parser, "lspci-D", resource("lspci-D-nn.txt"));
        assertEquals(new PciAddress(0, 0, 3, 0), at(d, 3).pci());
        for (String f : List.of("lspci.txt", "lspci-nnk.txt", "lspci-vvv.txt", "lspci-D-nn.txt")) {
            assertEquals(LspciParser.FORMAT, ParserRegistry.detect(Head.of(resource(f))).orElseThrow().format(), f);
        }
    }

    @Test
    void numericListingsAreRead() {
        EvidenceSink s = Parsing.parse(parser, "lspci-n", "00:02.0 0100: 1af4:1001\n00:03.0 0200: 1af4:1000 (rev 01)\n");
        assertEquals(2, s.observations().size());
        assertEquals("1001", s.observations().get(0).attr("device-id"));
        assertEquals("01", s.observations().get(1).attr("revision"));
    }

    @Test
    void aHostsListingGivesNoVmDevicesAndSaysSo() {
        EvidenceSink s = Parsing.parse(parser, "host-lspci",
                "00:00.0 Host bridge [0600]: Intel Corporation Device [8086:0d57]\n"
                        + "3b:00.0 Ethernet controller [0200]: Mellanox Technologies MT27800 Family [ConnectX-5] [15b3:1017]\n");
        assertTrue(s.observations().isEmpty());
        assertTrue(s.problems().get(0).message().contains("host"));
    }

    @Test
    void otherTextIsNotLspci() {
        for (String t : List.of("00:05.0 is the slot we unplugged\nit never came back\n",
                "2020-09-07 19:32:06.850+0000: 1234: error : x\n", "Bus  0, device   3, function 0:\n")) {
            assertFalse(parser.recognizes(Head.of(t)), t);
        }
    }
}
