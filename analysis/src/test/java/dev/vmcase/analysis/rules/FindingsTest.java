package dev.vmcase.analysis.rules;

import dev.vmcase.model.Finding;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Any rule's finding that cites a line showing a known upstream bug's signature says so. */
class FindingsTest {
    private static SourceRef line(int n, String text) {
        return new SourceRef("0", "description.txt", n, text);
    }

    @Test
    void aFindingCitingAKnownBugsSignatureNamesTheBugAndItsFix() {
        // QEMU issue 932's own description (the catalogue's sample of the bug is another report's line)
        Finding f = Findings.of("MIGRATION_FAILED", Severity.ERROR)
                .cite(line(3, "qemu-system-x86_64: Missing section footer for 0000:00:01.3/piix4_pm"))
                .cite(line(4, "qemu-system-x86_64: Error -22 while loading VM state"))
                .message("migration_failed", "x").build();
        assertEquals("https://gitlab.com/qemu-project/qemu/-/issues/932", f.details().get("known-bug"));
        assertTrue(f.details().get("fixed-in").startsWith("QEMU 7.0.0"), f.details().get("fixed-in"));
        String notes = f.details().get(Findings.NOTES);
        assertTrue(notes.contains("note_known_bug|https://gitlab.com/qemu-project/qemu/-/issues/932"), notes);
        assertTrue(notes.contains("note_fixed_in|QEMU 7.0.0"), notes);
    }

    @Test
    void aFindingWithoutSuchALineNamesNoBug() {
        // a section footer QEMU misses for another device (https://bugs.launchpad.net/bugs/1739378)
        Finding f = Findings.of("MIGRATION_FAILED", Severity.ERROR)
                .cite(line(1, "qemu-system-arm: Missing section footer for sd-card"))
                .message("migration_failed", "x").build();
        assertNull(f.details().get("known-bug"));
        assertFalse(f.details().containsKey(Findings.NOTES));
    }
}
