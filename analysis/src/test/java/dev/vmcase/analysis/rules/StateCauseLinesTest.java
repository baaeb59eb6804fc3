package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why a destination rejected a state, from the catalogue's cause lines that are not about a queue or a config byte:
 * virtio's feature check and vmstate's version checks. Each text is QEMU's output as a qemu-devel mail quotes it
 * (the quote marks and program names as they were), not a corpus case.
 */
class StateCauseLinesTest {
    @TempDir
    Path tmp;

    private static Finding rule(AnalysisResult r, String id) {
        return r.findings().stream().filter(f -> f.rule().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
    }

    private static List<Integer> lines(Finding f) {
        return f.evidence().stream().map(SourceRef::line).sorted().toList();
    }

    @Test
    void featuresTheDestinationDoesNotOfferAreTheCauseOfTheRejection() {
        // https://lore.kernel.org/qemu-devel/20240517075336.104091-1-f.ebner@proxmox.com/ (Proxmox's QEMU, "kvm:")
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "mail.txt", "Migration from an 8.2 or 9.0 binary to an"
                + " 8.1 binary with machine\nversion 8.1 can fail with:\n\n"
                + "> kvm: Features 0x1c0010130afffa7 unsupported. Allowed features: 0x10179bfffe7\n"
                + "> kvm: Failed to load virtio-net:virtio\n"
                + "> kvm: error while loading state for instance 0x0 of device '0000:00:12.0/virtio-net'\n"
                + "> kvm: load of migration failed: Operation not permitted\n"));
        Finding f = rule(r, MigrationStateMismatchRule.ID);
        assertEquals("device-state-rejected", f.details().get("failure-class"));
        assertEquals("0000:00:12.0", f.details().get("pci"));
        assertEquals(List.of(4, 5, 6), lines(f), "the features line, the field, the section");
    }

    @Test
    void aStateDescriptionNewerThanTheLoadersIsTheCauseOfARestoreThatFailed() {
        // https://lore.kernel.org/qemu-devel/fc9483ba-513d-4796-b5e3-68819125c4c7@proxmox.com/ (a snapshot, loadvm)
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "mail.txt", "it'll fail with:\n\n"
                + "> qemu-system-x86_64: virtio-gpu-scanouts: incoming version_id 2 is too new for local version_id 1\n"
                + "> qemu-system-x86_64: Missing section footer for 0000:00:02.0/virtio-gpu\n"
                + "> qemu-system-x86_64: Error -22 while loading VM state\n"));
        Finding restore = rule(r, SnapshotRestoreFailedRule.ID);
        assertEquals("device-state-rejected", restore.details().get("failure-class"));
        assertTrue(lines(restore).containsAll(List.of(3, 4, 5)), lines(restore)::toString);
        assertEquals(List.of(3, 4), lines(rule(r, MigrationStateMismatchRule.ID)));
        assertTrue(r.findings().stream().noneMatch(x -> x.rule().equals(MigrationFailedRule.ID)),
                "a snapshot restore, not a live migration");
    }

    @Test
    void aSectionVersionTheDestinationDoesNotSupportIsARejectedStateNamedAsQemuNamesIt() {
        // https://lore.kernel.org/qemu-devel/20211122171020.1195483-1-eric.auger@redhat.com/ (QEMU 6.2-rc to 6.1)
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "mail.txt", "This breaks the migration between\n"
                + "6.2 and 6.1 with the following message:\n\n"
                + "qemu-system-aarch64: savevm: unsupported version 1 for 'arm_gicv3_its' v0\n"
                + "qemu-system-aarch64: load of migration failed: Invalid argument\n"));
        Finding f = rule(r, MigrationStateMismatchRule.ID);
        assertEquals("arm_gicv3_its", f.details().get("idstr"));
        assertEquals("device-state-rejected", f.details().get("failure-class"));
        assertNull(f.details().get("pci"), "no PCI address invented for a section that names none");
        assertEquals("https://lore.kernel.org/qemu-devel/20211122171020.1195483-1-eric.auger@redhat.com/",
                f.details().get("known-bug"));
        assertEquals("device-state-rejected", rule(r, MigrationFailedRule.ID).details().get("failure-class"));
    }
}
