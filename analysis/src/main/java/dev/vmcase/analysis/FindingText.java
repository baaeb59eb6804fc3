package dev.vmcase.analysis;

import dev.vmcase.model.Finding;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** Renders a finding's summary in a language ({@code Findings.properties}, {@code Findings_zh_CN.properties}). */
public final class FindingText {
    private static final String BUNDLE = "dev.vmcase.analysis.Findings";
    /** Detail key of the notes appended to a summary: lines of {@code messageKey|argument}. */
    public static final String NOTES = Finding.NOTES;

    private FindingText() {
    }

    public static String summary(Finding f, Locale locale) {
        ResourceBundle b = ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
        StringBuilder out = new StringBuilder(format(b, f.messageKey(), f.messageArgs().toArray(), locale));
        String notes = f.details().get(NOTES);
        if (notes != null) {
            for (String note : notes.split("\n")) {
                String[] kv = note.split("\\|", 2);
                out.append(' ').append(format(b, kv[0], new Object[] {kv.length > 1 ? kv[1] : ""}, locale));
            }
        }
        return out.toString();
    }

    private static String format(ResourceBundle b, String key, Object[] args, Locale locale) {
        try {
            return new MessageFormat(b.getString(key), locale).format(args);
        } catch (MissingResourceException e) {
            // a key this bundle lacks (a finding from a newer vmcase): the key and its arguments still say what fired
            return key + " " + java.util.Arrays.toString(args);
        }
    }

    public static String summary(Finding f) {
        return summary(f, Locale.ROOT);
    }
}
