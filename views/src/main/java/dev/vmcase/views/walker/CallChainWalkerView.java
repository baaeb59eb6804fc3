package dev.vmcase.views.walker;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.callchain.CallChainWalk;
import dev.vmcase.analysis.callchain.CallChainWalk.Direction;
import dev.vmcase.analysis.callchain.CallChainWalk.Step;
import dev.vmcase.analysis.callchain.FrameHint;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Frame;
import dev.vmcase.model.PciAddress;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.Texts;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.util.StringConverter;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.LineNumberFactory;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.stream.Collectors;

/**
 * The call-chain walker: the threads of the backtraces and their frames; a walk that steps frame by frame from the
 * guest's I/O write ({@code kvm_handle_io}) to the release of the drive ({@code release_drive}), or back; a card per
 * step with the layer, the knowledge base's explanation, the decoded arguments and a link to the device in the named
 * slot; and the frame's {@code file:line} in a read-only source view of a QEMU tree chosen in the settings.
 * <pre>
 *  threads │ #  function              layer         decoded        │ [From the guest's write] [◀] [▶] [towards release ▾]
 *          │ 16 kvm_handle_io         vCPU exit     0xae08 eject   │ ┌ step card ────────────────────────────────┐
 *          │ 10 pci_write             ACPI hotplug  slot 5         │ │ ACPI hotplug · pci_write  hw/acpi/pcihp.c:277
 *          │  0 release_drive         QOM / qdev                   │ │ explanation · decoded args · device link  │
 *          │                                                       │ ├ source ───────────────────────────────────┤
 * </pre>
 */
public final class CallChainWalkerView extends BorderPane {
    static final String BUNDLE = "dev.vmcase.views.walker.Walker";

    private final Selection selection;
    private final WalkerSettings settings;
    private final ResourceBundle texts = Texts.of(BUNDLE);
    private final Locale locale = Locale.getDefault();
    private final ListView<CallChainWalk> threads = new ListView<>();
    private final TableView<Step> frames = new TableView<>();
    private final ComboBox<Direction> direction = new ComboBox<>();
    private final Label position = new Label();
    private final Label note = new Label();
    private final Label stepLayer = new Label();
    private final Label stepFunction = new Label();
    private final Label stepExplanation = new Label();
    private final Label stepVersions = new Label();
    private final VBox stepArgs = new VBox(2);
    private final VBox stepDevices = new VBox(2);
    private final Label sourcePath = new Label();
    private final Label sourceHelp = new Label();
    private final CodeArea source = new CodeArea();
    private final ReadOnlyIntegerWrapper current = new ReadOnlyIntegerWrapper(-1);
    private boolean updating;
    private DeviceTable table;
    private final javafx.beans.property.BooleanProperty loading = new javafx.beans.property.SimpleBooleanProperty();
    private final dev.vmcase.views.UiExecutors io = dev.vmcase.views.UiExecutors.standard("vmcase-walker-source");
    private int sourceRequest;

    public CallChainWalkerView(Selection selection) {
        this(selection, new WalkerSettings());
    }

    public CallChainWalkerView(Selection selection, WalkerSettings settings) {
        this.selection = selection;
        this.settings = settings;
        getStyleClass().add("call-chain-walker");
        setId("call-chain-walker");
        getStylesheets().add(CallChainWalkerView.class.getResource("walker.css").toExternalForm());

        threads.setId("threads");
        threads.setPrefHeight(56);
        threads.setMinHeight(32);
        threads.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(CallChainWalk w, boolean empty) {
                super.updateItem(w, empty);
                setText(empty || w == null ? null : threadText(w));
                setTooltip(empty || w == null ? null : new javafx.scene.control.Tooltip(threadText(w)));
            }
        });
        threads.getSelectionModel().selectedItemProperty().addListener((o, a, w) -> {
            frames.getItems().setAll(w == null ? List.of() : reversed(w.steps()));
            if (w != null && !updating) {
                go(w.guestEntry());
            }
        });

        frames.setId("walk-frames");
        frames.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label noFrames = new Label();
        noFrames.setWrapText(true);
        noFrames.textProperty().bind(javafx.beans.binding.Bindings.when(loading).then(texts.getString("loading"))
                .otherwise(texts.getString("no-backtrace")));
        frames.setPlaceholder(noFrames);
        frames.getColumns().setAll(List.of(
                column("#", s -> "#" + s.frame().index(), 44, 40),
                column(texts.getString("function"), s -> s.frame().function(), 190, 140),
                column(texts.getString("layer"), s -> s.layer().map(l -> l.label(locale)).orElse(""), 110, 70),
                column(texts.getString("decoded"), s -> s.hints().stream().map(FrameHint::text)
                        .collect(Collectors.joining("; ")), 190, 80),
                column(texts.getString("device"), this::deviceText, 110, 60)));
        frames.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(Step s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().removeAll("on-walk", "names-slot");
                if (!empty && s != null) {
                    CallChainWalk w = walk();
                    if (w != null && s.position() >= w.guestEntry()) {
                        getStyleClass().add("on-walk");
                    }
                    if (s.slot() != null && !s.slotInherited()) {
                        getStyleClass().add("names-slot");
                    }
                }
            }
        });
        frames.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> {
            if (s != null && !updating) {
                go(s.position());
            }
        });

        Button start = new Button(texts.getString("walk.start"));
        start.setId("walk-start");
        start.setOnAction(e -> {
            CallChainWalk w = walk();
            if (w != null) {
                go(direction.getValue() == Direction.TOWARD_RELEASE ? w.guestEntry() : w.innermost());
            }
        });
        Button prev = new Button(texts.getString("walk.previous"));
        prev.setId("walk-previous");
        prev.setOnAction(e -> step(false));
        Button next = new Button(texts.getString("walk.next"));
        next.setId("walk-next");
        next.setOnAction(e -> step(true));
        direction.setId("walk-direction");
        direction.getItems().setAll(Direction.values());
        direction.setValue(Direction.TOWARD_RELEASE);
        direction.setConverter(new StringConverter<>() {
            @Override
            public String toString(Direction d) {
                return d == null ? "" : texts.getString("direction." + d.name().toLowerCase(Locale.ROOT));
            }

            @Override
            public Direction fromString(String s) {
                return null;
            }
        });
        position.setId("walk-position");
        position.setWrapText(true);
        for (javafx.scene.control.Control c : List.of(start, prev, next, direction)) {
            c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        // the walk's controls wrap onto a second line where the card is narrow, rather than squeeze the frames
        javafx.scene.layout.FlowPane bar = new javafx.scene.layout.FlowPane(6, 4, start, prev, next, direction);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 2, 8));
        position.setPadding(new Insets(0, 8, 4, 8));
        note.setId("walk-note");
        note.getStyleClass().add("walk-note");
        note.setWrapText(true);
        note.managedProperty().bind(note.visibleProperty());
        note.setVisible(false);

        stepLayer.setId("step-layer");
        stepLayer.getStyleClass().add("step-layer");
        stepFunction.setId("step-function");
        stepFunction.getStyleClass().add("step-function");
        stepFunction.setWrapText(true);
        stepLayer.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        stepExplanation.setId("step-explanation");
        stepExplanation.setWrapText(true);
        stepVersions.setId("step-versions");
        stepVersions.getStyleClass().add("step-versions");
        stepVersions.setWrapText(true);
        stepArgs.setId("step-args");
        stepDevices.setId("step-devices");
        HBox head = new HBox(8, stepLayer, stepFunction);
        head.setAlignment(Pos.CENTER_LEFT);
        VBox card = new VBox(6, head, stepExplanation, stepVersions, stepArgs, stepDevices);
        card.setId("step-card");
        card.getStyleClass().add("step-card");
        card.setPadding(new Insets(8));

        sourcePath.setId("source-path");
        sourcePath.setMinWidth(0);
        sourcePath.setTooltip(new javafx.scene.control.Tooltip());
        sourcePath.getTooltip().textProperty().bind(sourcePath.textProperty());
        Button choose = new Button(texts.getString("source.choose"));
        choose.setId("source-choose");
        choose.setOnAction(e -> {
            DirectoryChooser c = new DirectoryChooser();
            c.setTitle(texts.getString("source.choose"));
            settings.sourceTree().ifPresent(t -> c.setInitialDirectory(t.toFile()));
            java.io.File dir = c.showDialog(getScene() == null ? null : getScene().getWindow());
            if (dir != null) {
                setSourceTree(dir.toPath());
            }
        });
        HBox sourceBar = new HBox(8, choose, sourcePath);
        sourceBar.setAlignment(Pos.CENTER_LEFT);
        sourceBar.setPadding(new Insets(4, 8, 4, 8));
        source.setId("source");
        source.setEditable(false);
        source.setParagraphGraphicFactory(LineNumberFactory.get(source));
        source.getStyleClass().add("source-code");
        sourceHelp.setId("source-help");
        sourceHelp.getStyleClass().add("source-help");
        sourceHelp.setWrapText(true);
        sourceHelp.setPadding(new Insets(8));
        sourceHelp.setMaxWidth(Double.MAX_VALUE);
        sourceHelp.setMaxHeight(Double.MAX_VALUE);
        sourceHelp.setAlignment(Pos.TOP_LEFT);
        StackPane sourceStack = new StackPane(new VirtualizedScrollPane<>(source), sourceHelp);
        VBox sourcePane = new VBox(sourceBar, sourceStack);
        VBox.setVgrow(sourceStack, Priority.ALWAYS);

        // the card scrolls rather than cut an explanation short
        javafx.scene.control.ScrollPane cardScroll = new javafx.scene.control.ScrollPane(card);
        cardScroll.setFitToWidth(true);
        cardScroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        cardScroll.getStyleClass().add("edge-to-edge");
        VBox walkPane = new VBox(bar, position, note, cardScroll);
        VBox.setVgrow(cardScroll, Priority.ALWAYS);
        SplitPane right = new SplitPane(walkPane, sourcePane);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.44);
        VBox left = new VBox(threads, frames);
        VBox.setVgrow(frames, Priority.ALWAYS);
        SplitPane main = new SplitPane(left, right);
        // the frames table needs its five columns' room; the card and the source wrap
        main.setDividerPositions(0.56);
        setCenter(main);

        selection.lineProperty().addListener((o, a, line) -> follow(line));
        showStep(null);
    }

    /** Shows the backtraces of an analysis, with device links from its device table (FX thread). */
    public void show(AnalysisResult r) {
        show(r.evidence().backtraces(), r.devices());
    }

    public void show(List<Backtrace> backtraces, DeviceTable table) {
        this.table = table;
        List<CallChainWalk> walks = CallChainWalk.of(backtraces, table, locale);
        updating = true;
        try {
            threads.getItems().setAll(walks);
            note.setVisible(false);
            if (!walks.isEmpty()) {
                // the thread with the guest's write first: the one the walk is about
                CallChainWalk first = walks.stream().filter(w -> w.guestEntry() > 0).findFirst().orElse(walks.get(0));
                threads.getSelectionModel().select(first);
                frames.getItems().setAll(reversed(first.steps()));
            } else {
                frames.getItems().clear();
            }
        } finally {
            updating = false;
        }
        CallChainWalk w = walk();
        if (w == null) {
            current.set(-1);
            showStep(null);
        } else {
            go(w.guestEntry());
        }
    }

    /** While the evidence is read, the empty walker says so rather than "no backtrace". */
    public void setLoading(boolean busy) {
        loading.set(busy);
    }

    /** Whether {@code line} is a frame's line of the backtraces shown (a tour step pointing at a frame). */
    public boolean showsLine(LineRef line) {
        for (CallChainWalk w : threads.getItems()) {
            for (Step s : w.steps()) {
                if (LineRef.of(s.frame().source()).equals(line)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@link #explain(Finding, DeviceTable)} with the device table last shown. */
    public boolean explain(Finding finding) {
        return explain(finding, table);
    }

    /**
     * Explains a finding: the walk of the first thread whose frames touch the finding's slot, at the first frame
     * naming it. Returns whether a frame touches it; when none does, the walk stays and a note says which slots the
     * frames name.
     */
    public boolean explain(Finding finding, DeviceTable table) {
        Integer slot = slotOf(finding, table);
        note.setVisible(false);
        if (slot == null) {
            return false;
        }
        for (CallChainWalk w : threads.getItems()) {
            if (w.touchesSlot(slot)) {
                threads.getSelectionModel().select(w);
                int at = w.firstNaming(slot);
                go(at >= 0 ? at : w.guestEntry());
                return true;
            }
        }
        String named = threads.getItems().stream().flatMap(w -> w.steps().stream())
                .filter(s -> s.slot() != null && !s.slotInherited()).map(s -> String.valueOf(s.slot()))
                .distinct().collect(Collectors.joining(", "));
        note.setText(MessageFormat.format(texts.getString(named.isEmpty() ? "note.no-slot" : "note.other-slots"),
                String.valueOf(slot), named));
        note.setVisible(true);
        return false;
    }

    /** The root-bus slot a finding is about: a PCI address among its devices, its {@code slot} detail, or its row's. */
    static Integer slotOf(Finding f, DeviceTable table) {
        for (String name : f.devices()) {
            Optional<PciAddress> p = PciAddress.parse(name);
            if (p.isPresent() && p.get().bus() == 0) {
                return p.get().slot();
            }
        }
        String detail = f.details().get("slot");
        if (detail != null && detail.matches("\\d{1,2}")) {
            return Integer.parseInt(detail);
        }
        if (table != null) {
            for (String name : f.devices()) {
                Optional<DeviceRow> row = table.sourceById(name);
                if (row.isPresent() && row.get().pci() != null && row.get().pci().bus() == 0) {
                    return row.get().pci().slot();
                }
            }
        }
        return null;
    }

    /** The position of the step shown in the walk (call order, 0 = outermost), or -1. */
    public ReadOnlyIntegerProperty currentProperty() {
        return current.getReadOnlyProperty();
    }

    public Optional<Step> currentStep() {
        CallChainWalk w = walk();
        int at = current.get();
        return w == null || at < 0 || at >= w.size() ? Optional.empty() : Optional.of(w.step(at));
    }

    public ComboBox<Direction> directionPicker() {
        return direction;
    }

    /** Steps forward in the chosen direction, or back. */
    public void step(boolean forward) {
        CallChainWalk w = walk();
        if (w == null || current.get() < 0) {
            return;
        }
        Direction d = direction.getValue();
        if (!forward) {
            d = d == Direction.TOWARD_RELEASE ? Direction.TOWARD_GUEST : Direction.TOWARD_RELEASE;
        }
        go(w.next(current.get(), d));
    }

    /** Sets the QEMU source tree (kept in the settings) and reopens the current frame in it. */
    public void setSourceTree(Path tree) {
        settings.setSourceTree(tree);
        currentStep().ifPresentOrElse(this::showSource, () -> showSource(null));
    }

    private CallChainWalk walk() {
        return threads.getSelectionModel().getSelectedItem();
    }

    private void go(int at) {
        CallChainWalk w = walk();
        if (w == null || at < 0 || at >= w.size()) {
            return;
        }
        current.set(at);
        Step s = w.step(at);
        updating = true;
        try {
            frames.getSelectionModel().select(s);
            frames.scrollTo(Math.max(0, frames.getItems().indexOf(s) - 3));
            showStep(s);
            selection.lineProperty().set(LineRef.of(s.frame().source()));
        } finally {
            updating = false;
        }
    }

    private void follow(LineRef line) {
        if (updating || line == null) {
            return;
        }
        for (CallChainWalk w : threads.getItems()) {
            for (Step s : w.steps()) {
                if (LineRef.of(s.frame().source()).equals(line)) {
                    updating = true;
                    try {
                        threads.getSelectionModel().select(w);
                    } finally {
                        updating = false;
                    }
                    go(s.position());
                    return;
                }
            }
        }
    }

    private void showStep(Step s) {
        stepArgs.getChildren().clear();
        stepDevices.getChildren().clear();
        if (s == null) {
            position.setText("");
            stepLayer.setText("");
            stepFunction.setText("");
            stepExplanation.setText(texts.getString("no-step"));
            stepVersions.setText("");
            showSource(null);
            return;
        }
        CallChainWalk w = walk();
        // steps count from the guest's write; the frames before it are the thread that made it
        position.setText(s.position() < w.guestEntry()
                ? MessageFormat.format(texts.getString("walk.position.before"), "#" + s.frame().index())
                : MessageFormat.format(texts.getString("walk.position"), s.position() - w.guestEntry() + 1,
                        w.size() - w.guestEntry(), "#" + s.frame().index()));
        Frame f = s.frame();
        stepLayer.setText(s.layer().map(l -> l.label(locale)).orElse(texts.getString("layer.unknown")));
        stepLayer.getStyleClass().removeIf(c -> c.startsWith("layer-"));
        s.layer().ifPresent(l -> stepLayer.getStyleClass().add("layer-" + l.id()));
        stepFunction.setText("#" + f.index() + "  " + f.function()
                + (f.file() == null ? "" : "   " + f.file() + (f.line() > 0 ? ":" + f.line() : "")));
        if (s.knowledge() == null) {
            stepExplanation.setText(texts.getString("unknown-function"));
            stepVersions.setText("");
        } else {
            stepExplanation.setText(s.knowledge().description() == null ? "" : s.knowledge().description());
            String seen = s.knowledge().versions().isEmpty() ? ""
                    : MessageFormat.format(texts.getString("seen-in"), String.join(", ", s.knowledge().versions()));
            String note = s.knowledge().versionNote() == null ? "" : s.knowledge().versionNote();
            stepVersions.setText((seen + (seen.isEmpty() || note.isEmpty() ? "" : "  ") + note).strip());
        }
        String args = f.args().stream().map(a -> a.name() + "=" + a.value()).collect(Collectors.joining(", "));
        if (!args.isEmpty()) {
            Label raw = new Label(args);
            raw.getStyleClass().add("step-raw-args");
            raw.setWrapText(true);
            stepArgs.getChildren().add(raw);
        }
        for (FrameHint h : s.hints()) {
            Label l = new Label("\u2192 " + h.text());
            l.getStyleClass().add("step-hint");
            l.setWrapText(true);
            stepArgs.getChildren().add(l);
        }
        if (s.slot() != null) {
            String why = texts.getString(s.slotInherited() ? "slot.inherited" : "slot.named");
            if (s.devices().isEmpty()) {
                Label none = new Label(MessageFormat.format(texts.getString("slot.no-device"), String.valueOf(s.slot()), why));
                none.setId("step-no-device");
                none.setWrapText(true);
                stepDevices.getChildren().add(none);
            }
            for (DeviceRow d : s.devices()) {
                Hyperlink link = new Hyperlink(MessageFormat.format(texts.getString("slot.device"),
                        String.valueOf(s.slot()), d.label() + (d.type().isEmpty() ? "" : " " + d.type()), why));
                link.getStyleClass().add("step-device");
                link.setOnAction(e -> selection.deviceProperty().set(d.key()));
                stepDevices.getChildren().add(link);
            }
        }
        showSource(s);
    }

    private void showSource(Step s) {
        Optional<Path> tree = settings.sourceTree();
        sourceRequest++;
        source.clear();
        if (tree.isEmpty()) {
            sourcePath.setText(texts.getString("source.none"));
            sourceHelp.setText(texts.getString("source.help"));
            sourceHelp.setVisible(true);
            return;
        }
        if (s == null || s.frame().file() == null) {
            sourcePath.setText(tree.get().toString());
            sourceHelp.setText(texts.getString(s == null ? "no-step" : "source.no-file"));
            sourceHelp.setVisible(true);
            return;
        }
        Optional<Path> file = WalkerSettings.resolve(tree.get(), s.frame().file());
        if (file.isEmpty()) {
            sourcePath.setText(tree.get().toString());
            sourceHelp.setText(MessageFormat.format(texts.getString("source.not-found"), s.frame().file(),
                    tree.get().toString()));
            sourceHelp.setVisible(true);
            return;
        }
        // read off the FX thread: a QEMU source file is small, but it may sit on a slow or network file system
        int request = ++sourceRequest;
        Path path = file.get();
        int line = s.frame().line();
        sourcePath.setText(path + (line > 0 ? ":" + line : ""));
        io.background().execute(() -> {
            String text;
            try {
                text = read(path);
            } catch (IOException e) {
                io.fx().execute(() -> {
                    if (request == sourceRequest) {
                        sourceHelp.setText(MessageFormat.format(texts.getString("source.unreadable"), path,
                                e.getMessage()));
                        sourceHelp.setVisible(true);
                    }
                });
                return;
            }
            io.fx().execute(() -> {
                if (request != sourceRequest) {
                    return; // another step was shown meanwhile
                }
                sourceHelp.setVisible(false);
                source.replaceText(text);
                if (line > 0 && line <= source.getParagraphs().size()) {
                    source.setParagraphStyle(line - 1, List.of("current-line"));
                    source.moveTo(line - 1, 0);
                    source.showParagraphAtCenter(line - 1);
                }
            });
        });
    }

    /** The file's text, without the final newline (which would show as an empty last line). */
    private static String read(Path p) throws IOException {
        String text;
        try {
            text = Files.readString(p, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            // a QEMU source file that is not UTF-8 (old trees have Latin-1 comments): read as Latin-1
            text = Files.readString(p, StandardCharsets.ISO_8859_1);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** The source view, for tests. */
    public CodeArea sourceArea() {
        return source;
    }

    private String threadText(CallChainWalk w) {
        String label = w.label().isEmpty() ? texts.getString("thread.plain") : w.label();
        String entry = w.guestEntry() > 0 ? "  " + texts.getString("thread.guest-write") : "";
        return MessageFormat.format(texts.getString("thread"), label, w.size()) + entry;
    }

    private String deviceText(Step s) {
        if (s.slot() == null) {
            return "";
        }
        if (s.devices().isEmpty()) {
            return MessageFormat.format(texts.getString("slot.short"), String.valueOf(s.slot()));
        }
        return s.devices().stream().map(DeviceRow::label).collect(Collectors.joining(", "));
    }

    private static List<Step> reversed(List<Step> steps) {
        List<Step> out = new ArrayList<>(steps);
        java.util.Collections.reverse(out);
        return out;
    }

    private static TableColumn<Step, String> column(String title, java.util.function.Function<Step, String> f,
                                                    double width, double min) {
        TableColumn<Step, String> c = new TableColumn<>();
        // the header's title may be cut where the column is narrow: it is whole on hover
        Label header = new Label(title);
        header.setTooltip(new javafx.scene.control.Tooltip(title));
        header.setMinWidth(0);
        c.setGraphic(header);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setMinWidth(min);
        c.setSortable(false);
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                setTooltip(empty || v == null || v.isEmpty() ? null : new javafx.scene.control.Tooltip(v));
            }
        });
        return c;
    }
}
