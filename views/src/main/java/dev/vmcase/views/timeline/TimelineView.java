package dev.vmcase.views.timeline;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.Bins;
import dev.vmcase.analysis.timeline.ClockOffsets;
import dev.vmcase.analysis.timeline.Hit;
import dev.vmcase.analysis.timeline.Lane;
import dev.vmcase.analysis.timeline.Marker;
import dev.vmcase.analysis.timeline.Span;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Severity;
import dev.vmcase.model.Timeline;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.Texts;
import dev.vmcase.views.timeline.TimelinePalette.Key;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.SetChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Every event of every artifact on one time axis, in lanes by host × layer, drawn on a Canvas per pixel column from
 * the model's density bins (never per event). Wheel, {@code +}/{@code -}, rubber band (shift-drag or drag on the
 * axis) zoom; drag pans; {@code 0} fits all, {@code Z} zooms to the selected event. Hovering names the event, a
 * click selects the nearest one into the shared {@link Selection}; a line selected elsewhere is marked and scrolled
 * into view, highlighted lines are marked. A small editor sets each host's clock offset ({@link #clockOffsetsProperty}).
 */
public final class TimelineView extends BorderPane {
    static final double LABEL_W = 170;
    static final double AXIS_H = 30;
    static final double HOST_H = 18;
    static final double LANE_H = 40;
    static final int BAR_H = 11;
    private static final long MIN_SPAN = 10; // µs
    private static final long[] STEPS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000,
            50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 15_000_000, 30_000_000,
            60_000_000L, 120_000_000L, 300_000_000L, 600_000_000L, 900_000_000L, 1_800_000_000L, 3_600_000_000L,
            7_200_000_000L, 21_600_000_000L, 43_200_000_000L, 86_400_000_000L, 172_800_000_000L, 604_800_000_000L};

    private final Selection selection;
    private final ResourceBundle texts = Texts.of("dev.vmcase.views.timeline.Timeline");
    private final ObjectProperty<ClockOffsets> clockOffsets = new SimpleObjectProperty<>(this, "clockOffsets",
            ClockOffsets.NONE);
    private final TimelinePalette palette = new TimelinePalette();
    private final Canvas canvas = new Canvas(10, 10);
    private final Pane canvasPane = new Pane();
    private final Label hover = new Label();
    private final GridPane offsetsGrid = new GridPane();
    private final TimeZoneFields zoneFields = new TimeZoneFields(texts);
    private final VBox offsetsPane = new VBox(6);
    private final Label empty = new Label();
    private TimelineModel model;
    private Bins bins;
    private final javafx.scene.control.ScrollBar vbar = new javafx.scene.control.ScrollBar();
    private double scrollY;
    private String userAgent = "";
    private int[] barsPixels = new int[0];
    private javafx.scene.image.WritableImage barsImage;
    private long t0;
    private long t1 = 1;
    private Hit selected;
    private final List<Hit> highlighted = new ArrayList<>();
    private final javafx.collections.ObservableSet<LineRef> annotatedLines = javafx.collections.FXCollections.observableSet();
    private final List<Hit> annotated = new ArrayList<>();
    private BiFunction<String, Integer, String> lineText = (sha, line) -> null;
    private double pressX;
    private double pressY;
    private long pressT0;
    private long pressT1;
    private boolean dragging;
    private boolean rubber;
    private double rubberX;
    private String cachedTextKey;
    private String cachedText;

    public TimelineView(Selection selection) {
        this.selection = selection;
        getStyleClass().add("timeline-view");
        setId("timeline");
        canvas.setId("timeline-canvas");
        canvas.setFocusTraversable(true);
        hover.setId("timeline-hover");
        hover.getStyleClass().add("timeline-hover");
        hover.setPadding(new Insets(3, 6, 3, 6));
        hover.setVisible(false);
        hover.setManaged(false);
        hover.setMouseTransparent(true);
        hover.setMaxWidth(700);
        hover.setWrapText(true);
        empty.setText(texts.getString("empty"));
        empty.setMouseTransparent(true);
        vbar.setOrientation(javafx.geometry.Orientation.VERTICAL);
        vbar.setId("timeline-lanes-scroll");
        vbar.setManaged(false);
        vbar.setVisible(false);
        vbar.valueProperty().addListener((o, a, b) -> {
            scrollY = b.doubleValue();
            redraw();
        });
        canvasPane.getChildren().addAll(canvas, vbar, hover, empty);
        canvasPane.getChildren().addAll(palette.probes());
        canvasPane.setMinSize(200, 100);
        canvasPane.widthProperty().addListener((o, a, b) -> resizeCanvas());
        canvasPane.heightProperty().addListener((o, a, b) -> resizeCanvas());
        setCenter(canvasPane);
        setTop(toolbar());
        buildOffsetsPane();
        palette.probes()[0].backgroundProperty().addListener((o, a, b) -> refreshPalette());
        sceneProperty().addListener((o, a, b) -> {
            if (b != null) {
                applyCss();
                refreshPalette();
            }
        });

        canvas.addEventHandler(ScrollEvent.SCROLL, this::onScroll);
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onDragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::onReleased);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::onMoved);
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover.setVisible(false));
        canvasPane.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.PAGE_DOWN || e.getCode() == KeyCode.PAGE_UP) {
                vbar.setValue(Math.max(0, Math.min(vbar.getMax(), vbar.getValue()
                        + (e.getCode() == KeyCode.PAGE_DOWN ? 1 : -1) * (canvas.getHeight() - AXIS_H))));
                e.consume();
            }
        });
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);

        selection.lineProperty().addListener((o, a, b) -> onSelectedLine(b));
        selection.highlighted().addListener((SetChangeListener<LineRef>) c -> locateHighlighted());
        annotatedLines.addListener((SetChangeListener<LineRef>) c -> locateHighlighted());
        clockOffsets.addListener((o, a, b) -> {
            if (model != null) {
                model.setOffsets(b);
                if (selected != null) {
                    selected = model.locate(selected.sha256(), selected.line());
                }
                locateHighlighted();
                fillOffsetFields();
                redraw();
            }
        });
    }

    // ---------------------------------------------------------------- public API

    /** Shows an analysis; the view fits all. */
    public void show(AnalysisResult result) {
        setModel(result == null ? null : TimelineModel.of(result));
    }

    /** Shows a model built elsewhere (e.g. on a worker thread); the current clock offsets are applied to it. */
    public void setModel(TimelineModel m) {
        this.model = m;
        this.selected = null;
        if (m != null) {
            m.setOffsets(clockOffsets.get());
            LineRef line = selection.lineProperty().get();
            if (line != null) {
                selected = m.locate(line.sha256(), line.line());
            }
        }
        locateHighlighted();
        buildOffsetFields();
        zoneFields.show(m == null ? null : m.evidence().timeline());
        vbar.setValue(0);
        layoutScrollBar();
        fitAll();
    }

    public TimelineModel getModel() {
        return model;
    }

    /** Per-host clock offsets; applied to the timeline at once, share it with the other views. */
    public ObjectProperty<ClockOffsets> clockOffsetsProperty() {
        return clockOffsets;
    }

    /**
     * Where hover text comes from for lines the evidence records do not hold (the log viewer's line index, say);
     * by default small plain files are read.
     */
    public void setLineText(BiFunction<String, Integer, String> lookup) {
        this.lineText = lookup == null ? (sha, line) -> null : lookup;
    }

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
        redraw();
    }

    public void fitAll() {
        if (model == null || model.size() == 0) {
            setVisibleRange(0, 1_000_000);
            return;
        }
        long s = model.start();
        long e = model.end();
        long pad = Math.max(MIN_SPAN, (e - s) / 50);
        setVisibleRange(s - pad, e + pad);
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

    /** Centres the selected event with a window of a thousandth of the evidence (at least 10 ms). */
    public void zoomToSelection() {
        if (selected == null || model == null) {
            return;
        }
        long w = Math.max(10_000, (model.end() - model.start()) / 1000);
        setVisibleRange(selected.micros() - w / 2, selected.micros() + w / 2);
    }

    /** The selected event as the timeline placed it, or null. */
    public Hit selectedHit() {
        return selected;
    }

    /** Canvas x of a time. */
    public double xOf(long micros) {
        return LABEL_W + (double) (micros - t0) / (t1 - t0) * dataWidth();
    }

    /** Canvas y of the middle of a lane. */
    public double yOf(int lane) {
        return laneTop(lane) + LANE_H / 2;
    }

    public Canvas canvas() {
        return canvas;
    }

    // ---------------------------------------------------------------- layout

    private HBox toolbar() {
        Button fit = button("fit", "timeline-fit", this::fitAll);
        Button in = button("zoomIn", "timeline-zoom-in", this::zoomIn);
        Button out = button("zoomOut", "timeline-zoom-out", this::zoomOut);
        Button sel = button("zoomSelection", "timeline-zoom-selection", this::zoomToSelection);
        ToggleButton offsets = new ToggleButton(texts.getString("offsets"));
        offsets.setId("timeline-offsets-toggle");
        offsets.selectedProperty().addListener((o, a, b) -> setRight(b ? offsetsPane : null));
        Label hint = new Label(texts.getString("hint"));
        hint.getStyleClass().add("text-muted");
        offsets.setMinWidth(Region.USE_PREF_SIZE);
        hint.setMinWidth(0);
        HBox.setHgrow(hint, Priority.ALWAYS);
        HBox bar = new HBox(6, fit, in, out, sel, offsets, hint);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4));
        return bar;
    }

    private Button button(String key, String id, Runnable action) {
        Button b = new Button(texts.getString(key));
        b.setId(id);
        b.setOnAction(e -> action.run());
        b.setFocusTraversable(false);
        b.setMinWidth(Region.USE_PREF_SIZE);
        return b;
    }

    private void buildOffsetsPane() {
        offsetsPane.setId("timeline-offsets");
        offsetsPane.setPadding(new Insets(6));
        offsetsPane.setPrefWidth(230);
        Label title = new Label(texts.getString("offsets.title"));
        title.setStyle("-fx-font-weight: bold;");
        Label hint = new Label(texts.getString("offsets.hint"));
        hint.setWrapText(true);
        offsetsGrid.setHgap(6);
        offsetsGrid.setVgap(4);
        Button reset = new Button(texts.getString("offsets.reset"));
        reset.setId("timeline-offsets-reset");
        reset.setOnAction(e -> clockOffsets.set(ClockOffsets.NONE));
        offsetsPane.getChildren().addAll(title, hint, offsetsGrid, reset, zoneFields);
    }

    /** The per-host time zones beside the clock offsets (shown for hosts whose lines are in local time). */
    public TimeZoneFields timeZones() {
        return zoneFields;
    }

    private void buildOffsetFields() {
        offsetsGrid.getChildren().clear();
        if (model == null) {
            return;
        }
        int row = 0;
        for (String host : model.hosts()) {
            Label l = new Label(hostLabel(host));
            TextField f = new TextField();
            f.setId("offset-" + host.replaceAll("[^A-Za-z0-9_-]", "_"));
            f.setUserData(host);
            f.setPrefColumnCount(7);
            f.setOnAction(e -> applyOffset(f));
            f.focusedProperty().addListener((o, a, b) -> {
                if (!b) {
                    applyOffset(f);
                }
            });
            offsetsGrid.addRow(row++, l, f, new Label(texts.getString("offsets.unit")));
        }
        fillOffsetFields();
    }

    private void fillOffsetFields() {
        for (javafx.scene.Node n : offsetsGrid.getChildren()) {
            if (n instanceof TextField f && f.getUserData() instanceof String host) {
                long us = clockOffsets.get().of(host);
                f.setText(us == 0 ? "0" : String.format(Locale.ROOT, "%+.6f", us / 1e6).replaceAll("0+$", "")
                        .replaceAll("\\.$", ""));
                f.setStyle("");
            }
        }
    }

    private void applyOffset(TextField f) {
        String host = (String) f.getUserData();
        try {
            double seconds = Double.parseDouble(f.getText().strip().replace(',', '.'));
            long us = Math.round(seconds * 1e6);
            if (us != clockOffsets.get().of(host)) {
                clockOffsets.set(clockOffsets.get().with(host, us));
            }
            f.setStyle("");
        } catch (NumberFormatException e) {
            f.setStyle("-fx-border-color: " + web(palette.get(Key.DANGER)) + ";");
        }
    }

    String hostLabel(String host) {
        if (host.startsWith("@")) {
            return texts.getString("host." + host.substring(1));
        }
        return host;
    }

    /** Height of all lanes with their host headers. */
    private double contentHeight() {
        return model == null || model.lanes().isEmpty() ? 0
                : model.hosts().size() * HOST_H + model.lanes().size() * LANE_H;
    }

    private void layoutScrollBar() {
        double visible = canvasPane.getHeight() - AXIS_H;
        double content = contentHeight();
        boolean need = content > visible + 0.5;
        vbar.setVisible(need);
        double barW = need ? vbar.prefWidth(-1) : 0;
        if (need) {
            vbar.resizeRelocate(canvasPane.getWidth() - barW, AXIS_H, barW, Math.max(0, visible));
            vbar.setMax(content - visible);
            vbar.setVisibleAmount(visible * (content - visible) / content);
            vbar.setUnitIncrement(LANE_H);
            vbar.setBlockIncrement(visible);
        } else {
            vbar.setValue(0);
        }
        canvas.setWidth(Math.max(1, canvasPane.getWidth() - barW));
    }

    /** Scrolls the lanes so that {@code lane} is visible. */
    private void revealLane(int lane) {
        double top = laneTop(lane) + scrollY;
        double visible = canvas.getHeight() - AXIS_H;
        if (top - HOST_H < AXIS_H + scrollY) {
            vbar.setValue(Math.max(0, top - HOST_H - AXIS_H));
        } else if (top + LANE_H > AXIS_H + scrollY + visible) {
            vbar.setValue(Math.min(vbar.getMax(), top + LANE_H - AXIS_H - visible));
        }
    }

    private void resizeCanvas() {
        layoutScrollBar();
        canvas.setHeight(Math.max(1, canvasPane.getHeight()));
        empty.relocate(LABEL_W + 10, AXIS_H + 10);
        redraw();
    }

    private double dataWidth() {
        return Math.max(1, canvas.getWidth() - LABEL_W);
    }

    private double frac(double x) {
        return Math.min(1, Math.max(0, (x - LABEL_W) / dataWidth()));
    }

    private long timeAt(double x) {
        return t0 + (long) ((x - LABEL_W) / dataWidth() * (t1 - t0));
    }

    private double laneTop(int lane) {
        if (model == null) {
            return AXIS_H;
        }
        List<Lane> lanes = model.lanes();
        int hostIndex = model.hosts().indexOf(lanes.get(lane).host());
        return AXIS_H + (hostIndex + 1) * HOST_H + lane * LANE_H - scrollY;
    }

    private int laneAt(double y) {
        if (model == null || y < AXIS_H) {
            return -1;
        }
        for (int i = 0; i < model.lanes().size(); i++) {
            double top = laneTop(i);
            if (y >= top && y < top + LANE_H) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- drawing

    /** Draws the visible range: bins of every lane, spans, markers, selection. */
    public void redraw() {
        String ua = javafx.application.Application.getUserAgentStylesheet();
        if (!java.util.Objects.equals(ua, userAgent) && getScene() != null) { // the theme changed
            userAgent = ua;
            refreshPalette();
            return;
        }
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setFill(palette.get(Key.BG));
        g.fillRect(0, 0, w, h);
        empty.setVisible(model == null || model.size() == 0);
        if (model == null) {
            return;
        }
        int width = (int) Math.floor(dataWidth());
        bins = model.bins(t0, t1, width, bins);
        g.setFont(Font.font(11));
        g.save();
        g.beginPath();
        g.rect(0, AXIS_H, w, Math.max(0, h - AXIS_H));
        g.clip();
        drawLanes(g, width);
        drawSpans(g);
        drawMarkers(g);
        g.restore();
        drawAxis(g, w);
        if (rubber) {
            g.setFill(palette.get(Key.ACCENT).deriveColor(0, 1, 1, 0.2));
            double a = Math.min(pressX, rubberX);
            g.fillRect(a, AXIS_H, Math.abs(rubberX - pressX), h - AXIS_H);
        }
    }

    private void refreshPalette() {
        palette.refresh();
        hover.setBackground(new javafx.scene.layout.Background(new javafx.scene.layout.BackgroundFill(
                palette.get(Key.SUBTLE), new javafx.scene.layout.CornerRadii(3), Insets.EMPTY)));
        hover.setBorder(new javafx.scene.layout.Border(new javafx.scene.layout.BorderStroke(palette.get(Key.BORDER),
                javafx.scene.layout.BorderStrokeStyle.SOLID, new javafx.scene.layout.CornerRadii(3),
                javafx.scene.layout.BorderWidths.DEFAULT)));
        hover.setTextFill(palette.get(Key.FG));
        redraw();
    }

    /**
     * One lane's density as pixels: per column a bar, its height the log of the count, its colour the worst level.
     * Written into a strip of {@link #barsImage} and drawn with one image call per lane.
     */
    private void paintBars(int lane, int width) {
        int n = width * BAR_H;
        if (barsPixels.length < n) {
            barsPixels = new int[n];
        }
        if (barsImage == null || barsImage.getWidth() < width || barsImage.getHeight() < model.lanes().size() * BAR_H) {
            barsImage = new javafx.scene.image.WritableImage(Math.max(width, 1), Math.max(1, model.lanes().size() * BAR_H));
        }
        java.util.Arrays.fill(barsPixels, 0, n, 0);
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
        barsImage.getPixelWriter().setPixels(0, lane * BAR_H, width, BAR_H,
                javafx.scene.image.PixelFormat.getIntArgbPreInstance(), barsPixels, 0, width);
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

    private void drawLanes(GraphicsContext g, int width) {
        List<Lane> lanes = model.lanes();
        String host = null;
        double w = canvas.getWidth();
        for (Lane lane : lanes) {
            double top = laneTop(lane.index());
            if (!lane.host().equals(host)) {
                host = lane.host();
                g.setFill(palette.get(Key.SUBTLE));
                g.fillRect(0, top - HOST_H, w, HOST_H);
                g.setFill(palette.get(Key.FG));
                g.setTextAlign(TextAlignment.LEFT);
                g.setTextBaseline(VPos.CENTER);
                g.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 11));
                g.fillText(hostLabel(host), 4, top - HOST_H / 2);
                g.setFont(Font.font(11));
            }
            g.setStroke(palette.get(Key.BORDER));
            g.setLineWidth(1);
            g.strokeLine(0, top + LANE_H - 0.5, w, top + LANE_H - 0.5);
            g.setFill(palette.get(Key.MUTED));
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.fillText("  " + texts.getString("layer." + lane.layer().name()) + "  (" + model.size(lane.index()) + ")",
                    8, top + LANE_H / 2);
            g.setStroke(palette.get(Key.BORDER).deriveColor(0, 1, 1, 0.4));
            g.strokeLine(LABEL_W, top + LANE_H - 1.5, w, top + LANE_H - 1.5);
            paintBars(lane.index(), width);
            g.drawImage(barsImage, 0, lane.index() * BAR_H, width, BAR_H, LABEL_W, top + LANE_H - 2 - BAR_H, width,
                    BAR_H);
        }
        g.setStroke(palette.get(Key.BORDER));
        g.strokeLine(LABEL_W - 0.5, AXIS_H, LABEL_W - 0.5, canvas.getHeight());
    }

    private void drawSpans(GraphicsContext g) {
        double[] labelEnd = new double[model.lanes().size() * 2];
        java.util.Arrays.fill(labelEnd, -1);
        double left = LABEL_W;
        double right = canvas.getWidth();
        for (Span s : model.spans()) {
            long a = model.startOf(s);
            long b = model.endOf(s);
            if (Math.max(a, b) < t0 || Math.min(a, b) > t1) {
                continue;
            }
            double xa = clamp(xOf(a), left - 2, right + 2);
            double xb = clamp(xOf(b), left - 2, right + 2);
            double ya = laneTop(s.startLane());
            switch (s.kind()) {
                case COMMAND_REPLY -> {
                    g.setStroke(palette.get(Key.MUTED));
                    g.setLineWidth(1);
                    double y = ya + 2.5;
                    g.strokeLine(xa, y, Math.max(xb, xa + 1), y);
                    if (s.alarming()) { // a backend removal: named next to the unplug it may orphan
                        int slot = s.startLane() * 2;
                        double tx = Math.max(xa + 4, labelEnd[slot] + 10);
                        if (tx - xa < 400) {
                            g.setFill(palette.get(Key.FG));
                            g.fillRect(xa - 1, ya + 1, 2, 16);
                            g.setTextAlign(TextAlignment.LEFT);
                            g.setTextBaseline(VPos.BOTTOM);
                            g.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 10));
                            g.fillText(s.label(), tx, ya + 12);
                            g.setFont(Font.font(11));
                            labelEnd[slot] = tx + s.label().length() * 6;
                        }
                    }
                }
                case UNPLUG, MIGRATION -> {
                    Color c = s.pending() ? palette.get(Key.DANGER)
                            : s.kind() == Span.Kind.UNPLUG ? palette.get(Key.SUCCESS) : palette.get(Key.WARNING);
                    if (s.alarming()) {
                        c = palette.get(Key.DANGER);
                    }
                    int row = s.kind() == Span.Kind.UNPLUG ? 0 : 1;
                    double y = ya + (row == 0 ? 14 : 26);
                    g.setStroke(c);
                    g.setLineWidth(3);
                    if (s.pending()) {
                        g.setLineDashes(6, 4);
                    }
                    if (s.endLane() == s.startLane()) {
                        g.strokeLine(xa, y, Math.max(xb, xa + 2), y);
                    } else {
                        double yb = laneTop(s.endLane()) + 26;
                        g.strokeLine(xa, y, xb, y);
                        g.setLineWidth(1.5);
                        g.strokeLine(xb, y, xb, yb);
                        g.setFill(c);
                        g.fillOval(xb - 4, yb - 4, 8, 8);
                    }
                    g.setLineDashes((double[]) null);
                    g.setFill(c);
                    g.fillRect(xa - 1.5, y - 4, 3, 8);
                    String text = s.pending() ? s.label() + " — " + texts.getString("pending") : s.label();
                    double tx = Math.max(xa + 4, left + 2);
                    double tw = text.length() * 5.6;
                    int slot = s.startLane() * 2 + row;
                    if (tx > labelEnd[slot] && (xb - xa > 40 || s.pending())) { // no label over another
                        g.setTextAlign(TextAlignment.LEFT);
                        g.setTextBaseline(VPos.BOTTOM);
                        g.setFont(Font.font(10));
                        g.fillText(text, tx, y - 2);
                        g.setFont(Font.font(11));
                        labelEnd[slot] = tx + tw;
                    }
                }
                default -> {
                }
            }
        }
        g.setLineWidth(1);
    }

    private void drawMarkers(GraphicsContext g) {
        for (Marker m : model.markers()) {
            long t = model.timeOf(m);
            if (t < t0 || t > t1) {
                continue;
            }
            double x = xOf(t);
            Severity s = m.finding().severity();
            g.setFill(s == Severity.ERROR || s == Severity.CRITICAL ? palette.get(Key.DANGER)
                    : s == Severity.WARNING ? palette.get(Key.WARNING) : palette.get(Key.ACCENT));
            double top = laneTop(m.lane());
            g.fillPolygon(new double[] {x - 4, x + 4, x}, new double[] {top + 1, top + 1, top + 7}, 3);
        }
        for (Hit hl : highlighted) {
            if (hl.micros() < t0 || hl.micros() > t1) {
                continue;
            }
            double x = xOf(hl.micros());
            double top = laneTop(hl.lane());
            g.setStroke(palette.get(Key.WARNING));
            g.setLineWidth(2);
            g.strokeRect(x - 3, top + 2, 6, LANE_H - 4);
        }
        for (Hit note : annotated) {
            if (note.micros() < t0 || note.micros() > t1) {
                continue;
            }
            double x = xOf(note.micros());
            double top = laneTop(note.lane());
            g.setFill(palette.get(Key.ACCENT));
            g.fillRect(x - 0.5, top + 1, 1.5, LANE_H - 2);
            g.fillPolygon(new double[] {x + 1, x + 8, x + 1}, new double[] {top + 1, top + 4, top + 7}, 3);
        }
        if (selected != null && selected.micros() >= t0 && selected.micros() <= t1) {
            double x = xOf(selected.micros());
            g.setStroke(palette.get(Key.ACCENT));
            g.setLineWidth(1);
            g.strokeLine(x, AXIS_H, x, canvas.getHeight());
            double y = yOf(selected.lane());
            g.setLineWidth(2);
            g.strokeOval(x - 6, y - 6, 12, 12);
        }
        g.setLineWidth(1);
    }

    private void drawAxis(GraphicsContext g, double w) {
        g.setFill(palette.get(Key.SUBTLE));
        g.setFill(palette.get(Key.BG));
        g.fillRect(0, 0, w, AXIS_H);
        g.setFill(palette.get(Key.SUBTLE));
        g.fillRect(0, 0, w, AXIS_H - 10);
        for (Marker m : model.markers()) { // findings on the axis
            long t = model.timeOf(m);
            if (t >= t0 && t <= t1) {
                double x = xOf(t);
                Severity sv = m.finding().severity();
                g.setFill(sv == Severity.ERROR || sv == Severity.CRITICAL ? palette.get(Key.DANGER)
                        : sv == Severity.WARNING ? palette.get(Key.WARNING) : palette.get(Key.ACCENT));
                double y = AXIS_H - 1;
                g.fillPolygon(new double[] {x - 5, x + 5, x}, new double[] {y - 8, y - 8, y}, 3);
            }
        }
        g.setStroke(palette.get(Key.BORDER));
        g.strokeLine(0, AXIS_H - 10.5, w, AXIS_H - 10.5);
        if (model.size() == 0) {
            return; // no dated event: a time axis would only show 1970
        }
        long span = t1 - t0;
        double pxPerUs = dataWidth() / span;
        long step = STEPS[STEPS.length - 1];
        for (long s : STEPS) {
            if (s * pxPerUs >= 90) {
                step = s;
                break;
            }
        }
        DateTimeFormatter f = step >= 86_400_000_000L ? fmt("MM-dd")
                : step >= 60_000_000L ? fmt("MM-dd HH:mm") : step >= 1_000_000L ? fmt("HH:mm:ss")
                : step >= 1_000L ? fmt("HH:mm:ss.SSS") : fmt("ss.SSSSSS");
        g.setFill(palette.get(Key.FG));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(Font.font(11));
        long first = Math.floorDiv(t0, step) * step;
        for (long t = first; t <= t1; t += step) {
            double x = xOf(t);
            String label = f.format(Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000), Math.floorMod(t, 1_000_000) * 1000L));
            if (x - label.length() * 3.5 < LABEL_W) {
                continue;
            }
            g.strokeLine(x + 0.5, AXIS_H - 14, x + 0.5, AXIS_H - 10);
            g.setStroke(palette.get(Key.BORDER).deriveColor(0, 1, 1, 0.5));
            g.strokeLine(x + 0.5, AXIS_H, x + 0.5, canvas.getHeight());
            g.setStroke(palette.get(Key.BORDER));
            g.fillText(label, x, (AXIS_H - 10) / 2);
        }
        g.setFill(palette.get(Key.SUBTLE));
        g.fillRect(0, 0, LABEL_W - 1, AXIS_H - 10);
        g.setFill(palette.get(Key.MUTED));
        g.setTextAlign(TextAlignment.LEFT);
        g.fillText(fmt("yyyy-MM-dd 'UTC'").format(Instant.ofEpochSecond(Math.floorDiv(t0, 1_000_000))), 4,
                (AXIS_H - 10) / 2);
    }

    private static String web(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", (int) Math.round(c.getRed() * 255),
                (int) Math.round(c.getGreen() * 255), (int) Math.round(c.getBlue() * 255));
    }

    private static DateTimeFormatter fmt(String p) {
        return DateTimeFormatter.ofPattern(p, Locale.ROOT).withZone(ZoneOffset.UTC);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    // ---------------------------------------------------------------- interaction

    private void onScroll(ScrollEvent e) {
        if (e.isShiftDown() || e.isControlDown()) { // the lanes, when there are more than fit
            double d = e.getDeltaY() != 0 ? e.getDeltaY() : e.getDeltaX();
            vbar.setValue(Math.max(0, Math.min(vbar.getMax(), vbar.getValue() - d)));
            e.consume();
            return;
        }
        if (e.getDeltaY() == 0) {
            return;
        }
        zoom(Math.pow(1.25, e.getDeltaY() / 40.0), e.getX());
        e.consume();
    }

    private void onPressed(MouseEvent e) {
        canvas.requestFocus();
        pressX = e.getX();
        pressY = e.getY();
        pressT0 = t0;
        pressT1 = t1;
        dragging = false;
        rubber = e.getButton() == MouseButton.PRIMARY && (e.isShiftDown() || e.getY() < AXIS_H);
        rubberX = pressX;
    }

    private void onDragged(MouseEvent e) {
        if (Math.abs(e.getX() - pressX) > 3 || Math.abs(e.getY() - pressY) > 3) {
            dragging = true;
        }
        if (rubber) {
            rubberX = e.getX();
            redraw();
        } else if (dragging) {
            long dt = (long) ((e.getX() - pressX) / dataWidth() * (pressT1 - pressT0));
            setVisibleRange(pressT0 - dt, pressT1 - dt);
        }
        hover.setVisible(false);
    }

    private void onReleased(MouseEvent e) {
        if (rubber && dragging) {
            rubber = false;
            long a = timeAt(Math.min(pressX, e.getX()));
            long b = timeAt(Math.max(pressX, e.getX()));
            setVisibleRange(a, b);
        } else if (!dragging && e.getButton() == MouseButton.PRIMARY) {
            rubber = false;
            selectAt(e.getX(), e.getY());
        }
        rubber = false;
        dragging = false;
    }

    /** Selects the event nearest to a point of the canvas (the lane under it, the nearest time). */
    public void selectAt(double x, double y) {
        Hit h = hitAt(x, y);
        if (h != null) {
            selected = h;
            selection.lineProperty().set(new LineRef(h.sha256(), h.line()));
            redraw();
        }
    }

    private Hit hitAt(double x, double y) {
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

    private void onMoved(MouseEvent e) {
        Hit h = hitAt(e.getX(), e.getY());
        if (h == null) {
            hover.setVisible(false);
            return;
        }
        hover.setText(describe(h));
        hover.autosize();
        hover.applyCss();
        hover.autosize();
        double x = Math.min(e.getX() + 14, Math.max(0, canvas.getWidth() - hover.getWidth() - 4));
        double y = e.getY() + 18 + hover.getHeight() > canvas.getHeight() ? e.getY() - hover.getHeight() - 8
                : e.getY() + 18;
        hover.relocate(x, y);
        hover.setVisible(true);
    }

    /** What the hover shows for an event: time, file:line, the line's text. */
    String describe(Hit h) {
        Artifact a = model.artifact(h.sha256());
        String time = fmt("yyyy-MM-dd HH:mm:ss.SSSSSS").format(Instant.ofEpochSecond(Math.floorDiv(h.micros(), 1_000_000),
                Math.floorMod(h.micros(), 1_000_000) * 1000L));
        String where = (a == null ? h.sha256().substring(0, 12) : shortPath(a.path())) + ":" + h.line();
        String text = text(h.sha256(), h.line());
        StringBuilder sb = new StringBuilder(time);
        if (h.estimated()) {
            sb.append("  ").append(texts.getString("estimated"));
        }
        sb.append('\n').append(where);
        if (text != null) {
            sb.append('\n').append(text.length() > 400 ? text.substring(0, 400) + "…" : text);
        }
        return sb.toString();
    }

    private static String shortPath(String p) {
        int cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf("!/") + 1);
        return cut >= 0 && cut < p.length() - 1 ? p.substring(cut + 1) : p;
    }

    private String text(String sha, int line) {
        String k = sha + ":" + line;
        if (k.equals(cachedTextKey)) {
            return cachedText;
        }
        String t = model.knownText(sha, line);
        if (t == null) {
            t = lineText.apply(sha, line);
        }
        if (t == null) {
            t = readLine(model.artifact(sha), line);
        }
        cachedTextKey = k;
        cachedText = t;
        return t;
    }

    /** A plain file's line, for files small enough to scan on hover (a big log's viewer supplies {@link #setLineText}). */
    private static String readLine(Artifact a, int line) {
        if (a == null || a.path().contains("!/") || a.size() > 64L << 20 || line < 1) {
            return null;
        }
        Path p = Path.of(a.path());
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try (Stream<String> lines = Files.lines(p, StandardCharsets.UTF_8)) {
            return lines.skip(line - 1L).findFirst().orElse(null);
        } catch (IOException | java.io.UncheckedIOException e) {
            // the file moved or cannot be read now: the hover shows the event without its line's text
            return null;
        }
    }

    private void onKey(KeyEvent e) {
        KeyCode c = e.getCode();
        String ch = e.getText();
        if (c == KeyCode.PLUS || c == KeyCode.ADD || c == KeyCode.EQUALS || "+".equals(ch)) {
            zoomIn();
        } else if (c == KeyCode.MINUS || c == KeyCode.SUBTRACT || "-".equals(ch)) {
            zoomOut();
        } else if (c == KeyCode.DIGIT0 || c == KeyCode.NUMPAD0 || c == KeyCode.HOME) {
            fitAll();
        } else if (c == KeyCode.Z) {
            zoomToSelection();
        } else if (c == KeyCode.LEFT || c == KeyCode.RIGHT) {
            long d = (t1 - t0) / 10 * (c == KeyCode.LEFT ? -1 : 1);
            setVisibleRange(t0 + d, t1 + d);
        } else {
            return;
        }
        e.consume();
    }

    private void onSelectedLine(LineRef ref) {
        if (model == null) {
            return;
        }
        if (ref == null) {
            selected = null;
            redraw();
            return;
        }
        if (selected != null && selected.sha256().equals(ref.sha256()) && selected.line() == ref.line()) {
            return; // our own click
        }
        selected = model.locate(ref.sha256(), ref.line());
        if (selected != null && vbar.isVisible()) {
            revealLane(selected.lane());
        }
        if (selected != null && (selected.micros() < t0 || selected.micros() > t1)) {
            long span = t1 - t0;
            setVisibleRange(selected.micros() - span / 2, selected.micros() - span / 2 + span);
        } else {
            redraw();
        }
    }

    private void locateHighlighted() {
        locate(selection.highlighted(), highlighted);
        locate(annotatedLines, annotated);
        redraw();
    }

    private void locate(java.util.Set<LineRef> lines, List<Hit> into) {
        into.clear();
        if (model != null) {
            for (LineRef r : lines) {
                Hit h = model.locate(r.sha256(), r.line());
                if (h != null) {
                    into.add(h);
                }
            }
        }
    }

    /** Lines that carry the user's notes or bookmarks: drawn as a flag above their event. */
    public javafx.collections.ObservableSet<LineRef> annotatedLines() {
        return annotatedLines;
    }

    /** Annotated lines as placed on the timeline. */
    public List<Hit> annotatedHits() {
        return List.copyOf(annotated);
    }

    /** Highlighted lines as placed on the timeline. */
    public List<Hit> highlightedHits() {
        return List.copyOf(highlighted);
    }
}
