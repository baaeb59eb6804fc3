package dev.vmcase.app.lab;

import java.util.ResourceBundle;

/** The app's {@code Cli} bundle in the user's language: every text the lab shows comes from there. */
final class LabTexts {
    private LabTexts() {
    }

    static ResourceBundle bundle() {
        return ResourceBundle.getBundle("dev.vmcase.app.Cli");
    }
}
