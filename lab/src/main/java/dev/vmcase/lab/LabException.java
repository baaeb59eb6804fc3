package dev.vmcase.lab;

import java.util.Arrays;
import java.util.ResourceBundle;

/**
 * Why a lab run could not go on. Carries a key of the {@code Lab} bundle ({@link LabTexts}) and its {@link String#format}
 * arguments, so the command line can say it in the user's language; {@link #getMessage()} is the English text.
 */
public final class LabException extends Exception {
    private final String key;
    private final Object[] args;

    public LabException(String key, Object... args) {
        super(format(LabTexts.english(), key, args));
        this.key = key;
        this.args = args.clone();
    }

    public String key() {
        return key;
    }

    /** The message in the bundle's language. */
    public String message(ResourceBundle bundle) {
        return format(bundle, key, args);
    }

    static String format(ResourceBundle bundle, String key, Object... args) {
        return String.format(bundle.getString(key), args);
    }

    @Override
    public String toString() {
        return "LabException[" + key + " " + Arrays.toString(args) + "]";
    }
}
