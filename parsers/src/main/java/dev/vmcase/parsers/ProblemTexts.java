package dev.vmcase.parsers;

import dev.vmcase.model.Problem;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The texts of problems in files, in English and Simplified Chinese ({@code Problems.properties},
 * {@code Problems_zh_CN.properties} beside this class; {@link MessageFormat} patterns, so a quote is written
 * {@code ''}). A parser says a problem with {@link EvidenceSink#problemOf(int, String, Object...)}; ingest with
 * {@link #problem(String, int, String, Object...)}; whoever shows one uses {@link #render(Problem, Locale)}.
 * <pre>
 * Problems.properties:   ingest.emptyFile=empty file
 * a parser:              sink.problemOf(line, "qtree.notQtreeLine", text);
 * the CLI, the views:    ProblemTexts.render(problem, locale)
 * </pre>
 */
public final class ProblemTexts {
    private static final String BUNDLE = "dev.vmcase.parsers.Problems";

    private ProblemTexts() {
    }

    /** A problem whose text is {@code key} of the bundle with {@code args}; its English text rendered at once. */
    public static Problem problem(String path, int line, String key, Object... args) {
        return text(key, args).at(path, line);
    }

    /** A problem's text before its place is known (a reason carried up to the file it belongs to). */
    public static Text text(String key, Object... args) {
        return new Text(key, Arrays.stream(args).map(String::valueOf).toList());
    }

    /**
     * A problem's text, not yet placed: its key and arguments.
     *
     * @param key  key of the bundle
     * @param args its {@link MessageFormat} arguments, as text
     */
    public record Text(String key, List<String> args) {
        public Text {
            args = List.copyOf(args);
        }

        /** This text as the problem of {@code path} at {@code line}. */
        public Problem at(String path, int line) {
            return new Problem(path, line, english(), key, args);
        }

        /** Its English text. */
        public String english() {
            return format(Locale.ROOT, key, args);
        }
    }

    /** The problem's text in {@code locale} (its English message when it has no key, or the key is unknown). */
    public static String render(Problem p, Locale locale) {
        if (p.key() == null) {
            return p.message();
        }
        try {
            return format(locale, p.key(), p.args());
        } catch (MissingResourceException | IllegalArgumentException e) {
            return p.message(); // a case saved by a newer vmcase, or a bad pattern: the English text is still right
        }
    }

    /** {@code path:line: text} in {@code locale}, as {@link Problem#toString()} is in English. */
    public static String renderWithPlace(Problem p, Locale locale) {
        String text = render(p, locale);
        return p.line() > 0 ? p.path() + ":" + p.line() + ": " + text : p.path() + ": " + text;
    }

    private static String format(Locale locale, String key, List<String> args) {
        ResourceBundle b = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return new MessageFormat(b.getString(key), locale).format(args.toArray());
    }
}
