package dev.vmcase.views.workbench;

import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.callchain.FrameHint;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Layer;
import dev.vmcase.model.SourceRef;
import dev.vmcase.views.Texts;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The first window: findings with their evidence lines on top; below, the device table with per-layer presence and
 * the backtrace frames with their decoded hints.
 */
public final class WorkbenchView extends BorderPane {
    private final WorkbenchViewModel model;

    public WorkbenchView(WorkbenchViewModel model) {
        this.model = model;
        getStyleClass().add("workbench");
        setId("workbench");
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(model.statusProperty());
        ProgressBar bar = new ProgressBar();
        bar.setId("progress");
        bar.progressProperty().bind(model.progressProperty());
        Button cancel = new Button(Texts.get("cancel"));
        cancel.setId("cancel");
        cancel.setOnAction(e -> model.cancel());
        HBox working = new HBox(8, bar, cancel);
        working.setAlignment(Pos.CENTER_LEFT);
        working.visibleProperty().bind(model.busyProperty());
        working.managedProperty().bind(model.busyProperty());
        HBox statusBar = new HBox(12, status, working);
        statusBar.setAlignment(Pos.CENTER_LEFT);
        statusBar.setPadding(new Insets(4, 8, 4, 8));

        VBox devicesPane = titled(Texts.get("devices"), devicesTable());
        VBox framesPane = titled(Texts.get("backtrace"), framesTable());
        SplitPane lower = new SplitPane(devicesPane, framesPane);
        lower.setOrientation(Orientation.HORIZONTAL);
        lower.setDividerPositions(0.6);
        // a pane with nothing to show gives its room to the other
        model.resultProperty().addListener((obs, old, r) -> {
            boolean hasDevices = !model.devices().isEmpty();
            boolean hasFrames = !model.frames().isEmpty();
            lower.getItems().setAll(hasDevices && hasFrames ? List.of(devicesPane, framesPane)
                    : hasFrames ? List.of(framesPane) : List.of(devicesPane));
            if (lower.getItems().size() == 2) {
                lower.setDividerPositions(0.6);
            }
        });
        SplitPane main = new SplitPane(titled(Texts.get("findings"), findingsList()), lower);
        main.setOrientation(Orientation.VERTICAL);
        main.setDividerPositions(0.42);
        setCenter(main);
        setBottom(statusBar);
        getStylesheets().add(WorkbenchView.class.getResource("workbench.css").toExternalForm());
    }

    private static VBox titled(String title, javafx.scene.Node content) {
        Label l = new Label(title);
        l.getStyleClass().add("section-title");
        VBox box = new VBox(l, content);
        VBox.setVgrow(content, javafx.scene.layout.Priority.ALWAYS);
        return box;
    }

    private ListView<Finding> findingsList() {
        ListView<Finding> list = new ListView<>(model.findings());
        list.setId("findings");
        Label placeholder = new Label();
        // while the evidence is being read, "no findings" would be a claim nobody made yet
        placeholder.textProperty().bind(javafx.beans.binding.Bindings.when(model.busyProperty())
                .then(Texts.get("reading")).otherwise(Texts.get("noFindings")));
        list.setPlaceholder(placeholder);
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Finding f, boolean empty) {
                super.updateItem(f, empty);
                getStyleClass().removeIf(c -> c.startsWith("severity-"));
                if (empty || f == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                getStyleClass().add("severity-" + f.severity().jsonName());
                Label head = new Label(Texts.get("severity." + f.severity().jsonName()) + "  " + f.rule() + "   " + String.join(", ", f.devices()));
                head.getStyleClass().add("finding-head");
                Label summary = new Label(FindingText.summary(f, Locale.getDefault()));
                summary.setWrapText(true);
                summary.getStyleClass().add("finding-summary");
                VBox box = new VBox(2, head, summary);
                for (SourceRef s : f.evidence()) {
                    Label ev = new Label(fileName(s.path()) + ":" + s.line() + "  " + s.text().strip());
                    ev.getStyleClass().add("evidence");
                    box.getChildren().add(ev);
                }
                box.maxWidthProperty().bind(v.widthProperty().subtract(30));
                summary.maxWidthProperty().bind(v.widthProperty().subtract(40));
                setText(null);
                setGraphic(box);
            }
        });
        return list;
    }

    private TableView<WorkbenchViewModel.DeviceEntry> devicesTable() {
        TableView<WorkbenchViewModel.DeviceEntry> t = new TableView<>(model.devices());
        t.setId("devices");
        t.setPlaceholder(new Label(Texts.get("noDevices")));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        t.setRowFactory(v -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(WorkbenchViewModel.DeviceEntry e, boolean empty) {
                super.updateItem(e, empty);
                getStyleClass().remove("row-problem");
                if (!empty && e != null && e.row().presence().values().stream().anyMatch(
                        p -> p == Presence.DIFFERENT || p == Presence.REJECTED || p == Presence.ABSENT)) {
                    getStyleClass().add("row-problem");
                }
            }
        });
        t.getColumns().add(column(Texts.get("col.side"), e -> Texts.get("side." + e.side()), 70));
        t.getColumns().add(column(Texts.get("col.id"), e -> e.row().qdevId().isEmpty() ? "—" : e.row().qdevId(), 95));
        t.getColumns().add(column(Texts.get("col.type"), e -> e.row().type(), 110));
        t.getColumns().add(column(Texts.get("col.pci"), e -> e.row().pci() == null ? "—" : e.row().pci().toString(), 95));
        for (Layer l : List.of(Layer.LIBVIRT_XML, Layer.COMMAND_LINE, Layer.QDEV, Layer.PCI, Layer.BLOCK, Layer.MIGRATION)) {
            TableColumn<WorkbenchViewModel.DeviceEntry, String> c =
                    column(Texts.get("layer." + l.jsonName()), e -> e.row().presence(l).jsonName(), 66);
            c.setCellFactory(col -> new TableCell<>() {
                @Override
                protected void updateItem(String s, boolean empty) {
                    super.updateItem(s, empty);
                    getStyleClass().removeIf(x -> x.startsWith("presence-"));
                    if (empty || s == null) {
                        setText(null);
                        return;
                    }
                    setText(Texts.get("presence." + s));
                    getStyleClass().add("presence-" + s);
                }
            });
            t.getColumns().add(c);
        }
        return t;
    }

    private TableView<WorkbenchViewModel.FrameEntry> framesTable() {
        TableView<WorkbenchViewModel.FrameEntry> t = new TableView<>(model.frames());
        t.setId("frames");
        t.setPlaceholder(new Label(Texts.get("noBacktrace")));
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.getColumns().add(column("#", e -> Integer.toString(e.frame().index()), 34));
        t.getColumns().add(column(Texts.get("col.function"), e -> e.frame().function(), 190));
        t.getColumns().add(column(Texts.get("col.layer"), WorkbenchViewModel.FrameEntry::layer, 110));
        t.getColumns().add(column(Texts.get("col.location"), WorkbenchView::location, 150));
        t.getColumns().add(column(Texts.get("col.hints"), WorkbenchView::hintText, 320));
        return t;
    }

    private static String hintText(WorkbenchViewModel.FrameEntry e) {
        String hints = e.hints().stream().map(FrameHint::text).collect(Collectors.joining("; "));
        return e.devices().isEmpty() ? hints
                : hints + "  → " + Texts.get("slotHolds") + " " + String.join(", ", e.devices());
    }

    private static String location(WorkbenchViewModel.FrameEntry e) {
        Frame f = e.frame();
        if (f.file() != null) {
            return fileName(f.file()) + ":" + f.line();
        }
        return f.library() == null ? "" : f.library();
    }

    private static String fileName(String path) {
        try {
            Path p = Path.of(path).getFileName();
            return p == null ? path : p.toString();
        } catch (RuntimeException e) {
            return path;
        }
    }

    private static <T> TableColumn<T, String> column(String title, Function<T, String> value, double width) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(value.apply(cd.getValue())));
        c.setPrefWidth(width);
        return c;
    }

}
