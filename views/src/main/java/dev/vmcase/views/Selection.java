package dev.vmcase.views;

import dev.vmcase.model.Finding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;

/**
 * The one selection every view of the workbench shares (FX thread only). A view that lets the user pick something
 * sets the matching property; every view listens and shows the same thing: the timeline marks the line's event, the
 * log viewer scrolls to it, the device views select the device.
 */
public final class Selection {
    private final ObjectProperty<LineRef> line = new SimpleObjectProperty<>(this, "line");
    private final ObservableSet<LineRef> highlighted = FXCollections.observableSet();
    private final StringProperty device = new SimpleStringProperty(this, "device");
    private final ObjectProperty<Finding> finding = new SimpleObjectProperty<>(this, "finding");

    /** The selected evidence line (an event, a log line, a frame's line). */
    public ObjectProperty<LineRef> lineProperty() {
        return line;
    }

    /** Lines to mark without moving to them: a finding's evidence, a device's events. */
    public ObservableSet<LineRef> highlighted() {
        return highlighted;
    }

    /** The selected device, by its {@code DeviceRow.key()}. */
    public StringProperty deviceProperty() {
        return device;
    }

    /** The selected finding. */
    public ObjectProperty<Finding> findingProperty() {
        return finding;
    }
}
