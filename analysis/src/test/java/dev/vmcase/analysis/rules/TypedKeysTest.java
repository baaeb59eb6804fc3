package dev.vmcase.analysis.rules;

import dev.vmcase.model.Attr;
import dev.vmcase.model.Detail;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.NovaKind;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.ingest.ParserRegistry;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.ingest.Ingest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the analysis reads from events and observations is typed ({@link Detail}, {@link Attr}, {@link NovaKind}): every
 * key it can read is one some parser writes on the evidence at hand (the parsers' samples, every sample case and the
 * public corpus, the parsers' fixtures, and the nova detach failure the rule tests build from nova's own message texts),
 * and the analysis reads no key by a string of its own, so a typo on either side fails here instead of silently
 * stopping a rule.
 */
class TypedKeysTest {
    private static final Path ROOT = Path.of("..");

    @TempDir
    Path dir;

    private Evidence everything() throws IOException {
        List<Path> inputs = new ArrayList<>();
        int i = 0;
        for (EvidenceParser p : ParserRegistry.all()) {
            Path f = dir.resolve((i++) + "-" + p.format() + ".txt");
            Files.writeString(f, p.sample());
            inputs.add(f);
        }
        for (Path root : List.of(ROOT.resolve("sample-cases"), ROOT.resolve("sample-cases/public"))) {
            try (Stream<Path> cases = Files.list(root)) {
                cases.filter(c -> Files.isDirectory(c.resolve("evidence"))).forEach(c -> inputs.add(c.resolve("evidence")));
            }
        }
        inputs.add(ROOT.resolve("parsers/src/test/resources"));
        // no public nova log at hand shows DeviceDetachFailed with an aliased detach XML; the rule tests' construction does
        Path nova = dir.resolve("nova-detach.log");
        Files.writeString(nova, NovaRulesTest.NOVA_DETACH);
        inputs.add(nova);
        return Ingest.load(inputs, ProgressMonitor.NONE);
    }

    @Test
    void everyKeyTheAnalysisCanReadIsWrittenBySomeParserOnRealEvidence() throws IOException {
        Evidence e = everything();
        Set<String> details = new TreeSet<>();
        Set<String> kinds = new TreeSet<>();
        e.events().forEach(ev -> {
            details.addAll(ev.details().keySet());
            if (ev.detail(Detail.KIND) != null) {
                kinds.add(ev.detail(Detail.KIND));
            }
        });
        Set<String> attrs = new TreeSet<>();
        e.observations().forEach(o -> attrs.addAll(o.attributes().keySet()));
        List<String> unwritten = new ArrayList<>();
        for (Detail d : Detail.values()) {
            if (!details.contains(d.key())) {
                unwritten.add("Detail." + d + " (" + d.key() + ")");
            }
        }
        for (Attr a : Attr.values()) {
            if (!attrs.contains(a.key())) {
                unwritten.add("Attr." + a + " (" + a.key() + ")");
            }
        }
        for (NovaKind k : List.of(NovaKind.DEVICE_DETACH_FAILED, NovaKind.LIVE_MIGRATION_FAILURE,
                NovaKind.LIVE_MIGRATION_ABORTED)) {
            if (!kinds.contains(k.value())) {
                unwritten.add("NovaKind." + k + " (" + k.value() + ")");
            }
        }
        assertEquals(List.of(), unwritten, "keys the analysis reads that no parser writes on the evidence at hand");
    }

    /** {@code .details().get("…")}, {@code .attr("…")}, {@code .detail("…")}: a key read by a string of its own. */
    private static final Pattern STRING_READ = Pattern.compile(
            "\\.(?:details\\(\\)\\.get|attributes\\(\\)\\.get|attr)\\(\\s*\"([^\"]+)\"");

    @Test
    void theAnalysisReadsNoEvidenceKeyByAStringOfItsOwn() throws IOException {
        List<String> found = new ArrayList<>();
        // where evidence is read: the analysis (a finding's own details, the rules' output, are not evidence keys)
        for (String module : List.of("analysis")) {
            Path src = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = STRING_READ.matcher(lines.get(i));
                        while (m.find()) {
                            found.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + m.group(1));
                        }
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "read through Detail/Attr instead: " + found);
    }
}
