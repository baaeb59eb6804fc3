package dev.vmcase.views.workbench;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.callchain.CallChainKnowledge;
import dev.vmcase.analysis.callchain.FrameHint;
import dev.vmcase.analysis.callchain.FrameKnowledge;
import dev.vmcase.analysis.callchain.FrameHints;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Frame;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Locale;

/** What the first window shows, adapted from an {@link AnalysisResult} on the FX thread. */
public final class WorkbenchViewModel {
    private final ReadOnlyObjectWrapper<AnalysisResult> result = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();
    private final ObservableList<DeviceEntry> devices = FXCollections.observableArrayList();
    private final ObservableList<FrameEntry> frames = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final javafx.beans.property.DoubleProperty progress = new javafx.beans.property.SimpleDoubleProperty(0);
    private final javafx.beans.property.BooleanProperty busy = new javafx.beans.property.SimpleBooleanProperty(false);
    private Runnable cancel = () -> { };

    /** A device row with the side it belongs to. */
    public record DeviceEntry(String side, DeviceRow row) {
    }

    /** A frame with its thread, the layer of QEMU its function belongs to, and decoded hints. */
    public record FrameEntry(String thread, Frame frame, String layer, List<FrameHint> hints, List<String> devices) {
    }

    public void show(AnalysisResult r) {
        findings.setAll(r.findings());
        devices.clear();
        r.devices().source().forEach(d -> devices.add(new DeviceEntry("source", d)));
        r.devices().destination().forEach(d -> devices.add(new DeviceEntry("destination", d)));
        frames.clear();
        for (Backtrace b : r.evidence().backtraces()) {
            for (BacktraceThread t : b.threads()) {
                String thread = t.number() == null ? "" : t.number() + (t.name() == null ? "" : " " + t.name());
                for (Frame f : t.frames()) {
                    FrameKnowledge k = CallChainKnowledge.standard().lookup(f.function(), Locale.getDefault());
                    List<FrameHint> hints = FrameHints.standard().hints(f, Locale.getDefault());
                    frames.add(new FrameEntry(thread, f, k == null ? "" : k.layer().label(Locale.getDefault()),
                            hints, r.devices().devicesForHints(hints)));
                }
            }
        }
        result.set(r); // last: listeners see the lists filled
    }

    public ReadOnlyObjectProperty<AnalysisResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ObservableList<Finding> findings() {
        return findings;
    }

    public ObservableList<DeviceEntry> devices() {
        return devices;
    }

    public ObservableList<FrameEntry> frames() {
        return frames;
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
}
