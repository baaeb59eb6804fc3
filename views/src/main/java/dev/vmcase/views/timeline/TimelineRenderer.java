package dev.vmcase.views.timeline;

import dev.vmcase.analysis.timeline.Bins;
import dev.vmcase.analysis.timeline.Hit;
import dev.vmcase.analysis.timeline.Lane;
import dev.vmcase.analysis.timeline.Marker;
import dev.vmcase.analysis.timeline.Span;
import dev.vmcase.analysis.timeline.SpanTracks;
import dev.vmcase.analysis.timeline.TimeAxis;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.model.Severity;
import dev.vmcase.model.Timeline;
import dev.vmcase.views.timeline.TimelinePalette.Key;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.vmcase.views.timeline.TimelineViewModel.AXIS_H;
import static dev.vmcase.views.timeline.TimelineViewModel.BAR_H;
import static dev.vmcase.views.timeline.TimelineViewModel.HOST_H;
import static dev.vmcase.views.timeline.TimelineViewModel.LABEL_W;
import static dev.vmcase.views.timeline.TimelineViewModel.TRACK_H;

/**
 * Draws a {@link TimelineViewModel} on a canvas, one step per pixel column: per lane a density strip (a bar per
 * column, its height the log of the count, its colour the worst level), the labelled spans in rows of their own
 * ({@link SpanTracks}: no line runs through a label, and each label sits on a patch of background so the connectors
 * of other lanes do not strike it either), the findings' marks, the selection and the axis.
 */
final class TimelineRenderer {
    private static final Font NORMAL = Font.font(11);
    private static final Font SMALL = Font.font(10);
    private static final Font BOLD = Font.font(null, FontWeight.BOLD, 11);
    private static final Font SMALL_BOLD = Font.font(null, FontWeight.BOLD, 10);

    private final TimelinePalette palette;
    private final Function<String, String> text;
    private final Map<String, Double> widths = new HashMap<>();
    private final Text measure = new Text();
    private Bins bins;
    private int[] barsPixels = new int[0];
    private WritableImage barsImage;

    /** @param text the view's texts by key ({@code pending}, {@code layer.QMP}, {@code host.source} ...) */
    TimelineRenderer(TimelinePalette palette, Function<String, String> text) {
        this.palette = palette;
        this.text = text;
    }

    void draw(GraphicsContext g, TimelineViewModel vm, double rubberFrom, double rubberTo) {
        double w = vm.width();
        double h = vm.height();
        g.setFill(palette.get(Key.BG));
        g.fillRect(0, 0, w, h);
        TimelineModel model = vm.model();
        if (model == null || model.size() == 0) {
            return; // the view says why there is nothing to draw
        }
        int width = (int) Math.floor(vm.dataWidth());
        bins = model.bins(vm.visibleStart(), vm.visibleEnd(), width, bins);
        g.setFont(NORMAL);
        long step = TimeAxis.step(vm.dataWidth() / (vm.visibleEnd() - vm.visibleStart()), 90);
        g.save();
        g.beginPath();
        g.rect(0, AXIS_H, w, Math.max(0, h - AXIS_H));
        g.clip();
        // under everything: what a label's patch of background may hide
        drawGrid(g, vm, step);
        drawLanes(g, vm, width);
        drawSelectionLine(g, vm);
        drawSpans(g, vm);
        drawMarkers(g, vm);
        g.restore();
        drawAxis(g, vm, step);
        if (rubberFrom >= 0) {
            g.setFill(palette.get(Key.ACCENT).deriveColor(0, 1, 1, 0.2));
            g.fillRect(Math.min(rubberFrom, rubberTo), AXIS_H, Math.abs(rubberTo - rubberFrom), h - AXIS_H);
        }
    }

    String hostLabel(String host) {
        return host.startsWith("@") ? text.apply("host." + host.substring(1)) : host;
    }

    // ---------------------------------------------------------------- lanes

    private void drawLanes(GraphicsContext g, TimelineViewModel vm, int width) {
        TimelineModel model = vm.model();
        String host = null;
        double w = vm.width();
        double laneH = vm.laneHeight();
        for (Lane lane : model.lanes()) {
            double top = vm.laneTop(lane.index());
            if (!lane.host().equals(host)) {
                host = lane.host();
                g.setFill(palette.get(Key.SUBTLE));
                g.fillRect(0, top - HOST_H, w, HOST_H);
                g.setFill(palette.get(Key.FG));
                g.setTextAlign(TextAlignment.LEFT);
                g.setTextBaseline(VPos.CENTER);
                g.setFont(BOLD);
                g.fillText(hostLabel(host), 4, top - HOST_H / 2);
                g.setFont(NORMAL);
            }
            g.setStroke(palette.get(Key.BORDER));
            g.setLineWidth(1);
            g.strokeLine(0, top + laneH - 0.5, w, top + laneH - 0.5);
            g.setFill(palette.get(Key.MUTED));
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(text.apply("layer." + lane.layer().name()) + "  (" + model.size(lane.index()) + ")",
                    16, top + laneH / 2);
            g.setStroke(palette.get(Key.BORDER).deriveColor(0, 1, 1, 0.4));
            g.strokeLine(LABEL_W, top + laneH - 1.5, w, top + laneH - 1.5);
            paintBars(lane.index(), width, model.lanes().size());
            g.drawImage(barsImage, 0, lane.index() * BAR_H, width, BAR_H, LABEL_W, top + laneH - 2 - BAR_H, width,
                    BAR_H);
        }
        g.setStroke(palette.get(Key.BORDER));
        g.strokeLine(LABEL_W - 0.5, AXIS_H, LABEL_W - 0.5, vm.height());
    }

    /** One lane's density as pixels, written into a strip of {@link #barsImage}: one image call per lane. */
    private void paintBars(int lane, int width, int lanes) {
        int n = width * BAR_H;
        if (barsPixels.length < n) {
            barsPixels = new int[n];
        }
        if (barsImage == null || barsImage.getWidth() < width || barsImage.getHeight() < lanes * BAR_H) {
            barsImage = new WritableImage(Math.max(width, 1), Math.max(1, lanes * BAR_H));
        }
        Arrays.fill(barsPixels, 0, n, 0);
        int max = bins.max(lane);
        if (max > 0) {
            int[] argb = {argb(levelColor(Timeline.DEBUG)), argb(levelColor(Timeline.INFO)),
                    argb(levelColor(Timeline.WARNING)), argb(levelColor(Timeline.ERROR))};
            double logMax = Math.log1p(max);
            for (int c = 0; c < width; c++) {
                int count = bins.count(lane, c);
                if (count == 0) {
                    continue;
                }
                int bh = Math.max(3, (int) Math.round(BAR_H * Math.log1p(count) / logMax));
                int colour = argb[Math.max(0, bins.worst(lane, c))];
                for (int row = BAR_H - bh; row < BAR_H; row++) {
                    barsPixels[row * width + c] = colour;
                }
            }
        }
        barsImage.getPixelWriter().setPixels(0, lane * BAR_H, width, BAR_H, PixelFormat.getIntArgbPreInstance(),
                barsPixels, 0, width);
    }

    private static int argb(Color c) {
        return 0xff000000 | ((int) Math.round(c.getRed() * 255) << 16) | ((int) Math.round(c.getGreen() * 255) << 8)
                | (int) Math.round(c.getBlue() * 255);
    }

    private Color levelColor(byte level) {
        switch (level) {
            case Timeline.ERROR:
                return palette.get(Key.DANGER);
            case Timeline.WARNING:
                return palette.get(Key.WARNING);
            case Timeline.INFO:
                return palette.get(Key.ACCENT);
            default:
                return palette.get(Key.DEBUG);
        }
    }

    // ---------------------------------------------------------------- spans

    /** The text a span is labelled with. */
    String spanLabel(Span s) {
        return s.pending() ? s.label() + " \u2014 " + text.apply("pending") : s.label();
    }

    private void drawSpans(GraphicsContext g, TimelineViewModel vm) {
        TimelineModel model = vm.model();
        double left = LABEL_W;
        double right = vm.width();
        long t0 = vm.visibleStart();
        long t1 = vm.visibleEnd();
        List<Span> shown = new ArrayList<>();
        List<Span> plain = new ArrayList<>();
        for (Span s : model.spans()) {
            long a = model.startOf(s);
            long b = model.endOf(s);
            if (Math.max(a, b) < t0 || Math.min(a, b) > t1) {
                continue;
            }
            (SpanTracks.labelled(s) ? shown : plain).add(s);
        }
        // a command and its reply: a thin line at the lane's top, no label (there are thousands in a debug log)
        g.setStroke(palette.get(Key.MUTED));
        g.setLineWidth(1);
        for (Span s : plain) {
            double xa = clamp(vm.xOf(model.startOf(s)), left - 2, right + 2);
            double xb = clamp(vm.xOf(model.endOf(s)), left - 2, right + 2);
            double y = vm.laneTop(s.startLane()) + 1.5;
            g.strokeLine(xa, y, Math.max(xb, xa + 1), y);
        }
        int n = shown.size();
        double[] xs = new double[n];
        double[] xe = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = clamp(vm.xOf(model.startOf(shown.get(i))), left - 2, right + 2);
            xe[i] = clamp(vm.xOf(model.endOf(shown.get(i))), left - 2, right + 2);
        }
        SpanTracks tracks = SpanTracks.of(shown, s -> clamp(vm.xOf(model.startOf(s)), left - 2, right + 2),
                s -> clamp(vm.xOf(model.endOf(s)), left - 2, right + 2),
                s -> Math.max(vm.xOf(model.startOf(s)), left + 2) + 4 + width(spanLabel(s), SMALL),
                model.lanes().size(), vm.tracks(), 6);
        for (int i = 0; i < n; i++) {
            ys[i] = trackLine(vm, shown.get(i).startLane(), tracks.track(i));
        }
        // connectors to other lanes first, under every label
        for (int i = 0; i < n; i++) {
            Span s = shown.get(i);
            if (s.endLane() != s.startLane()) {
                double y = ys[i];
                double yb = vm.laneTop(s.endLane()) + vm.laneHeight() - BAR_H - 6;
                Color c = colour(s);
                g.setStroke(c);
                g.setLineWidth(1.5);
                g.strokeLine(xe[i], y, xe[i], yb);
                g.setFill(c);
                g.fillOval(xe[i] - 4, yb - 4, 8, 8);
            }
        }
        for (int i = 0; i < n; i++) {
            Span s = shown.get(i);
            Color c = colour(s);
            double y = ys[i];
            g.setStroke(c);
            g.setLineWidth(s.kind() == Span.Kind.COMMAND_REPLY ? 2 : 3);
            if (s.pending()) {
                g.setLineDashes(6, 4);
            }
            g.strokeLine(xs[i], y, Math.max(xe[i], xs[i] + 2), y);
            g.setLineDashes((double[]) null);
            g.setFill(c);
            g.fillRect(xs[i] - 1.5, y - 4, 3, 8);
        }
        // labels last, each on its patch of background: a line drawn after a label would strike it
        for (int i = 0; i < n; i++) {
            Span s = shown.get(i);
            if (tracks.labelled(i)) {
                String label = spanLabel(s);
                double tx = Math.max(xs[i] + 4, left + 2);
                halo(g, label, tx, ys[i] - 2, s.alarming() && s.kind() == Span.Kind.COMMAND_REPLY ? SMALL_BOLD : SMALL,
                        s.kind() == Span.Kind.COMMAND_REPLY ? palette.get(Key.FG) : colour(s));
            }
        }
        g.setLineWidth(1);
    }

    /** The y of a track's line in a lane: its label sits above it, inside the track. */
    private static double trackLine(TimelineViewModel vm, int lane, int track) {
        return vm.laneTop(lane) + 4 + (track + 1) * TRACK_H - 1.5;
    }

    private Color colour(Span s) {
        if (s.pending() || s.alarming()) {
            return s.kind() == Span.Kind.COMMAND_REPLY ? palette.get(Key.FG) : palette.get(Key.DANGER);
        }
        return s.kind() == Span.Kind.UNPLUG ? palette.get(Key.SUCCESS) : s.kind() == Span.Kind.MIGRATION
                ? palette.get(Key.WARNING) : palette.get(Key.MUTED);
    }

    /** Text on a patch of background, bottom at {@code bottom}: nothing drawn before strikes it. */
    private void halo(GraphicsContext g, String s, double x, double bottom, Font font, Color colour) {
        double w = width(s, font);
        g.setFill(palette.get(Key.BG).deriveColor(0, 1, 1, 0.85));
        g.fillRect(x - 1, bottom - 11, w + 2, 11);
        g.setFill(colour);
        g.setFont(font);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(s, x, bottom);
        g.setFont(NORMAL);
    }

    private double width(String s, Font font) {
        String key = font.getStyle() + "\u0000" + font.getSize() + "\u0000" + s;
        Double w = widths.get(key);
        if (w == null) {
            measure.setFont(font);
            measure.setText(s);
            w = measure.getLayoutBounds().getWidth();
            if (widths.size() > 4096) {
                widths.clear();
            }
            widths.put(key, w);
        }
        return w;
    }

    // ---------------------------------------------------------------- marks and axis

    private Color severity(Severity s) {
        return s == Severity.ERROR || s == Severity.CRITICAL ? palette.get(Key.DANGER)
                : s == Severity.WARNING ? palette.get(Key.WARNING) : palette.get(Key.ACCENT);
    }

    /** Findings, highlighted and annotated lines: marks in the band of the density bars, under the span rows. */
    private void drawMarkers(GraphicsContext g, TimelineViewModel vm) {
        TimelineModel model = vm.model();
        long t0 = vm.visibleStart();
        long t1 = vm.visibleEnd();
        double laneH = vm.laneHeight();
        double band = BAR_H + 4;
        for (Marker m : model.markers()) {
            long t = model.timeOf(m);
            if (t < t0 || t > t1) {
                continue;
            }
            double x = vm.xOf(t);
            double bottom = vm.laneTop(m.lane()) + laneH - 1;
            g.setFill(severity(m.finding().severity()));
            g.fillRect(x - 1, bottom - band, 2, band);
            g.fillPolygon(new double[] {x - 4, x + 4, x}, new double[] {bottom - band - 5, bottom - band - 5,
                    bottom - band + 1}, 3);
        }
        g.setStroke(palette.get(Key.WARNING));
        g.setLineWidth(2);
        for (Hit hl : vm.highlightedHits()) {
            if (hl.micros() < t0 || hl.micros() > t1) {
                continue;
            }
            double x = vm.xOf(hl.micros());
            double bottom = vm.laneTop(hl.lane()) + laneH - 1;
            g.strokeRect(x - 4, bottom - band, 8, band - 1);
        }
        for (Hit note : vm.annotatedHits()) {
            if (note.micros() < t0 || note.micros() > t1) {
                continue;
            }
            double x = vm.xOf(note.micros());
            double bottom = vm.laneTop(note.lane()) + laneH - 1;
            g.setFill(palette.get(Key.ACCENT));
            g.fillRect(x - 0.5, bottom - band - 6, 1.5, band + 6);
            g.fillPolygon(new double[] {x + 1, x + 8, x + 1}, new double[] {bottom - band - 6, bottom - band - 3,
                    bottom - band}, 3);
        }
        Hit selected = vm.selectedHit();
        if (selected != null && selected.micros() >= t0 && selected.micros() <= t1) {
            double x = vm.xOf(selected.micros());
            double y = vm.laneTop(selected.lane()) + laneH - 1 - band / 2;
            g.setStroke(palette.get(Key.ACCENT));
            g.setLineWidth(2);
            g.strokeOval(x - 6, y - 6, 12, 12);
        }
        g.setLineWidth(1);
    }

    /** The selected event's time across all lanes, drawn before the spans so their labels stay readable. */
    private void drawSelectionLine(GraphicsContext g, TimelineViewModel vm) {
        Hit selected = vm.selectedHit();
        if (selected != null && selected.micros() >= vm.visibleStart() && selected.micros() <= vm.visibleEnd()) {
            double x = vm.xOf(selected.micros());
            g.setStroke(palette.get(Key.ACCENT));
            g.setLineWidth(1);
            g.strokeLine(x, AXIS_H, x, vm.height());
        }
    }

    private void drawGrid(GraphicsContext g, TimelineViewModel vm, long step) {
        if (vm.model().size() == 0) {
            return;
        }
        g.setStroke(palette.get(Key.BORDER).deriveColor(0, 1, 1, 0.5));
        g.setLineWidth(1);
        for (long t = TimeAxis.first(vm.visibleStart(), step); t <= vm.visibleEnd(); t += step) {
            double x = vm.xOf(t);
            if (x > LABEL_W) {
                g.strokeLine(x + 0.5, AXIS_H, x + 0.5, vm.height());
            }
        }
    }

    private void drawAxis(GraphicsContext g, TimelineViewModel vm, long step) {
        TimelineModel model = vm.model();
        double w = vm.width();
        long t0 = vm.visibleStart();
        long t1 = vm.visibleEnd();
        g.setFill(palette.get(Key.BG));
        g.fillRect(0, 0, w, AXIS_H);
        g.setFill(palette.get(Key.SUBTLE));
        g.fillRect(0, 0, w, AXIS_H - 10);
        for (Marker m : model.markers()) { // findings on the axis
            long t = model.timeOf(m);
            if (t >= t0 && t <= t1) {
                double x = vm.xOf(t);
                g.setFill(severity(m.finding().severity()));
                double y = AXIS_H - 1;
                g.fillPolygon(new double[] {x - 5, x + 5, x}, new double[] {y - 8, y - 8, y}, 3);
            }
        }
        g.setStroke(palette.get(Key.BORDER));
        g.strokeLine(0, AXIS_H - 10.5, w, AXIS_H - 10.5);
        if (model.size() == 0) {
            return; // no dated event: a time axis would only show 1970
        }
        g.setFill(palette.get(Key.FG));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(NORMAL);
        for (long t = TimeAxis.first(t0, step); t <= t1; t += step) {
            double x = vm.xOf(t);
            String label = TimeAxis.label(t, step);
            if (x - width(label, NORMAL) / 2 < LABEL_W) {
                continue;
            }
            g.strokeLine(x + 0.5, AXIS_H - 14, x + 0.5, AXIS_H - 10);
            g.fillText(label, x, (AXIS_H - 10) / 2);
        }
        g.setFill(palette.get(Key.SUBTLE));
        g.fillRect(0, 0, LABEL_W - 1, AXIS_H - 10);
        g.setFill(palette.get(Key.MUTED));
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(TimeAxis.day(t0), 4, (AXIS_H - 10) / 2);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
