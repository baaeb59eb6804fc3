package dev.vmcase.views.timeline;

import dev.vmcase.analysis.timeline.ClockOffsets;
import dev.vmcase.analysis.timeline.TimelineModel;
import javafx.beans.property.ObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Function;

/**
 * The clock offsets editor beside the timeline: one field per host (seconds, Enter or leaving the field applies), a
 * reset. A field that does not parse is outlined and changes nothing.
 */
final class ClockOffsetsPane extends VBox {
    private final ObjectProperty<ClockOffsets> offsets;
    private final Function<String, String> hostLabel;
    private final GridPane grid = new GridPane();
    private final ResourceBundle texts;

    ClockOffsetsPane(ResourceBundle texts, ObjectProperty<ClockOffsets> offsets, Function<String, String> hostLabel) {
        super(6);
        this.texts = texts;
        this.offsets = offsets;
        this.hostLabel = hostLabel;
        setId("timeline-offsets");
        getStyleClass().add("timeline-offsets");
        setPadding(new Insets(6));
        setPrefWidth(240);
        Label title = new Label(texts.getString("offsets.title"));
        title.getStyleClass().add("offsets-title");
        title.setWrapText(true);
        Label hint = new Label(texts.getString("offsets.hint"));
        hint.setWrapText(true);
        grid.setHgap(6);
        grid.setVgap(4);
        Button reset = new Button(texts.getString("offsets.reset"));
        reset.setId("timeline-offsets-reset");
        reset.setOnAction(e -> offsets.set(ClockOffsets.NONE));
        getChildren().addAll(title, hint, grid, reset);
        offsets.addListener((o, a, b) -> fill());
    }

    /** One field per host of the model. */
    void hosts(TimelineModel model) {
        grid.getChildren().clear();
        if (model == null) {
            return;
        }
        int row = 0;
        for (String host : model.hosts()) {
            Label l = new Label(hostLabel.apply(host));
            l.setWrapText(true);
            TextField f = new TextField();
            f.setId("offset-" + host.replaceAll("[^A-Za-z0-9_-]", "_"));
            f.setUserData(host);
            f.setPrefColumnCount(7);
            f.setOnAction(e -> apply(f));
            f.focusedProperty().addListener((o, a, b) -> {
                if (!b) {
                    apply(f);
                }
            });
            grid.addRow(row++, l, f, new Label(texts.getString("offsets.unit")));
        }
        fill();
    }

    private void fill() {
        for (Node n : grid.getChildren()) {
            if (n instanceof TextField f && f.getUserData() instanceof String host) {
                long us = offsets.get().of(host);
                f.setText(us == 0 ? "0" : String.format(Locale.ROOT, "%+.6f", us / 1e6).replaceAll("0+$", "")
                        .replaceAll("\\.$", ""));
                f.getStyleClass().remove("invalid");
            }
        }
    }

    private void apply(TextField f) {
        String host = (String) f.getUserData();
        try {
            double seconds = Double.parseDouble(f.getText().strip().replace(',', '.'));
            long us = Math.round(seconds * 1e6);
            if (us != offsets.get().of(host)) {
                offsets.set(offsets.get().with(host, us));
            }
            f.getStyleClass().remove("invalid");
        } catch (NumberFormatException e) {
            if (!f.getStyleClass().contains("invalid")) {
                f.getStyleClass().add("invalid");
            }
        }
    }
}
