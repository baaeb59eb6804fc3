package dev.vmcase.analysis.devices;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Coverage;
import dev.vmcase.model.Layer;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.libvirt.DomainXmlParser;
import dev.vmcase.parsers.qmp.QmpJsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A source that shows some devices (a trimmed XML of one disk, one {@code query-block} answer) beside a complete bundle
 * of the same VM: it says nothing of the devices it does not list, so nothing becomes absent and nothing is accused.
 */
class PartialSourcesTest {
    private static final Path CLEAN = Path.of("../sample-cases/lab-clean-unplug/evidence");

    @TempDir
    Path dir;

    private AnalysisResult besideTheCleanUnplug(String name, String text) throws IOException {
        try (Stream<Path> files = Files.walk(CLEAN)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(CLEAN.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        Files.writeString(dir.resolve(name), text);
        return Analysis.of(List.of(dir), ProgressMonitor.NONE);
    }

    @Test
    void aTrimmedXmlOfOneDiskMakesNoOtherDeviceAbsentFromLibvirt() throws IOException {
        // DomainXmlParser.SAMPLE: libvirt 9.0's live XML of instance-0000002a cut down to one disk (real lines)
        AnalysisResult r = besideTheCleanUnplug("domain-disk.xml", DomainXmlParser.SAMPLE);
        assertEquals(1, r.vms().size(), "the XML names the bundle's own VM");
        assertEquals(List.of(), r.findings(), "a partial XML accuses nothing");
        DeviceTable t = r.devices();
        assertEquals(Presence.NO_EVIDENCE, t.sourceById("net0").orElseThrow().presence(Layer.LIBVIRT_XML));
        assertEquals(Presence.NO_EVIDENCE, t.sourceById("virtio-disk0").orElseThrow().presence(Layer.LIBVIRT_XML));
        assertEquals(List.of(Coverage.Extent.SOME), t.sourceCoverage().stream()
                .filter(c -> c.layer() == Layer.LIBVIRT_XML).map(Coverage::extent).toList());
    }

    @Test
    void aQueryBlockAnswerAloneSaysNothingOfNics() throws IOException {
        AnalysisResult r = besideTheCleanUnplug("query-block.json", QmpJsonParser.SAMPLE);
        assertEquals(List.of(), r.findings());
        assertEquals(Presence.NO_EVIDENCE, r.devices().sourceById("net0").orElseThrow().presence(Layer.BLOCK));
    }
}
