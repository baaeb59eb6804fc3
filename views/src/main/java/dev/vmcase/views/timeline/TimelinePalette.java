package dev.vmcase.views.timeline;

import javafx.scene.layout.Background;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;

/**
 * The Canvas's colours, read from the control's CSS: each is a hidden probe region whose background is a looked-up
 * AtlantaFX colour ({@code -color-danger-fg}…), so light and dark themes both work. Without a theme (the lookups do
 * not resolve) a light palette is used, or a dark one when the view's background is dark.
 */
final class TimelinePalette {
    enum Key {
        FG("-color-fg-default", Color.web("#1f2328"), Color.web("#e6edf3")),
        MUTED("-color-fg-muted", Color.web("#656d76"), Color.web("#8d96a0")),
        BG("-color-bg-default", Color.web("#ffffff"), Color.web("#0d1117")),
        SUBTLE("-color-bg-subtle", Color.web("#f6f8fa"), Color.web("#161b22")),
        BORDER("-color-border-default", Color.web("#d0d7de"), Color.web("#30363d")),
        ACCENT("-color-accent-fg", Color.web("#0969da"), Color.web("#2f81f7")),
        DANGER("-color-danger-fg", Color.web("#cf222e"), Color.web("#f85149")),
        WARNING("-color-warning-fg", Color.web("#9a6700"), Color.web("#d29922")),
        SUCCESS("-color-success-fg", Color.web("#1a7f37"), Color.web("#3fb950")),
        DEBUG("-color-fg-subtle", Color.web("#8c959f"), Color.web("#6e7681"));

        final String lookup;
        final Color light;
        final Color dark;

        Key(String lookup, Color light, Color dark) {
            this.lookup = lookup;
            this.light = light;
            this.dark = dark;
        }
    }

    private final Region[] probes = new Region[Key.values().length];
    private final Color[] colors = new Color[Key.values().length];

    TimelinePalette() {
        for (Key k : Key.values()) {
            Region r = new Region();
            r.setManaged(false);
            r.setVisible(false);
            probes[k.ordinal()] = r;
        }
    }

    Region[] probes() {
        return probes;
    }

    /** Reads the probes' resolved colours (after CSS was applied). */
    void refresh() {
        boolean themed = javafx.application.Application.getUserAgentStylesheet() != null; // AtlantaFX or another
        {
            for (Key k : Key.values()) {
                String style = themed ? "-fx-background-color: " + k.lookup + ";" : "";
                // set anew even when unchanged: one theme replacing another keeps the style text the same, and only
                // a changed style makes applyCss resolve the colours against the new theme
                probes[k.ordinal()].setStyle("");
                probes[k.ordinal()].setStyle(style);
                probes[k.ordinal()].applyCss();
            }
        }
        boolean dark = false;
        Color bg = resolved(Key.BG);
        if (bg != null) {
            dark = bg.getBrightness() < 0.5;
        }
        for (Key k : Key.values()) {
            Color c = resolved(k);
            colors[k.ordinal()] = c != null ? c : dark ? k.dark : k.light;
        }
    }

    private Color resolved(Key k) {
        Background b = probes[k.ordinal()].getBackground();
        if (b == null || b.getFills().isEmpty()) {
            return null;
        }
        Paint p = b.getFills().get(0).getFill();
        return p instanceof Color c ? c : null;
    }

    Color get(Key k) {
        Color c = colors[k.ordinal()];
        return c != null ? c : k.light;
    }
}
