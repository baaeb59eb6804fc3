package dev.vmcase.lab;

import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The lab's {@code Lab} bundle (English and Simplified Chinese): why a run could not go on ({@code lab.error.*}) and
 * its progress ({@code lab.progress.*}). The command line's own texts (option help, the summary it prints) stay in
 * the app's {@code Cli} bundle.
 */
public final class LabTexts {
    static final String BUNDLE = "dev.vmcase.lab.Lab";

    private LabTexts() {
    }

    /** The bundle in the user's language. */
    public static ResourceBundle bundle() {
        return ResourceBundle.getBundle(BUNDLE);
    }

    static ResourceBundle english() {
        return ResourceBundle.getBundle(BUNDLE, Locale.ROOT);
    }
}
