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
    void aDiskBehindARootPortIsOneRowNamedByItsWholePath() {
        // q35 (produce_q35_fixtures.py): virtio-disk1 on the root port pci.5 at 00:07.0, after device_del + drive_del;
        // the firmware gave the port's bus number 5, the command line says only bus=pci.5
        java.nio.file.Path q = Fixtures.QEMU;
        AnalysisResult r = Analysis.run(Fixtures.load(q.resolve("q35-command-line.txt"), q.resolve("q35-run-info-qtree.txt"),
                q.resolve("q35-run-query-pci.json")));
        DeviceTable t = DeviceReconciler.reconcile(r.evidence());
        DeviceRow orphan = t.sourceById("virtio-disk1").orElseThrow();
        assertEquals("0000:00:07.0:00.0", orphan.pciPath().orElseThrow().toString());
        assertEquals("0000:05:00.0", orphan.pci().toString(), "the bus number QEMU's PCI view printed");
        assertEquals(List.of("virtio-disk1", "0000:00:07.0:00.0"), orphan.names());
        assertEquals(orphan, t.sourceAt(dev.vmcase.model.PciPath.parse("0000:00:07.0:00.0").orElseThrow()).orElseThrow());
        assertEquals("pci.5", t.sourceAt(dev.vmcase.model.PciPath.parse("0000:00:07.0").orElseThrow()).orElseThrow().qdevId(),
                "the port is a row of its own");
        assertEquals(Presence.PRESENT, orphan.presence(Layer.COMMAND_LINE));
        assertEquals(Presence.DIFFERENT, orphan.presence(Layer.QDEV));
        // libvirt's pci.2 is the guest's bus 4: the row keeps QEMU's number and the command line's path
        DeviceRow disk0 = t.sourceById("virtio-disk0").orElseThrow();
        assertEquals("0000:04:00.0", disk0.pci().toString());
        assertEquals("0000:00:02.1:00.0", disk0.place());
        List<String> orphanFinding = r.findings().stream().filter(f -> f.rule().equals("ORPHANED_FRONTEND"))
                .flatMap(f -> f.devices().stream()).toList();
        assertEquals(List.of("virtio-disk1", "0000:00:07.0:00.0"), orphanFinding);
    }

    @Test
    void aLaterAnswerInTheSameTranscriptSupersedesAnEarlierOne() {
        DeviceTable t = DeviceReconciler.reconcile(Fixtures.load(Fixtures.DISK_CASE.resolve("source-qmp.jsonl")));
        // the transcript queried the block layer before (drive inserted) and after drive_del (anonymous)
        assertEquals(Presence.DIFFERENT, t.sourceById("virtio-disk1").orElseThrow().presence(Layer.BLOCK));
        assertEquals(Presence.PRESENT, t.sourceById("virtio-disk0").orElseThrow().presence(Layer.BLOCK));
    }
}
