package dev.vmcase.views;

import java.util.Locale;
import java.util.ResourceBundle;

/** The views' resource bundle ({@code Views.properties}, {@code Views_zh_CN.properties}). */
public final class Texts {
    private Texts() {
    }

    public static ResourceBundle bundle() {
        return ResourceBundle.getBundle("dev.vmcase.views.Views", Locale.getDefault());
    }

    public static String get(String key) {
        return bundle().getString(key);
    }
}
