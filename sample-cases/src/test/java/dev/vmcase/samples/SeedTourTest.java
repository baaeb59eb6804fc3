package dev.vmcase.samples;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.Target;
import dev.vmcase.casefile.Tour;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Frame;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed case's tour: every step points at a real line, frame or finding of the seed's evidence. */
class SeedTourTest {
    private static final Path SEED = Path.of("seed-incident");

    @Test
    void everyStepOfTheSeedTourHitsTheSeedsEvidence() throws Exception {
        List<Tour> tours = CaseIO.readTours(SEED.resolve("tour.json"));
        assertEquals(1, tours.size());
        Tour tour = tours.get(0);
        assertTrue(tour.steps().size() >= 10, "a step per move of the author's investigation");
        AnalysisResult r = Analysis.of(List.of(SEED.resolve("evidence")), ProgressMonitor.NONE);
        Artifact seed = r.evidence().artifacts().get(0);
        List<String> lines = Files.readAllLines(Path.of(seed.path()), StandardCharsets.UTF_8);
        List<Frame> frames = r.evidence().backtraces().stream().flatMap(b -> b.threads().stream())
                .map(BacktraceThread::frames).flatMap(List::stream).toList();
        for (Tour.Step step : tour.steps()) {
            Target t = step.target();
            switch (t.kind()) {
                case LINE -> {
                    assertEquals(seed.sha256(), t.artifact(), step.title());
                    assertTrue(t.line() >= 1 && t.line() <= lines.size(), step.title());
                    assertFalse(lines.get(t.line() - 1).strip().equals("-"), step.title() + " points at a separator");
                }
                case FRAME -> assertTrue(frames.stream().anyMatch(f -> f.source().artifact().equals(t.artifact())
                        && f.source().line() == t.line()), step.title() + ": no frame at line " + t.line());
                case FINDING -> assertTrue(r.findings().stream().map(Finding::id).anyMatch(t.key()::equals),
                        step.title() + ": no finding " + t.key());
                case DEVICE -> assertTrue(r.devices().source().stream().anyMatch(d -> d.key().equals(t.key())));
            }
            assertFalse(step.note().isBlank(), step.title());
        }
        // the steps say what their lines say
        assertTrue(text(tour, 1, lines).contains("Unknown savevm section or instance '0000:06.0/virtio-blk'"));
        assertTrue(text(tour, 2, lines).contains("load of migration failed"));
        assertTrue(text(tour, 4, lines).contains("virtio-disk1"));
        assertTrue(text(tour, 7, lines).contains("bdrv_make_anon"));
        assertTrue(text(tour, 9, lines).contains("kvm_handle_io (port=44552"));
        assertTrue(text(tour, 10, lines).contains("acpi_pcihp_eject_slot"));
        assertTrue(text(tour, 11, lines).contains("release_drive"));
    }

    private static String text(Tour tour, int step, List<String> lines) {
        return lines.get(tour.steps().get(step).target().line() - 1);
    }
}
