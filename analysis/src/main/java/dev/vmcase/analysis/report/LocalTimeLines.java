package dev.vmcase.analysis.report;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Timeline;

import java.text.MessageFormat;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The lines of an analysis written in a host's local time, per artifact: where they were placed on the timeline and
 * with which zone, or why they are not on it (formats the {@link Timeline.Local} the resolver left).
 */
public final class LocalTimeLines {
    private static final DateTimeFormatter WITH_YEAR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final DateTimeFormatter NO_YEAR = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss.SSSSSS", Locale.ROOT);

    private LocalTimeLines() {
    }

    /**
     * One artifact's local-time lines.
     *
     * @param first the first line's local time as text, {@code last} the last one's
     */
    public record Entry(Artifact artifact, Timeline.Local local, String first, String last) {
    }

    public static List<Entry> of(Evidence e) {
        List<Entry> out = new ArrayList<>();
        for (Timeline.Local l : e.timeline().locals()) {
            Artifact a = e.artifacts().stream().filter(x -> x.sha256().equals(l.artifact())).findFirst().orElse(null);
            if (a == null || l.size() == 0) {
                continue;
            }
            out.add(new Entry(a, l, text(l, 0), text(l, l.size() - 1)));
        }
        return out;
    }

    static String text(Timeline.Local l, int i) {
        long us = l.localMicros(i);
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(us, 1_000_000L),
                (int) Math.floorMod(us, 1_000_000L) * 1000, ZoneOffset.UTC);
        return (l.noYear(i) ? NO_YEAR : WITH_YEAR).format(t);
    }

    /** The sentence for one artifact, in the report's language. */
    public static String sentence(Entry x, ResourceBundle b) {
        Timeline.Local l = x.local();
        String host = l.host() == null || l.host().isEmpty() ? b.getString("localTimes.unknownHost") : l.host();
        String cliHost = l.host() == null || l.host().isEmpty() ? "'*'" : l.host();
        String name = x.artifact().path();
        int slash = name.lastIndexOf('/');
        String file = slash >= 0 ? name.substring(slash + 1) : name;
        String source = l.zoneSource() == null ? "" : b.containsKey("zoneSource." + l.zoneSource())
                ? b.getString("zoneSource." + l.zoneSource()) : l.zoneSource();
        if (l.placed()) {
            String key = l.year() > 0 ? "localTimes.placedYear" : "localTimes.placed";
            return MessageFormat.format(b.getString(key), file, l.size(), host, l.zone(), source,
                    String.valueOf(l.year()));
        }
        String key = Timeline.Local.NO_YEAR.equals(l.unplacedReason()) ? "localTimes.noYear" : "localTimes.noZone";
        return MessageFormat.format(b.getString(key), file, l.size(), host, x.first(), x.last(), cliHost,
                l.zone() == null ? "" : l.zone());
    }
}
