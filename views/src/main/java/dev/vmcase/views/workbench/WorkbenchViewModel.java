package dev.vmcase.views.workbench;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.casefile.Tour;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Finding;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.Texts;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the window shows, adapted from an {@link AnalysisResult} on the FX thread: the findings, the header's title
 * and counts, the tours on offer, the VMs to choose from, the background work's state. No scene graph: tested
 * without a toolkit.
 *
 * <p>Results arrive in two steps so the window fills as they come: {@link #show(AnalysisResult)} (findings, devices,
 * call chain, log) and then {@link #setTimeline} (the timeline model, which takes seconds for millions of lines).
 */
public final class WorkbenchViewModel {
    private final ReadOnlyObjectWrapper<AnalysisResult> result = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty title = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ObservableList<Tour> tours = FXCollections.observableArrayList();
    private final ObservableList<String> vms = FXCollections.observableArrayList();
    private final ObjectProperty<String> vm = new SimpleObjectProperty<>();
    private Runnable cancel = () -> { };
    private Consumer<List<Path>> opener = paths -> { };
    private Function<List<Path>, CompletableFuture<Void>> previewer = paths -> CompletableFuture.completedFuture(null);
    private final Selection selection = new Selection();
    private final ReadOnlyObjectWrapper<TimelineModel> timeline = new ReadOnlyObjectWrapper<>();
    /** The timeline of the evidence being read, as far as it is read ({@link #showReading}); null otherwise. */
    private final ReadOnlyObjectWrapper<TimelineModel> reading = new ReadOnlyObjectWrapper<>();
    /** The whole analysis; {@link #result} is the VM shown of it. */
    private AnalysisResult whole;
    private boolean choosing;
    private Consumer<AnalysisResult> timelineBuilder = r -> setTimeline(r, TimelineModel.of(r));

    public WorkbenchViewModel() {
        vm.addListener((o, was, now) -> {
            if (!choosing && now != null && whole != null && !now.equals(was)) {
                whole.vm(now).ifPresent(v -> showVm(whole.shown(v)));
            }
        });
    }

    /** Shows a result with its timeline model built here (on the FX thread; fine for small evidence and tests). */
    public void showWithTimeline(AnalysisResult r) {
        show(r);
        if (timeline.get() == null) {
            setTimeline(TimelineModel.of(result.get()));
        }
    }

    /**
     * Shows an analysis: where it covers several VMs, the chooser offers them and the VM with the most severe findings
     * is shown ({@link AnalysisResult#primary()}); its timeline follows from the {@linkplain #setTimelineBuilder
     * builder}.
     */
    public void show(AnalysisResult r) {
        whole = r;
        choosing = true;
        try {
            vms.setAll(r.manyVms() ? r.vms().stream().map(v -> v.vm().key()).toList() : List.of());
            vm.set(r.manyVms() ? r.primary().vm().key() : null);
        } finally {
            choosing = false;
        }
        showVm(r.manyVms() ? r.shown(r.primary()) : r);
    }

    /** One VM's result (or the whole, single-VM one) in every view. */
    private void showVm(AnalysisResult r) {
        timeline.set(null);
        selection.highlighted().clear();
        selection.lineProperty().set(null);
        selection.deviceProperty().set(null);
        selection.findingProperty().set(null);
        findings.setAll(r.findings());
        summary.set(summary(r));
        result.set(r); // last: listeners see the lists filled
        timelineBuilder.accept(r);
    }

    /**
     * How a shown result's timeline model is built: by default here and now; the application builds it on a worker
     * (seconds for millions of lines) and hands it back with {@link #setTimeline(AnalysisResult, TimelineModel)}.
     */
    public void setTimelineBuilder(Consumer<AnalysisResult> builder) {
        this.timelineBuilder = builder == null ? r -> { } : builder;
    }

    /** The timeline model of the result shown. */
    public void setTimeline(TimelineModel m) {
        reading.set(null);
        timeline.set(m);
    }

    /** The timeline model built for {@code r}: dropped when another result is shown meanwhile. */
    public void setTimeline(AnalysisResult r, TimelineModel m) {
        if (result.get() == r) {
            reading.set(null);
            timeline.set(m);
        }
    }

    /**
     * The timeline of evidence still being read, as far as it is read ({@link TimelineModel#reading}): shown while
     * the analysis runs, until its own timeline takes the place. Dropped when nothing is being read (the load ended or
     * was cancelled meanwhile). It holds no findings: they stay "being read" until the analysis ends.
     */
    public void showReading(TimelineModel m) {
        if (busy.get()) {
            reading.set(m);
        }
    }

    /** The timeline of the evidence being read so far, or null ({@link #showReading}). */
    public ReadOnlyObjectProperty<TimelineModel> readingProperty() {
        return reading.getReadOnlyProperty();
    }

    /** The whole analysis, every VM of it (the shown VM's is {@link #resultProperty()}). */
    public AnalysisResult whole() {
        return whole;
    }

    /** A VM's name for the chooser: its label. */
    public String vmLabel(String key) {
        return whole == null ? key : whole.vm(key).map(v -> v.vm().label()).orElse(key);
    }

    /** "2 findings · 1 device · 1 backtrace · 3 files": what the header says the analysis counted (of the VM shown). */
    static String summary(AnalysisResult r) {
        return MessageFormat.format(Texts.get("header.summary"), r.findings().size(), r.devices().count(),
                r.evidence().backtraces().size(), r.evidence().artifacts().size());
    }

    public ReadOnlyObjectProperty<AnalysisResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The timeline model of the evidence shown (null while it is being built). */
    public ReadOnlyObjectProperty<TimelineModel> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    public ObservableList<Finding> findings() {
        return findings;
    }

    public StringProperty statusProperty() {
        return status;
    }

    /** The case or the VM by name, for the header and the window title. */
    public StringProperty titleProperty() {
        return title;
    }

    /** The header's counts of what the analysis found. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Tours that come with the case; the header offers the first. */
    public ObservableList<Tour> tours() {
        return tours;
    }

    /** The VMs the evidence covers (empty or one: no chooser). */
    public ObservableList<String> vms() {
        return vms;
    }

    /** The VM shown, among {@link #vms()}. */
    public ObjectProperty<String> vmProperty() {
        return vm;
    }

    /** Progress of the work in the background, 0..1, or -1 when unknown. */
    public DoubleProperty progressProperty() {
        return progress;
    }

    /** Whether background work is running (loading, analysing). */
    public BooleanProperty busyProperty() {
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
    public void setOpener(Consumer<List<Path>> opener) {
        this.opener = opener == null ? paths -> { } : opener;
    }

    public void open(List<Path> paths) {
        opener.accept(paths);
    }

    /** What showing evidence before its analysis ends does (the log viewer shows its biggest file at once). */
    public void setPreviewer(Function<List<Path>, CompletableFuture<Void>> previewer) {
        this.previewer = previewer == null ? paths -> CompletableFuture.completedFuture(null) : previewer;
    }

    /**
     * The evidence whose analysis starts now: shown at once where it can be, while the analysis runs; completed once
     * something of it is on screen (or nothing can be).
     */
    public CompletableFuture<Void> preview(List<Path> paths) {
        return previewer.apply(paths);
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
                Stream.concat(r.devices().source().stream(), r.devices().destination().stream())
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
            for (Artifact a : r.evidence().artifacts()) {
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
