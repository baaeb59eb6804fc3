package dev.vmcase.views.shell;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * A named pane of the workbench: a title bar with a close button above its content. Whether it is shown is a property
 * the View menu and the close button share; a {@link DockArea} gives a hidden dock's room to its neighbours.
 */
public final class Dock extends BorderPane {
    private final String key;
    private final BooleanProperty shown = new SimpleBooleanProperty(this, "shown", true);
    private final Label title;

    public Dock(String key, String title, Node content, String closeTooltip) {
        this.key = key;
        setId("dock-" + key);
        getStyleClass().add("dock");
        this.title = new Label(title);
        this.title.getStyleClass().add("dock-title");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Button close = new Button("×");
        close.getStyleClass().addAll("dock-close", "flat");
        close.setFocusTraversable(false);
        close.setTooltip(new javafx.scene.control.Tooltip(closeTooltip));
        close.setOnAction(e -> shown.set(false));
        HBox bar = new HBox(4, this.title, grow, close);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("dock-bar");
        setTop(bar);
        setCenter(content);
    }

    public String key() {
        return key;
    }

    public String title() {
        return title.getText();
    }

    public BooleanProperty shownProperty() {
        return shown;
    }

    /** Replaces what the dock shows (a placeholder by a real view). */
    public void setContent(Node content) {
        setCenter(content);
    }
}
