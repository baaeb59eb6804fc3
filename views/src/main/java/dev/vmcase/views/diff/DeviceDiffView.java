package dev.vmcase.views.diff;

import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.devices.Presence;
import dev.vmcase.analysis.diff.DeviceDiff;
import dev.vmcase.analysis.diff.DiffCell;
import dev.vmcase.analysis.diff.DiffResult;
import dev.vmcase.analysis.diff.DiffRow;
import dev.vmcase.analysis.diff.DiffSpec;
import dev.vmcase.analysis.diff.PropertyDiff;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.model.SourceRef;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Selection;
import dev.vmcase.views.Texts;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;

/**
 * The device-tree diff: two trees side by side (source and destination by default, or any two sides or layers the
 * user picks), rows matched by identity so the same device sits on the same line of both trees; presence columns per
 * layer, the orphaned frontend highlighted with its one-line reason, an "only differences" filter, and the
 * property-level diff of the selected device below. A device node expands into one line per layer whose evidence a
 * click selects.
 * <pre>
 *  [source ▾]  [destination ▾]  [x] only differences
 *  ⚠ virtio-disk1 (0000:00:06.0): still in qdev, pci; qdev shows drive = ""; …
 *  ┌ left tree ──────────────────┐┌ right tree ─────────────────┐
 *  │ virtio-disk1  cmd qdev pci …││ virtio-disk1  cmd  …        │
 *  └─────────────────────────────┘└─────────────────────────────┘
 *  property          left                  right
 *  qdev drive        ""                    —
 * </pre>
 * Selecting a device sets {@link Selection#deviceProperty()} and {@link Selection#highlighted()}; a layer line or a
 * property sets {@link Selection#lineProperty()}; a device selected elsewhere is selected here.
 */
public final class DeviceDiffView extends BorderPane {
    static final String BUNDLE = "dev.vmcase.views.diff.DeviceDiff";

    /** A line of a tree: a device, or one layer of it (then {@code layer} is set). */
    public record Node(DiffRow row, Layer layer, boolean left) {
        DiffCell cell() {
            return left ? row.left() : row.right();
        }
    }

    private final Selection selection;
    private final ResourceBundle texts = Texts.of(BUNDLE);
    private final Locale locale = Locale.getDefault();
    private final ComboBox<DiffSpec> leftPicker = new ComboBox<>();
    private final ComboBox<DiffSpec> rightPicker = new ComboBox<>();
    private final CheckBox onlyDifferences = new CheckBox();
    private final TreeTableView<Node> leftTree = new TreeTableView<>();
    private final TreeTableView<Node> rightTree = new TreeTableView<>();
    private final TableView<PropertyDiff> properties = new TableView<>();
    private final VBox reasons = new VBox(2);
    private final Label propertiesTitle = new Label();
    private final ReadOnlyObjectWrapper<DiffResult> result = new ReadOnlyObjectWrapper<>();
    private DeviceTable table;
    private final javafx.beans.property.BooleanProperty loading = new javafx.beans.property.SimpleBooleanProperty();
    private dev.vmcase.model.Evidence evidence;
    private boolean updating;

    public DeviceDiffView(Selection selection) {
        this.selection = selection;
        getStyleClass().add("device-diff");
        setId("device-diff");
        getStylesheets().add(DeviceDiffView.class.getResource("diff.css").toExternalForm());

        StringConverter<DiffSpec> names = new StringConverter<>() {
            @Override
            public String toString(DiffSpec s) {
                return s == null ? "" : DeviceDiff.specName(s, locale);
            }

            @Override
            public DiffSpec fromString(String s) {
                return null;
            }
        };
        for (ComboBox<DiffSpec> c : List.of(leftPicker, rightPicker)) {
            c.getItems().setAll(DiffSpec.choices());
            c.setConverter(names);
            c.setVisibleRowCount(16);
            // its width from the first names only: a big log has thousands of QMP snapshots, and measuring every
            // one's cell (JavaFX's default) held the FX thread for seconds when the analysis arrived
            c.getProperties().put("comboBoxRowsToMeasureWidth", 64);
        }
        leftPicker.setId("left-side");
        rightPicker.setId("right-side");
        leftPicker.setValue(DiffSpec.SOURCE);
        rightPicker.setValue(DiffSpec.DESTINATION);
        leftPicker.valueProperty().addListener((o, a, b) -> {
            if (!updating) {
                recompute();
            }
        });
        rightPicker.valueProperty().addListener((o, a, b) -> {
            if (!updating) {
                recompute();
            }
        });
        onlyDifferences.setId("only-differences");
        onlyDifferences.setText(texts.getString("only-differences"));
        onlyDifferences.selectedProperty().addListener((o, a, b) -> fill());
        Label vs = new Label(texts.getString("versus"));
        Label legend = new Label(texts.getString("legend"));
        legend.setId("presence-legend");
        legend.getStyleClass().add("presence-legend");
        legend.setWrapText(true);
        legend.setTooltip(tip(texts.getString("legend") + "\n" + texts.getString("legend.columns")));
        Label columnsLegend = new Label(texts.getString("legend.columns"));
        columnsLegend.setId("columns-legend");
        columnsLegend.getStyleClass().add("presence-legend");
        columnsLegend.setWrapText(true);
        columnsLegend.setTooltip(tip(texts.getString("legend.columns")));
        Label compare = new Label(texts.getString("compare"));
        for (Label l : List.of(compare, vs)) {
            l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        for (ComboBox<DiffSpec> c : List.of(leftPicker, rightPicker)) {
            // a side's name may be long (a QMP snapshot's time and file): cut where room is short, whole on hover
            c.setMinWidth(90);
            c.setTooltip(new Tooltip());
            c.getTooltip().textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                    () -> c.getValue() == null ? "" : DeviceDiff.specName(c.getValue(), locale), c.valueProperty()));
            HBox.setHgrow(c, Priority.SOMETIMES);
        }
        onlyDifferences.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox bar = new HBox(8, compare, leftPicker, vs, rightPicker, onlyDifferences);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 8, 0, 8));
        legend.setPadding(new Insets(2, 8, 0, 8));
        columnsLegend.setPadding(new Insets(0, 8, 4, 8));
        reasons.setId("orphan-reasons");
        reasons.setPadding(new Insets(0, 8, 4, 8));
        setTop(new VBox(bar, legend, columnsLegend, reasons));

        leftTree.setId("diff-left");
        rightTree.setId("diff-right");
        for (TreeTableView<Node> t : List.of(leftTree, rightTree)) {
            t.setShowRoot(false);
            // the device column takes what the glyph columns leave
            t.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
            t.setRowFactory(tv -> new DiffTreeRow());
            Label none = new Label();
            none.textProperty().bind(javafx.beans.binding.Bindings.when(loading).then(texts.getString("loading"))
                    .otherwise(texts.getString("no-devices")));
            none.setWrapText(true);
            t.setPlaceholder(none);
        }
        leftTree.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> picked(leftTree, rightTree));
        rightTree.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> picked(rightTree, leftTree));
        SplitPane trees = new SplitPane(leftTree, rightTree);
        trees.setOrientation(Orientation.HORIZONTAL);

        properties.setId("properties");
        properties.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        properties.setPlaceholder(new Label(texts.getString("select-device")));
        properties.getColumns().setAll(List.of(
                propertyColumn(texts.getString("property"), PropertyDiff::name, 0.3),
                propertyColumn(texts.getString("left"), p -> value(p.left()), 0.35),
                propertyColumn(texts.getString("right"), p -> value(p.right()), 0.35)));
        properties.setRowFactory(tv -> new TableRow<>() {
            @Override
            protected void updateItem(PropertyDiff p, boolean empty) {
                super.updateItem(p, empty);
                getStyleClass().remove("changed");
                if (!empty && p != null && p.changed()) {
                    getStyleClass().add("changed");
                }
            }
        });
        properties.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> {
            if (p != null && !updating) {
                List<SourceRef> ev = !p.leftEvidence().isEmpty() ? p.leftEvidence() : p.rightEvidence();
                if (!ev.isEmpty()) {
                    selection.lineProperty().set(LineRef.of(ev.get(0)));
                }
            }
        });
        propertiesTitle.getStyleClass().add("section-title");
        propertiesTitle.setWrapText(true);
        VBox propertyPane = new VBox(propertiesTitle, properties);
        VBox.setVgrow(properties, Priority.ALWAYS);
        SplitPane main = new SplitPane(trees, propertyPane);
        main.setOrientation(Orientation.VERTICAL);
        main.setDividerPositions(0.62);
        setCenter(main);

        selection.deviceProperty().addListener((o, a, key) -> {
            if (!updating && key != null) {
                select(key);
            }
        });
        columns();
        showProperties(null);
    }

    /** Shows the devices of a device table (FX thread), without transcript snapshots. Keeps the sides picked. */
    public void show(DeviceTable table) {
        this.table = table;
        this.evidence = null;
        choices(DiffSpec.choices());
        recompute();
    }

    /**
     * Shows the devices of an analysis (FX thread); the pickers also offer each point of its QMP transcripts, so two
     * moments of one VM can be compared.
     */
    public void show(dev.vmcase.analysis.AnalysisResult r) {
        this.table = r.devices();
        this.evidence = r.evidence();
        java.util.Map<String, dev.vmcase.analysis.devices.DeviceReconciler.Side> sides = new java.util.HashMap<>();
        r.evidence().rolesBySha().forEach((sha, role) ->
                sides.put(sha, dev.vmcase.analysis.devices.DeviceReconciler.Side.of(role)));
        choices(DiffSpec.choices(DeviceDiff.snapshots(r.evidence()), sides));
        recompute();
    }

    private void choices(List<DiffSpec> specs) {
        updating = true;
        try {
            for (ComboBox<DiffSpec> c : List.of(leftPicker, rightPicker)) {
                DiffSpec keep = c.getValue();
                c.getItems().setAll(specs);
                c.setValue(specs.contains(keep) ? keep : c == leftPicker ? DiffSpec.SOURCE : DiffSpec.DESTINATION);
            }
        } finally {
            updating = false;
        }
    }

    /** While the evidence is read, the empty trees say so rather than "no devices". */
    public void setLoading(boolean busy) {
        loading.set(busy);
    }

    private static Tooltip tip(String text) {
        Tooltip t = new Tooltip(text);
        t.setWrapText(true);
        t.setMaxWidth(600);
        return t;
    }

    /** The diff shown. */
    public ReadOnlyObjectProperty<DiffResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ComboBox<DiffSpec> leftPicker() {
        return leftPicker;
    }

    public ComboBox<DiffSpec> rightPicker() {
        return rightPicker;
    }

    /** The "only differences" filter. */
    public CheckBox onlyDifferences() {
        return onlyDifferences;
    }

    /**
     * Explains a finding: the diff of source and destination, focused on the finding's device (the filter is lifted
     * when it hides it). Returns whether one of the finding's devices is in the diff.
     */
    public boolean explain(Finding finding) {
        if (!DiffSpec.SOURCE.equals(leftPicker.getValue()) || !DiffSpec.DESTINATION.equals(rightPicker.getValue())) {
            leftPicker.setValue(DiffSpec.SOURCE);
            rightPicker.setValue(DiffSpec.DESTINATION);
        }
        for (String name : finding.devices()) {
            Optional<DiffRow> row = result.get() == null ? Optional.empty() : result.get().row(name);
            if (row.isPresent()) {
                if (onlyDifferences.isSelected() && !row.get().different()) {
                    onlyDifferences.setSelected(false);
                }
                select(row.get().key());
                selection.deviceProperty().set(row.get().key());
                return true;
            }
        }
        return false;
    }

    private void recompute() {
        if (leftPicker.getValue() == null || rightPicker.getValue() == null) {
            return;
        }
        columns();
        result.set(table == null ? null
                : DeviceDiff.compare(evidence, table, leftPicker.getValue(), rightPicker.getValue()));
        fill();
    }

    private void fill() {
        String keep = selectedKey();
        DiffResult r = result.get();
        List<DiffRow> rows = r == null ? List.of() : onlyDifferences.isSelected() ? r.differences() : r.rows();
        leftTree.setRoot(root(rows, true));
        rightTree.setRoot(root(rows, false));
        reasons.getChildren().clear();
        if (r != null) {
            for (DiffRow o : r.orphans()) {
                Label l = new Label(java.text.MessageFormat.format(texts.getString("orphan"), o.label(),
                        o.orphan().text(locale)));
                l.getStyleClass().add("orphan-reason");
                l.setWrapText(true);
                l.setOnMouseClicked(e -> {
                    select(o.key());
                    selection.deviceProperty().set(o.key());
                });
                reasons.getChildren().add(l);
            }
        }
        if (keep != null) {
            select(keep);
        } else {
            showProperties(null);
        }
    }

    private TreeItem<Node> root(List<DiffRow> rows, boolean left) {
        TreeItem<Node> root = new TreeItem<>();
        DiffSpec spec = left ? leftPicker.getValue() : rightPicker.getValue();
        for (DiffRow row : rows) {
            TreeItem<Node> device = new TreeItem<>(new Node(row, null, left));
            for (Layer layer : spec.layers()) {
                device.getChildren().add(new TreeItem<>(new Node(row, layer, left)));
            }
            root.getChildren().add(device);
        }
        return root;
    }

    /** Columns: the device (a layer line shows its evidence there), and one presence column per layer of the side. */
    private void columns() {
        columns(leftTree, leftPicker.getValue());
        columns(rightTree, rightPicker.getValue());
    }

    private void columns(TreeTableView<Node> tree, DiffSpec spec) {
        if (spec == null) {
            return;
        }
        boolean compact = spec.layer() == null; // a side: a glyph per layer; one layer: the word
        List<TreeTableColumn<Node, ?>> cols = new ArrayList<>();
        TreeTableColumn<Node, String> device = new TreeTableColumn<>();
        device.setGraphic(header(DeviceDiff.specName(spec, locale), DeviceDiff.specName(spec, locale)));
        device.setCellValueFactory(c -> new ReadOnlyStringWrapper(deviceText(c.getValue().getValue())));
        device.setCellFactory(c -> new DeviceCell());
        device.setPrefWidth(compact ? 260 : 300);
        device.setMinWidth(120);
        cols.add(device);
        for (Layer layer : spec.layers()) {
            TreeTableColumn<Node, Node> col = new TreeTableColumn<>();
            String name = DeviceDiff.layerName(layer, locale);
            col.setGraphic(header(compact ? texts.getString("column." + layer.jsonName()) : name, name));
            col.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue()));
            col.setCellFactory(c -> new PresenceCell(layer));
            if (compact) {
                double w = glyphColumnWidth(texts.getString("column." + layer.jsonName()));
                col.setMinWidth(w);
                col.setPrefWidth(w);
                col.setMaxWidth(w);
                col.setResizable(false);
            } else {
                col.setPrefWidth(160);
                col.setMinWidth(80);
            }
            col.setSortable(false);
            cols.add(col);
        }
        device.setSortable(false);
        tree.getColumns().setAll(cols);
    }

    /** A glyph column as narrow as its abbreviation (in the header's bold type, with the header's padding) lets it be. */
    private static double glyphColumnWidth(String abbreviation) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(abbreviation);
        t.setFont(javafx.scene.text.Font.font(null, javafx.scene.text.FontWeight.BOLD, 11));
        return Math.max(30, Math.ceil(t.getLayoutBounds().getWidth()) + 18);
    }

    /** A column header: short text, the full name on hover. */
    private static Label header(String text, String full) {
        Label l = new Label(text);
        l.getStyleClass().add("diff-column-header");
        if (!text.equals(full)) {
            l.getStyleClass().add("glyph-header");
        }
        l.setTooltip(tip(full));
        l.setMinWidth(0);
        return l;
    }

    /**
     * The device column: a device's name, then its type in muted type that gives way first when room is short; a
     * layer line's evidence. The whole text is on hover either way.
     */
    private final class DeviceCell extends TreeTableCell<Node, String> {
        private final Label name = new Label();
        private final Label type = new Label();
        private final javafx.scene.layout.HBox box = new javafx.scene.layout.HBox(6, name, type);

        DeviceCell() {
            type.getStyleClass().add("device-type");
            type.setMinWidth(0);
            name.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            HBox.setHgrow(type, Priority.NEVER);
            name.setTooltip(new Tooltip());
            type.setTooltip(new Tooltip());
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(String s, boolean empty) {
            super.updateItem(s, empty);
            Node n = empty || getTableRow() == null ? null : getTableRow().getItem();
            if (empty || s == null || n == null) {
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            if (n.layer() != null) {
                setGraphic(null);
                setText(s);
                setTooltip(tip(s));
                return;
            }
            // the name stays whole; the type and "(not here)" come after it and give way first
            String label = n.row().label();
            String rest = (n.row().type() + (n.cell().exists() ? "" : "  " + texts.getString("not-here"))).strip();
            String whole = rest.isEmpty() ? label : label + "\n" + rest;
            name.setText(label);
            name.getTooltip().setText(whole);
            type.setText(rest);
            type.getTooltip().setText(whole);
            type.setVisible(!rest.isEmpty());
            setText(null);
            setTooltip(null);
            setGraphic(box);
        }
    }

    private String deviceText(Node n) {
        if (n == null) {
            return "";
        }
        if (n.layer() != null) {
            String ev = evidenceText(n);
            return DeviceDiff.layerName(n.layer(), locale) + (ev.isEmpty() ? "" : "  \u2014  " + ev);
        }
        String label = n.row().label() + (n.row().type().isEmpty() ? "" : "  " + n.row().type());
        return n.cell().exists() ? label : label + "  " + texts.getString("not-here");
    }

    private static String evidenceText(Node n) {
        if (n == null || n.layer() == null) {
            return "";
        }
        List<SourceRef> ev = n.cell().evidence(n.layer());
        if (ev.isEmpty()) {
            return "";
        }
        SourceRef first = ev.get(0);
        String file = first.path() == null ? "" : java.nio.file.Path.of(first.path()).getFileName().toString();
        return file + ":" + first.line() + (ev.size() > 1 ? " (+" + (ev.size() - 1) + ")" : "")
                + (first.text() == null ? "" : "  " + first.text().strip());
    }

    private String presenceText(Presence p) {
        return DeviceDiff.presenceName(p, locale);
    }

    /** A presence cell of a device line: coloured by presence. */
    private final class PresenceCell extends TreeTableCell<Node, Node> {
        private final Layer layer;

        PresenceCell(Layer layer) {
            this.layer = layer;
        }

        @Override
        protected void updateItem(Node n, boolean empty) {
            super.updateItem(n, empty);
            getStyleClass().removeIf(s -> s.startsWith("presence-"));
            if (empty || n == null || n.layer() != null) {
                setText(null);
                setTooltip(null);
                return;
            }
            Presence p = n.cell().presence(layer);
            // a glyph where a column per layer leaves little room, the word where one layer is shown
            boolean compact = getTableColumn().getMaxWidth() < 100;
            setText(compact ? texts.getString("symbol." + p.jsonName()) : presenceText(p));
            setTooltip(new Tooltip(DeviceDiff.layerName(layer, locale) + ": " + presenceText(p)));
            getStyleClass().add("presence-" + p.jsonName());
        }
    }

    /** Orphan and difference highlighting, and the reason as a tooltip. */
    private final class DiffTreeRow extends TreeTableRow<Node> {
        @Override
        protected void updateItem(Node n, boolean empty) {
            super.updateItem(n, empty);
            getStyleClass().removeAll("orphan", "different", "missing", "layer-line");
            setTooltip(null);
            if (empty || n == null) {
                return;
            }
            if (n.layer() != null) {
                getStyleClass().add("layer-line");
                return;
            }
            if (n.row().isOrphan()) {
                getStyleClass().add("orphan");
                setTooltip(new Tooltip(n.row().orphan().text(locale)));
            } else if (n.row().different()) {
                getStyleClass().add("different");
            }
            if (!n.cell().exists()) {
                getStyleClass().add("missing");
            }
        }
    }

    private void picked(TreeTableView<Node> from, TreeTableView<Node> other) {
        if (updating) {
            return;
        }
        TreeItem<Node> item = from.getSelectionModel().getSelectedItem();
        if (item == null || item.getValue() == null) {
            return;
        }
        Node n = item.getValue();
        updating = true;
        try {
            // the other tree shows the same device (and layer) on the same line
            TreeItem<Node> twin = twin(other, n,
                    item.getParent() == null ? -1 : item.getParent().getChildren().indexOf(item));
            if (twin != null) {
                twin.getParent().setExpanded(true);
                if (n.layer() != null) {
                    item.getParent().setExpanded(true);
                }
                other.getSelectionModel().select(twin);
            }
            showProperties(n.row());
            selection.deviceProperty().set(n.row().key());
            selection.highlighted().clear();
            n.row().evidence().forEach(r -> selection.highlighted().add(LineRef.of(r)));
        } finally {
            updating = false;
        }
        if (n.layer() != null) {
            List<SourceRef> ev = n.cell().evidence(n.layer());
            if (!ev.isEmpty()) {
                selection.lineProperty().set(LineRef.of(ev.get(0)));
            }
        }
    }

    /**
     * The line of {@code tree} showing the same device, or the same layer of it; when the two sides look through
     * different layers, the layer line in the same position ({@code childIndex}).
     */
    private static TreeItem<Node> twin(TreeTableView<Node> tree, Node n, int childIndex) {
        if (tree.getRoot() == null) {
            return null;
        }
        for (TreeItem<Node> d : tree.getRoot().getChildren()) {
            if (!d.getValue().row().key().equals(n.row().key())) {
                continue;
            }
            if (n.layer() == null) {
                return d;
            }
            for (TreeItem<Node> c : d.getChildren()) {
                if (c.getValue().layer() == n.layer()) {
                    return c;
                }
            }
            return childIndex >= 0 && childIndex < d.getChildren().size() ? d.getChildren().get(childIndex) : d;
        }
        return null;
    }

    /** Selects a device by its key, qdev id or PCI address in both trees. */
    public void select(String key) {
        DiffResult r = result.get();
        Optional<DiffRow> row = r == null ? Optional.empty() : r.row(key);
        if (row.isEmpty()) {
            return;
        }
        updating = true;
        try {
            for (TreeTableView<Node> t : List.of(leftTree, rightTree)) {
                TreeItem<Node> item = twin(t, new Node(row.get(), null, t == leftTree), -1);
                if (item != null) {
                    t.getSelectionModel().select(item);
                    int index = t.getRow(item);
                    t.scrollTo(Math.max(0, index - 2));
                }
            }
            showProperties(row.get());
        } finally {
            updating = false;
        }
    }

    private String selectedKey() {
        TreeItem<Node> item = leftTree.getSelectionModel().getSelectedItem();
        return item == null || item.getValue() == null ? null : item.getValue().row().key();
    }

    private void showProperties(DiffRow row) {
        if (row == null) {
            propertiesTitle.setText(texts.getString("properties"));
            properties.getItems().clear();
            return;
        }
        propertiesTitle.setText(java.text.MessageFormat.format(texts.getString("properties-of"), row.label(),
                row.changedProperties().size()));
        List<PropertyDiff> list = new ArrayList<>(row.properties());
        list.sort((a, b) -> Boolean.compare(b.changed(), a.changed()));
        properties.getItems().setAll(list);
    }

    private String value(String v) {
        return v == null ? "\u2014" : v;
    }

    private static TableColumn<PropertyDiff, String> propertyColumn(String title,
                                                                   java.util.function.Function<PropertyDiff, String> f,
                                                                   double share) {
        TableColumn<PropertyDiff, String> c = new TableColumn<>();
        c.setGraphic(header(title, title));
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                setTooltip(empty || s == null || s.isEmpty() ? null : tip(s));
            }
        });
        c.setPrefWidth(share * 800);
        return c;
    }

    /** The two trees, for tests and for the lead's layout. */
    public TreeTableView<Node> leftTree() {
        return leftTree;
    }

    public TreeTableView<Node> rightTree() {
        return rightTree;
    }

    public TableView<PropertyDiff> propertiesTable() {
        return properties;
    }
}
