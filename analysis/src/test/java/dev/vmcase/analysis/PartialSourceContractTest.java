package dev.vmcase.analysis;

import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.ingest.ParserRegistry;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage, not assumption: every parser's sample (a partial source: one disk of an XML, one {@code query-block}
 * answer, a few lines of a transcript) put beside a complete bundle of the same VM (the lab's clean unplug, whose
 * evidence names {@code instance-0000002a}) adds no finding that neither the bundle nor the sample gives alone on a
 * device the sample does not name, and makes no device the bundle shows "absent": a source that shows some devices
 * says nothing of the others. (On the devices it names, its own lines join the bundle's and may well say more.)
 * Parsers come from {@link ParserRegistry#all()}, so a parser added later is checked too.
 */
class PartialSourceContractTest {
    private static final Path BUNDLE = Path.of("../sample-cases/lab-clean-unplug/evidence");

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> noParsersSampleBesideACompleteBundleAddsAFinding() {
        AnalysisResult alone = Analysis.of(List.of(BUNDLE), dev.vmcase.parsers.ProgressMonitor.NONE);
        VmResult bundleVm = alone.vms().get(0);
        return ParserRegistry.all().stream().map(p -> DynamicTest.dynamicTest(p.format(), () -> check(p, bundleVm)));
    }

    private void check(EvidenceParser p, VmResult bundleAlone) throws IOException {
        Path sampleOnly = Files.createDirectories(dir.resolve(p.format() + "-alone"));
        Files.writeString(sampleOnly.resolve("sample.txt"), p.sample(), StandardCharsets.UTF_8);
        AnalysisResult sampleAlone = Analysis.of(List.of(sampleOnly), dev.vmcase.parsers.ProgressMonitor.NONE);

        Path both = Files.createDirectories(dir.resolve(p.format() + "-beside"));
        copy(BUNDLE, both);
        Files.writeString(both.resolve("sample.txt"), p.sample(), StandardCharsets.UTF_8);
        AnalysisResult beside = Analysis.of(List.of(both), dev.vmcase.parsers.ProgressMonitor.NONE);
        VmResult vm = beside.vm(bundleAlone.vm().key()).orElseThrow(() -> new AssertionError(beside.vms().toString()));

        List<Finding> known = new ArrayList<>(bundleAlone.findings());
        known.addAll(sampleAlone.findings());
        // what the sample itself says something about: a finding on those may change (its own evidence joins the
        // bundle's); on any other device it may not, for the sample says nothing of what it does not list
        java.util.Set<String> named = new java.util.HashSet<>();
        sampleAlone.evidence().observations().forEach(o -> {
            named.add(o.id());
            if (o.pci() != null) {
                named.add(o.pci().toString());
            }
        });
        for (Finding f : vm.findings()) {
            boolean aboutTheSample = f.devices().stream().anyMatch(named::contains);
            assertTrue(aboutTheSample || known.stream().anyMatch(k -> k.rule().equals(f.rule())
                            && (k.devices().isEmpty() && f.devices().isEmpty()
                            || k.devices().stream().anyMatch(f.devices()::contains))),
                    p.format() + "'s sample beside the bundle makes a finding neither gives alone: " + f.rule() + " "
                            + f.devices() + " " + FindingText.summary(f));
        }
        // and no device the bundle shows in a layer is said to be missing from it
        for (DeviceRow row : bundleAlone.devices().source()) {
            DeviceRow now = vm.devices().sourceById(row.qdevId()).orElse(null);
            if (row.qdevId().isEmpty() || now == null) {
                continue;
            }
            for (Layer l : Layer.values()) {
                if (row.presence(l) == Presence.PRESENT) {
                    assertTrue(now.presence(l) != Presence.ABSENT,
                            p.format() + ": " + row.qdevId() + " " + l + " was present, is absent beside the sample");
                }
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    Path target = to.resolve(from.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
