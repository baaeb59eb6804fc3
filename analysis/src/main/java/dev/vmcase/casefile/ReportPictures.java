package dev.vmcase.casefile;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.analysis.diff.DeviceDiff;
import dev.vmcase.analysis.diff.DiffCell;
import dev.vmcase.analysis.diff.DiffResult;
import dev.vmcase.analysis.diff.DiffRow;
import dev.vmcase.analysis.timeline.ClockOffsets;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * The report's pictures, drawn for the page rather than copied from the screen: a diagram of the finding's devices
 * across layers (each device a row per side, a box per layer saying present, emptied, absent, rejected or no
 * evidence) and a chart of the timeline ({@link TimelineChart}), both in the light print theme whatever the workbench
 * shows, with their legend and without any control. Drawn with Java2D, so {@code vmcase report} needs no display and
 * starts no GUI toolkit.
 *
 * <pre>
 *  virtio-disk1 · virtio-blk-pci · 0000:00:06.0
 *  ⚠ still in qdev, pci; qdev shows drive = ""; …
 *                libvirt XML  command line  qdev tree  PCI  block layer  migration stream
 *  source        [absent ]    [present ]    [present]  …
 *  destination   [—      ]    [absent  ]    …                             [rejected]
 * </pre>
 */
public final class ReportPictures implements ReportImages {
    /** Pixels per drawing unit: sharp on a high-density screen and in print. */
    static final int SCALE = 2;
    static final int WIDTH = 1100;
    private static final int MAX_DEVICES = 6;
    static final Color INK = new Color(0x1f2328);
    static final Color MUTED = new Color(0x656d76);
    static final Color RULE = new Color(0xd0d7de);
    static final Color PAPER = Color.WHITE;
    static final Color SUBTLE = new Color(0xf6f8fa);
    static final Color DANGER = new Color(0xcf222e);
    static final Color WARNING = new Color(0x9a6700);
    static final Color SUCCESS = new Color(0x1a7f37);
    static final Color ACCENT = new Color(0x0969da);

    private final List<DiffRow> devices;
    private final byte[] devicePng;
    private final byte[] timelinePng;

    private ReportPictures(List<DiffRow> devices, byte[] devicePng, byte[] timelinePng) {
        this.devices = devices;
        this.devicePng = devicePng;
        this.timelinePng = timelinePng;
    }

    /** Draws both pictures of an analysis (any thread; the timeline model is built here). */
    public static ReportPictures of(AnalysisResult r, Map<String, Long> clockOffsets, Locale locale) {
        ResourceBundle b = ResourceBundle.getBundle("dev.vmcase.casefile.CaseReport", locale);
        DiffResult diff = DeviceDiff.compare(r.devices());
        List<DiffRow> rows = devicesOf(r.findings(), diff);
        byte[] device = rows.isEmpty() ? null : png(new DeviceDiagram(rows, b, locale).draw());
        TimelineModel tm = TimelineModel.of(r);
        tm.setOffsets(new ClockOffsets(clockOffsets == null ? Map.of() : clockOffsets));
        byte[] timeline = tm.size() == 0 ? null : png(new TimelineChart(tm, b).draw());
        return new ReportPictures(rows, device, timeline);
    }

    /**
     * The devices the diagram shows: those the findings name, in the findings' order; without findings, the devices
     * whose layers disagree; at most {@value #MAX_DEVICES}.
     */
    static List<DiffRow> devicesOf(List<Finding> findings, DiffResult diff) {
        Set<DiffRow> out = new LinkedHashSet<>();
        for (Finding f : findings) {
            for (String name : f.devices()) {
                diff.row(name).ifPresent(out::add);
            }
        }
        if (out.isEmpty()) {
            out.addAll(diff.differences());
        }
        return out.stream().limit(MAX_DEVICES).toList();
    }

    /** The devices drawn in the diagram, in order. */
    public List<DiffRow> devices() {
        return devices;
    }

    @Override
    public Optional<byte[]> timeline() {
        return Optional.ofNullable(timelinePng);
    }

    @Override
    public Optional<byte[]> deviceDiff() {
        return Optional.ofNullable(devicePng);
    }

    // ---------------------------------------------------------------- drawing helpers shared by both pictures

    static BufferedImage canvas(int width, int height) {
        BufferedImage img = new BufferedImage(width * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(PAPER);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        return img;
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.scale(SCALE, SCALE);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    /** The logical sans-serif face: fontconfig picks a face per character, CJK included. */
    static Font font(int style, float size) {
        return new Font(Font.SANS_SERIF, style, 1).deriveFont(size);
    }

    static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Breaks {@code text} into lines no wider than {@code width} (at word boundaries, or anywhere in CJK text). */
    static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> lines = new ArrayList<>();
        BreakIterator it = BreakIterator.getLineInstance();
        it.setText(text);
        StringBuilder line = new StringBuilder();
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String word = text.substring(start, end);
            if (line.length() > 0 && fm.stringWidth(line + word.stripTrailing()) > width) {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
            }
            while (fm.stringWidth(word) > width && word.length() > 1) { // one word wider than the line
                int cut = word.length() - 1;
                while (cut > 1 && fm.stringWidth(word.substring(0, cut)) > width) {
                    cut--;
                }
                lines.add(word.substring(0, cut));
                word = word.substring(cut);
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** A device across layers: a row per side, a box per layer. */
    static final class DeviceDiagram {
        private static final int MARGIN = 16;
        private static final int SIDE_W = 110;
        private static final int CELL_H = 30;
        private final List<DiffRow> rows;
        private final ResourceBundle b;
        private final Locale locale;

        DeviceDiagram(List<DiffRow> rows, ResourceBundle b, Locale locale) {
            this.rows = rows;
            this.b = b;
            this.locale = locale;
        }

        BufferedImage draw() {
            BufferedImage probe = canvas(1, 1);
            Graphics2D pg = graphics(probe);
            int height = layout(pg, null);
            pg.dispose();
            BufferedImage img = canvas(WIDTH, height);
            Graphics2D g = graphics(img);
            layout(g, img);
            g.dispose();
            return img;
        }

        /** Lays out (and, with an image, draws) every block; returns the height used. */
        private int layout(Graphics2D g, BufferedImage img) {
            boolean paint = img != null;
            int y = MARGIN;
            Font title = font(Font.BOLD, 15);
            Font body = font(Font.PLAIN, 12);
            Font small = font(Font.PLAIN, 11);
            Font cellFont = font(Font.BOLD, 11);
            List<Layer> layers = DeviceDiff.LAYERS;
            int cellW = (WIDTH - 2 * MARGIN - SIDE_W) / layers.size();
            g.setFont(title);
            if (paint) {
                g.setColor(INK);
                g.drawString(b.getString("picture.devices.title"), MARGIN, y + 14);
            }
            y += 28;
            for (DiffRow row : rows) {
                g.setFont(font(Font.BOLD, 13));
                String head = row.label() + (row.type().isEmpty() ? "" : " \u00b7 " + row.type());
                if (paint) {
                    g.setColor(row.isOrphan() ? DANGER : INK);
                    g.drawString(head, MARGIN, y + 13);
                }
                y += 20;
                if (row.isOrphan()) {
                    g.setFont(body);
                    FontMetrics fm = g.getFontMetrics();
                    for (String line : wrap("\u26a0 " + row.orphan().text(locale), fm, WIDTH - 2 * MARGIN)) {
                        if (paint) {
                            g.setColor(DANGER);
                            g.drawString(line, MARGIN, y + fm.getAscent());
                        }
                        y += fm.getHeight();
                    }
                    y += 2;
                }
                // layer names over the columns
                g.setFont(small);
                FontMetrics fm = g.getFontMetrics();
                int headH = 0;
                for (int i = 0; i < layers.size(); i++) {
                    List<String> name = wrap(DeviceDiff.layerName(layers.get(i), locale), fm, cellW - 8);
                    headH = Math.max(headH, name.size() * fm.getHeight());
                    if (paint) {
                        int ly = y;
                        for (String l : name) {
                            g.setColor(MUTED);
                            int x = MARGIN + SIDE_W + i * cellW + (cellW - fm.stringWidth(l)) / 2;
                            g.drawString(l, x, ly + fm.getAscent());
                            ly += fm.getHeight();
                        }
                    }
                }
                y += headH + 4;
                for (boolean left : new boolean[] {true, false}) {
                    DiffCell cell = left ? row.left() : row.right();
                    if (paint) {
                        g.setFont(body);
                        g.setColor(INK);
                        String side = b.getString(left ? "picture.source" : "picture.destination");
                        g.drawString(side, MARGIN, y + CELL_H / 2 + 5);
                        for (int i = 0; i < layers.size(); i++) {
                            Presence p = cell.presence(layers.get(i));
                            cell(g, MARGIN + SIDE_W + i * cellW + 3, y + 2, cellW - 6, CELL_H - 4, p, cellFont);
                        }
                    }
                    y += CELL_H;
                }
                y += 14;
                if (paint) {
                    g.setColor(RULE);
                    g.drawLine(MARGIN, y - 7, WIDTH - MARGIN, y - 7);
                }
            }
            // the legend
            g.setFont(small);
            FontMetrics fm = g.getFontMetrics();
            int x = MARGIN;
            for (Presence p : Presence.values()) {
                String text = b.getString("picture.presence." + p.jsonName());
                int w = 26 + fm.stringWidth(text) + 18;
                if (x + w > WIDTH - MARGIN) {
                    x = MARGIN;
                    y += 22;
                }
                if (paint) {
                    cell(g, x, y, 22, 16, p, font(Font.BOLD, 9));
                    g.setColor(MUTED);
                    g.setFont(small);
                    g.drawString(text, x + 26, y + 12);
                }
                x += w;
            }
            return y + 22 + MARGIN / 2;
        }

        private void cell(Graphics2D g, int x, int y, int w, int h, Presence p, Font f) {
            Color fill;
            Color ink;
            switch (p) {
                case PRESENT -> {
                    fill = new Color(0xdafbe1);
                    ink = SUCCESS;
                }
                case DIFFERENT -> {
                    fill = new Color(0xfff8c5);
                    ink = WARNING;
                }
                case ABSENT -> {
                    fill = new Color(0xffebe9);
                    ink = DANGER;
                }
                case REJECTED -> {
                    fill = DANGER;
                    ink = Color.WHITE;
                }
                default -> {
                    fill = SUBTLE;
                    ink = MUTED;
                }
            }
            g.setColor(fill);
            g.fillRoundRect(x, y, w, h, 6, 6);
            g.setColor(p == Presence.NO_EVIDENCE ? RULE : ink);
            g.setStroke(p == Presence.NO_EVIDENCE ? new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 4,
                    new float[] {3, 3}, 0) : new BasicStroke(1));
            g.drawRoundRect(x, y, w, h, 6, 6);
            g.setStroke(new BasicStroke(1));
            if (h > 18) {
                g.setFont(f);
                FontMetrics fm = g.getFontMetrics();
                String word = b.getString("picture.presence.short." + p.jsonName());
                g.setColor(ink);
                g.drawString(word, x + (w - fm.stringWidth(word)) / 2, y + (h + fm.getAscent() - fm.getDescent()) / 2);
            }
        }
    }
}
