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
 */
public record CaseNotes(List<Annotation> annotations, List<Bookmark> bookmarks, List<Tour> tours,
                        Map<String, Long> clockOffsets) {
    public static final CaseNotes EMPTY = new CaseNotes(List.of(), List.of(), List.of(), Map.of());

    public CaseNotes {
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
        bookmarks = bookmarks == null ? List.of() : List.copyOf(bookmarks);
        tours = tours == null ? List.of() : List.copyOf(tours);
        clockOffsets = clockOffsets == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(clockOffsets));
    }

    public CaseNotes withAnnotations(List<Annotation> a) {
        return new CaseNotes(a, bookmarks, tours, clockOffsets);
    }

    public CaseNotes withBookmarks(List<Bookmark> b) {
        return new CaseNotes(annotations, b, tours, clockOffsets);
    }

    public CaseNotes withTours(List<Tour> t) {
        return new CaseNotes(annotations, bookmarks, t, clockOffsets);
    }

    public CaseNotes withClockOffsets(Map<String, Long> c) {
        return new CaseNotes(annotations, bookmarks, tours, c);
    }
}
