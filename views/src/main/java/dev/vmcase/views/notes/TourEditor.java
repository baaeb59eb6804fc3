package dev.vmcase.views.notes;

import dev.vmcase.casefile.CaseSession;
import dev.vmcase.casefile.Tour;
import dev.vmcase.views.Selection;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Records and edits tours: pick or create a tour, add the current selection as a step, reorder, edit a step's title
 * and note (Markdown), remove; play opens the {@link TourPlayer}. Every change goes to the {@link CaseSession}.
 */
public final class TourEditor extends BorderPane {
    private final Selection selection;
    private final CaseSession session;
    private final Supplier<TargetResolver> resolver;
    private final ComboBox<Tour> tours = new ComboBox<>();
    private final TextField tourTitle = new TextField();
    private final ListView<Tour.Step> steps = new ListView<>();
    private final TextField stepTitle = new TextField();
    private final TextArea stepNote = new TextArea();
    private final Label stepTarget = new Label();
    private final Runnable onChange = () -> Platform.runLater(this::refresh);
    private boolean updating;

    public TourEditor(Selection selection, CaseSession session, Supplier<TargetResolver> resolver) {
        this.selection = selection;
        this.session = session;
        this.resolver = resolver;
        getStyleClass().add("tour-editor");
        getStylesheets().add(Objects.requireNonNull(NotesPanel.class.getResource("notes.css")).toExternalForm());
        tours.setId("tours");
        tours.setConverter(new StringConverter<>() {
            @Override
            public String toString(Tour t) {
                return t == null ? "" : t.title();
            }

            @Override
            public Tour fromString(String s) {
                return null;
            }
        });
        tours.valueProperty().addListener((o, a, b) -> showTour());
        Button newTour = NotesTexts.button("newTour", "tours.new", this::newTour);
        Button play = NotesTexts.button("playTour", "tours.play", () -> {
            if (tours.getValue() != null) {
                TourPlayer.open(getScene().getWindow(), tours.getValue(), selection, resolver.get());
            }
        });
        Button deleteTour = NotesTexts.button("deleteTour", "tours.delete", () -> {
            if (tours.getValue() != null) {
                session.removeTour(tours.getValue().id());
            }
        });
        tourTitle.setId("tourTitle");
        tourTitle.setPromptText(NotesTexts.get("tours.titlePrompt"));
        tourTitle.setOnAction(e -> changeTour(t -> new Tour(t.id(), tourTitle.getText(), t.description(), t.steps())));
        tourTitle.focusedProperty().addListener((o, a, f) -> {
            if (!f && tours.getValue() != null && !tourTitle.getText().equals(tours.getValue().title())) {
                changeTour(t -> new Tour(t.id(), tourTitle.getText(), t.description(), t.steps()));
            }
        });
        Label title = new Label(NotesTexts.get("tours.title"));
        title.getStyleClass().add("notes-title");
        tours.setMaxWidth(Double.MAX_VALUE);
        HBox top = new HBox(6, title, tours);
        top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        HBox.setHgrow(tours, Priority.ALWAYS);
        HBox tourButtons = new HBox(6, newTour, deleteTour, play);
        VBox header = new VBox(4, top, tourButtons, tourTitle);
        header.setPadding(new Insets(4));
        setTop(header);

        steps.setId("tourSteps");
        steps.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Tour.Step s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : (getIndex() + 1) + ". " + s.title() + "  —  "
                        + resolver.get().describe(s.target()));
            }
        });
        steps.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> showStep());
        Button add = NotesTexts.button("addStep", "tours.addStep", this::addStep);
        Button up = NotesTexts.button("stepUp", "tours.up", () -> move(-1));
        Button down = NotesTexts.button("stepDown", "tours.down", () -> move(1));
        Button remove = NotesTexts.button("removeStep", "tours.remove", this::removeStep);
        Button go = NotesTexts.button("showStep", "tours.show", () -> {
            Tour.Step s = steps.getSelectionModel().getSelectedItem();
            if (s != null) {
                resolver.get().select(s.target(), selection);
            }
        });
        HBox stepButtons = new HBox(6, add, up, down, remove, go);
        stepTitle.setId("stepTitle");
        stepTitle.setPromptText(NotesTexts.get("tours.stepTitlePrompt"));
        stepNote.setId("stepNote");
        stepNote.setPromptText(NotesTexts.get("tours.stepNotePrompt"));
        stepNote.setWrapText(true);
        stepNote.setPrefRowCount(5);
        stepTarget.getStyleClass().add("note-target");
        Button apply = NotesTexts.button("applyStep", "tours.apply", this::applyStep);
        VBox stepBox = new VBox(4, stepTarget, stepTitle, stepNote, apply);
        VBox center = new VBox(6, steps, stepButtons, stepBox);
        VBox.setVgrow(steps, Priority.ALWAYS);
        center.setPadding(new Insets(4));
        setCenter(center);
        session.addListener(onChange);
        refresh();
    }

    /** Re-reads the session (FX thread). */
    public void refresh() {
        updating = true;
        try {
            String keep = tours.getValue() == null ? null : tours.getValue().id();
            List<Tour> all = session.notes().tours();
            tours.getItems().setAll(all);
            Tour sel = all.stream().filter(t -> t.id().equals(keep)).findFirst().orElse(all.isEmpty() ? null : all.get(0));
            tours.setValue(sel);
        } finally {
            updating = false;
        }
        showTour();
    }

    private void showTour() {
        Tour t = tours.getValue();
        int keep = steps.getSelectionModel().getSelectedIndex();
        tourTitle.setText(t == null ? "" : t.title());
        steps.getItems().setAll(t == null ? List.of() : t.steps());
        if (keep >= 0 && keep < steps.getItems().size()) {
            steps.getSelectionModel().select(keep);
        }
        showStep();
    }

    private void showStep() {
        Tour.Step s = steps.getSelectionModel().getSelectedItem();
        stepTitle.setText(s == null ? "" : s.title());
        stepNote.setText(s == null ? "" : s.note());
        stepTarget.setText(s == null ? "" : resolver.get().describe(s.target()));
    }

    public ComboBox<Tour> tours() {
        return tours;
    }

    public ListView<Tour.Step> steps() {
        return steps;
    }

    private void newTour() {
        Tour t = new Tour(UUID.randomUUID().toString(), NotesTexts.get("tours.untitled"), "", List.of());
        session.putTour(t);
        Platform.runLater(() -> tours.getItems().stream().filter(x -> x.id().equals(t.id())).findFirst()
                .ifPresent(tours::setValue));
    }

    private interface TourChange {
        Tour apply(Tour t);
    }

    private void changeTour(TourChange c) {
        Tour t = tours.getValue();
        if (t != null && !updating) {
            session.putTour(c.apply(t));
        }
    }

    /** Adds what is selected now (a frame's line counts as a line) after the selected step, or at the end. */
    public void addStep() {
        if (tours.getValue() == null) {
            newTour();
            Platform.runLater(this::addStep);
            return;
        }
        TargetResolver.of(selection, false).ifPresent(target -> {
            int at = steps.getSelectionModel().getSelectedIndex();
            List<Tour.Step> s = new ArrayList<>(tours.getValue().steps());
            int index = at < 0 ? s.size() : at + 1;
            s.add(index, new Tour.Step(target, resolver.get().describe(target), ""));
            changeTour(t -> new Tour(t.id(), t.title(), t.description(), s));
            Platform.runLater(() -> steps.getSelectionModel().select(index));
        });
    }

    private void move(int by) {
        int i = steps.getSelectionModel().getSelectedIndex();
        int j = i + by;
        if (i < 0 || j < 0 || j >= steps.getItems().size()) {
            return;
        }
        List<Tour.Step> s = new ArrayList<>(tours.getValue().steps());
        s.add(j, s.remove(i));
        changeTour(t -> new Tour(t.id(), t.title(), t.description(), s));
        Platform.runLater(() -> steps.getSelectionModel().select(j));
    }

    private void removeStep() {
        int i = steps.getSelectionModel().getSelectedIndex();
        if (i < 0) {
            return;
        }
        List<Tour.Step> s = new ArrayList<>(tours.getValue().steps());
        s.remove(i);
        changeTour(t -> new Tour(t.id(), t.title(), t.description(), s));
    }

    private void applyStep() {
        int i = steps.getSelectionModel().getSelectedIndex();
        if (i < 0) {
            return;
        }
        List<Tour.Step> s = new ArrayList<>(tours.getValue().steps());
        Tour.Step old = s.get(i);
        s.set(i, new Tour.Step(old.target(), stepTitle.getText(), stepNote.getText()));
        changeTour(t -> new Tour(t.id(), t.title(), t.description(), s));
    }

    /** Stops following the session. */
    public void dispose() {
        session.removeListener(onChange);
    }

}
