package dev.vmcase.analysis.diff;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.StringJoiner;

/**
 * Why a row is an orphaned frontend: the facts, each a message key of the {@code Diff} bundle with its arguments.
 * {@link #text(Locale)} joins them into the one line the diff shows.
 */
public record Orphan(List<Fact> facts) {
    public Orphan {
        facts = List.copyOf(facts);
    }

    /** One fact: {@code reason.frontend-alive} with the layers that still have the device. */
    public record Fact(String key, List<String> args) {
        public Fact {
            args = List.copyOf(args);
        }
    }

    public boolean has(String key) {
        return facts.stream().anyMatch(f -> f.key().equals(key));
    }

    /** The one-line reason in {@code locale}. */
    public String text(Locale locale) {
        ResourceBundle b = DeviceDiff.bundle(locale);
        StringJoiner j = new StringJoiner(b.getString("reason.separator"));
        for (Fact f : facts) {
            j.add(new MessageFormat(b.getString(f.key()), b.getLocale()).format(f.args().toArray()));
        }
        return j.toString();
    }
}
