package dev.vmcase.analysis.timeline;

import dev.vmcase.model.Timeline;

import java.util.Arrays;

/**
 * The events of one lane as sorted primitive arrays — time, a reference into the evidence's timeline index (or, when
 * negative, to a message the index does not hold), level — plus the worst level per block of {@value #FINE},
 * {@value #BLOCK} and {@value #SUPER} events, so one frame's density bins cost a search per column whatever the
 * number of events.
 */
final class LaneEvents {
    static final int FINE = 8;
    static final int BLOCK = 64;
    static final int SUPER = 4096;

    long[] micros;
    int[] ref; // >= 0: timeline entry; < 0: extras[-ref - 1]
    byte[] level;
    private byte[] fineMax = new byte[0];
    private long[] coarse = new long[0]; // every BLOCK-th time: small enough to stay in cache
    private byte[] blockMax = new byte[0];
    private byte[] superMax = new byte[0];
    int size;

    LaneEvents(int capacity) {
        micros = new long[capacity];
        ref = new int[capacity];
        level = new byte[capacity];
    }

    void add(long time, int reference, byte lvl) {
        micros[size] = time;
        ref[size] = reference;
        level[size] = lvl;
        size++;
    }

    /** Sorts by time (stable: file order among equal times) and builds the summaries; call once, after every add. */
    void seal() {
        sort();
        summarize();
    }

    private void sort() {
        boolean sorted = true;
        for (int i = 1; i < size && sorted; i++) {
            sorted = micros[i - 1] <= micros[i];
        }
        if (sorted) {
            return;
        }
        int n = size;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        mergeSort(idx, new int[n], 0, n, micros);
        long[] m = new long[n];
        int[] r = new int[n];
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) {
            m[i] = micros[idx[i]];
            r[i] = ref[idx[i]];
            l[i] = level[idx[i]];
        }
        micros = m;
        ref = r;
        level = l;
    }

    /** Stable indirect merge sort on primitive keys (runs already in order, as in log files, merge cheaply). */
    private static void mergeSort(int[] a, int[] tmp, int from, int to, long[] key) {
        if (to - from < 32) {
            for (int i = from + 1; i < to; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= from && key[a[j]] > key[v]) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, tmp, from, mid, key);
        mergeSort(a, tmp, mid, to, key);
        if (key[a[mid - 1]] <= key[a[mid]]) {
            return;
        }
        System.arraycopy(a, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && key[tmp[i]] <= key[tmp[j]])) {
                a[k] = tmp[i++];
            } else {
                a[k] = tmp[j++];
            }
        }
    }

    private void summarize() {
        coarse = new long[(size + BLOCK - 1) / BLOCK];
        for (int i = 0; i < coarse.length; i++) {
            coarse[i] = micros[i * BLOCK];
        }
        fineMax = new byte[(size + FINE - 1) / FINE];
        blockMax = new byte[(size + BLOCK - 1) / BLOCK];
        superMax = new byte[(size + SUPER - 1) / SUPER];
        Arrays.fill(fineMax, (byte) -1);
        Arrays.fill(blockMax, (byte) -1);
        Arrays.fill(superMax, (byte) -1);
        for (int i = 0; i < size; i++) {
            byte l = level[i];
            if (l > fineMax[i / FINE]) {
                fineMax[i / FINE] = l;
            }
            if (l > blockMax[i / BLOCK]) {
                blockMax[i / BLOCK] = l;
            }
            if (l > superMax[i / SUPER]) {
                superMax[i / SUPER] = l;
            }
        }
    }

    /**
     * Fills one lane's row of {@code b} over [t0, t1) at {@code width} columns; {@code off} is the lane's clock offset
     * (times in the bins have it, the arrays do not).
     */
    void bin(Bins b, int lane, long t0, long t1, int width, long off) {
        double step = (double) (t1 - t0) / width;
        int o = lane * width;
        int from = lowerBound(t0 - off, 0);
        for (int c = 0; c < width; c++) {
            long edge = c == width - 1 ? t1 : t0 + (long) Math.ceil(step * (c + 1));
            int to = from >= size || micros[from] >= edge - off ? from : gallop(edge - off, from);
            b.counts[o + c] = to - from;
            b.worst[o + c] = to > from ? worst(from, to) : -1;
            from = to;
        }
    }

    /** The index of the event nearest to raw time {@code raw}; the lane must not be empty. */
    int nearest(long raw) {
        int i = lowerBound(raw, 0);
        if (i == size || (i > 0 && raw - micros[i - 1] <= micros[i] - raw)) {
            i--;
        }
        return i;
    }

    /** The worst level of entries [from, to) using the block summaries. */
    private byte worst(int from, int to) {
        byte w = -1;
        int i = from;
        while (i < to && w < Timeline.ERROR) {
            if (i % SUPER == 0 && i + SUPER <= to) {
                w = (byte) Math.max(w, superMax[i / SUPER]);
                i += SUPER;
            } else if (i % BLOCK == 0 && i + BLOCK <= to) {
                w = (byte) Math.max(w, blockMax[i / BLOCK]);
                i += BLOCK;
            } else if (i % FINE == 0 && i + FINE <= to) {
                w = (byte) Math.max(w, fineMax[i / FINE]);
                i += FINE;
            } else {
                w = (byte) Math.max(w, level[i]);
                i++;
            }
        }
        return w;
    }

    /**
     * First index at or after {@code from} whose time is >= t, searching outwards from {@code from}: the next column's
     * edge is near, so this touches a few neighbouring cache lines instead of a whole lane's worth of random ones.
     */
    private int gallop(long t, int from) {
        long[] c = coarse;
        int cfrom = from / BLOCK;
        int lo = cfrom;
        int step = 1;
        int hi = cfrom + 1;
        while (hi < c.length && c[hi] < t) { // in the coarse index, which stays in cache
            lo = hi;
            step <<= 1;
            hi = cfrom + step;
        }
        hi = Math.min(hi, c.length);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // coarse[lo] >= t (or lo == length): the answer is in the block before it
        int a = Math.max(from, (lo - 1) * BLOCK);
        int b = Math.min(size, lo * BLOCK + 1);
        long[] m = micros;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (m[mid] < t) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        return a;
    }

    /** First index at or after {@code from} whose time is >= t. */
    private int lowerBound(long t, int from) {
        int lo = from;
        int hi = size;
        long[] m = micros;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (m[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
