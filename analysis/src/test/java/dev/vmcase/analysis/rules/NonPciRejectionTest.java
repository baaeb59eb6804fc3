package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loading QEMU that rejects a section or RAM block of no PCI device (the machine's RAM, a device on no PCI bus) is a
 * {@code MIGRATION_STATE_MISMATCH} all the same: named as QEMU names it, with no PCI address invented, saying that no
 * device could be checked, of the class its lines state; {@code MIGRATION_FAILED} about the same lines says the same
 * class. Real lines from public reports other than the public corpus's cases (each resource names its source).
 */
class NonPciRejectionTest {
    private static final Path DIR = Path.of("src/test/resources/dev/vmcase/analysis/rules");

    private static List<Finding> of(AnalysisResult r, String rule) {
        return r.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    private static Finding only(AnalysisResult r, String rule) {
        List<Finding> all = of(r, rule);
        assertEquals(1, all.size(), Fixtures.rules(r).toString());
        return all.get(0);
    }

    private static List<Integer> lines(Finding f) {
        return f.evidence().stream().map(SourceRef::line).sorted().toList();
    }

    @Test
    void aRamBlockOfAnotherSizeThenTheRamSectionIsOneRamblockMismatchNamingTheBlock() {
        // LP 1817268: 'Length mismatch: system.flash1: …' (line 5) then '… of device 'ram'' (line 6)
        AnalysisResult r = Analysis.run(Fixtures.load(DIR.resolve("lp-1817268-flash-length-mismatch.txt")));
        Finding f = only(r, MigrationStateMismatchRule.ID);
        assertEquals("ramblock-mismatch", f.details().get("failure-class"), "the size line's class, not 'ram''s");
        assertEquals("system.flash1", f.details().get("ramblock"));
        assertEquals("ram", f.details().get("idstr"));
        assertNull(f.details().get("pci"), "no PCI address for the machine's flash");
        assertNull(f.details().get("slot"));
        assertEquals("no-pci-address", f.details().get("unchecked"));
        assertTrue(f.details().get(Findings.NOTES).contains("note_no_pci_address|system.flash1"));
        assertEquals(List.of(5, 6), lines(f));
        String text = FindingText.summary(f);
        assertTrue(text.contains("system.flash1") && text.contains("0x100000") && text.contains("0x20000"), text);
        // the failure's verdict says the same class of the same lines
        assertEquals("ramblock-mismatch", only(r, MigrationFailedRule.ID).details().get("failure-class"));
    }

    @Test
    void anUnknownSectionOfNoPciDeviceIsNamedAndNotCheckedAgainstDevices() {
        // GitLab 2704: 's390_css' 0, the channel subsystem of an s390x machine
        AnalysisResult r = Analysis.run(Fixtures.load(DIR.resolve("gitlab-2704-s390-css-unknown.txt")));
        Finding f = only(r, MigrationStateMismatchRule.ID);
        assertEquals("s390_css", f.details().get("idstr"));
        assertEquals("device-missing-on-destination", f.details().get("failure-class"));
        assertNull(f.details().get("pci"));
        assertEquals("no-pci-address", f.details().get("unchecked"));
        assertTrue(f.devices().isEmpty(), "no device invented: " + f.devices());
        assertEquals(List.of(4), lines(f));
        assertTrue(FindingText.summary(f).contains("'s390_css'"), FindingText.summary(f));
        assertNull(f.details().get("known-bug"), "no known bug's signature in this line");
    }

    @Test
    void aSectionOfNoPciDeviceReadWithoutItsFooterIsAStateRejected() {
        // LP 1739378: 'Missing section footer for sd-card', an SD card on an ARM board
        AnalysisResult r = Analysis.run(Fixtures.load(DIR.resolve("lp-1739378-sd-card-footer.txt")));
        Finding f = only(r, MigrationStateMismatchRule.ID);
        assertEquals("sd-card", f.details().get("idstr"));
        assertEquals("device-state-rejected", f.details().get("failure-class"));
        assertNull(f.details().get("pci"));
        assertEquals("device-state-rejected", only(r, MigrationFailedRule.ID).details().get("failure-class"));
    }

    @Test
    void aRejectionAfterAPciDevicesRamBlockBelongsToThatDevice() {
        // the minimega case: 'Unknown ramblock "0000:00:04.0:01.0/e1000.rom"' then '… of device 'ram'': one finding,
        // the NIC's, and no second one for 'ram'
        AnalysisResult r = Analysis.run(Fixtures.load(
                Path.of("../sample-cases/public/mig-minimega-e1000-behind-bridge-from-file/evidence")));
        List<Finding> all = of(r, MigrationStateMismatchRule.ID);
        assertEquals(1, all.size(), all.toString());
        assertEquals("0000:00:04.0:01.0/e1000.rom", all.get(0).details().get("idstr"));
        assertFalse(all.get(0).details().containsKey("unchecked"));
    }

    @Test
    void aSavedStateRestoredSpeaksOfTheLoadingQemuNeverOfADestination() {
        // virsh save / virsh restore (LP 1924738): QEMU rejected the balloon's state it read back from the file
        AnalysisResult r = Analysis.run(Fixtures.load(
                Path.of("../sample-cases/public/ctl-virsh-restore-balloon-state-localized/evidence")));
        Finding f = only(r, MigrationStateMismatchRule.ID);
        String text = FindingText.summary(f);
        assertFalse(text.toLowerCase(java.util.Locale.ROOT).contains("destination"), text);
        assertTrue(text.contains("restored state"), text);
        assertEquals("true", f.details().get("restore"));
        assertTrue(f.details().get(Findings.NOTES).contains("note_failure_class_device-state-rejected_restore"));
    }

    @Test
    void aShortRootBusNameOfADeviceTheLoadingQemuHasIsOneConfigMismatchForEveryRule() {
        // LP 1259499: a QEMU 1.6 snapshot names the qxl's RAM block '0000:02.0/qxl.vram'; the restoring QEMU has the
        // qxl at 00:02.0 (-loadvm command line): both rules say config-mismatch
        AnalysisResult r = Analysis.run(Fixtures.load(
                Path.of("../sample-cases/public/mig-snapshot-revert-short-root-bus-1-6/evidence")));
        assertEquals("config-mismatch", only(r, MigrationStateMismatchRule.ID).details().get("failure-class"));
        assertEquals("config-mismatch", only(r, SnapshotRestoreFailedRule.ID).details().get("failure-class"));
    }

    @Test
    void aShortRootBusNameTheDestinationLacksStaysADeviceMissing() {
        // the seed: '0000:06.0/virtio-blk' where the destination was started without the disk
        AnalysisResult r = Analysis.run(Fixtures.load(
                Path.of("../sample-cases/seed-incident/evidence/000_01db9a105711600e.txt")));
        assertEquals("device-missing-on-destination",
                only(r, MigrationStateMismatchRule.ID).details().get("failure-class"));
        assertEquals("device-missing-on-destination", only(r, MigrationFailedRule.ID).details().get("failure-class"));
    }

    @Test
    void aPciDevicesRomOfAnotherSizeIsARamblockMismatchOfThatDevice() {
        // QEMU >= 5.2's wording: 'Size mismatch: 0000:00:05.0/virtio-net-pci.rom: 0x1000 != 0x8000000' (line 5), then
        // 'ram' (6) and the verdict (7): the NIC's ROM, at its PCI address, and not 'ram'
        AnalysisResult r = Analysis.run(Fixtures.load(DIR.resolve("martins3-rom-size-mismatch.txt")));
        Finding f = only(r, MigrationStateMismatchRule.ID);
        assertEquals("ramblock-mismatch", f.details().get("failure-class"));
        assertEquals("0000:00:05.0/virtio-net-pci.rom", f.details().get("ramblock"));
        assertEquals("0000:00:05.0", f.details().get("pci"));
        assertEquals("5", f.details().get("slot"));
        assertNull(f.details().get("unchecked"));
        assertTrue(lines(f).containsAll(List.of(5, 6)), lines(f).toString());
        assertEquals("ramblock-mismatch", only(r, MigrationFailedRule.ID).details().get("failure-class"));
    }

    @Test
    void anUnknownRamBlockOfNoDeviceAmongTraceLinesIsNamedWithoutAPciAddress() {
        // hot-plugged memory's backend 'hp_mem0' (line 9), then 'ram' (10), between trace lines
        AnalysisResult r = Analysis.run(Fixtures.load(DIR.resolve("martins3-hotplugged-memory-ramblock.txt")));
        Finding f = only(r, MigrationStateMismatchRule.ID);
        assertEquals("hp_mem0", f.details().get("idstr"));
        assertEquals("device-missing-on-destination", f.details().get("failure-class"));
        assertEquals("no-pci-address", f.details().get("unchecked"));
        assertNull(f.details().get("pci"));
        assertEquals(List.of(9, 10), lines(f));
    }

    @Test
    void aStreamThatBrokeOffIsATransportFailureWithNoStateRejected() {
        // LP 1817268: 'error while loading state section id 2(block)' names no device, RAM block or state
        AnalysisResult r = Analysis.run(Fixtures.load(DIR.resolve("lp-1817268-block-section-broke.txt")));
        assertEquals(List.of(), of(r, MigrationStateMismatchRule.ID));
        assertEquals("transport", only(r, MigrationFailedRule.ID).details().get("failure-class"));
    }
}
