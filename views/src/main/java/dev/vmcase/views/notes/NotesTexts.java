package dev.vmcase.views.notes;

import dev.vmcase.views.Texts;

import java.text.MessageFormat;

/** The notes package's bundle ({@code Notes.properties}, {@code Notes_zh_CN.properties}). */
final class NotesTexts {
    private NotesTexts() {
    }

    static String get(String key) {
        return Texts.of("dev.vmcase.views.notes.Notes").getString(key);
    }

    /** A button with its id, its text from the bundle and its action. */
    static javafx.scene.control.Button button(String id, String key, Runnable action) {
        javafx.scene.control.Button b = new javafx.scene.control.Button(get(key));
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    static String format(String key, Object... args) {
        return MessageFormat.format(get(key), args);
    }
}
