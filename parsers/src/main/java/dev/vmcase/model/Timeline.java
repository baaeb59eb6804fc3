package dev.vmcase.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every timestamped record of every artifact, kept columnar so a multi-gigabyte log costs little: an entry is a
 * line number, a time in microseconds since the epoch and a level — 13 bytes in primitive arrays (under 20 with the
 * growth slack), against several hundred for an {@link Event} object; which artifact it belongs to is kept once per
 * artifact (a segment). The text is not held: it stays in the file, found again by line number. Immutable once
 * built; segments are taken over from the parsers' builders without copying.
 */
public final class Timeline {
    public static final byte DEBUG = 0;
    public static final byte INFO = 1;
    public static final byte WARNING = 2;
    public static final byte ERROR = 3;

    private static final Timeline EMPTY = new Timeline(List.of());

    private final List<Segment> segments;
    private final int[] starts;
    private final int size;

    private Timeline(List<Segment> segments) {
        this.segments = List.copyOf(segments);
        this.starts = new int[segments.size()];
        int n = 0;
        for (int i = 0; i < segments.size(); i++) {
            starts[i] = n;
            n += segments.get(i).size;
        }
        this.size = n;
    }

    public static Timeline empty() {
        return EMPTY;
    }

    public static Timeline of(List<Segment> segments) {
        return segments.isEmpty() ? EMPTY : new Timeline(segments);
    }

    public int size() {
        return size;
    }

    private int segment(int i) {
        int s = Arrays.binarySearch(starts, i);
        return s >= 0 ? s : -s - 2;
    }

    /** The sha256 of the artifact of entry {@code i}. */
    public String artifact(int i) {
        return segments.get(segment(i)).artifact;
    }

    public int line(int i) {
        int s = segment(i);
        return segments.get(s).line[i - starts[s]];
    }

    public long epochMicros(int i) {
        int s = segment(i);
        return segments.get(s).micros[i - starts[s]];
    }

    public byte level(int i) {
        int s = segment(i);
        return segments.get(s).level[i - starts[s]];
    }

    /** Bytes the index holds (arrays with their slack), for benchmarks. */
    public long bytes() {
        long b = 0;
        for (Segment s : segments) {
            b += (long) s.line.length * 4 + (long) s.micros.length * 8 + s.level.length + s.artifact.length() * 2L + 48;
        }
        return b;
    }

    /** One artifact's entries, in file order. Filled by one parser, then handed over. */
    public static final class Segment {
        private String artifact = "";
        private int size;
        private int[] line = new int[0];
        private long[] micros = new long[0];
        private byte[] level = new byte[0];

        public void add(int lineNo, long epochMicros, byte lvl) {
            if (size == line.length) {
                int cap = Math.max(64, size + (size >> 1));
                line = Arrays.copyOf(line, cap);
                micros = Arrays.copyOf(micros, cap);
                level = Arrays.copyOf(level, cap);
            }
            line[size] = lineNo;
            micros[size] = epochMicros;
            level[size] = lvl;
            size++;
        }

        public int size() {
            return size;
        }

        /** Makes room for {@code entries} in all (a parser that can estimate them spares the copies of growing). */
        public void ensureCapacity(int entries) {
            if (entries > line.length) {
                line = Arrays.copyOf(line, entries);
                micros = Arrays.copyOf(micros, entries);
                level = Arrays.copyOf(level, entries);
            }
        }

        /** Names the artifact once its hash is known; returns this segment. */
        public Segment of(String sha256) {
            this.artifact = sha256;
            if (line.length - size > (size >> 3) + 64) {
                // much more room than entries (an estimate that was too high): give the rest back
                line = Arrays.copyOf(line, size);
                micros = Arrays.copyOf(micros, size);
                level = Arrays.copyOf(level, size);
            }
            return this;
        }
    }

    /** Collects the segments of a bundle. */
    public static final class Builder {
        private final List<Segment> segments = new ArrayList<>();

        public void add(Segment s) {
            if (s.size > 0) {
                segments.add(s);
            }
        }

        public Timeline build() {
            return of(segments);
        }
    }
}
