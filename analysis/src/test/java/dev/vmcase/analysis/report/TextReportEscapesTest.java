package dev.vmcase.analysis.report;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code analyze}'s text output shows the escape sequences a hostile log carries instead of sending them to the
 * terminal (issue 19, item 12): the real destination log of a sample case with ANSI colour, an OSC title and
 * hyperlink, a cursor move, C1 CSI and a bidirectional override written into its lines and its file name.
 */
class TextReportEscapesTest {
    @TempDir
    Path tmp;

    @Test
    void escapeSequencesFromEvidenceAreShownNotSent() throws Exception {
        Path real = Path.of("../sample-cases/orphaned-disk-qemu/evidence/destination-qemu.log");
        String log = Files.readString(real);
        String hostile = log.replace("Unknown savevm section",
                "\u001b[2J\u001b]0;pwned\u0007\u001b]8;;http://evil.example\u001b\\\u009b31m\u202eUnknown savevm section");
        Path dir = Files.createDirectories(tmp.resolve("ev\u001b[31m"));
        Files.writeString(dir.resolve("destination-qemu.log"), hostile);
        StringWriter out = new StringWriter();
        TextReport.write(Analysis.run(Ingest.load(List.of(dir), ProgressMonitor.NONE)), new PrintWriter(out),
                Locale.ROOT);
        String text = out.toString();
        assertTrue(text.contains("MIGRATION"), text);
        for (char c : new char[] {0x1b, 0x07, 0x9b, 0x202e}) {
            assertFalse(text.indexOf(c) >= 0, () -> "U+" + Integer.toHexString(c) + " reached the output:\n" + text);
        }
        assertTrue(text.contains("\u241b[2J\u241b]0;pwned\u2407"), text);
        assertTrue(text.contains("ev\u241b[31m"), "the path too: " + text);
        assertTrue(text.contains("\\u202e"), text);
        assertTrue(text.lines().count() > 5, "line ends are kept");
    }
}
