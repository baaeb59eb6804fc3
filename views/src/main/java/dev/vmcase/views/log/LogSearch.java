package dev.vmcase.views.log;

import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.lines.FilteredLines;
import dev.vmcase.parsers.lines.LineSearch;
import dev.vmcase.parsers.lines.LogFile;
import dev.vmcase.views.UiExecutors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.ResourceBundle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The log viewer's search: the text or regular expression, the count of matching lines (counted on the background
 * thread, up to {@value #MAX_MATCHES_COUNTED}), the line the search is on, and the moves to the next or previous
 * match, wrapping at the ends. It asks its {@link Host} for the file and filter shown and tells it where a match is.
 */
final class LogSearch {
    static final int MAX_MATCHES_COUNTED = 1_000_000;

    /** What the search reads and moves: the viewer's state. */
    interface Host {
        LogFile file();

        FilteredLines filtered();

        /** Where a search with no current match starts: the selected line, else the window's edge. */
        int start(boolean forward);

        /** A match was found: bring it into view. */
        void show(int line);

        /** The pattern changed: the window's highlights with it. */
        void repaint();

        ProgressMonitor monitor(AtomicBoolean cancel);
    }

    private final Host host;
    private final UiExecutors work;
    private final ResourceBundle texts;
    private final BooleanProperty regex;
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ReadOnlyStringWrapper count = new ReadOnlyStringWrapper(this, "count", "");
    private Pattern pattern;
    private int[] matches;
    private int line = -1;
    private AtomicBoolean countCancel = new AtomicBoolean();

    LogSearch(Host host, UiExecutors work, ResourceBundle texts, BooleanProperty regex) {
        this.host = host;
        this.work = work;
        this.texts = texts;
        this.regex = regex;
        text.addListener((o, a, b) -> changed());
        regex.addListener((o, a, b) -> changed());
    }

    StringProperty textProperty() {
        return text;
    }

    ReadOnlyStringProperty countProperty() {
        return count.getReadOnlyProperty();
    }

    /** The search as a pattern, or null (no search, or one that does not compile). */
    Pattern pattern() {
        return pattern;
    }

    /** The line the search is on, or -1. */
    int line() {
        return line;
    }

    private Pattern current() {
        String s = text.get();
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return LineSearch.pattern(s, regex.get());
        } catch (PatternSyntaxException e) {
            // an unfinished regular expression while the user types: no search until it is one
            return null;
        }
    }

    /** The text, the mode or the lines shown changed: a new pattern, counted again in the background. */
    void changed() {
        countCancel.set(true);
        matches = null;
        pattern = current();
        LogFile f = host.file();
        if (pattern == null) {
            count.set(text.get().isEmpty() ? "" : texts.getString("log.search.bad"));
            if (f != null) {
                host.repaint();
            }
            return;
        }
        if (f == null) {
            return;
        }
        host.repaint();
        AtomicBoolean cancel = new AtomicBoolean();
        countCancel = cancel;
        count.set(texts.getString("log.search.counting"));
        FilteredLines fl = host.filtered();
        Pattern p = pattern;
        work.background().execute(() -> {
            try {
                int[][] holder = {new int[256]};
                int[] size = {0};
                f.scan(1, f.lineCount(), host.monitor(cancel), (n, s) -> {
                    if ((fl == null || fl.contains(n)) && p.matcher(s).find()) {
                        if (size[0] == holder[0].length) {
                            holder[0] = Arrays.copyOf(holder[0], holder[0].length * 2);
                        }
                        holder[0][size[0]++] = n;
                    }
                    return size[0] < MAX_MATCHES_COUNTED;
                });
                int[] result = Arrays.copyOf(holder[0], size[0]);
                work.fx().execute(() -> {
                    if (!cancel.get() && f == host.file() && p == pattern) {
                        matches = result;
                        updateCount();
                    }
                });
            } catch (CancellationException e) {
                // a newer search, filter or file replaced this count
            }
        });
    }

    private void updateCount() {
        if (matches == null) {
            return;
        }
        if (matches.length == 0) {
            count.set(texts.getString("log.search.none"));
            return;
        }
        int i = Arrays.binarySearch(matches, line);
        String total = matches.length >= MAX_MATCHES_COUNTED ? matches.length + "+" : Integer.toString(matches.length);
        count.set(i >= 0 ? MessageFormat.format(texts.getString("log.search.count"), i + 1, total)
                : MessageFormat.format(texts.getString("log.search.total"), total));
    }

    /** Moves to the next (or previous) matching line after the search line or the host's start, wrapping at the ends. */
    void find(boolean forward) {
        Pattern p = current();
        LogFile f = host.file();
        if (p == null || f == null) {
            return;
        }
        if (pattern == null || !p.pattern().equals(pattern.pattern())) {
            changed();
        }
        int from = line > 0 ? line : host.start(forward);
        FilteredLines fl = host.filtered();
        AtomicBoolean cancel = new AtomicBoolean();
        work.background().execute(() -> {
            try {
                ProgressMonitor m = host.monitor(cancel);
                int hit = LineSearch.find(f, p, from, forward, fl == null ? null : fl::contains, m);
                boolean wrapped = false;
                if (hit < 0) {
                    hit = LineSearch.find(f, p, forward ? 0 : f.lineCount() + 1, forward,
                            fl == null ? null : fl::contains, m);
                    wrapped = hit >= 0;
                }
                int found = hit;
                boolean wr = wrapped;
                work.fx().execute(() -> {
                    if (f != host.file()) {
                        return;
                    }
                    if (found < 0) {
                        count.set(texts.getString("log.search.none"));
                        return;
                    }
                    line = found;
                    host.show(found);
                    updateCount();
                    if (wr) {
                        count.set(count.get() + " · " + texts.getString("log.search.wrapped"));
                    }
                });
            } catch (CancellationException e) {
                // a newer search or file replaced this one
            }
        });
    }

    /** Stops the count running (the user's Cancel). */
    void stopCounting() {
        countCancel.set(true);
    }

    /** A new file: no search line, nothing counted yet. */
    void reset() {
        countCancel.set(true);
        matches = null;
        line = -1;
    }

    /** The search bar closed: no pattern, no search line. */
    void end() {
        countCancel.set(true);
        pattern = null;
        line = -1;
    }
}
