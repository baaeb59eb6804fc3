package dev.vmcase.casefile;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.analysis.diff.DiffRow;
import dev.vmcase.model.Layer;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's pictures, drawn for the page from real cases: which devices, what each cell says, the print theme. */
class ReportPicturesTest {
    private static BufferedImage image(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** How many pixels have exactly this colour. */
    private static int count(BufferedImage img, java.awt.Color c) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == (c.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void theOrphanedDiskDrawsItsFindingsDeviceFirstAndTheTimelineOfBothHosts() throws Exception {
        AnalysisResult r = Analysis.run(Fixtures.load(Fixtures.DISK_CASE));
        ReportPictures p = ReportPictures.of(r, Map.of(), Locale.ROOT);
        List<DiffRow> devices = p.devices();
        assertEquals("virtio-disk1", devices.get(0).left().row().qdevId(), "the device the findings name");
        assertEquals(1, devices.size(), "every finding names the same device: it is drawn once");
        DiffRow disk = devices.get(0);
        assertTrue(disk.isOrphan());
        assertEquals(Presence.DIFFERENT, disk.left().presence(Layer.QDEV), "qdev shows drive = an empty string");
        BufferedImage d = image(p.deviceDiff().orElseThrow());
        assertEquals(ReportPictures.WIDTH * ReportPictures.SCALE, d.getWidth());
        assertEquals(0xffffff, d.getRGB(1, 1) & 0xffffff, "print theme: white paper");
        assertTrue(count(d, ReportPictures.DANGER) > 100, "the rejected and absent cells, the orphan's reason in red");
        BufferedImage t = image(p.timeline().orElseThrow());
        assertEquals(0xffffff, t.getRGB(1, 1) & 0xffffff);
        assertTrue(t.getHeight() > 300 && t.getWidth() == d.getWidth(), t.getWidth() + "x" + t.getHeight());
    }

    @Test
    void theSeedHasItsDeviceButNoTimeline() throws Exception {
        AnalysisResult r = Analysis.of(List.of(Path.of("../sample-cases/seed-incident/evidence")),
                dev.vmcase.parsers.ProgressMonitor.NONE);
        ReportPictures p = ReportPictures.of(r, Map.of(), Locale.SIMPLIFIED_CHINESE);
        assertEquals(1, p.devices().size());
        // the note names no host nor side: its device sits on the "source" side, rejected in the migration layer
        assertEquals(Presence.REJECTED, p.devices().get(0).left().presence(Layer.MIGRATION),
                "the destination rejected slot 6's state");
        assertTrue(p.deviceDiff().isPresent());
        assertFalse(p.timeline().isPresent(), "a pasted note has no dated line: no chart of nothing");
    }

    @Test
    void withoutFindingsTheDevicesWhoseLayersDisagreeAreDrawn() {
        AnalysisResult r = Analysis.of(List.of(Path.of("../sample-cases/lab-clean-unplug/evidence")),
                dev.vmcase.parsers.ProgressMonitor.NONE);
        assertTrue(r.findings().isEmpty(), r.findings().toString());
        ReportPictures p = ReportPictures.of(r, Map.of(), Locale.ROOT);
        assertTrue(p.devices().stream().allMatch(DiffRow::different), "only rows that differ");
        assertTrue(p.devices().size() <= 6);
    }

    @Test
    void longTextWrapsWithinTheWidthAtWordsOrAnywhereInChinese() {
        BufferedImage img = ReportPictures.canvas(10, 10);
        java.awt.Graphics2D g = ReportPictures.graphics(img);
        g.setFont(ReportPictures.font(java.awt.Font.PLAIN, 12));
        java.awt.FontMetrics fm = g.getFontMetrics();
        String en = "virtio-disk1 (0000:00:06.0), a virtio-blk-pci, is still in QEMU's device tree, but its backend is gone";
        List<String> lines = ReportPictures.wrap(en, fm, 200);
        assertTrue(lines.size() > 1 && lines.stream().allMatch(l -> fm.stringWidth(l) <= 200), lines.toString());
        assertEquals(en.replace(" ", ""), String.join("", lines).replace(" ", ""), "nothing lost");
        String zh = "块设备数据记录中已经没有virtio-disk1设备在qemu-pci记录里仍存在".repeat(3);
        List<String> zl = ReportPictures.wrap(zh, fm, 120);
        assertTrue(zl.size() > 2 && zl.stream().allMatch(l -> fm.stringWidth(l) <= 120), zl.toString());
        assertEquals(zh, String.join("", zl));
        g.dispose();
    }
}
