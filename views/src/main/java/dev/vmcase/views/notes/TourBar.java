package dev.vmcase.views.notes;

import dev.vmcase.casefile.Target;
import dev.vmcase.casefile.Tour;
import dev.vmcase.views.Selection;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A tour played inside the workbench: a band under the views with the step's title and note, previous/next and end,
 * while the step's target is selected in the views themselves — nothing covers the line the step points at (the
 * separate presentation window, {@link TourPlayer}, is for a projector).
 */
public final class TourBar extends BorderPane {
    private final Selection selection;
    private final Supplier<TargetResolver> resolver;
    private final Consumer<Target> shown;
    private final IntegerProperty step = new SimpleIntegerProperty(this, "step", -1);
    private final ReadOnlyBooleanWrapper playing = new ReadOnlyBooleanWrapper(this, "playing");
    private final Label tourTitle = new Label();
    private final Label progress = new Label();
    private final Label title = new Label();
    private final Label target = new Label();
    private final Label note = new Label();
    private final Button previous = new Button(NotesTexts.get("player.previous"));
    private final Button next = new Button(NotesTexts.get("player.next"));
    private final Button end = new Button(NotesTexts.get("bar.end"));
    private final TourSteps steps = new TourSteps(progress, title, target, note, previous, next);
    private Tour tour;

    /** @param shown told each step's target after it is selected (the workbench brings its view forward) */
    public TourBar(Selection selection, Supplier<TargetResolver> resolver, Consumer<Target> shown) {
        this.selection = selection;
        this.resolver = resolver;
        this.shown = shown;
        setId("tour-bar");
        getStyleClass().add("tour-bar");
        getStylesheets().add(Objects.requireNonNull(NotesPanel.class.getResource("notes.css")).toExternalForm());
        setPadding(new Insets(6, 10, 6, 10));
        tourTitle.getStyleClass().add("tour-bar-tour");
        tourTitle.setMinWidth(0);
        tourTitle.setTooltip(new Tooltip());
        tourTitle.getTooltip().textProperty().bind(tourTitle.textProperty());
        progress.setId("tour-bar-progress");
        progress.getStyleClass().add("tour-bar-progress");
        progress.setMinWidth(Region.USE_PREF_SIZE);
        title.setId("tour-bar-title");
        title.getStyleClass().add("tour-bar-title");
        title.setWrapText(true);
        target.getStyleClass().add("tour-bar-target");
        target.setMinWidth(0);
        target.setTooltip(new Tooltip());
        target.getTooltip().textProperty().bind(target.textProperty());
        note.setId("tour-bar-note");
        note.getStyleClass().add("tour-bar-note");
        note.setWrapText(true);
        ScrollPane noteScroll = new ScrollPane(note);
        noteScroll.setFitToWidth(true);
        noteScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        noteScroll.setPrefViewportHeight(54);
        noteScroll.setMaxHeight(84);
        noteScroll.getStyleClass().add("edge-to-edge");
        HBox head = new HBox(10, progress, tourTitle, target);
        head.setAlignment(Pos.CENTER_LEFT);
        VBox text = new VBox(2, head, title, noteScroll);
        HBox.setHgrow(text, Priority.ALWAYS);
        previous.setId("tour-bar-previous");
        next.setId("tour-bar-next");
        end.setId("tour-bar-end");
        next.getStyleClass().add("accent");
        for (Button b : new Button[] {previous, next, end}) {
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.setFocusTraversable(false);
        }
        previous.setOnAction(e -> previous());
        next.setOnAction(e -> next());
        end.setOnAction(e -> stop());
        end.setTooltip(new Tooltip(NotesTexts.get("bar.end.tip")));
        HBox buttons = new HBox(6, previous, next, end);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        HBox row = new HBox(12, text, buttons);
        row.setAlignment(Pos.CENTER_LEFT);
        setCenter(row);
        step.addListener((o, a, b) -> show());
        visibleProperty().bind(playing);
        managedProperty().bind(playing);
    }

    /** Plays {@code t} from its first step. */
    public void play(Tour t) {
        tour = t;
        tourTitle.setText(t.title());
        playing.set(true);
        step.set(-1);
        if (t.steps().isEmpty()) {
            title.setText(NotesTexts.get("player.noSteps"));
            note.setText("");
            target.setText("");
            progress.setText("");
            previous.setDisable(true);
            next.setDisable(true);
        } else {
            step.set(0);
        }
    }

    public void stop() {
        playing.set(false);
        tour = null;
    }

    public ReadOnlyBooleanProperty playingProperty() {
        return playing.getReadOnlyProperty();
    }

    /** The step shown, 0-based (-1 when none). */
    public IntegerProperty stepProperty() {
        return step;
    }

    public void next() {
        step.set(TourSteps.after(tour, step.get()));
    }

    public void previous() {
        if (tour != null) {
            step.set(TourSteps.before(step.get()));
        }
    }

    private void show() {
        int i = step.get();
        if (tour == null || i < 0 || i >= tour.steps().size()) {
            return;
        }
        steps.show(tour, i, resolver.get(), selection);
        shown.accept(tour.steps().get(i).target());
    }
}
