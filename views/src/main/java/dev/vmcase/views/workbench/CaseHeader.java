package dev.vmcase.views.workbench;

import dev.vmcase.casefile.Tour;
import dev.vmcase.views.Texts;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

import java.text.MessageFormat;
import java.util.function.Consumer;

/**
 * The line under the menus that says what is open: the case (or VM) by name, a VM chooser where the evidence covers
 * more than one VM, what the analysis counted, and a visible "Start tour" when the case comes with a tour.
 */
final class CaseHeader extends HBox {
    private final Label title = new Label();
    private final Label summary = new Label();
    private final ComboBox<String> vms = new ComboBox<>();
    private final Button tour = new Button();

    CaseHeader(WorkbenchViewModel model, Consumer<Tour> startTour) {
        super(10);
        setId("case-header");
        getStyleClass().add("case-header");
        setAlignment(Pos.CENTER_LEFT);
        title.setId("case-title");
        title.getStyleClass().add("case-title");
        // while evidence is read (a big log takes seconds before any result), the header names it and says so
        title.textProperty().bind(Bindings.createStringBinding(() -> {
            String t = model.titleProperty().get();
            if (t == null || t.isEmpty()) {
                return Texts.get("header.noCase");
            }
            return model.busyProperty().get() && model.resultProperty().get() == null
                    ? MessageFormat.format(Texts.get("header.reading"), t) : t;
        }, model.titleProperty(), model.busyProperty(), model.resultProperty()));
        title.setMinWidth(60);
        title.setTooltip(new Tooltip());
        title.getTooltip().textProperty().bind(title.textProperty());
        summary.setId("case-summary");
        summary.getStyleClass().add("case-summary");
        summary.textProperty().bind(model.summaryProperty());
        summary.setMinWidth(0);
        summary.setTooltip(new Tooltip());
        summary.getTooltip().textProperty().bind(summary.textProperty());

        // where the evidence covers several VMs, one is shown at a time (the one with findings first)
        vms.setId("vm-chooser");
        vms.setItems(model.vms());
        vms.setConverter(dev.vmcase.views.Converters.labelled(model::vmLabel));
        vms.valueProperty().bindBidirectional(model.vmProperty());
        vms.setTooltip(new Tooltip(Texts.get("header.vm")));
        vms.visibleProperty().bind(Bindings.size(model.vms()).greaterThan(1));
        vms.managedProperty().bind(vms.visibleProperty());
        vms.setMinWidth(Region.USE_PREF_SIZE);

        tour.setId("start-tour");
        tour.getStyleClass().addAll("accent", "start-tour");
        tour.setMinWidth(Region.USE_PREF_SIZE);
        tour.setOnAction(e -> {
            if (!model.tours().isEmpty()) {
                startTour.accept(model.tours().get(0));
            }
        });
        Runnable tours = () -> {
            boolean any = !model.tours().isEmpty();
            tour.setVisible(any);
            tour.setManaged(any);
            if (any) {
                Tour t = model.tours().get(0);
                tour.setText(Texts.get("header.startTour"));
                tour.setTooltip(new Tooltip(MessageFormat.format(Texts.get("header.startTour.tip"), t.title(),
                        t.steps().size())));
            }
        };
        model.tours().addListener((ListChangeListener<Tour>) c -> tours.run());
        tours.run();

        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox.setHgrow(summary, Priority.SOMETIMES);
        getChildren().addAll(title, vms, summary, grow, tour);
    }

    Button tourButton() {
        return tour;
    }
}
