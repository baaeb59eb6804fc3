package dev.vmcase.analysis.diff;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.analysis.devices.DeviceReconciler.Side;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceDiffTest {
    private static final Path CASES = Path.of("../sample-cases");

    private static AnalysisResult open(String name) {
        return Analysis.run(Fixtures.load(CASES.resolve(name).resolve("evidence")));
    }

    @Test
    void realQemuCasesShowVirtioDisk1AsTheOrphanWithItsReason() {
        for (String c : List.of("orphaned-disk-qemu", "lab-orphaned-disk")) {
            DiffResult d = DeviceDiff.compare(open(c).devices());
            assertEquals(List.of("virtio-disk1"), d.orphans().stream().map(DiffRow::key).toList(), c);
            DiffRow disk1 = d.row("virtio-disk1").orElseThrow();
            assertEquals("virtio-disk1 (0000:00:06.0)", disk1.label());
            String reason = disk1.orphan().text(Locale.ROOT);
            assertEquals("still in qdev, pci; qdev shows drive = \"\"; the block layer keeps only an anonymous drive"
                    + " with no medium; the destination does not know it and rejected its migration section"
                    + " 0000:00:06.0/virtio-blk", reason, c);
            assertTrue(disk1.orphan().text(Locale.SIMPLIFIED_CHINESE).contains("拒绝了它的迁移段"));
            // the destination looked at its command line and has no virtio-disk1 there
            assertEquals(Presence.ABSENT, disk1.right().presence(Layer.COMMAND_LINE));
            assertEquals(Presence.DIFFERENT, disk1.left().presence(Layer.QDEV));
            assertFalse(disk1.left().evidence(Layer.QDEV).isEmpty(), "a qdev cell keeps its lines");
            assertTrue(disk1.different());
            // the healthy disk is matched by id on both sides and agrees
            DiffRow disk0 = d.row("virtio-disk0").orElseThrow();
            assertNull(disk0.orphan());
            assertTrue(disk0.left().exists() && disk0.right().exists());
            assertFalse(disk0.different(), disk0.changedProperties().toString());
            // board devices the destination never showed (no qdev/PCI evidence there) are not differences
            assertFalse(d.row("pci:0000:00:00.0").orElseThrow().different());
            assertEquals(List.of("virtio-disk1"), d.differences().stream().map(DiffRow::key).toList(), c);
        }
    }

    @Test
    void theSameOrphanFromTheCapturedQmpAloneAndFromTheQtreeAlone() {
        Path c = CASES.resolve("orphaned-disk-qemu/evidence");
        // the QMP transcript (query-pci, query-block and the HMP commands it carried) with the destination's log
        DiffResult qmp = DeviceDiff.compare(Analysis.run(Fixtures.load(c.resolve("source-qmp.jsonl"),
                c.resolve("destination-qemu.log"))).devices());
        assertEquals(List.of("virtio-disk1"), qmp.orphans().stream().map(DiffRow::key).toList());
        assertTrue(qmp.orphans().get(0).orphan().has("reason.rejected"));
        // HMP info qtree (drive = "") and info block, with the destination's log
        DiffResult qtree = DeviceDiff.compare(Analysis.run(Fixtures.load(c.resolve("source-info-qtree.txt"),
                c.resolve("source-info-block.txt"), c.resolve("destination-qemu.log"))).devices());
        assertEquals(List.of("virtio-disk1"), qtree.orphans().stream().map(DiffRow::key).toList());
        assertTrue(qtree.orphans().get(0).orphan().has("reason.drive-empty"), qtree.orphans().get(0).orphan().toString());
    }

    @Test
    void twoPointsOfTheQmpTranscriptShowTheDriveGoingAnonymous() {
        Path c = CASES.resolve("orphaned-disk-qemu/evidence");
        dev.vmcase.model.Evidence e = Fixtures.load(c.resolve("source-qmp.jsonl"), c.resolve("destination-qemu.log"));
        AnalysisResult r = Analysis.run(e);
        List<Snapshot> snaps = DeviceDiff.snapshots(e);
        Snapshot firstBlock = snaps.stream().filter(s -> s.layers().contains(Layer.BLOCK)).findFirst().orElseThrow();
        Snapshot last = snaps.get(snaps.size() - 1);
        DiffResult d = DeviceDiff.compare(e, r.devices(), DiffSpec.at(Side.SOURCE, firstBlock), DiffSpec.at(Side.SOURCE, last));
        DiffRow disk1 = d.row("virtio-disk1").orElseThrow();
        assertEquals(Presence.PRESENT, disk1.left().presence(Layer.BLOCK));
        assertEquals(Presence.DIFFERENT, disk1.right().presence(Layer.BLOCK));
        assertTrue(disk1.different());
        assertTrue(disk1.changedProperties().stream().anyMatch(p -> p.name().startsWith("block ")),
                disk1.changedProperties().toString());
        assertFalse(d.row("virtio-disk0").orElseThrow().different(),
                d.row("virtio-disk0").orElseThrow().changedProperties().toString());
        assertTrue(DeviceDiff.specName(DiffSpec.at(Side.SOURCE, last), Locale.ROOT).startsWith("source as of source-qmp.jsonl:"));
    }

    @Test
    void seedShowsTheRejectedSlotSixDeviceAsTheOrphan() {
        AnalysisResult r = open("seed-incident");
        DiffResult d = DeviceDiff.compare(r.devices());
        assertEquals(1, d.rows().size());
        DiffRow row = d.rows().get(0);
        assertEquals("pci:0000:00:06.0", row.key());
        assertEquals("virtio-blk", row.type());
        assertEquals(6, row.left().row().pci().slot());
        assertTrue(row.isOrphan());
        assertEquals("the destination does not know it and rejected its migration section 0000:06.0/virtio-blk",
                row.orphan().text(Locale.ROOT));
        assertEquals(9, row.left().evidence(Layer.MIGRATION).get(0).line());
        assertEquals(List.of(row), d.differences());
    }

    @Test
    void qdevAgainstCommandLineShowsTheEmptiedDriveProperty() {
        DeviceTable t = open("orphaned-disk-qemu").devices();
        DiffResult d = DeviceDiff.compare(t, DiffSpec.of(Side.SOURCE, Layer.QDEV), DiffSpec.of(Side.SOURCE, Layer.COMMAND_LINE));
        DiffRow disk1 = d.row("virtio-disk1").orElseThrow();
        PropertyDiff drive = disk1.properties().stream().filter(p -> p.name().equals("drive")).findFirst().orElseThrow();
        assertEquals("\"\"", drive.left());
        assertEquals("drive-virtio-disk1", drive.right());
        assertTrue(drive.changed());
        assertFalse(drive.leftEvidence().isEmpty());
        assertFalse(drive.rightEvidence().isEmpty());
        assertTrue(disk1.different());
        PropertyDiff disk0 = d.row("virtio-disk0").orElseThrow().properties().stream()
                .filter(p -> p.name().equals("drive")).findFirst().orElseThrow();
        assertFalse(disk0.changed(), disk0.toString());
        // the board devices are on no command line: not compared as missing
        assertFalse(d.row("pci:0000:00:00.0").orElseThrow().different());
    }

    @Test
    void blockLayerAgainstQdevShowsTheMissingMedium() {
        DeviceTable t = open("orphaned-disk-qemu").devices();
        DiffResult d = DeviceDiff.compare(t, DiffSpec.of(Side.SOURCE, Layer.BLOCK), DiffSpec.of(Side.SOURCE, Layer.QDEV));
        DiffRow disk1 = d.row("virtio-disk1").orElseThrow();
        assertEquals(Presence.DIFFERENT, disk1.left().presence(Layer.BLOCK));
        assertTrue(disk1.properties().stream().anyMatch(p -> p.name().equals("backend.inserted")
                && "false".equals(p.left())), disk1.properties().toString());
    }

    // identity and order: hand-made observations, two sides that list the same devices in opposite orders with
    // the same attributes inserted in opposite orders

    private static DeviceObservation obs(String artifact, Layer layer, String id, int slot, Map<String, String> attrs) {
        return new DeviceObservation(new SourceRef(artifact, artifact + ".txt", slot, "line"), layer, DeviceRole.FRONTEND,
                id, "virtio-blk-pci", PciAddress.of(0, slot, 0), "drive-" + id, attrs);
    }

    private static DeviceRow row(String artifact, String id, int slot, boolean reversed) {
        Map<String, String> attrs = new LinkedHashMap<>();
        List<String[]> kv = new ArrayList<>(List.of(new String[]{"alias", id}, new String[]{"target", "vd" + slot},
                new String[]{"bus", "pci.0"}));
        if (reversed) {
            Collections.reverse(kv);
        }
        kv.forEach(e -> attrs.put(e[0], e[1]));
        Map<Layer, Presence> p = new java.util.EnumMap<>(Layer.class);
        p.put(Layer.LIBVIRT_XML, Presence.PRESENT);
        return new DeviceRow(id, id, "virtio-blk-pci", PciAddress.of(0, slot, 0), "drive-" + id, p,
                List.of(obs(artifact, Layer.LIBVIRT_XML, id, slot, attrs)));
    }

    @Test
    void matchesByIdentityNotPositionAndIgnoresAttributeOrder() {
        List<DeviceRow> src = List.of(row("a", "disk-a", 5, false), row("a", "disk-b", 6, false));
        List<DeviceRow> dst = List.of(row("b", "disk-b", 6, true), row("b", "disk-a", 5, true));
        DiffResult d = DeviceDiff.compare(new DeviceTable(src, dst, List.of()));
        assertEquals(List.of("disk-a", "disk-b"), d.rows().stream().map(DiffRow::key).toList());
        for (DiffRow r : d.rows()) {
            assertEquals(r.key(), r.right().row().key());
            assertFalse(r.different(), r.changedProperties().toString());
        }
        assertEquals(List.of(), d.differences());
        // a changed address is a property difference
        List<DeviceRow> moved = List.of(row("b", "disk-b", 7, true), row("b", "disk-a", 5, true));
        DiffRow b = DeviceDiff.compare(new DeviceTable(src, moved, List.of())).row("disk-b").orElseThrow();
        PropertyDiff addr = b.changedProperties().stream().filter(p -> p.name().equals("libvirt addr")).findFirst()
                .orElseThrow();
        assertEquals("0000:00:06.0", addr.left());
        assertEquals("0000:00:07.0", addr.right());
        assertNotNull(b.right().row());
    }

    @Test
    void aDeviceOnlyTheDestinationHasComesLast() {
        List<DeviceRow> src = List.of(row("a", "disk-a", 5, false));
        List<DeviceRow> dst = List.of(row("b", "disk-c", 9, false), row("b", "disk-a", 5, false));
        // the source's XML is a whole live XML: it lists every device libvirt has
        List<Coverage> whole = xmlListing(Coverage.Extent.ALL);
        DiffResult d = DeviceDiff.compare(new DeviceTable(src, dst, List.of(), "", whole, whole));
        assertEquals(List.of("disk-a", "disk-c"), d.rows().stream().map(DiffRow::key).toList());
        DiffRow c = d.row("disk-c").orElseThrow();
        assertFalse(c.left().exists());
        assertEquals(Presence.ABSENT, c.left().presence(Layer.LIBVIRT_XML));
        assertTrue(c.left().notHere());
        assertTrue(c.different());
    }

    @Test
    void aPartialSourceSaysNothingOfWhatItDoesNotList() {
        List<DeviceRow> src = List.of(row("a", "disk-a", 5, false));
        List<DeviceRow> dst = List.of(row("b", "disk-c", 9, false), row("b", "disk-a", 5, false));
        // the source's XML lists some devices only (a filtered XML, a <disk> fragment)
        List<Coverage> some = xmlListing(Coverage.Extent.SOME);
        DiffRow c = DeviceDiff.compare(new DeviceTable(src, dst, List.of(), "", some, some)).row("disk-c").orElseThrow();
        assertEquals(Presence.NO_EVIDENCE, c.left().presence(Layer.LIBVIRT_XML));
        assertTrue(c.left().noEvidence());
        assertFalse(c.left().notHere());
        assertFalse(c.different(), "no evidence on one side is no disagreement");
    }

    @Test
    void oneHostsEvidenceHasNoDestinationSideNotADestinationWithoutTheDevices() throws IOException {
        // the lab's clean unplug without its destination folder: one host
        Path c = CASES.resolve("lab-clean-unplug/evidence");
        List<Path> files;
        try (var s = Files.list(c)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        AnalysisResult r = Analysis.run(Ingest.load(files, ProgressMonitor.NONE));
        DeviceTable t = r.devices();
        assertFalse(t.hasDestination());
        DiffResult d = DeviceDiff.compare(t);
        assertFalse(d.rightHasEvidence());
        assertTrue(d.rows().stream().allMatch(row -> row.right().noEvidence()), d.rows().toString());
        assertTrue(d.rows().stream().noneMatch(row -> row.right().notHere()));
        // it opens on two layers of the one host instead
        DiffSpec[] open = DeviceDiff.defaultSpecs(t);
        assertEquals(DiffSpec.of(Side.SOURCE, Layer.COMMAND_LINE), open[0]);
        assertEquals(DiffSpec.of(Side.SOURCE, Layer.QDEV), open[1]);
    }

    /** The source's libvirt XML, listing every device ({@code ALL}) or some of them ({@code SOME}). */
    private static List<Coverage> xmlListing(Coverage.Extent extent) {
        return List.of(new Coverage(new SourceRef("a", "a.txt", 1, ""), Layer.LIBVIRT_XML, Coverage.EVERY_CLASS, extent));
    }
}
