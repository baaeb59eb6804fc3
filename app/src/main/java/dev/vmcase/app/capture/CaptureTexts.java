package dev.vmcase.app.capture;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** The {@code Capture} bundle in the user's language: every text capture shows comes from there. */
public final class CaptureTexts {
    public static final String BUNDLE = "dev.vmcase.app.capture.Capture";

    private CaptureTexts() {
    }

    public static ResourceBundle bundle() {
        return ResourceBundle.getBundle(BUNDLE);
    }

    /** {@code key} formatted with {@link MessageFormat} ({@code {0}}, {@code {1}}…). */
    public static String text(String key, Object... args) {
        String pattern = bundle().getString(key);
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.getDefault()).format(args);
    }
}
