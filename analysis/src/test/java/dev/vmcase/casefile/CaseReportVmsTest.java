package dev.vmcase.casefile;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A report for a ticket names the VMs, says what each rule checked, and counts the devices the evidence names. */
class CaseReportVmsTest {
    private static final Path CASES = Path.of("../sample-cases").toAbsolutePath().normalize();

    private static String markdown(String sample, Locale locale) throws IOException {
        CaseFile c = CaseFile.fromInputs(List.of(CASES.resolve(sample).resolve("evidence")));
        AnalysisResult r = CaseAnalysis.run(c, ProgressMonitor.NONE);
        StringWriter out = new StringWriter();
        new CaseReport(sample, c, r, ReportImages.NONE, locale).markdown(out, null);
        return out.toString().replace("\\", ""); // without Markdown's escapes, to read as text
    }

    @Test
    void theSeedsReportCountsItsDeviceAndSaysWhatWasNotChecked() throws IOException {
        String md = markdown("seed-incident", Locale.ENGLISH);
        assertFalse(md.contains("No device is named in the evidence"), md);
        assertTrue(md.contains("1 device in the evidence"), md);
        assertTrue(md.contains("UNACKED_UNPLUG") && md.contains("no QMP transcript, libvirtd debug log or tool record of the unplug"), md);
        assertTrue(md.contains("No evidence from a migration destination"), md);
    }

    /**
     * A file that could not be read (a program's binary among the logs) is in the report with why, in both languages:
     * the report's reader has no vmcase to ask which files gave nothing.
     */
    @Test
    void aFileThatCouldNotBeReadIsInTheReportWithWhy(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path evidence = java.nio.file.Files.createDirectories(dir.resolve("evidence"));
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(CASES.resolve("seed-incident").resolve("evidence"))) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, evidence.resolve(f.getFileName()));
            }
        }
        java.nio.file.Files.copy(Path.of("/bin/true"), evidence.resolve("core-dump.bin"));
        for (Locale l : List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE)) {
            CaseFile c = CaseFile.fromInputs(List.of(evidence));
            AnalysisResult r = CaseAnalysis.run(c, ProgressMonitor.NONE);
            StringWriter out = new StringWriter();
            new CaseReport("bad-file", c, r, ReportImages.NONE, l).markdown(out, null);
            String md = out.toString().replace("\\", "");
            String expected = l == Locale.ENGLISH ? "| evidence/core-dump.bin | - | binary content (NUL bytes), not read as text |"
                    : "| evidence/core-dump.bin | - | ";
            assertTrue(md.contains(expected), md);
            assertTrue(md.contains(l == Locale.ENGLISH ? "One problem reading the evidence" : "读取证据时有 1 个问题"), md);
        }
    }

    @Test
    void aReportOfThreeVmsSaysWhichVmEachFindingAndCheckIsAbout() throws IOException {
        String md = markdown("three-vms", Locale.ENGLISH);
        assertTrue(md.contains("3 VMs in the evidence"), md);
        assertTrue(md.contains("ORPHANED_FRONTEND — virtio-disk1, 0000:00:07.0 — VM vm-alpha"), md);
        assertTrue(md.contains("| vm-bravo | ORPHANED_FRONTEND | clear |"), md);
        String zh = markdown("three-vms", Locale.SIMPLIFIED_CHINESE);
        assertTrue(zh.contains("| vm-bravo | ORPHANED_FRONTEND | 无问题 |"), zh);
    }
}
