package dev.vmcase.views.fleet;

import dev.vmcase.views.Texts;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

import java.text.MessageFormat;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Consumer;

/**
 * A fleet audit at a glance: hosts and their VMs, the worst first — hosts with blocked VMs, then unknown ones, hosts
 * that sent nothing, then the ready. Each host row carries one small square per VM coloured by its verdict (the
 * hosts × VMs matrix), and expands into its VMs with their one-line reasons. The selected VM's findings, evidence
 * lines, what could not be read and caveats show on the right; Enter, a double click or "Open evidence" hands the VM
 * to {@link #setOnOpen} (the workbench opens its bundle from the case).
 * <pre>
 *  Fleet audit: fleet.vmcase           [filter host or VM]  [x] only what needs a look
 *  3 hosts, 6 VMs: 2 blocked, 1 unknown, 3 ready
 *  ┌ host / VM ───────── verdict ── reason ──────────────┐┌ instance-0000b001 on fleet-b ─┐
 *  │ ▾ fleet-b ■■        blocked    1 blocked            ││ blocked: pending unplug …     │
 *  │     instance-0000b001 blocked  pending unplug: …    ││ libvirtd-excerpt.log:2299: …  │
 *  └─────────────────────────────────────────────────────┘└ [Open evidence] ───────────────┘
 * </pre>
 */
public final class FleetView extends BorderPane {
    static final String BUNDLE = "dev.vmcase.views.fleet.Fleet";
    /** A host row shows at most this many VM squares, then "+N". */
    static final int CELLS = 48;

    /** A line of the tree: a host (vm null) or one of its VMs. */
    public record Line(FleetRows.Host host, FleetRows.Vm vm) {
    }

    private final ResourceBundle texts = Texts.of(BUNDLE);
    private final Label title = new Label();
    private final Label summary = new Label();
    private final TextField filter = new TextField();
    private final CheckBox problemsOnly = new CheckBox();
    private final TreeTableView<Line> tree = new TreeTableView<>();
    private final Label detailTitle = new Label();
    private final TextArea details = new TextArea();
    private final Button open = new Button();
    private final Label openNote = new Label();
    private final ObjectProperty<FleetRows.Vm> selected = new SimpleObjectProperty<>();
    private FleetRows rows = new FleetRows("", "", List.of());
    private Consumer<FleetRows.Vm> onOpen = vm -> { };

    public FleetView() {
        setId("fleet-view");
        title.setId("fleet-title");
        title.setStyle("-fx-font-size: 1.4em; -fx-font-weight: bold;");
        summary.setId("fleet-summary");
        filter.setId("fleet-filter");
        filter.setPromptText(texts.getString("filter"));
        filter.setPrefColumnCount(22);
        problemsOnly.setId("fleet-problems-only");
        problemsOnly.setText(texts.getString("problems-only"));
        filter.textProperty().addListener((o, a, b) -> rebuild());
        problemsOnly.selectedProperty().addListener((o, a, b) -> rebuild());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(12, title, grow, filter, problemsOnly);
        bar.setAlignment(Pos.CENTER_LEFT);
        VBox top = new VBox(4, bar, summary);
        top.setPadding(new Insets(8, 10, 8, 10));
        setTop(top);

        tree.setId("fleet-tree");
        tree.setShowRoot(false);
        tree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        tree.getColumns().add(nameColumn());
        tree.getColumns().add(verdictColumn());
        tree.getColumns().add(reasonColumn());
        tree.setRowFactory(t -> {
            TreeTableRow<Line> row = new TreeTableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && row.getItem() != null && row.getItem().vm() != null) {
                    openSelected();
                }
            });
            return row;
        });
        tree.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openSelected();
                e.consume();
            }
        });
        tree.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            selected.set(b == null || b.getValue() == null ? null : b.getValue().vm());
            showDetails(selected.get()); // also from one host to another, where the VM stays null
        });

        detailTitle.setId("fleet-detail-title");
        detailTitle.setStyle("-fx-font-weight: bold;");
        detailTitle.setWrapText(true);
        details.setId("fleet-details");
        details.setEditable(false);
        details.setWrapText(true);
        details.setStyle("-fx-font-family: monospace;");
        VBox.setVgrow(details, Priority.ALWAYS);
        open.setId("fleet-open");
        open.setText(texts.getString("open"));
        open.setOnAction(e -> openSelected());
        openNote.setWrapText(true);
        openNote.setId("fleet-open-note");
        VBox right = new VBox(6, detailTitle, details, new HBox(8, open), openNote);
        right.setPadding(new Insets(8));
        SplitPane split = new SplitPane(tree, right);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.58);
        setCenter(split);
        showDetails(null);
    }

    /** Shows {@code r}: hosts sorted worst first, expanded when they hold a VM that needs a look. */
    public void show(FleetRows r) {
        this.rows = r;
        title.setText(r.title());
        summary.setText(r.summary());
        rebuild();
        TreeItem<Line> first = firstVm(tree.getRoot());
        if (first != null) {
            tree.getSelectionModel().select(first);
        }
    }

    /** Called with the VM to open (Enter, double click, the button) when its evidence is in the case. */
    public void setOnOpen(Consumer<FleetRows.Vm> onOpen) {
        this.onOpen = onOpen == null ? vm -> { } : onOpen;
    }

    public ObjectProperty<FleetRows.Vm> selectedProperty() {
        return selected;
    }

    public TreeTableView<Line> tree() {
        return tree;
    }

    /** The hosts in the order the view shows them: worst status, most blocked, most unknown, then by name. */
    static List<FleetRows.Host> ordered(List<FleetRows.Host> hosts) {
        return hosts.stream().sorted(Comparator.comparing(FleetRows.Host::status)
                .thenComparing(h -> -h.count(FleetRows.Status.BLOCKED))
                .thenComparing(h -> -h.count(FleetRows.Status.UNKNOWN))
                .thenComparing(FleetRows.Host::name)).toList();
    }

    private void rebuild() {
        String q = filter.getText() == null ? "" : filter.getText().strip().toLowerCase(Locale.ROOT);
        boolean onlyProblems = problemsOnly.isSelected();
        TreeItem<Line> root = new TreeItem<>(new Line(null, null));
        for (FleetRows.Host h : ordered(rows.hosts())) {
            boolean hostMatches = q.isEmpty() || h.name().toLowerCase(Locale.ROOT).contains(q);
            TreeItem<Line> hi = new TreeItem<>(new Line(h, null));
            h.vms().stream().sorted(Comparator.comparing(FleetRows.Vm::status).thenComparing(FleetRows.Vm::name))
                    .filter(v -> !onlyProblems || needsLook(v.status()))
                    .filter(v -> hostMatches || v.name().toLowerCase(Locale.ROOT).contains(q))
                    .forEach(v -> hi.getChildren().add(new TreeItem<>(new Line(h, v))));
            boolean keepHost = hostMatches || !hi.getChildren().isEmpty();
            if (onlyProblems && !needsLook(h.status())) {
                keepHost = false;
            }
            if (keepHost) {
                hi.setExpanded(needsLook(h.status()) || !q.isEmpty());
                root.getChildren().add(hi);
            }
        }
        tree.setRoot(root);
    }

    static boolean needsLook(FleetRows.Status s) {
        return s == FleetRows.Status.BLOCKED || s == FleetRows.Status.UNKNOWN || s == FleetRows.Status.NO_RESULT;
    }

    private static TreeItem<Line> firstVm(TreeItem<Line> root) {
        for (TreeItem<Line> h : root.getChildren()) {
            if (!h.getChildren().isEmpty()) {
                return h.getChildren().get(0);
            }
        }
        return root.getChildren().isEmpty() ? null : root.getChildren().get(0);
    }

    private void openSelected() {
        FleetRows.Vm vm = selected.get();
        if (vm != null && vm.openable()) {
            onOpen.accept(vm);
        }
    }

    private void showDetails(FleetRows.Vm vm) {
        TreeItem<Line> item = tree.getSelectionModel().getSelectedItem();
        if (vm == null) {
            FleetRows.Host h = item == null || item.getValue() == null ? null : item.getValue().host();
            detailTitle.setText(h == null ? texts.getString("select") : h.name());
            details.setText(h == null ? "" : h.note());
            open.setDisable(true);
            openNote.setText("");
            return;
        }
        detailTitle.setText(MessageFormat.format(texts.getString("vm-on-host"), vm.name(), vm.host(), vm.verdict()));
        details.setText(String.join("\n", vm.details()));
        details.positionCaret(0);
        open.setDisable(!vm.openable());
        openNote.setText(vm.evidence());
    }

    /** How a column draws a line that is a host or a VM: text and graphic set on the cell. */
    private interface Drawer {
        void draw(TreeTableCell<Line, Line> cell, Line line);
    }

    /** A column of whole lines; empty cells and the hidden root stay blank. */
    private static TreeTableColumn<Line, Line> lineColumn(String title, double width, Drawer drawer) {
        TreeTableColumn<Line, Line> c = new TreeTableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(p -> new javafx.beans.property.ReadOnlyObjectWrapper<>(p.getValue().getValue()));
        c.setCellFactory(col -> new TreeTableCell<>() {
            @Override
            protected void updateItem(Line l, boolean empty) {
                super.updateItem(l, empty);
                setText(null);
                setGraphic(null);
                if (!empty && l != null && l.host() != null) {
                    drawer.draw(this, l);
                }
            }
        });
        return c;
    }

    private TreeTableColumn<Line, Line> nameColumn() {
        return lineColumn(texts.getString("column.name"), 300, (cell, l) -> {
            if (l.vm() != null) {
                cell.setText(l.vm().name());
                return;
            }
            Label name = new Label(l.host().name());
            name.setStyle("-fx-font-weight: bold;");
            name.setMinWidth(Region.USE_PREF_SIZE);
            HBox line = new HBox(8, name, cells(l.host()));
            line.setAlignment(Pos.CENTER_LEFT);
            cell.setGraphic(line);
        });
    }

    /** One square per VM of the host, in the view's order, coloured by verdict. */
    private Node cells(FleetRows.Host h) {
        HBox box = new HBox(2);
        box.setAlignment(Pos.CENTER_LEFT);
        List<FleetRows.Vm> vms = h.vms().stream().sorted(Comparator.comparing(FleetRows.Vm::status)).toList();
        for (FleetRows.Vm v : vms.subList(0, Math.min(CELLS, vms.size()))) {
            Rectangle r = new Rectangle(8, 8, color(v.status()));
            Tooltip.install(r, new Tooltip(v.name() + ": " + v.verdict()));
            box.getChildren().add(r);
        }
        if (vms.size() > CELLS) {
            box.getChildren().add(new Label("+" + (vms.size() - CELLS)));
        }
        return box;
    }

    static Color color(FleetRows.Status s) {
        return switch (s) {
            case BLOCKED -> Color.web("#cf222e");
            case UNKNOWN -> Color.web("#bf8700");
            case NO_RESULT -> Color.web("#8250df");
            case READY_CAVEATS -> Color.web("#54aeff");
            default -> Color.web("#2da44e");
        };
    }

    private TreeTableColumn<Line, Line> verdictColumn() {
        return lineColumn(texts.getString("column.verdict"), 110, (cell, l) -> {
            FleetRows.Status s = l.vm() != null ? l.vm().status() : l.host().status();
            Label badge = new Label(l.vm() != null ? l.vm().verdict() : texts.getString("status." + s.name()));
            badge.setStyle("-fx-text-fill: white; -fx-background-color: #" + color(s).toString().substring(2, 8)
                    + "; -fx-background-radius: 3; -fx-padding: 0 6 0 6;");
            cell.setGraphic(badge);
        });
    }

    private TreeTableColumn<Line, String> reasonColumn() {
        TreeTableColumn<Line, String> c = new TreeTableColumn<>(texts.getString("column.reason"));
        c.setPrefWidth(500);
        c.setCellValueFactory(p -> {
            Line l = p.getValue().getValue();
            String s = l == null || l.host() == null ? "" : l.vm() != null ? l.vm().reason() : hostLine(l.host());
            return new javafx.beans.property.ReadOnlyStringWrapper(s);
        });
        return c;
    }

    private String hostLine(FleetRows.Host h) {
        if (h.vms().isEmpty()) {
            return h.note();
        }
        return MessageFormat.format(texts.getString("host-counts"), h.vms().size(), h.count(FleetRows.Status.BLOCKED),
                h.count(FleetRows.Status.UNKNOWN), h.count(FleetRows.Status.READY)
                        + h.count(FleetRows.Status.READY_CAVEATS));
    }
}
