package dev.vmcase.views.shell;

import dev.vmcase.analysis.OutcomeText;
import dev.vmcase.analysis.rules.Rule;
import dev.vmcase.analysis.rules.RuleRegistry;
import dev.vmcase.casefile.CaseFile;
import dev.vmcase.views.Texts;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Rectangle;
import javafx.stage.Window;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;

/**
 * Help › Rules (what each rule detects and what it reads), Help › Legend (the glyphs, colours and marks of the views)
 * and Help › About. The rule reference lists {@link RuleRegistry#all()}, so a new rule shows up: what it detects from
 * the bundle ({@code help.rule.ID.what}), what it must have from its typed needs ({@link OutcomeText#needs}).
 */
public final class HelpDialogs {
    private HelpDialogs() {
    }

    /** What a rule detects, in the user's language (its id when the bundle lacks it). */
    public static String ruleWhat(String id) {
        ResourceBundle b = Texts.bundle();
        String key = "help.rule." + id + ".what";
        return b.containsKey(key) ? b.getString(key) : id;
    }

    /** What a rule must have to be checked, in the user's language (from its typed needs). */
    public static String ruleReads(Rule r) {
        return OutcomeText.needs(r.needs(), java.util.Locale.getDefault());
    }

    /** The rule reference: one block per rule. */
    public static Node rules() {
        VBox box = new VBox(12);
        box.setId("help-rules");
        box.setPadding(new Insets(8));
        Label intro = wrapped(Texts.get("help.rules.intro"));
        box.getChildren().add(intro);
        for (Rule r : RuleRegistry.all()) {
            Label id = new Label(r.id());
            id.getStyleClass().add("help-rule-id");
            id.setStyle("-fx-font-weight: bold; -fx-font-family: 'DejaVu Sans Mono', monospace;");
            Label what = wrapped(ruleWhat(r.id()));
            Label reads = wrapped(MessageFormat.format(Texts.get("help.rules.reads"), ruleReads(r)));
            reads.setStyle("-fx-text-fill: -color-fg-muted;");
            box.getChildren().add(new VBox(2, id, what, reads));
        }
        return scroll(box, 640, 520);
    }

    /** The legend: device presence glyphs, timeline marks and colours, severities, log gutter marks. */
    public static Node legend() {
        ResourceBundle diff = Texts.of("dev.vmcase.views.diff.DeviceDiff");
        VBox box = new VBox(10);
        box.setId("help-legend");
        box.setPadding(new Insets(8));
        box.getChildren().add(title(Texts.get("help.legend.devices")));
        GridPane glyphs = grid();
        int row = 0;
        for (dev.vmcase.analysis.devices.Presence presence : dev.vmcase.analysis.devices.Presence.values()) {
            String p = presence.jsonName();
            Label g = new Label(diff.getString("symbol." + p));
            g.getStyleClass().addAll("legend-glyph", "presence-" + p);
            g.setMinWidth(Region.USE_PREF_SIZE);
            glyphs.addRow(row++, g, wrapped(diff.getString("legend." + p)));
        }
        for (String layer : List.of("libvirt", "cmdline", "qdev", "pci", "block", "net", "migration")) {
            Label g = new Label(diff.getString("column." + layer));
            g.setStyle("-fx-font-family: 'DejaVu Sans Mono', monospace; -fx-font-weight: bold;");
            g.setMinWidth(Region.USE_PREF_SIZE);
            glyphs.addRow(row++, g, wrapped(diff.getString("layer." + layer)));
        }
        box.getChildren().add(glyphs);

        box.getChildren().add(title(Texts.get("help.legend.timeline")));
        GridPane marks = grid();
        marks.addRow(0, line("-color-success-fg", false), wrapped(Texts.get("help.legend.unplugDone")));
        marks.addRow(1, line("-color-danger-fg", true), wrapped(Texts.get("help.legend.unplugPending")));
        marks.addRow(2, line("-color-warning-fg", false), wrapped(Texts.get("help.legend.migration")));
        marks.addRow(3, line("-color-danger-fg", false), wrapped(Texts.get("help.legend.migrationFailed")));
        marks.addRow(4, line("-color-fg-muted", false), wrapped(Texts.get("help.legend.command")));
        marks.addRow(5, triangle(), wrapped(Texts.get("help.legend.finding")));
        marks.addRow(6, bars(), wrapped(Texts.get("help.legend.density")));
        box.getChildren().add(marks);

        box.getChildren().add(title(Texts.get("help.legend.log")));
        GridPane log = grid();
        log.addRow(0, swatch("-color-accent-emphasis"), wrapped(Texts.get("help.legend.logSelected")));
        log.addRow(1, swatch("-color-warning-emphasis"), wrapped(Texts.get("help.legend.logHighlighted")));
        log.addRow(2, swatch("-color-success-emphasis"), wrapped(Texts.get("help.legend.logAnnotated")));
        log.addRow(3, swatch("-color-warning-muted"), wrapped(Texts.get("help.legend.logSearch")));
        log.addRow(4, swatch("-color-accent-fg"), wrapped(Texts.get("help.legend.logBracket")));
        box.getChildren().add(log);
        return scroll(box, 600, 520);
    }

    /** About: the version, what runs it, where it comes from. */
    public static Node about() {
        Label name = new Label(CaseFile.TOOL_VERSION);
        name.setId("about-version");
        name.setStyle("-fx-font-size: 1.4em; -fx-font-weight: bold;");
        Label what = wrapped(Texts.get("help.about.what"));
        Label runtime = wrapped(MessageFormat.format(Texts.get("help.about.runtime"),
                System.getProperty("java.version", "?"), System.getProperty("javafx.runtime.version", "?")));
        VBox box = new VBox(10, name, what, runtime);
        box.setPadding(new Insets(12));
        box.setPrefWidth(460);
        return box;
    }

    public static void show(Window owner, String titleKey, Node content) {
        Dialog<Void> d = new Dialog<>();
        if (owner != null) {
            d.initOwner(owner);
        }
        d.setTitle(Texts.get(titleKey));
        d.setResizable(true);
        d.getDialogPane().setContent(content);
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.show();
    }

    private static Label title(String text) {
        Label l = new Label(text);
        l.setStyle("-fx-font-weight: bold;");
        return l;
    }

    private static Label wrapped(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(4);
        return g;
    }

    private static ScrollPane scroll(VBox box, double w, double h) {
        box.setPrefWidth(w - 20);
        ScrollPane s = new ScrollPane(box);
        s.setFitToWidth(true);
        s.setPrefSize(w, h);
        return s;
    }

    private static Node line(String colour, boolean dashed) {
        Line l = new Line(0, 0, 36, 0);
        l.setStrokeWidth(3);
        l.setStyle("-fx-stroke: " + colour + ";");
        if (dashed) {
            l.getStrokeDashArray().addAll(6.0, 4.0);
        }
        HBox b = new HBox(l);
        b.setAlignment(Pos.CENTER_LEFT);
        b.setMinWidth(40);
        return b;
    }

    private static Node triangle() {
        Polygon p = new Polygon(0, 0, 10, 0, 5, 8);
        p.setStyle("-fx-fill: -color-danger-fg;");
        return p;
    }

    private static Node bars() {
        HBox b = new HBox(1);
        b.setAlignment(Pos.BOTTOM_LEFT);
        for (int h : new int[] {3, 7, 11, 5, 3, 9}) {
            Rectangle r = new Rectangle(4, h);
            r.setStyle("-fx-fill: " + (h > 8 ? "-color-danger-fg" : "-color-accent-fg") + ";");
            b.getChildren().add(r);
        }
        return b;
    }

    private static Node swatch(String colour) {
        Region r = new Region();
        r.setMinSize(6, 16);
        r.setMaxSize(6, 16);
        r.setStyle("-fx-background-color: " + colour + ";");
        return r;
    }
}
