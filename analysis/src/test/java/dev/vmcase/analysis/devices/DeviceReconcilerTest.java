package dev.vmcase.analysis.devices;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Layer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reconciliation over real QEMU 7.2 dumps taken after device_del + drive_del of virtio-disk1 (no guest). */
class DeviceReconcilerTest {
    private final DeviceTable table = DeviceReconciler.reconcile(Fixtures.load(
            Fixtures.QEMU.resolve("run-after-info-qtree.txt"), Fixtures.QEMU.resolve("run-after-query-pci.json"),
            Fixtures.QEMU.resolve("run-after-query-block.json")));

    private DeviceRow row(String id) {
        return table.sourceById(id).orElseThrow(() -> new AssertionError(id + " not in " + table.source()));
    }

    @Test
    void theOrphanHasAnEmptiedDriveAndAnAnonymousBlockEntry() {
        DeviceRow orphan = row("virtio-disk1");
        assertEquals("0000:00:06.0", orphan.pci().toString());
        assertEquals(Presence.DIFFERENT, orphan.presence(Layer.QDEV));
        assertEquals(Presence.PRESENT, orphan.presence(Layer.PCI));
        assertEquals(Presence.DIFFERENT, orphan.presence(Layer.BLOCK));
    }

    @Test
    void aBlockdevDiskWithoutADeviceNameIsPresentNotAnonymous() {
        DeviceRow disk0 = row("virtio-disk0");
        assertEquals("libvirt-2-format", disk0.backend());
        assertEquals(Presence.PRESENT, disk0.presence(Layer.BLOCK));
        assertEquals(Presence.PRESENT, disk0.presence(Layer.QDEV));
    }

    @Test
    void anEmptyCdromIsNotAnOrphan() {
        DeviceRow cd = row("ide0-1-0");
        assertEquals(Presence.PRESENT, cd.presence(Layer.BLOCK));
    }

    @Test
    void onlyTheOrphanIsAccused() {
        AnalysisResult r = Analysis.run(Fixtures.load(Fixtures.QEMU.resolve("run-after-info-qtree.txt"),
                Fixtures.QEMU.resolve("run-after-query-pci.json"), Fixtures.QEMU.resolve("run-after-query-block.json")));
        assertEquals(List.of("ORPHANED_FRONTEND"), Fixtures.rules(r));
        assertEquals(List.of("virtio-disk1", "0000:00:06.0"), r.findings().get(0).devices());
    }

    @Test
    void beforeTheUnplugNothingIsWrong() {
        AnalysisResult r = Analysis.run(Fixtures.load(Fixtures.QEMU.resolve("run-before-info-qtree.txt"),
                Fixtures.QEMU.resolve("run-before-query-block.json")));
        assertEquals(List.of(), r.findings());
        assertEquals(Presence.PRESENT, DeviceReconciler.reconcile(r.evidence()).sourceById("virtio-disk1").orElseThrow()
                .presence(Layer.BLOCK));
    }

    @Test
    void aLaterAnswerInTheSameTranscriptSupersedesAnEarlierOne() {
        DeviceTable t = DeviceReconciler.reconcile(Fixtures.load(Fixtures.DISK_CASE.resolve("source-qmp.jsonl")));
        // the transcript queried the block layer before (drive inserted) and after drive_del (anonymous)
        assertEquals(Presence.DIFFERENT, t.sourceById("virtio-disk1").orElseThrow().presence(Layer.BLOCK));
        assertEquals(Presence.PRESENT, t.sourceById("virtio-disk0").orElseThrow().presence(Layer.BLOCK));
    }
}
