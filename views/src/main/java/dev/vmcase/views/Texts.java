package dev.vmcase.views;

import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The views' resource bundles: {@code Views.properties} (with {@code Views_zh_CN.properties}) for the window, and one
 * bundle per view package, read with {@link #of(String)}.
 */
public final class Texts {
    private Texts() {
    }

    public static ResourceBundle bundle() {
        return ResourceBundle.getBundle("dev.vmcase.views.Views", Locale.getDefault());
    }

    public static String get(String key) {
        return bundle().getString(key);
    }

    /** A view's own bundle, e.g. {@code of("dev.vmcase.views.timeline.Timeline")}, in the default locale. */
    public static ResourceBundle of(String baseName) {
        return ResourceBundle.getBundle(baseName, Locale.getDefault());
    }
}
