package dev.vmcase.parsers.qemu;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * One real q35 machine ({@code produce_q35_fixtures.py}: root ports in a multifunction slot, a switch, the victim on
 * its own port) seen by four layers: the command line, {@code info qtree}, {@code info pci} and {@code query-pci}
 * must give every device the same path, whatever bus numbers the firmware chose.
 */
class PciPathAcrossLayersTest {
    private static final Map<String, String> TRUTH = Map.of(
            "pci.1", "0000:00:02.0", "pci.2", "0000:00:02.1", "pci.3", "0000:00:02.0:00.0",
            "pci.4", "0000:00:02.0:00.0:00.0", "pci.5", "0000:00:07.0",
            "virtio-disk0", "0000:00:02.1:00.0", "virtio-disk1", "0000:00:07.0:00.0",
            "virtio-disk2", "0000:00:02.0:00.0:00.0:00.0");

    @Test
    void everyLayerGivesEveryDeviceTheSamePath() throws IOException {
        assertEquals(TRUTH, paths(Fixtures.parseFixture(new DomainLogParser(), "q35-command-line.txt").observations()),
                "command line");
        assertEquals(TRUTH, paths(Fixtures.parseFixture(new HmpQtreeParser(), "q35-run-info-qtree.txt").observations()),
                "info qtree");
        assertEquals(TRUTH, paths(Fixtures.parseFixture(new HmpPciParser(), "q35-run-info-pci.txt").observations()),
                "info pci");
        assertEquals(TRUTH, paths(QmpResults.fromQueryPci(new ObjectMapper().readTree(
                Fixtures.text("q35-run-query-pci.json")).get("return"), new SourceRef("0", "q", 1, ""))), "query-pci");
    }

    @Test
    void theCommandLineClaimsNoBusNumberBehindAPort() {
        List<DeviceObservation> cmd = Fixtures.parseFixture(new DomainLogParser(), "q35-command-line.txt").observations();
        // libvirt's pci.2 is the guest's bus 4 here (the switch behind pci.1 took 2 and 3): no guess from the name
        assertNull(Fixtures.byId(cmd, "virtio-disk0").pci());
        assertEquals("0000:00:07.0", Fixtures.byId(cmd, "pci.5").pci().toString());
    }

    private static Map<String, String> paths(List<DeviceObservation> obs) {
        Map<String, String> out = new TreeMap<>();
        for (DeviceObservation o : obs) {
            if (TRUTH.containsKey(o.id()) && o.role() == DeviceObservation.DeviceRole.FRONTEND) {
                out.put(o.id(), o.pciPath().map(Object::toString).orElse("none"));
            }
        }
        return out;
    }
}
