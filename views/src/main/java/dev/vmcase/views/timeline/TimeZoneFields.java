package dev.vmcase.views.timeline;

import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.time.HostClocks;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import java.text.MessageFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * The time zone of each host whose logs print local times (nova, journald), beside the clock offsets: one field per
 * such host ({@code Europe/Paris}, {@code +02:00}, {@code Europe/Paris@2020} when the lines print no year) and what
 * the analysis did with its lines. Enter sets {@link #zonesProperty()}; whoever owns the case keeps the value and
 * analyses again (the zone changes which instants the lines are, not only where they are drawn).
 */
public final class TimeZoneFields extends VBox {
    private final ResourceBundle texts;
    private final GridPane grid = new GridPane();
    private final ObjectProperty<Map<String, String>> zones = new SimpleObjectProperty<>(this, "zones", Map.of());

    TimeZoneFields(ResourceBundle texts) {
        super(4);
        this.texts = texts;
        setId("timeline-zones");
        grid.setHgap(6);
        grid.setVgap(4);
        zones.addListener((o, a, b) -> fill());
    }

    /** Per host ({@code *} for hosts not named), the zone the user gave, as {@code ZONE[@YEAR]}. */
    public ObjectProperty<Map<String, String>> zonesProperty() {
        return zones;
    }

    /** Rows for the hosts whose lines are in local time in this evidence, with what became of them. */
    void show(Timeline timeline) {
        getChildren().clear();
        grid.getChildren().clear();
        Set<String> hosts = new LinkedHashSet<>();
        Map<String, String> status = new LinkedHashMap<>();
        for (Timeline.Local l : timeline == null ? java.util.List.<Timeline.Local>of() : timeline.locals()) {
            String host = l.host() == null || l.host().isEmpty() ? HostClocks.ANY_HOST : l.host();
            hosts.add(host);
            String s = l.placed() ? MessageFormat.format(texts.getString("zones.placed"), l.zone())
                    : texts.getString(Timeline.Local.NO_YEAR.equals(l.unplacedReason()) ? "zones.noYear" : "zones.noZone");
            status.merge(host, s, (x, y) -> x.equals(y) ? x : x + "; " + y);
        }
        if (hosts.isEmpty()) {
            return;
        }
        Label title = new Label(texts.getString("zones.title"));
        title.setStyle("-fx-font-weight: bold;");
        Label hint = new Label(texts.getString("zones.hint"));
        hint.setWrapText(true);
        int row = 0;
        for (String host : hosts) {
            TextField f = new TextField();
            f.setId("zone-" + host.replaceAll("[^A-Za-z0-9_-]", "_"));
            f.setUserData(host);
            f.setPromptText("Europe/Paris");
            f.setPrefColumnCount(9);
            f.setOnAction(e -> apply(f));
            Label s = new Label(status.get(host));
            s.setWrapText(true);
            grid.addRow(row++, new Label(host.equals(HostClocks.ANY_HOST) ? texts.getString("zones.anyHost") : host), f);
            grid.add(s, 0, row++, 2, 1);
        }
        getChildren().addAll(title, hint, grid);
        fill();
    }

    private void fill() {
        for (javafx.scene.Node n : grid.getChildren()) {
            if (n instanceof TextField f && f.getUserData() instanceof String host) {
                f.setText(zones.get().getOrDefault(host, ""));
                f.setStyle("");
                f.setTooltip(null);
            }
        }
    }

    private void apply(TextField f) {
        String host = (String) f.getUserData();
        String spec = f.getText() == null ? "" : f.getText().strip();
        Map<String, String> m = new LinkedHashMap<>(zones.get());
        if (spec.isEmpty()) {
            m.remove(host);
        } else {
            try {
                new HostClocks(Map.of(host, spec));
            } catch (IllegalArgumentException e) {
                f.setStyle("-fx-border-color: -color-danger-emphasis;");
                f.setTooltip(new Tooltip(e.getMessage()));
                return;
            }
            m.put(host, spec);
        }
        zones.set(Map.copyOf(m));
    }
}
