package dev.vmcase.views.workbench;

import dev.vmcase.views.Texts;
import dev.vmcase.views.log.LogView;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The window's last line: what the analysis said (or is doing, with a progress bar and Cancel), the log viewer's
 * own work (indexing a big file, a search or filter over all of it), and the selected line as file:line.
 */
final class StatusBar extends HBox {
    StatusBar(WorkbenchViewModel model, LogView logView) {
        super(12);
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(model.statusProperty());
        status.setMinWidth(0);
        status.setTooltip(new Tooltip());
        status.getTooltip().textProperty().bind(model.statusProperty());
        ProgressBar bar = new ProgressBar();
        bar.setId("progress");
        bar.progressProperty().bind(model.progressProperty());
        Button cancel = new Button(Texts.get("cancel"));
        cancel.setId("cancel");
        cancel.setOnAction(e -> model.cancel());
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        HBox working = new HBox(8, bar, cancel);
        working.setAlignment(Pos.CENTER_LEFT);
        working.visibleProperty().bind(model.busyProperty());
        working.managedProperty().bind(model.busyProperty());
        Label logWork = new Label(Texts.get("status.logWork"));
        logWork.setMinWidth(Region.USE_PREF_SIZE);
        ProgressBar logBar = new ProgressBar();
        logBar.setId("log-progress");
        logBar.progressProperty().bind(logView.progressProperty());
        Button logCancel = new Button(Texts.get("cancel"));
        logCancel.setId("log-cancel");
        logCancel.setOnAction(e -> logView.cancel());
        logCancel.setMinWidth(Region.USE_PREF_SIZE);
        HBox logWorking = new HBox(8, logWork, logBar, logCancel);
        logWorking.setAlignment(Pos.CENTER_LEFT);
        logWorking.visibleProperty().bind(logView.busyProperty());
        logWorking.managedProperty().bind(logView.busyProperty());
        Label selected = new Label();
        selected.setId("selected-line");
        selected.getStyleClass().add("selected-line");
        selected.setMinWidth(Region.USE_PREF_SIZE);
        model.selection().lineProperty().addListener((o, was, now) -> selected.setText(now == null ? ""
                : model.describe(now)));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        getChildren().addAll(status, working, logWorking, grow, selected);
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(4, 8, 4, 8));
        getStyleClass().add("status-bar");
    }
}
