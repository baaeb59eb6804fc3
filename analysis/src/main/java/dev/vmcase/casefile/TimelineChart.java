package dev.vmcase.casefile;

import dev.vmcase.analysis.timeline.Bins;
import dev.vmcase.analysis.timeline.Lane;
import dev.vmcase.analysis.timeline.Marker;
import dev.vmcase.analysis.timeline.Span;
import dev.vmcase.analysis.timeline.SpanTracks;
import dev.vmcase.analysis.timeline.TimeAxis;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.model.Severity;
import dev.vmcase.model.Timeline;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.ResourceBundle;

import static dev.vmcase.casefile.ReportPictures.ACCENT;
import static dev.vmcase.casefile.ReportPictures.DANGER;
import static dev.vmcase.casefile.ReportPictures.INK;
import static dev.vmcase.casefile.ReportPictures.MUTED;
import static dev.vmcase.casefile.ReportPictures.PAPER;
import static dev.vmcase.casefile.ReportPictures.RULE;
import static dev.vmcase.casefile.ReportPictures.SUBTLE;
import static dev.vmcase.casefile.ReportPictures.SUCCESS;
import static dev.vmcase.casefile.ReportPictures.WARNING;
import static dev.vmcase.casefile.ReportPictures.WIDTH;
import static dev.vmcase.casefile.ReportPictures.font;

/**
 * The timeline as a chart for a page: the whole evidence on one axis, a lane per host × layer with its line density,
 * the labelled spans in rows of their own (an unplug never acknowledged runs dashed to the end, a failed migration in
 * red to the destination's error), each finding marked at the lines it cites, and a legend. No zoom, no controls.
 */
final class TimelineChart {
    private static final int MARGIN = 16;
    private static final int LABEL_W = 190;
    private static final int AXIS_H = 34;
    private static final int HOST_H = 20;
    private static final int TRACK_H = 16;
    private static final int BAR_H = 12;
    private static final int MAX_TRACKS = 4;
    private final TimelineModel model;
    private final ResourceBundle b;
    private final long t0;
    private final long t1;
    private final int dataW = WIDTH - 2 * MARGIN - LABEL_W;

    TimelineChart(TimelineModel model, ResourceBundle b) {
        this.model = model;
        this.b = b;
        long s = model.start();
        long e = model.end();
        long pad = Math.max(10, (e - s) / 40);
        this.t0 = s - pad;
        this.t1 = e + pad;
    }

    private double x(long t) {
        return MARGIN + LABEL_W + (double) (t - t0) / (t1 - t0) * dataW;
    }

    String label(Span s) {
        return s.pending() ? s.label() + " \u2014 " + b.getString("picture.pending") : s.label();
    }

    BufferedImage draw() {
        Font small = font(Font.PLAIN, 10);
        Font smallBold = font(Font.BOLD, 10);
        BufferedImage probe = ReportPictures.canvas(1, 1);
        Graphics2D pg = ReportPictures.graphics(probe);
        pg.setFont(small);
        FontMetrics fm = pg.getFontMetrics();
        List<Span> shown = model.spans().stream().filter(SpanTracks::labelled).toList();
        int n = shown.size();
        int lanes = model.lanes().size();
        SpanTracks tracks = SpanTracks.of(shown, s -> x(model.startOf(s)), s -> x(model.endOf(s)),
                s -> x(model.startOf(s)) + 4 + fm.stringWidth(label(s)) + 2, lanes, MAX_TRACKS, 8);
        int[] laneTop = new int[lanes];
        int[] laneH = new int[lanes];
        int y = MARGIN + 24 + AXIS_H;
        String host = null;
        for (Lane l : model.lanes()) {
            if (!l.host().equals(host)) {
                host = l.host();
                y += HOST_H;
            }
            laneTop[l.index()] = y;
            laneH[l.index()] = 8 + Math.max(1, tracks.rows(l.index())) * TRACK_H + BAR_H + 6;
            y += laneH[l.index()];
        }
        int legendTop = y + 10;
        int height = legend(pg, legendTop, false) + MARGIN;
        pg.dispose();

        BufferedImage img = ReportPictures.canvas(WIDTH, height);
        Graphics2D g = ReportPictures.graphics(img);
        g.setFont(font(Font.BOLD, 15));
        g.setColor(INK);
        g.drawString(b.getString("picture.timeline.title"), MARGIN, MARGIN + 14);
        axis(g, MARGIN + 24);
        host = null;
        Bins bins = model.bins(t0, t1, dataW, null);
        for (Lane l : model.lanes()) {
            int top = laneTop[l.index()];
            if (!l.host().equals(host)) {
                host = l.host();
                g.setColor(SUBTLE);
                g.fillRect(MARGIN, top - HOST_H, WIDTH - 2 * MARGIN, HOST_H);
                g.setColor(INK);
                g.setFont(font(Font.BOLD, 12));
                g.drawString(hostLabel(host), MARGIN + 4, top - 6);
            }
            g.setFont(font(Font.PLAIN, 11));
            g.setColor(MUTED);
            g.drawString(b.getString("picture.layer." + l.layer().name()) + "  (" + model.size(l.index()) + ")",
                    MARGIN + 14, top + laneH[l.index()] / 2 + 4);
            g.setColor(RULE);
            g.drawLine(MARGIN, top + laneH[l.index()], WIDTH - MARGIN, top + laneH[l.index()]);
            bars(g, bins, l.index(), top + laneH[l.index()] - 3);
        }
        g.setColor(RULE);
        g.drawLine(MARGIN + LABEL_W, MARGIN + 24 + AXIS_H, MARGIN + LABEL_W, legendTop - 10);
        // connectors to other lanes under every label
        for (int i = 0; i < n; i++) {
            Span s = shown.get(i);
            if (s.endLane() != s.startLane()) {
                double ly = trackY(laneTop[s.startLane()], tracks.track(i));
                double ey = laneTop[s.endLane()] + laneH[s.endLane()] - BAR_H - 8;
                double xe = x(model.endOf(s));
                g.setColor(colour(s));
                g.setStroke(new BasicStroke(1.5f));
                g.draw(new Line2D.Double(xe, ly, xe, ey));
                g.fill(new java.awt.geom.Ellipse2D.Double(xe - 4, ey - 4, 8, 8));
            }
        }
        for (int i = 0; i < n; i++) {
            Span s = shown.get(i);
            double ly = trackY(laneTop[s.startLane()], tracks.track(i));
            double xs = x(model.startOf(s));
            double xe = Math.max(x(model.endOf(s)), xs + 2);
            Color c = colour(s);
            g.setColor(c);
            g.setStroke(s.pending() ? new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 4,
                    new float[] {6, 4}, 0) : new BasicStroke(s.kind() == Span.Kind.COMMAND_REPLY ? 2f : 3f));
            g.draw(new Line2D.Double(xs, ly, xe, ly));
            g.setStroke(new BasicStroke(1));
            g.fill(new Rectangle2D.Double(xs - 1.5, ly - 4, 3, 8));
        }
        // labels last, each on its patch of paper: a line drawn after a label would strike it
        for (int i = 0; i < n; i++) {
            Span s = shown.get(i);
            double ly = trackY(laneTop[s.startLane()], tracks.track(i));
            double xs = x(model.startOf(s));
            Color c = colour(s);
            if (tracks.labelled(i)) {
                Font f = s.kind() == Span.Kind.COMMAND_REPLY ? smallBold : small;
                g.setFont(f);
                String text = label(s);
                int w = g.getFontMetrics().stringWidth(text);
                g.setColor(PAPER);
                g.fill(new Rectangle2D.Double(xs + 3, ly - 14, w + 2, 11));
                g.setColor(s.kind() == Span.Kind.COMMAND_REPLY ? INK : c);
                g.drawString(text, (float) xs + 4, (float) ly - 5);
            }
        }
        for (Marker m : model.markers()) {
            double mx = x(model.timeOf(m));
            int bottom = laneTop[m.lane()] + laneH[m.lane()] - 2;
            g.setColor(severity(m.finding().severity()));
            g.fill(new Rectangle2D.Double(mx - 1, bottom - BAR_H - 4, 2, BAR_H + 4));
            g.fill(triangle(mx, bottom - BAR_H - 4));
        }
        legend(g, legendTop, true);
        g.dispose();
        return img;
    }

    private double trackY(int laneTop, int track) {
        return laneTop + 6 + (track + 1) * TRACK_H - 2;
    }

    private String hostLabel(String host) {
        return host.startsWith("@") ? b.getString("picture.host." + host.substring(1)) : host;
    }

    private void axis(Graphics2D g, int top) {
        g.setFont(font(Font.PLAIN, 10));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(SUBTLE);
        g.fillRect(MARGIN, top, WIDTH - 2 * MARGIN, AXIS_H - 12);
        g.setColor(MUTED);
        g.drawString(TimeAxis.day(t0), MARGIN + 4, top + 15);
        long step = TimeAxis.step((double) dataW / (t1 - t0), 110);
        g.setColor(INK);
        for (long t = TimeAxis.first(t0, step); t <= t1; t += step) {
            double x = x(t);
            String label = TimeAxis.label(t, step);
            if (x - fm.stringWidth(label) / 2.0 < MARGIN + LABEL_W || x + fm.stringWidth(label) / 2.0 > WIDTH - MARGIN) {
                continue;
            }
            g.drawString(label, (float) (x - fm.stringWidth(label) / 2.0), top + 15);
            g.setColor(RULE);
            g.draw(new Line2D.Double(x, top + AXIS_H - 12, x, top + AXIS_H - 6));
            g.setColor(INK);
        }
        for (Marker m : model.markers()) {
            g.setColor(severity(m.finding().severity()));
            g.fill(triangle(x(model.timeOf(m)), top + AXIS_H - 2));
        }
    }

    private static java.awt.Shape triangle(double x, double bottom) {
        java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
        p.moveTo(x - 5, bottom - 8);
        p.lineTo(x + 5, bottom - 8);
        p.lineTo(x, bottom);
        p.closePath();
        return p;
    }

    private void bars(Graphics2D g, Bins bins, int lane, int bottom) {
        int max = bins.max(lane);
        if (max == 0) {
            return;
        }
        double logMax = Math.log1p(max);
        for (int c = 0; c < bins.width(); c++) {
            int count = bins.count(lane, c);
            if (count == 0) {
                continue;
            }
            int h = Math.max(3, (int) Math.round(BAR_H * Math.log1p(count) / logMax));
            g.setColor(level(bins.worst(lane, c)));
            g.fillRect(MARGIN + LABEL_W + c, bottom - h, 1, h);
        }
    }

    private static Color level(byte l) {
        return l == Timeline.ERROR ? DANGER : l == Timeline.WARNING ? WARNING : l == Timeline.INFO ? ACCENT
                : new Color(0x8c959f);
    }

    private static Color severity(Severity s) {
        return s == Severity.ERROR || s == Severity.CRITICAL ? DANGER : s == Severity.WARNING ? WARNING : ACCENT;
    }

    private static Color colour(Span s) {
        if (s.pending() || s.alarming()) {
            return s.kind() == Span.Kind.COMMAND_REPLY ? INK : DANGER;
        }
        return s.kind() == Span.Kind.UNPLUG ? SUCCESS : s.kind() == Span.Kind.MIGRATION ? WARNING : MUTED;
    }

    /** Lays out (and with {@code paint} draws) the legend from {@code top}; returns where it ends. */
    private int legend(Graphics2D g, int top, boolean paint) {
        g.setFont(font(Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        Object[][] items = {
            {SUCCESS, false, "picture.legend.unplugDone"}, {DANGER, true, "picture.legend.unplugPending"},
            {WARNING, false, "picture.legend.migration"}, {DANGER, false, "picture.legend.failed"},
            {INK, false, "picture.legend.removal"}, {null, false, "picture.legend.finding"},
            {ACCENT, null, "picture.legend.density"}};
        int x = MARGIN;
        int y = top;
        for (Object[] it : items) {
            String text = b.getString((String) it[2]);
            int w = 34 + fm.stringWidth(text) + 20;
            if (x + w > WIDTH - MARGIN) {
                x = MARGIN;
                y += 20;
            }
            if (!paint) {
                x += w;
                continue;
            }
            if (it[0] == null) {
                g.setColor(DANGER);
                g.fill(triangle(x + 14, y + 10));
            } else if (it[1] == null) {
                g.setColor((Color) it[0]);
                int[] hs = {4, 8, 12, 6, 3};
                for (int k = 0; k < hs.length; k++) {
                    g.fillRect(x + 4 + k * 5, y + 12 - hs[k], 3, hs[k]);
                }
            } else {
                g.setColor((Color) it[0]);
                g.setStroke((Boolean) it[1] ? new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 4,
                        new float[] {6, 4}, 0) : new BasicStroke(3f));
                g.drawLine(x + 2, y + 7, x + 28, y + 7);
                g.setStroke(new BasicStroke(1));
            }
            g.setColor(MUTED);
            g.drawString(text, x + 34, y + 11);
            x += w;
        }
        return y + 20;
    }
}
