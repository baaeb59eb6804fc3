package dev.vmcase.model;

import java.util.List;

/**
 * Something in an artifact that could not be understood, with where it is. {@code message} is the English text (what
 * {@code analyze --json} and logs carry); when {@code key} is set, the text is a resource-bundle entry rendered from
 * {@code args} in the user's language ({@code dev.vmcase.parsers.ProblemTexts}), so a problem reads in Chinese in a
 * Chinese UI. Problems without a key (older parsers' free text) are shown as {@code message} in every language.
 *
 * @param key  key of {@code dev/vmcase/parsers/Problems.properties}, or null
 * @param args the key's {@link java.text.MessageFormat} arguments, as text
 */
public record Problem(String path, int line, String message, String key, List<String> args) {
    public Problem {
        args = args == null ? List.of() : List.copyOf(args);
    }

    /** A problem in English only. */
    public Problem(String path, int line, String message) {
        this(path, line, message, null, List.of());
    }

    /** The same problem at another path (an archive member named by its archive path). */
    public Problem at(String otherPath) {
        return new Problem(otherPath, line, message, key, args);
    }

    @Override
    public String toString() {
        return line > 0 ? path + ":" + line + ": " + message : path + ": " + message;
    }
}
