package dev.vmcase.views.notes;

import dev.vmcase.casefile.Tour;
import dev.vmcase.views.Selection;
import javafx.scene.control.Button;
import javafx.scene.control.Label;

/**
 * One step of a tour shown the same way by the band in the window ({@link TourBar}) and the presentation window
 * ({@link TourPlayer}): "Step 2 of 7", its title, what it points at and its note; previous and next enabled as they
 * apply; its target selected in every view.
 */
final class TourSteps {
    private final Label progress;
    private final Label title;
    private final Label target;
    private final Label note;
    private final Button previous;
    private final Button next;

    TourSteps(Label progress, Label title, Label target, Label note, Button previous, Button next) {
        this.progress = progress;
        this.title = title;
        this.target = target;
        this.note = note;
        this.previous = previous;
        this.next = next;
    }

    /** Shows step {@code i} of {@code tour} and selects its target. */
    void show(Tour tour, int i, TargetResolver resolver, Selection selection) {
        Tour.Step s = tour.steps().get(i);
        progress.setText(NotesTexts.format("player.progress", i + 1, tour.steps().size()));
        title.setText(s.title());
        target.setText(resolver.describe(s.target()));
        note.setText(s.note());
        previous.setDisable(i == 0);
        next.setDisable(i == tour.steps().size() - 1);
        resolver.select(s.target(), selection);
    }

    /** The step after {@code i}, or {@code i} at the last one. */
    static int after(Tour tour, int i) {
        return tour != null && i < tour.steps().size() - 1 ? i + 1 : i;
    }

    /** The step before {@code i}, or {@code i} at the first one. */
    static int before(int i) {
        return i > 0 ? i - 1 : i;
    }
}
