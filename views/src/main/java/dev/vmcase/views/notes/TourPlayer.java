package dev.vmcase.views.notes;

import dev.vmcase.casefile.Tour;
import dev.vmcase.views.Selection;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.Objects;

/**
 * Presentation mode: one tour step at a time in large type, next/previous (buttons, arrow keys, Page Up/Down, space),
 * and each step's target selected — so centred — in every view through the shared {@link Selection}.
 */
public final class TourPlayer extends BorderPane {
    private final Tour tour;
    private final Selection selection;
    private final TargetResolver resolver;
    private final IntegerProperty step = new SimpleIntegerProperty(this, "step", -1);
    private final Label progress = new Label();
    private final Label title = new Label();
    private final Label target = new Label();
    private final Label note = new Label();
    private final Button previous = new Button(NotesTexts.get("player.previous"));
    private final Button next = new Button(NotesTexts.get("player.next"));
    private final TourSteps steps = new TourSteps(progress, title, target, note, previous, next);

    public TourPlayer(Tour tour, Selection selection, TargetResolver resolver) {
        this.tour = tour;
        this.selection = selection;
        this.resolver = resolver;
        getStyleClass().add("tour-player");
        getStylesheets().add(Objects.requireNonNull(NotesPanel.class.getResource("notes.css")).toExternalForm());
        setPadding(new Insets(24));
        Label tourTitle = new Label(tour.title());
        tourTitle.getStyleClass().add("tour-progress");
        progress.setId("tourProgress");
        progress.getStyleClass().add("tour-progress");
        title.setId("tourStepTitle");
        title.getStyleClass().add("tour-title");
        title.setWrapText(true);
        target.setId("tourTarget");
        target.getStyleClass().add("tour-target");
        note.setId("tourNote");
        note.getStyleClass().add("tour-note");
        note.setWrapText(true);
        ScrollPane scroll = new ScrollPane(note);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        VBox body = new VBox(14, tourTitle, progress, title, target, scroll);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        setCenter(body);
        previous.setId("tourPrevious");
        next.setId("tourNext");
        previous.setOnAction(e -> previous());
        next.setOnAction(e -> next());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(12, previous, grow, next);
        buttons.setAlignment(Pos.CENTER);
        setBottom(buttons);
        setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.RIGHT || e.getCode() == KeyCode.PAGE_DOWN || e.getCode() == KeyCode.SPACE) {
                next();
                e.consume();
            } else if (e.getCode() == KeyCode.LEFT || e.getCode() == KeyCode.PAGE_UP) {
                previous();
                e.consume();
            }
        });
        step.addListener((o, a, b) -> show());
        if (!tour.steps().isEmpty()) {
            step.set(0);
        } else {
            title.setText(NotesTexts.get("player.noSteps"));
            previous.setDisable(true);
            next.setDisable(true);
        }
    }

    /** The step shown, 0-based. */
    public IntegerProperty stepProperty() {
        return step;
    }

    public void next() {
        step.set(TourSteps.after(tour, step.get()));
    }

    public void previous() {
        step.set(TourSteps.before(step.get()));
    }

    private void show() {
        steps.show(tour, step.get(), resolver, selection);
    }

    /** Opens the player in its own window (Escape closes it). */
    public static Stage open(Window owner, Tour tour, Selection selection, TargetResolver resolver) {
        TourPlayer p = new TourPlayer(tour, selection, resolver);
        Stage st = new Stage();
        if (owner != null) {
            st.initOwner(owner);
        }
        st.setTitle(NotesTexts.format("player.title", tour.title()));
        Scene scene = new Scene(p, 1000, 640);
        scene.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                st.close();
            } else {
                p.fireEvent(e.copyFor(p, p));
            }
        });
        st.setScene(scene);
        st.show();
        p.requestFocus();
        return st;
    }
}
