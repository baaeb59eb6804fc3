package dev.vmcase.views.shell;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;

import java.util.prefs.Preferences;

/** The workbench's light and dark themes (AtlantaFX Primer), applied to the whole application and remembered. */
public enum Theme {
    LIGHT, DARK;

    private static final String KEY = "theme";

    public void apply() {
        Application.setUserAgentStylesheet(this == DARK ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
        current = this;
        CURRENT.set(this);
    }

    private static Theme current = LIGHT;
    /** The theme applied last, for views that paint with colours of their own (the timeline's canvas). */
    private static final javafx.beans.property.ReadOnlyObjectWrapper<Theme> CURRENT =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(LIGHT);

    public static javafx.beans.property.ReadOnlyObjectProperty<Theme> currentProperty() {
        return CURRENT.getReadOnlyProperty();
    }

    /** Applies the theme the user chose last time unless the application already set one. */
    public static void ensureApplied() {
        if (Application.getUserAgentStylesheet() == null) {
            saved(Preferences.userRoot().node("dev/vmcase/workbench")).apply();
        }
    }

    public static Theme current() {
        return current;
    }

    public static Theme saved(Preferences prefs) {
        try {
            return valueOf(prefs.get(KEY, LIGHT.name()));
        } catch (IllegalArgumentException e) {
            // a preference saved by another version: the default theme
            return LIGHT;
        }
    }

    public void save(Preferences prefs) {
        prefs.put(KEY, name());
    }
}
