package dev.vmcase.views.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/** The evidence the user opened lately, newest first, kept in the user's preferences. */
public final class RecentItems {
    static final int MAX = 10;
    private static final String KEY = "recent";
    private final Preferences prefs;

    public RecentItems(Preferences prefs) {
        this.prefs = prefs;
    }

    /** The default store: the user's preferences for vmcase. */
    public static RecentItems user() {
        return new RecentItems(Preferences.userRoot().node("dev/vmcase/workbench"));
    }

    public List<List<Path>> list() {
        List<List<Path>> out = new ArrayList<>();
        for (String entry : prefs.get(KEY, "").split("\n")) {
            if (entry.isBlank()) {
                continue;
            }
            List<Path> paths = new ArrayList<>();
            for (String p : entry.split("\t")) {
                paths.add(Path.of(p));
            }
            out.add(List.copyOf(paths));
        }
        return out;
    }

    /** Puts {@code paths} first, dropping an older entry of the same paths and the oldest beyond {@value #MAX}. */
    public void add(List<Path> paths) {
        List<Path> abs = paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        List<List<Path>> items = new ArrayList<>(list());
        items.remove(abs);
        items.add(0, abs);
        while (items.size() > MAX) {
            items.remove(items.size() - 1);
        }
        StringBuilder sb = new StringBuilder();
        for (List<Path> item : items) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(String.join("\t", item.stream().map(Path::toString).toList()));
        }
        String value = sb.toString();
        // Preferences values are limited; drop the oldest until it fits
        while (value.length() > Preferences.MAX_VALUE_LENGTH && value.contains("\n")) {
            value = value.substring(0, value.lastIndexOf('\n'));
        }
        prefs.put(KEY, value);
    }

    public void clear() {
        prefs.remove(KEY);
    }
}
