package dev.vmcase.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every timestamped record of every artifact, kept columnar so a multi-gigabyte log costs little: an entry is a
 * line number, a time in microseconds since the epoch and a level — 13 bytes in primitive arrays (plus at most one
 * chunk's slack), against several hundred for an {@link Event} object; which artifact it belongs to is kept once per
 * artifact (a segment). The text is not held: it stays in the file, found again by line number. Immutable once
 * built; segments are taken over from the parsers' builders without copying.
 */
public final class Timeline {
    public static final byte DEBUG = 0;
    public static final byte INFO = 1;
    public static final byte WARNING = 2;
    public static final byte ERROR = 3;

    private static final Timeline EMPTY = new Timeline(List.of(), List.of());

    private final List<Segment> segments;
    private final List<Local> locals;
    private final int[] starts;
    private final int size;

    private Timeline(List<Segment> segments, List<Local> locals) {
        this.segments = List.copyOf(segments);
        this.locals = List.copyOf(locals);
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
        return segments.isEmpty() ? EMPTY : new Timeline(segments, List.of());
    }

    /** Entries with their instants, and the lines whose time is local (placed or not, see {@link Local}). */
    public static Timeline of(List<Segment> segments, List<Local> locals) {
        return segments.isEmpty() && locals.isEmpty() ? EMPTY : new Timeline(segments, locals);
    }

    /** The segments, each one artifact's entries in file order. */
    public List<Segment> segments() {
        return segments;
    }

    /** Per artifact, the lines whose time is a host's local time, and whether and how they were placed. */
    public List<Local> locals() {
        return locals;
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
        return segments.get(s).line(i - starts[s]);
    }

    public long epochMicros(int i) {
        int s = segment(i);
        return segments.get(s).micros(i - starts[s]);
    }

    public byte level(int i) {
        int s = segment(i);
        return segments.get(s).level(i - starts[s]);
    }

    /** The entries of some artifacts only (by sha256), sharing their segments: one VM's part of a bundle. */
    public Timeline only(java.util.Set<String> artifacts) {
        List<Segment> kept = new ArrayList<>();
        for (Segment s : segments) {
            if (artifacts.contains(s.artifact)) {
                kept.add(s);
            }
        }
        List<Local> keptLocals = new ArrayList<>();
        for (Local l : locals) {
            if (artifacts.contains(l.artifact())) {
                keptLocals.add(l);
            }
        }
        return kept.size() == segments.size() && keptLocals.size() == locals.size() ? this : of(kept, keptLocals);
    }

    /** Bytes the index holds (arrays with their slack), for benchmarks. */
    public long bytes() {
        long b = 0;
        for (Segment s : segments) {
            b += s.bytes() + s.artifact.length() * 2L + 48;
        }
        return b;
    }

    /**
     * One artifact's entries, in file order. Filled by one parser, then handed over. Kept in chunks of
     * {@link #CHUNK} entries: the first grows by copying until it is full, later ones are made full size and never
     * copied, so a big log's index is written once and, being made of large arrays, can be allocated where the
     * garbage collector does not move it again (the launcher's {@code PretenureSizeThreshold}).
     */
    public static final class Segment {
        static final int SHIFT = 20;
        /** Entries per chunk: 13 MiB of arrays. */
        static final int CHUNK = 1 << SHIFT;
        private static final int MASK = CHUNK - 1;

        private String artifact = "";
        private int size;
        /** Entries the arrays hold room for. */
        private int room;
        private int[][] line = {new int[0]};
        private long[][] micros = {new long[0]};
        private byte[][] level = {new byte[0]};

        public void add(int lineNo, long epochMicros, byte lvl) {
            // one test for both ways of running out of room (chunk 0 growing, a new chunk): chunk 0 grows early and
            // often, so the JIT sees this branch taken and keeps it, instead of recompiling the parser's loop when the
            // first full chunk comes at a million entries
            if (size == room) {
                grow();
            }
            int c = size >>> SHIFT;
            int k = size & MASK;
            line[c][k] = lineNo;
            micros[c][k] = epochMicros;
            level[c][k] = lvl;
            size++;
        }

        /** Room for entry {@link #size}: a new chunk, or a bigger chunk 0 (or last chunk, after {@link #of}). */
        private void grow() {
            int c = size >>> SHIFT;
            int k = size & MASK;
            if (c == line.length) {
                line = Arrays.copyOf(line, c + 1);
                micros = Arrays.copyOf(micros, c + 1);
                level = Arrays.copyOf(level, c + 1);
                line[c] = new int[CHUNK];
                micros[c] = new long[CHUNK];
                level[c] = new byte[CHUNK];
            } else {
                int cap = Math.min(CHUNK, Math.max(64, k + (k >> 1)));
                line[c] = Arrays.copyOf(line[c], cap);
                micros[c] = Arrays.copyOf(micros[c], cap);
                level[c] = Arrays.copyOf(level[c], cap);
            }
            room = (int) Math.min(Integer.MAX_VALUE, ((long) c << SHIFT) + line[c].length);
        }

        public int size() {
            return size;
        }

        /**
         * Appends another segment's entries with their lines renumbered: a region of a file read on its own (pasted
         * evidence) joins its file's segment. Regions are read in file order, so the entries stay in line order.
         */
        public void addAll(Segment from, java.util.function.IntUnaryOperator lines) {
            for (int i = 0; i < from.size; i++) {
                add(lines.applyAsInt(from.line(i)), from.micros(i), from.level(i));
            }
        }

        /** The artifact's sha256, once named. */
        public String artifact() {
            return artifact;
        }

        /** The latest time among the entries (entries are in file order, not time order). */
        public long maxMicros() {
            long m = Long.MIN_VALUE;
            for (int i = 0; i < size; i++) {
                m = Math.max(m, micros(i));
            }
            return m;
        }

        int line(int i) {
            return line[i >>> SHIFT][i & MASK];
        }

        long micros(int i) {
            return micros[i >>> SHIFT][i & MASK];
        }

        byte level(int i) {
            return level[i >>> SHIFT][i & MASK];
        }

        long bytes() {
            long b = 0;
            for (int c = 0; c < line.length; c++) {
                b += line[c].length * 4L + micros[c].length * 8L + level[c].length;
            }
            return b;
        }

        /**
         * The entries so far as a segment of their own, named {@code sha256}, sharing this one's arrays: entries are
         * only ever added after the last, so those a snapshot holds never change while this segment grows. Handed to
         * another thread through a safe publication (an executor, a volatile field), it is read there while the
         * parser goes on.
         */
        public Segment snapshot(String sha256) {
            Segment s = new Segment();
            s.artifact = sha256;
            s.size = size;
            s.room = size;
            s.line = line.clone();
            s.micros = micros.clone();
            s.level = level.clone();
            return s;
        }

        /** Names the artifact once its hash is known; returns this segment. */
        public Segment of(String sha256) {
            this.artifact = sha256;
            int c = line.length - 1;
            int used = size - (c << SHIFT);
            if (line[c].length - used > (used >> 3) + 64) {
                // much more room than entries in the last chunk: give the rest back
                line[c] = Arrays.copyOf(line[c], used);
                micros[c] = Arrays.copyOf(micros[c], used);
                level[c] = Arrays.copyOf(level[c], used);
            }
            room = size;
            return this;
        }
    }

    /**
     * One artifact's lines whose timestamp is a local wall-clock time with no zone (nova's oslo.log, journald's short
     * form, which also has no year): kept as the local time, counted in microseconds as if it were UTC
     * ({@code noYear}: in the leap year 2000), until the host's zone (and year) are known. Then the resolver puts them
     * on the timeline as a {@link Segment} and says here how ({@link #zone}, {@link #zoneSource}); until then {@link #unplacedReason}
     * says why not. Filled by one parser (entries in file order), then immutable once named.
     */
    public static final class Local {
        private String artifact = "";
        private int size;
        private int[] line = new int[0];
        private long[] micros = new long[0];
        private byte[] level = new byte[0];
        private boolean[] noYear = new boolean[0];
        private String host;
        private String zone;
        private String zoneSource;
        private int year;
        private String unplacedReason;

        public void add(int lineNo, long localMicros, byte lvl, boolean withoutYear) {
            if (size == line.length) {
                int cap = Math.max(16, size + (size >> 1));
                line = Arrays.copyOf(line, cap);
                micros = Arrays.copyOf(micros, cap);
                level = Arrays.copyOf(level, cap);
                noYear = Arrays.copyOf(noYear, cap);
            }
            line[size] = lineNo;
            micros[size] = localMicros;
            level[size] = lvl;
            noYear[size] = withoutYear;
            size++;
        }

        /** Names the artifact once its hash is known; returns this. */
        public Local of(String sha256) {
            this.artifact = sha256;
            return this;
        }

        /**
         * The same entries after resolution: placed with {@code zone} (named as shown to users, e.g.
         * {@code Europe/Paris}) from {@code zoneSource} ({@code user}, {@code timedatectl}…) and, for lines without a
         * year, {@code year} (the first entry's; 0 when none was needed); or not placed, with a reason code
         * ({@link #NO_ZONE}, {@link #NO_YEAR}).
         */
        public Local withStatus(String hostKey, String zoneName, String source, int firstYear, String reason) {
            Local l = new Local();
            l.artifact = artifact;
            l.size = size;
            l.line = line;
            l.micros = micros;
            l.level = level;
            l.noYear = noYear;
            l.host = hostKey;
            l.zone = zoneName;
            l.zoneSource = source;
            l.year = firstYear;
            l.unplacedReason = reason;
            return l;
        }

        public String artifact() {
            return artifact;
        }

        public int size() {
            return size;
        }

        public int line(int i) {
            return line[i];
        }

        /** The local time of entry i, microseconds as if UTC (in year 2000 when {@link #noYear(int)}). */
        public long localMicros(int i) {
            return micros[i];
        }

        public byte level(int i) {
            return level[i];
        }

        public boolean noYear(int i) {
            return noYear[i];
        }

        /** The host whose zone was looked for ("" when the artifact's host is unknown), once resolved (null before). */
        public String host() {
            return host;
        }

        /** Whether the resolver put these lines on the timeline. */
        public boolean placed() {
            return zone != null && unplacedReason == null;
        }

        /** The zone the lines were placed with, or null. */
        public String zone() {
            return zone;
        }

        /** Who gave that zone: {@code user}, {@code timedatectl}, {@code etc/localtime}, {@code date}, {@code offset}. */
        public String zoneSource() {
            return zoneSource;
        }

        /** The year given to the first line that had none, or 0. */
        public int year() {
            return year;
        }

        /** Why the lines are not on the timeline ({@link #NO_ZONE}, {@link #NO_YEAR}), or null. */
        public String unplacedReason() {
            return unplacedReason;
        }

        /** Whether any entry lacks a year. */
        public boolean anyWithoutYear() {
            for (int i = 0; i < size; i++) {
                if (noYear[i]) {
                    return true;
                }
            }
            return false;
        }

        /** Reason code: the host's time zone is not known. */
        public static final String NO_ZONE = "no-zone";
        /** Reason code: the lines print no year and none is known for the host. */
        public static final String NO_YEAR = "no-year";
    }

    /** Collects the segments of a bundle. */
    public static final class Builder {
        private final List<Segment> segments = new ArrayList<>();
        private final List<Local> locals = new ArrayList<>();

        public void add(Segment s) {
            if (s.size > 0) {
                segments.add(s);
            }
        }

        public void add(Local l) {
            if (l.size > 0) {
                locals.add(l);
            }
        }

        public Timeline build() {
            return of(segments, locals);
        }
    }
}
