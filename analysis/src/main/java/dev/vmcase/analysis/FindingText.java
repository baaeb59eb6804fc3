package dev.vmcase.analysis;

import dev.vmcase.model.Finding;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** Renders a finding's summary in a language ({@code Findings.properties}, {@code Findings_zh_CN.properties}). */
public final class FindingText {
    private static final String BUNDLE = "dev.vmcase.analysis.Findings";

    private FindingText() {
    }

    public static String summary(Finding f, Locale locale) {
        ResourceBundle b = ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
        try {
            return new MessageFormat(b.getString(f.messageKey()), locale).format(f.messageArgs().toArray());
        } catch (MissingResourceException e) {
            return f.messageKey() + " " + f.messageArgs();
        }
    }

    public static String summary(Finding f) {
        return summary(f, Locale.ROOT);
    }
}
