package dev.vmcase.views.timeline;

import dev.vmcase.analysis.timeline.ClockOffsets;
import dev.vmcase.analysis.timeline.Hit;
import dev.vmcase.analysis.timeline.Lane;
import dev.vmcase.analysis.timeline.TimeAxis;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.model.Artifact;
import dev.vmcase.views.LineLookup;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import javafx.collections.SetChangeListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The timeline's state without a scene graph: the model shown, the visible time range and how it zooms and pans, the
 * geometry of the lanes on a canvas of a given size (lanes share the height they have, within bounds, and scroll when
 * they cannot), which event a point hits, the selected, highlighted and annotated events, and what a hover says. The
 * {@link TimelineView} draws it and feeds it mouse and keys; tests drive it directly.
 */
public final class TimelineViewModel {
    static final double LABEL_W = 170;
    static final double AXIS_H = 30;
    static final double HOST_H = 18;
    static final double MIN_LANE_H = 36;
    static final double MAX_LANE_H = 64;
    static final int BAR_H = 11;
    static final double TRACK_H = 14;
    private static final long MIN_SPAN = 10; // µs

    private final Selection selection;
    private final ObjectProperty<ClockOffsets> clockOffsets = new SimpleObjectProperty<>(this, "clockOffsets",
            ClockOffsets.NONE);
    private final ObservableSet<LineRef> annotatedLines = FXCollections.observableSet();
    private final List<Hit> highlighted = new ArrayList<>();
    private final List<Hit> annotated = new ArrayList<>();
    private TimelineModel model;
    private LineLookup lines = LineLookup.NONE;
    private Runnable changed = () -> { };
    private double width = 1;
    private double height = 1;
    private double scrollY;
    private long t0;
    private long t1 = 1;
    private Hit selected;
    private boolean loading;

    public TimelineViewModel(Selection selection) {
        this.selection = selection;
        selection.lineProperty().addListener((o, a, b) -> onSelectedLine(b));
        selection.highlighted().addListener((SetChangeListener<LineRef>) c -> locateMarked());
        annotatedLines.addListener((SetChangeListener<LineRef>) c -> locateMarked());
        clockOffsets.addListener((o, a, b) -> {
            if (model != null) {
                model.setOffsets(b);
                if (selected != null) {
                    selected = model.locate(selected.sha256(), selected.line());
                }
                locateMarked();
            }
        });
    }

    /** What to do when anything drawn changed (the view repaints). */
    void onChange(Runnable r) {
        this.changed = r == null ? () -> { } : r;
    }

    private void changed() {
        changed.run();
    }

    // ---------------------------------------------------------------- the model

    /** Shows a model built elsewhere (e.g. on a worker thread); the current clock offsets are applied to it. */
    public void setModel(TimelineModel m) {
        this.model = m;
        this.selected = null;
        this.scrollY = 0;
        if (m != null) {
            m.setOffsets(clockOffsets.get());
            LineRef line = selection.lineProperty().get();
            if (line != null) {
                selected = m.locate(line.sha256(), line.line());
            }
        }
        locate(selection.highlighted(), highlighted);
        locate(annotatedLines, annotated);
        fitAll();
    }

    /**
     * The model of a file still being read, grown since the last ({@link TimelineModel#reading}): it takes the last
     * one's place keeping the lanes' scroll, and the whole range still fits unless the user zoomed or panned away
     * from it (then the range stays theirs).
     */
    public void grow(TimelineModel m) {
        if (model == null || m == null || !hasEvents()) {
            setModel(m);
            return;
        }
        long pad = fitPad();
        boolean whole = t0 == model.start() - pad && t1 == model.end() + pad;
        double y = scrollY;
        this.model = m;
        this.selected = null;
        m.setOffsets(clockOffsets.get());
        if (whole) {
            fitAll();
        } else {
            changed();
        }
        setScrollY(y);
    }

    public TimelineModel model() {
        return model;
    }

    /** Whether the evidence is still being read or the model built: the empty timeline says so, not "no events". */
    public void setLoading(boolean loading) {
        if (this.loading != loading) {
            this.loading = loading;
            changed();
        }
    }

    public boolean loading() {
        return loading;
    }

    /** Where hover text comes from for lines the evidence records do not hold (read off the FX thread). */
    public void setLineText(LineLookup lookup) {
        this.lines = lookup == null ? LineLookup.NONE : lookup;
    }

    public ObjectProperty<ClockOffsets> clockOffsetsProperty() {
        return clockOffsets;
    }

    public ObservableSet<LineRef> annotatedLines() {
        return annotatedLines;
    }

    public List<Hit> highlightedHits() {
        return List.copyOf(highlighted);
    }

    public List<Hit> annotatedHits() {
        return List.copyOf(annotated);
    }

    public Hit selectedHit() {
        return selected;
    }

    /** Events to draw: the model has some. */
    public boolean hasEvents() {
        return model != null && model.size() > 0;
    }

    // ---------------------------------------------------------------- the visible range

    public long visibleStart() {
        return t0;
    }

    public long visibleEnd() {
        return t1;
    }

    /** Shows [start, end) (microseconds since the epoch, with offsets). */
    public void setVisibleRange(long start, long end) {
        if (end - start < MIN_SPAN) {
            long mid = (start + end) / 2;
            start = mid - MIN_SPAN / 2;
            end = start + MIN_SPAN;
        }
        t0 = start;
        t1 = end;
        changed();
    }

    public void fitAll() {
        if (!hasEvents()) {
            setVisibleRange(0, 1_000_000);
            return;
        }
        long pad = fitPad();
        setVisibleRange(model.start() - pad, model.end() + pad);
    }

    /** The room {@link #fitAll} leaves each side of the model's whole range. */
    private long fitPad() {
        return Math.max(MIN_SPAN, (model.end() - model.start()) / 50);
    }

    /** Zooms by {@code factor} (> 1 zooms in) around the time at canvas x {@code x}. */
    public void zoom(double factor, double x) {
        double f = frac(x);
        long span = t1 - t0;
        long at = t0 + (long) (span * f);
        long ns = Math.max(MIN_SPAN, (long) (span / factor));
        long start = at - (long) (ns * f);
        setVisibleRange(start, start + ns);
    }

    public void zoomIn() {
        zoom(2, LABEL_W + dataWidth() / 2);
    }

    public void zoomOut() {
        zoom(0.5, LABEL_W + dataWidth() / 2);
    }

    /** Moves by a tenth of the visible range, right when {@code forward}. */
    public void pan(boolean forward) {
        long d = (t1 - t0) / 10 * (forward ? 1 : -1);
        setVisibleRange(t0 + d, t1 + d);
    }

    /** Centres the selected event with a window of a thousandth of the evidence (at least 10 ms). */
    public void zoomToSelection() {
        if (selected == null || model == null) {
            return;
        }
        long w = Math.max(10_000, (model.end() - model.start()) / 1000);
        setVisibleRange(selected.micros() - w / 2, selected.micros() + w / 2);
    }

    // ---------------------------------------------------------------- geometry

    /** The canvas' size (the view calls this when it is resized). */
    public void setSize(double w, double h) {
        this.width = Math.max(1, w);
        this.height = Math.max(1, h);
        scrollY = Math.max(0, Math.min(scrollY, scrollMax()));
        changed();
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    double dataWidth() {
        return Math.max(1, width - LABEL_W);
    }

    private double frac(double x) {
        return Math.min(1, Math.max(0, (x - LABEL_W) / dataWidth()));
    }

    /** Canvas x of a time. */
    public double xOf(long micros) {
        return LABEL_W + (double) (micros - t0) / (t1 - t0) * dataWidth();
    }

    /** The time at canvas x. */
    public long timeAt(double x) {
        return t0 + (long) ((x - LABEL_W) / dataWidth() * (t1 - t0));
    }

    /** The lanes' height: what the canvas offers them, shared out, within what keeps a lane readable. */
    public double laneHeight() {
        if (model == null || model.lanes().isEmpty()) {
            return MIN_LANE_H;
        }
        double room = height - AXIS_H - model.hosts().size() * HOST_H;
        return Math.max(MIN_LANE_H, Math.min(MAX_LANE_H, room / model.lanes().size()));
    }

    /** How many rows of labelled spans a lane has room for above its density bars. */
    public int tracks() {
        return Math.max(1, (int) ((laneHeight() - BAR_H - 4) / TRACK_H));
    }

    /** Height of all lanes with their host headers. */
    public double contentHeight() {
        return model == null || model.lanes().isEmpty() ? 0
                : model.hosts().size() * HOST_H + model.lanes().size() * laneHeight();
    }

    /** How far the lanes scroll: zero when they fit. */
    public double scrollMax() {
        return Math.max(0, contentHeight() - (height - AXIS_H));
    }

    public double scrollY() {
        return scrollY;
    }

    public void setScrollY(double y) {
        double v = Math.max(0, Math.min(scrollMax(), y));
        if (v != scrollY) {
            scrollY = v;
            changed();
        }
    }

    /** Canvas y of a lane's top (scrolled). */
    public double laneTop(int lane) {
        if (model == null) {
            return AXIS_H;
        }
        List<Lane> lanes = model.lanes();
        int hostIndex = model.hosts().indexOf(lanes.get(lane).host());
        return AXIS_H + (hostIndex + 1) * HOST_H + lane * laneHeight() - scrollY;
    }

    /** Canvas y of the middle of a lane. */
    public double yOf(int lane) {
        return laneTop(lane) + laneHeight() / 2;
    }

    /** The lane at canvas y, or -1. */
    public int laneAt(double y) {
        if (model == null || y < AXIS_H) {
            return -1;
        }
        double h = laneHeight();
        for (int i = 0; i < model.lanes().size(); i++) {
            double top = laneTop(i);
            if (y >= top && y < top + h) {
                return i;
            }
        }
        return -1;
    }

    /** Scrolls the lanes so that {@code lane} is visible. */
    void revealLane(int lane) {
        double top = laneTop(lane) + scrollY;
        double visible = height - AXIS_H;
        if (top - HOST_H < AXIS_H + scrollY) {
            setScrollY(top - HOST_H - AXIS_H);
        } else if (top + laneHeight() > AXIS_H + scrollY + visible) {
            setScrollY(top + laneHeight() - AXIS_H - visible);
        }
    }

    // ---------------------------------------------------------------- picking

    /** The event nearest to a point of the canvas (the lane under it, the nearest time, within 8 px), or null. */
    public Hit hitAt(double x, double y) {
        int lane = laneAt(y);
        if (lane < 0 || x < LABEL_W || model == null) {
            return null;
        }
        Hit h = model.nearest(lane, timeAt(x));
        if (h == null || Math.abs(xOf(h.micros()) - x) > 8) {
            return null;
        }
        return h;
    }

    /** Selects the event nearest to a point of the canvas into the shared selection. */
    public void selectAt(double x, double y) {
        Hit h = hitAt(x, y);
        if (h != null) {
            selected = h;
            selection.lineProperty().set(new LineRef(h.sha256(), h.line()));
            changed();
        }
    }

    private void onSelectedLine(LineRef ref) {
        if (model == null) {
            return;
        }
        if (ref == null) {
            selected = null;
            changed();
            return;
        }
        if (selected != null && selected.sha256().equals(ref.sha256()) && selected.line() == ref.line()) {
            return; // our own click
        }
        selected = model.locate(ref.sha256(), ref.line());
        if (selected != null && scrollMax() > 0) {
            revealLane(selected.lane());
        }
        if (selected != null && (selected.micros() < t0 || selected.micros() > t1)) {
            long span = t1 - t0;
            setVisibleRange(selected.micros() - span / 2, selected.micros() - span / 2 + span);
        } else {
            changed();
        }
    }

    private void locateMarked() {
        locate(selection.highlighted(), highlighted);
        locate(annotatedLines, annotated);
        changed();
    }

    private void locate(Set<LineRef> refs, List<Hit> into) {
        into.clear();
        if (model != null) {
            for (LineRef r : refs) {
                Hit h = model.locate(r.sha256(), r.line());
                if (h != null) {
                    into.add(h);
                }
            }
        }
    }

    // ---------------------------------------------------------------- what a hover says

    /**
     * What the hover shows for an event: its time, file:line, and the line's text. The first two are told at once;
     * the text, when the evidence records do not hold it, follows from {@link #setLineText} off the FX thread.
     *
     * @param estimatedNote the words that say a time was estimated
     */
    public void describe(Hit h, String estimatedNote, Consumer<String> show) {
        Artifact a = model.artifact(h.sha256());
        String head = TimeAxis.full(h.micros()) + (h.estimated() ? "  " + estimatedNote : "") + "\n"
                + (a == null ? h.sha256().substring(0, 12) : shortPath(a.path())) + ":" + h.line();
        String known = model.knownText(h.sha256(), h.line());
        if (known != null) {
            show.accept(head + "\n" + cut(known));
            return;
        }
        show.accept(head);
        lines.text(h.sha256(), h.line(), text -> {
            if (text != null) {
                show.accept(head + "\n" + cut(text));
            }
        });
    }

    private static String cut(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    static String shortPath(String p) {
        int cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf("!/") + 1);
        return cut >= 0 && cut < p.length() - 1 ? p.substring(cut + 1) : p;
    }
}
