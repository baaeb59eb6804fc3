package dev.vmcase.parsers;

import dev.vmcase.model.Problem;
import dev.vmcase.parsers.hostile.HostileInputs;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ingest.ParserRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input suite (issue 19): generated inputs for every registered parser, with a fixed seed. Each case is
 * parsed by the parser it grew from, by the fallback, and through {@link Ingest#read} (sniffing by every parser);
 * none may throw, and what a parser read from a seed must still be read when junk follows it. A bounded number of
 * cases here ({@code -Dvmcase.hostile.scale=N} multiplies them); {@code vmcase bench hostile} runs more and prints
 * figures. The time limit is a hang guard only (a parser that backtracks on a 1 MiB line would take hours), never a
 * speed claim: speed is measured by the bench.
 */
class HostileInputTest {
    static final Path CASES = Path.of("..", "sample-cases");

    /** The samples, and the sample cases' real evidence files (up to 64 KiB) owned by the parser sniffing picks. */
    static List<HostileInputs.Seed> seeds() throws IOException {
        List<HostileInputs.Seed> seeds = new ArrayList<>(HostileInputs.sampleSeeds());
        List<Path> files;
        try (Stream<Path> s = Files.walk(CASES)) {
            files = s.filter(p -> p.toString().contains("/evidence/") && Files.isRegularFile(p)).sorted().toList();
        }
        for (Path f : files) {
            if (Files.size(f) > 64 << 10) {
                continue;
            }
            String text = Files.readString(f, java.nio.charset.StandardCharsets.UTF_8);
            EvidenceParser owner = ParserRegistry.detect(Head.of(text)).orElse(ParserRegistry.fallback());
            seeds.add(new HostileInputs.Seed(owner, CASES.relativize(f).toString(), text));
        }
        return seeds;
    }

    /** What a run found: cases per category, crashes and lost evidence, each named. */
    static final class Tally {
        final Map<HostileInputs.Category, Integer> cases = new EnumMap<>(HostileInputs.Category.class);
        final List<String> crashes = new ArrayList<>();
        final List<String> lost = new ArrayList<>();

        void run(HostileInputs.Case c) {
            cases.merge(c.category(), 1, Integer::sum);
            String name = c.category() + " " + c.name();
            for (EvidenceParser p : List.of(c.owner(), ParserRegistry.fallback())) {
                try {
                    HostileInputs.parse(p, name, c.bytes());
                } catch (RuntimeException | StackOverflowError e) {
                    crashes.add(name + " in " + p.format() + ": " + e);
                }
            }
            TextSource src = new TextSource(name, "sha", () -> new java.io.ByteArrayInputStream(c.bytes()));
            byte[] head = java.util.Arrays.copyOf(c.bytes(), Math.min(c.bytes().length, 8192));
            try {
                Ingest.ReadResult r = Ingest.read(src, c.bytes().length, head);
                for (Problem p : r.artifact().problems()) {
                    if (p.message().startsWith("internal error")) {
                        crashes.add(name + " through ingest: " + p.message());
                    }
                }
            } catch (RuntimeException | StackOverflowError e) {
                crashes.add(name + " through ingest: " + e);
            }
            if (c.intact() != null) {
                Set<String> before = HostileInputs.records(HostileInputs.parse(c.owner(), name,
                        c.intact().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                Set<String> after = HostileInputs.records(HostileInputs.parse(c.owner(), name, c.bytes()));
                for (String r : before) {
                    if (!after.contains(r)) {
                        lost.add(name + " (" + c.owner().format() + "): " + r);
                    }
                }
            }
        }
    }

    @Test
    void everyParserSurvivesTheGeneratedHostileInputs() throws IOException {
        int scale = Integer.getInteger("vmcase.hostile.scale", 1);
        List<HostileInputs.Seed> seeds = seeds();
        Tally t = new Tally();
        List<HostileInputs.Seed> samples = seeds.stream().filter(x -> x.name().startsWith("sample-")).toList();
        List<HostileInputs.Seed> real = seeds.stream().filter(x -> !x.name().startsWith("sample-")).toList();
        assertTimeoutPreemptively(Duration.ofSeconds(300L * scale), () -> {
            // every parser's sample with runaway lines of six fillers; the real files mutated, without
            Iterator<HostileInputs.Case> it = HostileInputs.cases(samples, 20261204L, 6 * scale, 6 * scale, 4 * scale);
            while (it.hasNext()) {
                t.run(it.next());
            }
            it = HostileInputs.cases(real, 20261205L, 2 * scale, 0, scale);
            while (it.hasNext()) {
                t.run(it.next());
            }
        }, "a hang: some parser took minutes on the generated inputs");
        System.out.println("hostile inputs: " + t.cases + ", crashes " + t.crashes.size() + ", evidence lost "
                + t.lost.size());
        assertEquals(List.of(), t.crashes.stream().limit(40).toList(), t.crashes.size() + " crashes");
        assertEquals(List.of(), t.lost.stream().limit(40).toList(), t.lost.size() + " records lost");
        assertTrue(t.cases.values().stream().mapToInt(Integer::intValue).sum() > 500);
    }
}
