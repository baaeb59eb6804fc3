package dev.vmcase.views.findings;

import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.OutcomeText;
import dev.vmcase.analysis.Witness;
import dev.vmcase.analysis.report.TextReport;
import dev.vmcase.analysis.rules.RuleOutcome;
import dev.vmcase.analysis.rules.RuleOutcome.Status;
import dev.vmcase.analysis.rules.RuleRegistry;
import dev.vmcase.analysis.vms.Unattributed;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Problem;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.ProblemTexts;
import dev.vmcase.views.LineRef;
import dev.vmcase.views.Texts;
import dev.vmcase.views.shell.HelpDialogs;
import dev.vmcase.analysis.AnalysisResult;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableObjectValue;
import javafx.collections.ObservableList;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * "What went wrong": the findings as cards (severity, rule, device, the whole summary), the selected one in full below
 * them (its evidence lines, each a link to the log, its details, an Explain button), and under both what every rule
 * made of the evidence, so an empty list never reads as a clean bill of health.
 * <pre>
 *  What went wrong                 2 errors
 *  ┌ ERROR  MIGRATION_STATE_MISMATCH ─────┐
 *  │ 0000:00:06.0                         │
 *  │ The destination rejected …           │
 *  └──────────────────────────────────────┘
 *  ── selected finding ───────────────────
 *  summary · evidence (file:line + text) · details · [Explain ⏎] [Show in log]
 *  ▸ Rules: 2 fired, 4 gave no finding
 * </pre>
 */
public final class FindingsPane extends BorderPane {
    static final String BUNDLE = "dev.vmcase.views.findings.Findings";

    private final ObservableList<Finding> findings;
    private final ObservableBooleanValue busy;
    private final ObservableObjectValue<AnalysisResult> result;
    private final ResourceBundle texts = Texts.of(BUNDLE);
    private final Locale locale = Locale.getDefault();
    private final ListView<Finding> list;
    private final VBox detail = new VBox(6);
    private final ScrollPane detailScroll = new ScrollPane(detail);
    private final Label counts = new Label();
    private final VBox outcomes = new VBox(4);
    private final TitledPane outcomesPane = new TitledPane();
    private final Consumer<Finding> explain;
    private final Consumer<LineRef> showLine;

    /**
     * @param findings the findings shown
     * @param busy     whether the evidence is still being read (no claim of "no findings" then)
     * @param result   the analysis the findings come from (null before any)
     * @param select   what picking a finding does (the workbench selects its evidence and device everywhere)
     * @param explain  what Explain does (Enter, double-click, the button): the workbench shows the finding's device
     * @param showLine what a click on an evidence line does: the workbench shows it in the log
     */
    public FindingsPane(ObservableList<Finding> findings, ObservableBooleanValue busy,
                        ObservableObjectValue<AnalysisResult> result, Consumer<Finding> select,
                        Consumer<Finding> explain, Consumer<LineRef> showLine) {
        this.findings = findings;
        this.busy = busy;
        this.result = result;
        this.explain = explain;
        this.showLine = showLine;
        setId("findings-pane");
        getStyleClass().add("findings-pane");
        getStylesheets().add(FindingsPane.class.getResource("findings.css").toExternalForm());

        Label title = new Label(texts.getString("title"));
        title.getStyleClass().add("pane-title");
        title.setMinWidth(Region.USE_PREF_SIZE);
        counts.setId("findings-counts");
        counts.getStyleClass().add("findings-counts");
        counts.setMinWidth(0);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox head = new HBox(8, title, grow, counts);
        head.setAlignment(Pos.CENTER_LEFT);
        head.getStyleClass().add("pane-head");
        setTop(head);

        list = new ListView<>(findings);
        list.setId("findings");
        Label placeholder = new Label();
        placeholder.setWrapText(true);
        placeholder.getStyleClass().add("placeholder");
        // while the evidence is being read, "no findings" would be a claim nobody made yet
        placeholder.textProperty().bind(Bindings.when(busy).then(texts.getString("reading"))
                .otherwise(Bindings.when(Bindings.isNull(result)).then(texts.getString("nothingOpen"))
                        .otherwise(texts.getString("none"))));
        // where the rules' list leaves the findings list a few lines, the wrapped sentence is cut: whole on hover
        Tooltip whole = tip("");
        whole.textProperty().bind(placeholder.textProperty());
        placeholder.setTooltip(whole);
        list.setPlaceholder(placeholder);
        list.getSelectionModel().selectedItemProperty().addListener((o, was, f) -> {
            select.accept(f);
            showDetail(f);
        });
        MenuItem explainItem = new MenuItem(texts.getString("explain"));
        explainItem.setId("finding-explain");
        explainItem.setOnAction(e -> explainSelected());
        list.setContextMenu(new ContextMenu(explainItem));
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                explainSelected();
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                explainSelected();
                e.consume();
            }
        });
        list.setCellFactory(v -> new FindingCell());

        detail.setId("finding-detail");
        detail.getStyleClass().add("finding-detail");
        detail.setPadding(new Insets(8));
        detailScroll.setFitToWidth(true);
        detailScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        detailScroll.getStyleClass().add("edge-to-edge");
        SplitPane split = new SplitPane(list, detailScroll);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        setCenter(split);

        outcomes.setId("rule-outcomes");
        outcomes.setPadding(new Insets(4, 8, 6, 8));
        outcomesPane.setContent(outcomes);
        outcomesPane.setExpanded(false);
        outcomesPane.setAnimated(false);
        outcomesPane.setId("rule-outcomes-pane");
        setBottom(outcomesPane);

        findings.addListener((ListChangeListener<Finding>) c -> refresh());
        result.addListener((o, was, now) -> refresh());
        busy.addListener((o, was, now) -> refresh());
        refresh();
    }

    /** Selects the first finding (in the rules' order: the cause before its consequences). */
    public void selectFirst() {
        if (!list.getItems().isEmpty()) {
            list.getSelectionModel().select(0);
            // after the cards are laid out: their heights were estimates until then, and the first one came out cut
            javafx.application.Platform.runLater(() -> list.scrollTo(0));
        }
    }

    /** The list of findings (for the workbench's keys and tests). */
    public ListView<Finding> list() {
        return list;
    }

    private void explainSelected() {
        Finding f = list.getSelectionModel().getSelectedItem();
        if (f != null) {
            explain.accept(f);
        }
    }

    private void refresh() {
        List<Finding> fs = findings;
        boolean known = result.get() != null && !busy.get();
        counts.setText(known ? counts(fs) : "");
        outcomes.getChildren().clear();
        if (!known) {
            outcomesPane.setText(texts.getString(busy.get() ? "outcomes.reading" : "outcomes.none"));
            outcomesPane.setDisable(true);
        } else {
            List<RuleOutcome> all = result.get().outcomes();
            List<Unattributed> none = result.get().unattributed();
            List<Artifact> troubled = withProblems(result.get());
            outcomesPane.setText(MessageFormat.format(texts.getString("outcomes.title"), count(all, Status.FIRED),
                    count(all, Status.CLEAR), count(all, Status.NOT_CHECKED), count(all, Status.PARTLY_CHECKED))
                    + (none.isEmpty() ? "" : MessageFormat.format(texts.getString("outcomes.unattributed"),
                    none.size()))
                    + (troubled.isEmpty() ? "" : MessageFormat.format(texts.getString("outcomes.problems"),
                    troubled.size())));
            outcomesPane.setDisable(all.isEmpty() && none.isEmpty() && troubled.isEmpty());
            for (RuleOutcome o : all) {
                outcomes.getChildren().add(outcomeRow(o));
            }
            if (!none.isEmpty()) {
                // evidence no VM's rules read (it names no VM among several): named, never silently left out
                outcomes.getChildren().add(wrapped(MessageFormat.format(texts.getString("unattributed.title"),
                        none.size()), "unattributed-title"));
                for (Unattributed u : none) {
                    outcomes.getChildren().add(unattributedRow(u));
                }
            }
            if (!troubled.isEmpty()) {
                // files read in part or not at all (binary, cut lines, a heap too small): what they held is missing
                // from the checks above, and where each stopped is said
                outcomes.getChildren().add(wrapped(MessageFormat.format(texts.getString("problems.title"),
                        troubled.size()), "file-problems-title"));
                for (Artifact a : troubled) {
                    problemRows(a).forEach(outcomes.getChildren()::add);
                }
            }
            // nothing fired and something was not checked: say so where the empty list is, not only below it
            outcomesPane.setExpanded(outcomesPane.isExpanded() || (fs.isEmpty()
                    && count(all, Status.NOT_CHECKED) + count(all, Status.PARTLY_CHECKED) + none.size()
                    + troubled.size() > 0));
        }
        if (list.getSelectionModel().getSelectedItem() == null) {
            showDetail(null);
        }
    }

    private String counts(List<Finding> fs) {
        if (fs.isEmpty()) {
            return texts.getString("count.none");
        }
        StringBuilder sb = new StringBuilder();
        for (Severity s : new Severity[] {Severity.CRITICAL, Severity.ERROR, Severity.WARNING, Severity.INFO}) {
            long n = fs.stream().filter(f -> f.severity() == s).count();
            if (n > 0) {
                sb.append(sb.length() == 0 ? "" : " · ").append(MessageFormat.format(
                        texts.getString("count." + s.jsonName()), n));
            }
        }
        return sb.toString();
    }

    private static long count(List<RuleOutcome> all, Status s) {
        return all.stream().filter(o -> o.status() == s).count();
    }

    /**
     * A rule and what it concluded: fired (how many), clear, partly checked and what it could not decide, or not
     * checked and what the evidence lacked.
     */
    private Label outcomeRow(RuleOutcome o) {
        String state = OutcomeText.status(o.status(), locale);
        String more = o.status() == Status.FIRED ? MessageFormat.format(texts.getString("outcome.fired"), o.findings())
                : OutcomeText.why(o, locale);
        String glyph = o.status() == Status.FIRED ? "\u25cf " : o.status() == Status.CLEAR ? "\u2713 "
                : o.status() == Status.PARTLY_CHECKED ? "\u25d0 " : "? ";
        Label l = wrapped(glyph + o.rule() + " \u2014 " + state + (more.isEmpty() ? "" : ": " + more),
                "rule-outcome", "outcome-" + o.status().jsonName());
        String what = HelpDialogs.ruleWhat(o.rule());
        RuleRegistry.all().stream().filter(r -> r.id().equals(o.rule())).findFirst().ifPresentOrElse(
                r -> l.setTooltip(tip(what + "\n" + MessageFormat.format(texts.getString("outcome.needs"),
                        HelpDialogs.ruleReads(r)))),
                () -> l.setTooltip(tip(what)));
        return l;
    }

    /** A file whose evidence belongs to no VM, and why ("libvirtd.log — 11 records: its file speaks for 2 VMs …"). */
    private Label unattributedRow(Unattributed u) {
        String path = u.artifact().path();
        Label l = wrapped("\u2205 " + fileName(path) + " \u2014 " + TextReport.unattributed(u, locale),
                "rule-outcome", "unattributed");
        l.setTooltip(tip(path));
        return l;
    }

    /** How many problems of one file are listed; the rest are counted. */
    static final int PROBLEMS_SHOWN = 5;

    /** The files of this result, and of no VM's, that were read with problems, each once. */
    private static List<Artifact> withProblems(AnalysisResult r) {
        java.util.Map<String, Artifact> out = new java.util.LinkedHashMap<>();
        r.evidence().artifacts().stream().filter(a -> !a.problems().isEmpty()).forEach(a -> out.put(a.path(), a));
        r.unattributed().stream().map(Unattributed::artifact).filter(a -> !a.problems().isEmpty())
                .forEach(a -> out.putIfAbsent(a.path(), a));
        return List.copyOf(out.values());
    }

    /** A file's problems, where each is ("qmp.jsonl:115216 — the Java heap (494 MB) ran out …"), at most a few. */
    private List<Label> problemRows(Artifact a) {
        String path = a.path();
        String name = fileName(path);
        List<Label> rows = new java.util.ArrayList<>();
        for (Problem p : a.problems().subList(0, Math.min(PROBLEMS_SHOWN, a.problems().size()))) {
            rows.add(problemRow("\u26a0 " + name + (p.line() > 0 ? ":" + p.line() : "") + " \u2014 "
                    + ProblemTexts.render(p, locale), path));
        }
        if (a.problems().size() > PROBLEMS_SHOWN) {
            rows.add(problemRow(MessageFormat.format(texts.getString("problems.more"),
                    a.problems().size() - PROBLEMS_SHOWN, name), path));
        }
        return rows;
    }

    private static Label problemRow(String text, String path) {
        Label l = wrapped(text, "rule-outcome", "file-problem");
        l.setTooltip(tip(path));
        return l;
    }

    /** A label of the rules' list: wrapped, as tall as its lines, with these style classes. */
    private static Label wrapped(String text, String... styleClasses) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.getStyleClass().addAll(styleClasses);
        return l;
    }

    private static Tooltip tip(String text) {
        Tooltip t = new Tooltip(text);
        t.setWrapText(true);
        t.setMaxWidth(560);
        return t;
    }

    // ---------------------------------------------------------------- the selected finding in full

    private void showDetail(Finding f) {
        detail.getChildren().clear();
        if (f == null) {
            Label hint = new Label(texts.getString(findings.isEmpty() ? "detail.empty" : "detail.select"));
            hint.setWrapText(true);
            hint.getStyleClass().add("placeholder");
            detail.getChildren().add(hint);
            return;
        }
        Label head = new Label(severity(f.severity()) + "  " + f.rule());
        head.setWrapText(true);
        head.getStyleClass().addAll("detail-head", "severity-" + f.severity().jsonName());
        detail.getChildren().add(head);
        if (Witness.fromPastedNote(f)) {
            Label witness = new Label(texts.getString("pastedNote"));
            witness.setWrapText(true);
            witness.getStyleClass().add("finding-witness");
            detail.getChildren().add(witness);
        }
        if (!f.devices().isEmpty()) {
            Label devices = new Label(MessageFormat.format(texts.getString("detail.devices"),
                    String.join(", ", f.devices())));
            devices.setWrapText(true);
            devices.getStyleClass().add("detail-devices");
            detail.getChildren().add(devices);
        }

        Button explainButton = new Button(texts.getString("detail.explain"));
        explainButton.setId("finding-detail-explain");
        explainButton.setDefaultButton(false);
        explainButton.setOnAction(e -> explain.accept(f));
        explainButton.setMinWidth(Region.USE_PREF_SIZE);
        explainButton.setTooltip(tip(texts.getString("explain")));
        HBox actions = new HBox(6, explainButton);
        actions.setPadding(new Insets(2, 0, 2, 0));
        detail.getChildren().add(actions);

        if (!f.evidence().isEmpty()) {
            detail.getChildren().add(section(MessageFormat.format(texts.getString("detail.evidence"),
                    f.evidence().size())));
            for (SourceRef s : f.evidence()) {
                Hyperlink where = new Hyperlink(fileName(s.path()) + ":" + s.line());
                where.getStyleClass().add("evidence-link");
                where.setTooltip(tip(MessageFormat.format(texts.getString("detail.showInLog"), s.path() + ":"
                        + s.line())));
                where.setOnAction(e -> showLine.accept(LineRef.of(s)));
                Label text = new Label(s.text() == null ? "" : s.text().strip());
                text.setWrapText(true);
                text.getStyleClass().add("evidence-text");
                detail.getChildren().add(new VBox(0, where, text));
            }
        }
        Map<String, String> details = new TreeMap<>(f.details());
        details.remove(Finding.NOTES);
        if (!details.isEmpty()) {
            detail.getChildren().add(section(texts.getString("detail.details")));
            GridPane grid = new GridPane();
            grid.setHgap(8);
            grid.setVgap(2);
            int row = 0;
            for (Map.Entry<String, String> e : details.entrySet()) {
                Label k = new Label(e.getKey());
                k.getStyleClass().add("detail-key");
                k.setMinWidth(Region.USE_PREF_SIZE);
                Label v = new Label(e.getValue());
                v.setWrapText(true);
                v.getStyleClass().add("detail-value");
                grid.addRow(row++, k, v);
            }
            detail.getChildren().add(grid);
        }
        detailScroll.setVvalue(0);
    }

    private Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("detail-section");
        l.setWrapText(true);
        return l;
    }

    private String severity(Severity s) {
        return Texts.get("severity." + s.jsonName());
    }

    static String fileName(String path) {
        try {
            Path p = Path.of(path).getFileName();
            String name = p == null ? path : p.toString();
            int member = name.lastIndexOf('!');
            return member >= 0 ? name.substring(member + 1) : name;
        } catch (RuntimeException e) {
            // an artifact path that is no file system path (archive!/member): shown whole
            return path;
        }
    }

    /** A finding as a card: severity badge and rule, its devices, its whole summary (wrapped, never cut). */
    private final class FindingCell extends ListCell<Finding> {
        private final Label badge = new Label();
        private final Label rule = new Label();
        private final Label devices = new Label();
        private final Label summary = new Label();
        private final Label witness = new Label();
        private final VBox box;

        FindingCell() {
            badge.getStyleClass().add("severity-badge");
            badge.setMinWidth(Region.USE_PREF_SIZE);
            rule.getStyleClass().add("finding-rule");
            rule.setMinWidth(0);
            devices.getStyleClass().add("finding-devices");
            devices.setWrapText(true);
            summary.getStyleClass().add("finding-summary");
            summary.setWrapText(true);
            // a wrapped label is as tall as its text needs, never cut to one line with "…"
            summary.setMinHeight(Region.USE_PREF_SIZE);
            devices.setMinHeight(Region.USE_PREF_SIZE);
            HBox head = new HBox(6, badge, rule);
            head.setAlignment(Pos.CENTER_LEFT);
            // a finding only a pasted note witnesses is weaker than one a log shows: tagged at a glance (its summary says
            // so too)
            witness.setText(texts.getString("pastedNote"));
            witness.getStyleClass().add("finding-witness");
            witness.setWrapText(true);
            witness.setMinHeight(Region.USE_PREF_SIZE);
            box = new VBox(2, head, devices, witness, summary);
            box.getStyleClass().add("finding-card");
            // wrapped labels need a width to wrap at: the list's, less its scroll bar and padding
            box.maxWidthProperty().bind(Bindings.createDoubleBinding(() -> Math.max(120, getListView() == null ? 300
                    : getListView().getWidth() - 34), listViewProperty(), widthProperty()));
            box.prefWidthProperty().bind(box.maxWidthProperty());
            rule.setTooltip(new Tooltip());
            setAlignment(Pos.TOP_LEFT);
        }

        /** As tall as the card's wrapped text at the list's width (the default asks the card at no width). */
        @Override
        protected double computePrefHeight(double width) {
            if (isEmpty() || getGraphic() == null) {
                return super.computePrefHeight(width);
            }
            return box.prefHeight(box.getMaxWidth()) + snappedTopInset() + snappedBottomInset();
        }

        @Override
        protected void updateItem(Finding f, boolean empty) {
            super.updateItem(f, empty);
            getStyleClass().removeIf(c -> c.startsWith("severity-"));
            setText(null);
            if (empty || f == null) {
                setGraphic(null);
                return;
            }
            getStyleClass().add("severity-" + f.severity().jsonName());
            badge.setText(severity(f.severity()));
            rule.setText(f.rule());
            rule.getTooltip().setText(f.rule());
            devices.setText(String.join(", ", f.devices()));
            devices.setVisible(!f.devices().isEmpty());
            devices.setManaged(!f.devices().isEmpty());
            boolean pasted = Witness.fromPastedNote(f);
            witness.setVisible(pasted);
            witness.setManaged(pasted);
            summary.setText(FindingText.summary(f, locale));
            setGraphic(box);
        }
    }
}
