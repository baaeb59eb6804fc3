package dev.vmcase.views.log;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Timeline;
import dev.vmcase.views.Converters;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;

import java.util.ResourceBundle;

/**
 * The log viewer's tool bar: the artifact (it takes the room there is and shows its whole path on hover), the host and
 * layer that narrow the choice, the level and text filters, line wrapping, and Find. Every control keeps its own
 * width: nothing here shrinks to "…".
 */
final class LogToolbar extends HBox {
    LogToolbar(LogViewModel vm, ResourceBundle texts, Runnable find) {
        super(6);
        getStyleClass().add("log-toolbar");
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(4, 6, 4, 6));

        ComboBox<String> hostBox = new ComboBox<>(vm.hosts());
        ComboBox<String> layerBox = new ComboBox<>(vm.layers());
        ComboBox<Artifact> artifactBox = new ComboBox<>(vm.chooser());
        ComboBox<Byte> levelBox = new ComboBox<>();
        TextField filterField = new TextField();
        hostBox.setId("logHost");
        layerBox.setId("logLayer");
        artifactBox.setId("logArtifact");
        levelBox.setId("logLevel");
        filterField.setId("logFilterText");
        hostBox.setTooltip(new Tooltip(texts.getString("log.host")));
        layerBox.setTooltip(new Tooltip(texts.getString("log.layer")));
        hostBox.setConverter(Converters.labelled(s -> s.equals(vm.all()) ? texts.getString("log.host.all")
                : s.isEmpty() ? texts.getString("log.host.unknown") : s));
        layerBox.setConverter(Converters.labelled(s -> s.equals(vm.all()) ? texts.getString("log.layer.all")
                : texts.containsKey("log.layer." + s) ? texts.getString("log.layer." + s) : s));
        hostBox.valueProperty().bindBidirectional(vm.hostProperty());
        layerBox.valueProperty().bindBidirectional(vm.layerProperty());

        artifactBox.setCellFactory(l -> new ArtifactCell());
        artifactBox.setButtonCell(new ArtifactCell());
        artifactBox.setMinWidth(100); // the first to give way: its whole path is on hover
        artifactBox.setPrefWidth(300);
        artifactBox.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(artifactBox, Priority.ALWAYS);
        vm.artifactProperty().addListener((o, a, b) -> {
            if (b != null && b != artifactBox.getValue()) {
                artifactBox.setValue(b);
            }
        });
        vm.chooser().addListener((javafx.collections.ListChangeListener<Artifact>) c -> {
            Artifact current = vm.artifactProperty().get();
            if (current != null && vm.chooser().contains(current)) {
                artifactBox.setValue(current);
            }
        });
        artifactBox.valueProperty().addListener((o, a, b) -> {
            if (b != null && b != vm.artifactProperty().get()) {
                vm.open(b);
            }
        });

        levelBox.getItems().setAll(Timeline.DEBUG, Timeline.INFO, Timeline.WARNING, Timeline.ERROR);
        levelBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(Byte b) {
                return b == null ? "" : texts.getString("log.level." + b);
            }

            @Override
            public Byte fromString(String s) {
                return null;
            }
        });
        levelBox.valueProperty().bindBidirectional(vm.levelProperty());
        levelBox.setTooltip(new Tooltip(texts.getString("log.level")));
        filterField.setPromptText(texts.getString("log.filter.prompt"));
        filterField.setPrefColumnCount(12);
        // never narrower than its prompt: where room is short (a wide findings column on a small screen) the file
        // chooser gives way, whose whole path is on hover; a cut prompt said nothing of what the field does
        Runnable fit = () -> {
            javafx.scene.text.Text prompt = new javafx.scene.text.Text(filterField.getPromptText());
            prompt.setFont(filterField.getFont());
            filterField.setMinWidth(Math.ceil(prompt.getLayoutBounds().getWidth() + filterField.snappedLeftInset()
                    + filterField.snappedRightInset()) + 2);
        };
        filterField.fontProperty().addListener(o -> fit.run());
        filterField.paddingProperty().addListener(o -> fit.run());
        fit.run();
        filterField.textProperty().bindBidirectional(vm.filterTextProperty());
        filterField.setOnAction(e -> vm.refilter());
        filterField.setTooltip(new Tooltip(texts.getString("log.filter.tip")));

        ToggleButton wrap = new ToggleButton(texts.getString("log.wrap"));
        wrap.setId("logWrap");
        wrap.selectedProperty().bindBidirectional(vm.wrapProperty());
        wrap.setTooltip(new Tooltip(texts.getString("log.wrap.tip")));
        Button findButton = new Button(texts.getString("log.search"));
        findButton.setId("logFind");
        findButton.setOnAction(e -> find.run());
        findButton.setTooltip(new Tooltip(texts.getString("log.search.tip")));
        for (Region r : new Region[] {hostBox, layerBox, levelBox, wrap, findButton}) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        getChildren().addAll(artifactBox, hostBox, layerBox, levelBox, filterField, wrap, findButton);
    }


    /** An artifact by its file name and host; its whole path on hover (the name may be cut where room is short). */
    private static final class ArtifactCell extends ListCell<Artifact> {
        @Override
        protected void updateItem(Artifact a, boolean empty) {
            super.updateItem(a, empty);
            if (empty || a == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            String p = a.path();
            int cut = Math.max(p.lastIndexOf('/'), p.lastIndexOf("!/") + 1);
            String name = cut >= 0 && cut < p.length() - 1 ? p.substring(cut + 1) : p;
            String text = name + (a.host() == null ? "" : "  · " + a.host());
            setText(text);
            setTooltip(new Tooltip(text + "\n" + p + "\n" + a.format()));
        }
    }
}
