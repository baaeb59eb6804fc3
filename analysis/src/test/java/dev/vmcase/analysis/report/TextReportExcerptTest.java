package dev.vmcase.analysis.report;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cited line longer than the terminal's excerpt — a web archive's copy of a mail flattens QEMU's lines into one
 * paragraph (https://www.mail-archive.com/qemu-devel@nongnu.org/msg1151766.html) — is shown around the section the
 * finding names, not cut after the paragraph's first words.
 */
class TextReportExcerptTest {
    @TempDir
    Path tmp;

    @Test
    void aLongCitedLineIsShownAroundWhatTheFindingNames() {
        String paragraph = "________________________________ Issue summary Source host: kernel 6.12, QEMU 9.2.4 Destination"
                + " host: kernel 6.1, QEMU 8.2.10 VM type: pc-q35-8.2, using virtio-net-pci with vhost backend Symptom:"
                + " Migration from 9.2.4 → 8.2.10 fails with virtio-net load error. Error log (destination):"
                + " 2025-09-23T07:06:14.915708Z qemu-8.2: Features 0x1c0010130afffa7 unsupported. Allowed features:"
                + " 0x179bfffe7 2025-09-23T07:06:14.915843Z qemu-8.2: Failed to load virtio-net:virtio"
                + " 2025-09-23T07:06:14.915851Z qemu-8.2: error while loading state for instance 0x0 of device"
                + " '0000:00:02.0:06.0/virtio-net' 2025-09-23T07:06:14.917894Z qemu-8.2: load of migration failed:"
                + " Operation not permitted ________________________________ Analysis It appears that virtio-net feature"
                + " bits differ between the two versions.";
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "mail.txt", "Hello QEMU developers,\n" + paragraph + "\n"));
        Finding f = r.findings().stream().filter(x -> x.rule().equals("MIGRATION_STATE_MISMATCH")).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
        String cited = f.evidence().stream().filter(e -> e.line() == 2).findFirst().orElseThrow().text().strip();
        String shown = TextReport.excerpt(cited, f);
        assertTrue(shown.contains("of device '0000:00:02.0:06.0/virtio-net'"), shown);
        assertTrue(shown.startsWith("…") && shown.endsWith("…"), shown);
        assertEquals(160, shown.length(), shown);
        // a line that fits is shown whole
        assertEquals("qemu: short", TextReport.excerpt("qemu: short", f));
    }
}
