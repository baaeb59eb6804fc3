package dev.vmcase.casefile;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the user adds to the evidence: what autosave protects and what recovery restores.
 *
 * @param annotations  notes on targets
 * @param bookmarks    bookmarks
 * @param tours        training tours
 * @param clockOffsets per host, microseconds to add to its timestamps
 * @param timeZones    per host, its time zone and optionally the year for logs that print none, as the user gave
 *                     them ({@code Europe/Paris}, {@code +02:00@2020}; host {@code *} = every other host), see
 *                     {@link dev.vmcase.parsers.time.HostClocks}
 */
public record CaseNotes(List<Annotation> annotations, List<Bookmark> bookmarks, List<Tour> tours,
                        Map<String, Long> clockOffsets, Map<String, String> timeZones) {
    public static final CaseNotes EMPTY = new CaseNotes(List.of(), List.of(), List.of(), Map.of(), Map.of());

    /** Notes without time zones (cases written before zones were kept). */
    public CaseNotes(List<Annotation> annotations, List<Bookmark> bookmarks, List<Tour> tours,
                     Map<String, Long> clockOffsets) {
        this(annotations, bookmarks, tours, clockOffsets, Map.of());
    }

    public CaseNotes {
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
        bookmarks = bookmarks == null ? List.of() : List.copyOf(bookmarks);
        tours = tours == null ? List.of() : List.copyOf(tours);
        clockOffsets = clockOffsets == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(clockOffsets));
        timeZones = timeZones == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(timeZones));
    }

    public CaseNotes withAnnotations(List<Annotation> a) {
        return new CaseNotes(a, bookmarks, tours, clockOffsets, timeZones);
    }

    public CaseNotes withBookmarks(List<Bookmark> b) {
        return new CaseNotes(annotations, b, tours, clockOffsets, timeZones);
    }

    public CaseNotes withTours(List<Tour> t) {
        return new CaseNotes(annotations, bookmarks, t, clockOffsets, timeZones);
    }

    public CaseNotes withClockOffsets(Map<String, Long> c) {
        return new CaseNotes(annotations, bookmarks, tours, c, timeZones);
    }

    public CaseNotes withTimeZones(Map<String, String> z) {
        return new CaseNotes(annotations, bookmarks, tours, clockOffsets, z);
    }
}
