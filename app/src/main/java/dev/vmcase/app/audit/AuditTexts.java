package dev.vmcase.app.audit;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The {@code Audit} bundle: every text the audit, the merge and the fleet report show. */
public final class AuditTexts {
    public static final String BUNDLE = "dev.vmcase.app.audit.Audit";

    private AuditTexts() {
    }

    public static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale);
    }

    /** {@code key} in the default locale, formatted with {@link MessageFormat}. */
    public static String text(String key, Object... args) {
        return text(Locale.getDefault(), key, args);
    }

    public static String text(Locale locale, String key, Object... args) {
        String pattern;
        try {
            pattern = bundle(locale).getString(key);
        } catch (MissingResourceException e) {
            return key; // a reason or gap written by a newer vmcase: its id is still meaningful
        }
        return new MessageFormat(pattern, locale).format(args); // every text is a pattern: '' is one quote
    }
}
