package dev.vmcase.analysis;

import dev.vmcase.analysis.report.JsonReport;
import dev.vmcase.model.Finding;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A finding that rests only on pasted notes says so; one that cites a log itself does not. */
class WitnessTest {
    static final Path SEED = Path.of("../sample-cases/seed-incident/evidence");
    static final Path README = Path.of("../sample-cases/orphaned-disk-qemu/README.md");

    @Test
    void theSeedsFindingsSayTheyComeFromAPastedNote() throws IOException {
        AnalysisResult r = Analysis.run(Fixtures.load(SEED));
        assertFalse(r.findings().isEmpty());
        for (Finding f : r.findings()) {
            assertTrue(Witness.fromPastedNote(f), f.rule());
            assertEquals(Witness.PASTED_NOTE, f.details().get(Witness.DETAIL));
            assertTrue(FindingText.summary(f, Locale.ROOT).contains("From a pasted note only (000_01db9a105711600e.txt)"),
                    FindingText.summary(f, Locale.ROOT));
            assertTrue(FindingText.summary(f, Locale.SIMPLIFIED_CHINESE).contains("仅来自粘贴的笔记"));
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        JsonReport.write(r, json);
        assertTrue(json.toString(StandardCharsets.UTF_8).contains("\"fromPastedNote\" : true"));
    }

    @Test
    void findingsOnALogAreNotMarkedEvenWithTheLogsLinesPastedBeside() {
        AnalysisResult r = Analysis.run(Fixtures.load(README, Fixtures.DISK_CASE));
        assertFalse(r.findings().isEmpty());
        for (Finding f : r.findings()) {
            assertFalse(Witness.fromPastedNote(f), f.rule() + " " + f.evidence());
            assertFalse(FindingText.summary(f, Locale.ROOT).contains("pasted note"));
        }
    }
}
