package dev.vmcase.views.timeline;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.ClockOffsets;
import dev.vmcase.analysis.timeline.Hit;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.views.LineLookup;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.Texts;
import javafx.application.Application;
import javafx.beans.property.ObjectProperty;
import javafx.collections.ObservableSet;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

import java.text.MessageFormat;
import java.util.List;
import java.util.Objects;
import java.util.ResourceBundle;

/**
 * Every event of every artifact on one time axis, in lanes by host × layer, drawn on a Canvas per pixel column
 * ({@link TimelineRenderer}) from the state of a {@link TimelineViewModel}. Wheel, {@code +}/{@code -}, rubber band
 * (shift-drag or drag on the axis) zoom; drag pans; {@code 0} fits all, {@code Z} zooms to the selected event.
 * Hovering names the event (its text read off the FX thread), a click selects the nearest one into the shared
 * {@link Selection}; a line selected elsewhere is marked and scrolled into view, highlighted lines are marked.
 * Beside it, {@link ClockOffsetsPane} sets each host's clock offset ({@link #clockOffsetsProperty}). With no dated
 * line to show, the view says why instead of an empty axis.
 */
public final class TimelineView extends BorderPane {
    static final double LABEL_W = TimelineViewModel.LABEL_W;
    static final double AXIS_H = TimelineViewModel.AXIS_H;

    private final TimelineViewModel vm;
    private final ResourceBundle texts = Texts.of("dev.vmcase.views.timeline.Timeline");
    private final TimelinePalette palette = new TimelinePalette();
    private final TimelineRenderer renderer;
    private final Canvas canvas = new Canvas(10, 10);
    private final Pane canvasPane = new Pane();
    private final Label hover = new Label();
    private final Label empty = new Label();
    private final ScrollBar vbar = new ScrollBar();
    private final ClockOffsetsPane offsetsPane;
    private final TimeZoneFields zoneFields = new TimeZoneFields(texts);
    private String userAgent = "";
    private Hit hovered;
    private double pressX;
    private double pressY;
    private long pressT0;
    private long pressT1;
    private boolean dragging;
    private boolean rubber;
    private double rubberX;
    private boolean scrolling;
    private final javafx.beans.value.ChangeListener<Object> themeListener = (o, a, b) -> {
        if (inWindow()) {
            javafx.application.Platform.runLater(this::refreshPalette);
        }
    };

    public TimelineView(Selection selection) {
        this.vm = new TimelineViewModel(selection);
        this.renderer = new TimelineRenderer(palette, texts::getString);
        getStyleClass().add("timeline-view");
        setId("timeline");
        getStylesheets().add(Objects.requireNonNull(TimelineView.class.getResource("timeline.css"))
                .toExternalForm());
        canvas.setId("timeline-canvas");
        canvas.setFocusTraversable(true);
        hover.setId("timeline-hover");
        hover.getStyleClass().add("timeline-hover");
        hover.setVisible(false);
        hover.setManaged(false);
        hover.setMouseTransparent(true);
        hover.setMaxWidth(700);
        hover.setWrapText(true);
        empty.setId("timeline-empty");
        empty.getStyleClass().add("timeline-empty");
        empty.setWrapText(true);
        empty.setMouseTransparent(true);
        empty.setManaged(false);
        vbar.setOrientation(Orientation.VERTICAL);
        vbar.setId("timeline-lanes-scroll");
        vbar.setManaged(false);
        vbar.setVisible(false);
        vbar.valueProperty().addListener((o, a, b) -> {
            if (!scrolling) {
                vm.setScrollY(b.doubleValue());
            }
        });
        canvasPane.getChildren().addAll(canvas, vbar, hover, empty);
        canvasPane.getChildren().addAll(palette.probes());
        canvasPane.setMinSize(200, 60);
        canvasPane.widthProperty().addListener((o, a, b) -> resizeCanvas());
        canvasPane.heightProperty().addListener((o, a, b) -> resizeCanvas());
        setCenter(canvasPane);
        offsetsPane = new ClockOffsetsPane(texts, vm.clockOffsetsProperty(), renderer::hostLabel);
        offsetsPane.getChildren().add(zoneFields);
        setTop(toolbar());
        sceneProperty().addListener((o, a, b) -> {
            if (b != null) {
                // after the scene has its root styles: the probes resolve the theme's colours then, not before
                javafx.application.Platform.runLater(this::refreshPalette);
            }
        });

        // a theme switched while the timeline is behind another tab: its canvas is repainted in the new colours
        dev.vmcase.views.shell.Theme.currentProperty().addListener(new javafx.beans.value.WeakChangeListener<>(
                themeListener));
        canvas.addEventHandler(ScrollEvent.SCROLL, this::onScroll);
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onDragged);
        canvas.addEventHandler(MouseEvent.MOUSE_RELEASED, this::onReleased);
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::onMoved);
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hideHover());
        canvasPane.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.PAGE_DOWN || e.getCode() == KeyCode.PAGE_UP) {
                vm.setScrollY(vm.scrollY() + (e.getCode() == KeyCode.PAGE_DOWN ? 1 : -1) * (vm.height() - AXIS_H));
                e.consume();
            }
        });
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
        vm.onChange(this::redraw);
    }

    // ---------------------------------------------------------------- public API

    /** The state behind the view, for tests and for whoever drives it. */
    public TimelineViewModel viewModel() {
        return vm;
    }

    /** Shows an analysis (its timeline model built here, on the FX thread: small evidence and tests). */
    public void show(AnalysisResult result) {
        setModel(result == null ? null : TimelineModel.of(result));
    }

    /** Shows a model built elsewhere (e.g. on a worker thread); the current clock offsets are applied to it. */
    public void setModel(TimelineModel m) {
        hideHover();
        vm.setModel(m);
        offsetsPane.hosts(m);
        zoneFields.show(m == null ? null : m.evidence().timeline());
        layoutScrollBar();
        redraw();
    }

    /**
     * The model of a file still being read, grown since the last one shown ({@link TimelineViewModel#grow}): the
     * user's range and scroll stay.
     */
    public void grow(TimelineModel m) {
        hideHover();
        vm.grow(m);
        offsetsPane.hosts(m);
        zoneFields.show(m == null ? null : m.evidence().timeline());
        layoutScrollBar();
        redraw();
    }

    public TimelineModel getModel() {
        return vm.model();
    }

    /** The per-host time zones beside the clock offsets (shown for hosts whose lines are in local time). */
    public TimeZoneFields timeZones() {
        return zoneFields;
    }

    /** While the evidence is read or the model built, the empty view says so rather than "no dated line". */
    public void setLoading(boolean loading) {
        vm.setLoading(loading);
    }

    /** Per-host clock offsets; applied to the timeline at once, share it with the other views. */
    public ObjectProperty<ClockOffsets> clockOffsetsProperty() {
        return vm.clockOffsetsProperty();
    }

    /** Where hover text comes from for lines the evidence records do not hold (the log viewer's line index). */
    public void setLineText(LineLookup lookup) {
        vm.setLineText(lookup);
    }

    public long visibleStart() {
        return vm.visibleStart();
    }

    public long visibleEnd() {
        return vm.visibleEnd();
    }

    public void setVisibleRange(long start, long end) {
        vm.setVisibleRange(start, end);
    }

    public void fitAll() {
        vm.fitAll();
    }

    public void zoom(double factor, double x) {
        vm.zoom(factor, x);
    }

    public void zoomIn() {
        vm.zoomIn();
    }

    public void zoomOut() {
        vm.zoomOut();
    }

    public void zoomToSelection() {
        vm.zoomToSelection();
    }

    public Hit selectedHit() {
        return vm.selectedHit();
    }

    public double xOf(long micros) {
        return vm.xOf(micros);
    }

    public double yOf(int lane) {
        return vm.yOf(lane);
    }

    public Canvas canvas() {
        return canvas;
    }

    /** Selects the event nearest to a point of the canvas. */
    public void selectAt(double x, double y) {
        vm.selectAt(x, y);
    }

    public ObservableSet<LineRef> annotatedLines() {
        return vm.annotatedLines();
    }

    public List<Hit> annotatedHits() {
        return vm.annotatedHits();
    }

    public List<Hit> highlightedHits() {
        return vm.highlightedHits();
    }

    // ---------------------------------------------------------------- layout

    private HBox toolbar() {
        Button fit = button("fit", "timeline-fit", vm::fitAll);
        Button in = button("zoomIn", "timeline-zoom-in", vm::zoomIn);
        Button out = button("zoomOut", "timeline-zoom-out", vm::zoomOut);
        Button sel = button("zoomSelection", "timeline-zoom-selection", vm::zoomToSelection);
        ToggleButton offsets = new ToggleButton(texts.getString("offsets"));
        offsets.setId("timeline-offsets-toggle");
        offsets.selectedProperty().addListener((o, a, b) -> setRight(b ? offsetsPane : null));
        offsets.setMinWidth(Region.USE_PREF_SIZE);
        Label hint = new Label(texts.getString("hint"));
        hint.getStyleClass().add("text-muted");
        hint.setMinWidth(0);
        hint.setTooltip(new Tooltip(texts.getString("hint")));
        HBox.setHgrow(hint, Priority.ALWAYS);
        HBox bar = new HBox(6, fit, in, out, sel, offsets, hint);
        bar.getStyleClass().add("timeline-toolbar");
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

    private void layoutScrollBar() {
        double max = vm.scrollMax();
        boolean need = max > 0.5;
        vbar.setVisible(need);
        double barW = need ? vbar.prefWidth(-1) : 0;
        if (need) {
            double visible = canvasPane.getHeight() - AXIS_H;
            vbar.resizeRelocate(canvasPane.getWidth() - barW, AXIS_H, barW, Math.max(0, visible));
            vbar.setMax(max);
            vbar.setVisibleAmount(visible * max / vm.contentHeight());
            vbar.setUnitIncrement(vm.laneHeight());
            vbar.setBlockIncrement(visible);
        }
        double w = Math.max(1, canvasPane.getWidth() - barW);
        if (canvas.getWidth() != w) {
            canvas.setWidth(w);
        }
    }

    private void resizeCanvas() {
        canvas.setHeight(Math.max(1, canvasPane.getHeight()));
        canvas.setWidth(Math.max(1, canvasPane.getWidth()));
        vm.setSize(canvas.getWidth(), canvas.getHeight());
        layoutScrollBar();
        vm.setSize(canvas.getWidth(), canvas.getHeight());
    }

    /** Draws the visible range (the model asks for it whenever something drawn changed). */
    public void redraw() {
        String ua = Application.getUserAgentStylesheet();
        if (!Objects.equals(ua, userAgent) && inWindow()) { // the theme changed
            userAgent = ua;
            refreshPalette();
            return;
        }
        scrolling = true;
        try {
            vbar.setValue(vm.scrollY());
        } finally {
            scrolling = false;
        }
        showEmpty();
        renderer.draw(canvas.getGraphicsContext2D(), vm, rubber && dragging ? pressX : -1, rubberX);
    }

    /** With nothing to draw, the view says why: still reading, nothing open, or no dated line in the evidence. */
    private void showEmpty() {
        boolean none = !vm.hasEvents();
        TimelineModel m = vm.model();
        if (!none && vm.loading()) {
            // rows of a file still being read: a line under them says so (spans and findings come with the analysis)
            empty.setVisible(true);
            empty.setText(MessageFormat.format(texts.getString("reading"), m.size()));
            double w = Math.max(100, canvasPane.getWidth() - 8);
            double h = Math.max(20, empty.prefHeight(w));
            empty.resizeRelocate(4, Math.max(2, canvasPane.getHeight() - h - 2), w, h);
            return;
        }
        empty.setVisible(none);
        if (!none) {
            return;
        }
        String text;
        if (vm.loading()) {
            text = texts.getString(m == null ? "loading" : "building");
        } else if (m == null) {
            text = texts.getString("nothing");
        } else if (m.evidence().timeline().locals().stream().anyMatch(l -> !l.placed())) {
            text = texts.getString("localWithoutZone"); // dated, but in a local time of a zone nobody named
        } else {
            text = MessageFormat.format(texts.getString("noDatedLine"), m.evidence().artifacts().size());
        }
        empty.setText(text);
        double w = Math.max(100, canvasPane.getWidth() - 8);
        empty.resizeRelocate(4, 2, w, Math.max(20, empty.prefHeight(w)));
    }

    /**
     * Whether the view is in a window: a view whose scene left its window (a replaced workbench, not yet collected)
     * cannot resolve the theme's looked-up colours, and would log a CSS warning for each; it repaints on its next
     * draw if it is shown again.
     */
    private boolean inWindow() {
        return getScene() != null && getScene().getWindow() != null;
    }

    private void refreshPalette() {
        palette.refresh();
        userAgent = Application.getUserAgentStylesheet();
        redraw();
    }

    // ---------------------------------------------------------------- interaction

    private void onScroll(ScrollEvent e) {
        if (e.isShiftDown() || e.isControlDown()) { // the lanes, when there are more than fit
            double d = e.getDeltaY() != 0 ? e.getDeltaY() : e.getDeltaX();
            vm.setScrollY(vm.scrollY() - d);
            e.consume();
            return;
        }
        if (e.getDeltaY() == 0) {
            return;
        }
        vm.zoom(Math.pow(1.25, e.getDeltaY() / 40.0), e.getX());
        e.consume();
    }

    private void onPressed(MouseEvent e) {
        canvas.requestFocus();
        pressX = e.getX();
        pressY = e.getY();
        pressT0 = vm.visibleStart();
        pressT1 = vm.visibleEnd();
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
            long dt = (long) ((e.getX() - pressX) / vm.dataWidth() * (pressT1 - pressT0));
            vm.setVisibleRange(pressT0 - dt, pressT1 - dt);
        }
        hideHover();
    }

    private void onReleased(MouseEvent e) {
        if (rubber && dragging) {
            rubber = false;
            long a = vm.timeAt(Math.min(pressX, e.getX()));
            long b = vm.timeAt(Math.max(pressX, e.getX()));
            vm.setVisibleRange(a, b);
        } else if (!dragging && e.getButton() == MouseButton.PRIMARY) {
            rubber = false;
            vm.selectAt(e.getX(), e.getY());
        }
        rubber = false;
        dragging = false;
        redraw();
    }

    private void onMoved(MouseEvent e) {
        Hit h = vm.hitAt(e.getX(), e.getY());
        if (h == null) {
            hideHover();
            return;
        }
        double mx = e.getX();
        double my = e.getY();
        hovered = h;
        vm.describe(h, texts.getString("estimated"), text -> {
            if (h.equals(hovered)) { // the line's text may come after the pointer moved on
                showHover(text, mx, my);
            }
        });
    }

    private void showHover(String text, double mx, double my) {
        hover.setText(text);
        hover.applyCss();
        hover.autosize();
        double x = Math.min(mx + 14, Math.max(0, canvas.getWidth() - hover.getWidth() - 4));
        double y = my + 18 + hover.getHeight() > canvas.getHeight() ? my - hover.getHeight() - 8 : my + 18;
        hover.relocate(x, Math.max(0, y));
        hover.setVisible(true);
    }

    private void hideHover() {
        hovered = null;
        hover.setVisible(false);
    }

    private void onKey(KeyEvent e) {
        KeyCode c = e.getCode();
        String ch = e.getText();
        if (c == KeyCode.PLUS || c == KeyCode.ADD || c == KeyCode.EQUALS || "+".equals(ch)) {
            vm.zoomIn();
        } else if (c == KeyCode.MINUS || c == KeyCode.SUBTRACT || "-".equals(ch)) {
            vm.zoomOut();
        } else if (c == KeyCode.DIGIT0 || c == KeyCode.NUMPAD0 || c == KeyCode.HOME) {
            vm.fitAll();
        } else if (c == KeyCode.Z) {
            vm.zoomToSelection();
        } else if ((c == KeyCode.LEFT || c == KeyCode.RIGHT) && !e.isAltDown()) {
            vm.pan(c == KeyCode.RIGHT);
        } else {
            return;
        }
        e.consume();
    }
}
