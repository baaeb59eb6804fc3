package dev.vmcase.analysis.devices;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.analysis.VmResult;
import dev.vmcase.analysis.diff.DeviceDiff;
import dev.vmcase.analysis.diff.DiffRow;
import dev.vmcase.analysis.report.JsonReport;
import dev.vmcase.analysis.report.TextReport;
import dev.vmcase.model.Layer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One answer to "which devices are in the evidence", the same in the table, the diff, the text and the JSON. */
class DeviceCountTest {
    private static final Path CASES = Path.of("../sample-cases");

    @Test
    void theSeedNamesOneDeviceEverywhere() {
        AnalysisResult r = Analysis.run(Fixtures.load(CASES.resolve("seed-incident/evidence")));
        DeviceTable t = r.devices();
        // only the destination's error names it: slot 6's virtio-blk, rejected
        assertEquals(1, t.count());
        DeviceRow row = t.source().get(0);
        assertEquals("0000:00:06.0", row.pci().toString());
        assertEquals(Presence.REJECTED, row.presence(Layer.MIGRATION));
        assertEquals(1, DeviceDiff.compare(t).rows().size());
        StringWriter text = new StringWriter();
        TextReport.write(r, new PrintWriter(text), Locale.ROOT);
        assertTrue(text.toString().contains("Devices (1)"), text.toString());
    }

    @Test
    void everyCaseCountsItsDevicesOnceForTheTableTheDiffAndTheJson() throws IOException {
        List<Path> cases;
        try (Stream<Path> s = Files.list(CASES)) {
            cases = s.filter(p -> Files.isDirectory(p.resolve("evidence"))).sorted().toList();
        }
        for (Path c : cases) {
            AnalysisResult r = Analysis.run(Fixtures.load(c.resolve("evidence")));
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            JsonReport.write(r, json);
            var devices = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toByteArray()).get("vms");
            for (int i = 0; i < r.vms().size(); i++) {
                VmResult v = r.vms().get(i);
                int n = v.devices().count();
                assertEquals(n, DeviceDiff.compare(v.devices()).rows().size(), c + " " + v.vm().key());
                assertEquals(n, devices.get(i).get("devices").asInt(), c + " " + v.vm().key());
            }
        }
    }

    @Test
    void aRowWhoseCellsDifferSaysSoInItsCount() {
        AnalysisResult r = Analysis.run(Fixtures.load(CASES.resolve("orphaned-disk-qemu/evidence")));
        DiffRow orphan = DeviceDiff.compare(r.devices()).row("virtio-disk1").orElseThrow();
        // the destination's command line lacks it: a layer both sides show, seen differently
        assertTrue(orphan.differingLayers().contains(Layer.COMMAND_LINE), orphan.differingLayers().toString());
        assertEquals(orphan.differingLayers().size() + orphan.changedProperties().size(), orphan.differenceCount());
        assertTrue(orphan.differenceCount() > 0);
    }
}
