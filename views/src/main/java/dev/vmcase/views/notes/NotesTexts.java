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

    static String format(String key, Object... args) {
        return MessageFormat.format(get(key), args);
    }
}
