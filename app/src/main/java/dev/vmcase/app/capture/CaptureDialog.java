package dev.vmcase.app.capture;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * File › Capture from host…: a connection URI, Connect, the host's domains to pick from, the bundle folder, Capture
 * with a progress bar and the steps as they happen, Cancel. The capture runs on a worker thread
 * ({@link LibvirtCapture}); when it has written a bundle — complete or partial — {@code onBundle} gets the folder on
 * the FX thread (a failed capture, with nothing but its manifest, calls nothing). Cancel stops between steps and
 * abandons a step that waits; what was captured is kept and marked partial.
 * <p>
 * Use: {@code new CaptureDialog("qemu:///system", casesFolder, folder -> addToCase(folder)).showIn(owner)}, or put
 * {@link #content()} in a stage of your own.
 */
public final class CaptureDialog {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final ResourceBundle texts = CaptureTexts.bundle();
    private final Consumer<Path> onBundle;
    private final Path outParent;
    private final TextField uri = new TextField();
    private final CheckBox readOnly = new CheckBox();
    private final Button connect = new Button();
    private final ListView<LibvirtCapture.DomainEntry> domains = new ListView<>();
    private final TextField out = new TextField();
    private final Button browse = new Button();
    private final Button start = new Button();
    private final Button cancel = new Button();
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label();
    private final ObservableList<String> stepLines = FXCollections.observableArrayList();
    private final ListView<String> steps = new ListView<>(stepLines);
    private final ReadOnlyObjectWrapper<CaptureResult> result = new ReadOnlyObjectWrapper<>();
    private final VBox root;
    private volatile AtomicBoolean cancelled = new AtomicBoolean();
    private boolean busy;
    private Stage stage;

    /** {@code outParent}: where the bundle folder {@code capture-DOMAIN-STAMP} goes unless the user picks another. */
    public CaptureDialog(String defaultUri, Path outParent, Consumer<Path> onBundle) {
        this.onBundle = onBundle == null ? p -> { } : onBundle;
        this.outParent = outParent;
        uri.setText(defaultUri);
        uri.setId("captureUri");
        uri.setPrefColumnCount(36);
        readOnly.setId("captureReadOnly");
        readOnly.setText(texts.getString("dialog.readOnly"));
        connect.setId("captureConnect");
        connect.setText(texts.getString("dialog.connect"));
        connect.setDefaultButton(true);
        domains.setId("captureDomains");
        domains.setPrefHeight(150);
        domains.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(LibvirtCapture.DomainEntry d, boolean empty) {
                super.updateItem(d, empty);
                setText(empty || d == null ? null : d.name() + "  ("
                        + texts.getString(d.active() ? "capture.domain.running" : "capture.domain.off") + ")");
                setStyle(empty || d == null || d.active() ? "" : "-fx-text-fill: -color-fg-muted;");
            }
        });
        out.setId("captureOut");
        browse.setText(texts.getString("dialog.browse"));
        start.setId("captureStart");
        start.setText(texts.getString("dialog.capture"));
        cancel.setId("captureCancel");
        cancel.setText(texts.getString("dialog.close"));
        progress.setId("captureProgress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.setMinHeight(8);
        status.setId("captureStatus");
        status.setWrapText(true);
        status.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        steps.setId("captureSteps");
        steps.setPrefHeight(200);
        steps.setFixedCellSize(24);
        steps.setStyle("-fx-font-family: monospace;");

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label(texts.getString("dialog.uri")), uri, connect);
        form.add(readOnly, 1, 1);
        form.addRow(2, new Label(texts.getString("dialog.domain")), domains);
        form.addRow(3, new Label(texts.getString("dialog.out")), out, browse);
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        form.getColumnConstraints().add(labels);
        for (Button b : List.of(connect, browse, start, cancel)) {
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        GridPane.setHgrow(uri, Priority.ALWAYS);
        GridPane.setHgrow(domains, Priority.ALWAYS);
        HBox buttons = new HBox(8, start, cancel);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        root = new VBox(10, form, progress, status, steps, buttons);
        root.setPadding(new Insets(14));
        root.setPrefWidth(640);
        VBox.setVgrow(steps, Priority.ALWAYS);

        connect.setOnAction(e -> connect());
        domains.getSelectionModel().selectedItemProperty().addListener((o, a, d) -> {
            if (d != null && !busy) {
                out.setText(outParent.resolve("capture-" + d.name() + "-" + LocalDateTime.now().format(STAMP)).toString());
            }
            update();
        });
        out.textProperty().addListener((o, a, b) -> update());
        browse.setOnAction(e -> {
            DirectoryChooser c = new DirectoryChooser();
            File initial = outParent.toFile();
            if (initial.isDirectory()) {
                c.setInitialDirectory(initial);
            }
            File f = c.showDialog(root.getScene() == null ? null : root.getScene().getWindow());
            if (f != null) {
                out.setText(f.toPath().resolve("capture-" + selectedName() + "-"
                        + LocalDateTime.now().format(STAMP)).toString());
            }
        });
        start.setOnAction(e -> capture());
        cancel.setOnAction(e -> {
            if (busy) {
                cancelled.set(true);
                status.setText(texts.getString("dialog.cancelling"));
            } else if (stage != null) {
                stage.close();
            }
        });
        update();
    }

    public Parent content() {
        return root;
    }

    /** The last capture's result (null before one ended); on the FX thread. */
    public ReadOnlyObjectProperty<CaptureResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** A modal window over {@code owner}; cancelling a running capture when it is closed. */
    public Stage showIn(Window owner) {
        stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        stage.setTitle(texts.getString("dialog.title"));
        stage.setScene(new Scene(root));
        stage.setOnHidden(e -> cancelled.set(true));
        stage.show();
        return stage;
    }

    private String selectedName() {
        LibvirtCapture.DomainEntry d = domains.getSelectionModel().getSelectedItem();
        return d == null ? "domain" : d.name();
    }

    private void update() {
        connect.setDisable(busy);
        uri.setDisable(busy);
        readOnly.setDisable(busy);
        domains.setDisable(busy);
        out.setDisable(busy);
        browse.setDisable(busy);
        start.setDisable(busy || domains.getSelectionModel().getSelectedItem() == null || out.getText().isBlank());
        cancel.setText(texts.getString(busy ? "dialog.cancel" : "dialog.close"));
    }

    private void setBusy(boolean b) {
        busy = b;
        update();
    }

    private void connect() {
        String u = uri.getText().strip();
        boolean ro = readOnly.isSelected();
        setBusy(true);
        progress.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
        tone(null);
        status.setText(CaptureTexts.text("dialog.connecting", u));
        domains.getItems().clear();
        worker("vmcase-capture-connect-ui", () -> {
            try {
                List<LibvirtCapture.DomainEntry> list = LibvirtCapture.listDomains(u, ro, Duration.ofSeconds(20));
                Platform.runLater(() -> {
                    domains.getItems().setAll(list);
                    progress.setProgress(0);
                    status.setText(CaptureTexts.text(list.isEmpty() ? "dialog.noDomains" : "dialog.connected",
                            list.size(), u));
                    setBusy(false);
                    if (!list.isEmpty()) {
                        domains.getSelectionModel().select(list.stream().filter(LibvirtCapture.DomainEntry::active)
                                .findFirst().orElse(list.get(0)));
                    }
                });
            } catch (CaptureException | RuntimeException e) { // a failure must not leave the dialog busy
                Platform.runLater(() -> {
                    progress.setProgress(0);
                    tone("-color-danger-fg");
                    status.setText(e.getMessage());
                    setBusy(false);
                });
            }
        });
    }

    private void capture() {
        LibvirtCapture.DomainEntry d = domains.getSelectionModel().getSelectedItem();
        if (d == null) {
            return;
        }
        Path folder = Path.of(out.getText().strip());
        String u = uri.getText().strip();
        AtomicBoolean c = new AtomicBoolean();
        cancelled = c;
        stepLines.clear();
        tone(null);
        status.setText(CaptureTexts.text("dialog.capturing", d.name()));
        progress.setProgress(0);
        setBusy(true);
        LibvirtCapture.Options o = new LibvirtCapture.Options(u, d.name(), folder, readOnly.isSelected(), null,
                Duration.ofSeconds(20), (done, total, text) -> Platform.runLater(() -> {
                    progress.setProgress(total == 0 ? 0 : (double) done / total);
                    if (!c.get()) {
                        status.setText(text);
                    }
                }), c::get);
        worker("vmcase-capture-ui", () -> {
            CaptureResult r;
            String error = null;
            try {
                r = LibvirtCapture.capture(o);
            } catch (CaptureException | RuntimeException e) { // a failure must not leave the dialog busy
                r = null;
                error = e.getMessage();
            }
            CaptureResult fr = r;
            String fe = error;
            Platform.runLater(() -> finished(folder, fr, fe));
        });
    }

    /** A step, outcome or status in the user's language; a monitor command's own name (query-pci) stays as it is. */
    private static String shown(String key, String fallback) {
        try {
            return CaptureTexts.text(key);
        } catch (java.util.MissingResourceException e) {
            // no text for it: a monitor command's own name, shown as it is
            return fallback;
        }
    }

    private void finished(Path folder, CaptureResult r, String error) {
        setBusy(false);
        progress.setProgress(r == null ? 0 : 1);
        if (r == null) {
            tone("-color-danger-fg");
            status.setText(error);
            return;
        }
        for (CaptureManifest.Step s : r.manifest().steps()) {
            stepLines.add(String.format("%-8s %-26s %s", shown("outcome." + s.outcome().name().toLowerCase(java.util.Locale.ROOT),
                    s.outcome().name()), shown("step." + s.name().replace(' ', '_'), s.name()),
                    s.detail() != null ? s.detail() : s.file() != null ? s.file() : ""));
        }
        r.manifest().needsMoreRights().forEach(n -> stepLines.add(0, "! " + n));
        tone(switch (r.status()) {
            case "complete" -> "-color-success-fg";
            case "partial" -> "-color-warning-fg";
            default -> "-color-danger-fg";
        });
        status.setText(CaptureTexts.text("dialog.result", folder, shown("status." + r.status(), r.status())));
        result.set(r);
        if (!"failed".equals(r.status())) {
            onBundle.accept(folder);
        }
    }

    private void tone(String colour) {
        status.setStyle(colour == null ? "" : "-fx-text-fill: " + colour + ";");
    }

    private static void worker(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
