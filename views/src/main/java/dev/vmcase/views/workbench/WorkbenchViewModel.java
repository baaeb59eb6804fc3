package dev.vmcase.views.workbench;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Finding;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/** What the first window shows, adapted from an {@link AnalysisResult} on the FX thread. */
public final class WorkbenchViewModel {
    private final ReadOnlyObjectWrapper<AnalysisResult> result = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final javafx.beans.property.DoubleProperty progress = new javafx.beans.property.SimpleDoubleProperty(0);
    private final javafx.beans.property.BooleanProperty busy = new javafx.beans.property.SimpleBooleanProperty(false);
    private Runnable cancel = () -> { };
    private java.util.function.Consumer<List<java.nio.file.Path>> opener = paths -> { };
    private final Selection selection = new Selection();
    private final ReadOnlyObjectWrapper<dev.vmcase.analysis.timeline.TimelineModel> timeline = new ReadOnlyObjectWrapper<>();

    /** Shows a result whose timeline model is built here (on the FX thread; fine for small evidence and tests). */
    public void show(AnalysisResult r) {
        show(r, dev.vmcase.analysis.timeline.TimelineModel.of(r));
    }

    /** Shows a result with its timeline model, built on the worker (it takes seconds for millions of lines). */
    public void show(AnalysisResult r, dev.vmcase.analysis.timeline.TimelineModel timeline) {
        this.timeline.set(timeline);
        selection.highlighted().clear();
        selection.lineProperty().set(null);
        selection.deviceProperty().set(null);
        selection.findingProperty().set(null);
        findings.setAll(r.findings());
        result.set(r); // last: listeners see the lists filled
    }

    public ReadOnlyObjectProperty<AnalysisResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The timeline model of the evidence shown. */
    public ReadOnlyObjectProperty<dev.vmcase.analysis.timeline.TimelineModel> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    public ObservableList<Finding> findings() {
        return findings;
    }

    public StringProperty statusProperty() {
        return status;
    }

    /** Progress of the work in the background, 0..1, or -1 when unknown. */
    public javafx.beans.property.DoubleProperty progressProperty() {
        return progress;
    }

    /** Whether background work is running (loading, analysing). */
    public javafx.beans.property.BooleanProperty busyProperty() {
        return busy;
    }

    /** What the cancel button does while work is running. */
    public void setCancel(Runnable action) {
        this.cancel = action == null ? () -> { } : action;
    }

    public void cancel() {
        cancel.run();
    }

    /** What opening evidence does (the application analyses it in the background). */
    public void setOpener(java.util.function.Consumer<List<java.nio.file.Path>> opener) {
        this.opener = opener == null ? paths -> { } : opener;
    }

    public void open(List<java.nio.file.Path> paths) {
        opener.accept(paths);
    }

    /** The selection every view shares. */
    public Selection selection() {
        return selection;
    }

    /**
     * Selects a finding: its evidence lines are highlighted everywhere and the first of them becomes the selected
     * line; {@code null} clears the finding but leaves the line where it is.
     */
    public void select(Finding f) {
        selection.findingProperty().set(f);
        selection.highlighted().clear();
        if (f == null) {
            return;
        }
        f.evidence().forEach(s -> selection.highlighted().add(LineRef.of(s)));
        if (!f.evidence().isEmpty()) {
            selection.lineProperty().set(LineRef.of(f.evidence().get(0)));
        }
        if (!f.devices().isEmpty()) {
            AnalysisResult r = result.get();
            if (r != null) {
                java.util.stream.Stream.concat(r.devices().source().stream(), r.devices().destination().stream())
                        .filter(d -> d.names().stream().anyMatch(f.devices()::contains))
                        .findFirst().ifPresent(d -> selection.deviceProperty().set(d.key()));
            }
        }
    }

    /** "file:line" of an evidence line, for the status bar. */
    public String describe(LineRef ref) {
        AnalysisResult r = result.get();
        String name = ref.sha256().substring(0, Math.min(12, ref.sha256().length()));
        if (r != null) {
            for (dev.vmcase.model.Artifact a : r.evidence().artifacts()) {
                if (a.sha256().equals(ref.sha256())) {
                    name = a.path();
                    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('!'));
                    name = slash >= 0 ? name.substring(slash + 1) : name;
                    break;
                }
            }
        }
        return name + ":" + ref.line();
    }
}
