package dev.vmcase.analysis.timeline;

/**
 * Density of every lane at one step per pixel column for a visible range: how many events fall into each column and
 * the worst level among them. Reused from frame to frame ({@link TimelineModel#bins}) so panning allocates nothing.
 */
public final class Bins {
    int lanes;
    int width;
    long t0;
    long t1;
    int[] counts = new int[0];
    byte[] worst = new byte[0];

    void reset(int lanes, int width, long t0, long t1) {
        this.lanes = lanes;
        this.width = width;
        this.t0 = t0;
        this.t1 = t1;
        int n = lanes * width;
        if (counts.length < n) {
            counts = new int[n];
            worst = new byte[n];
        }
    }

    public int lanes() {
        return lanes;
    }

    public int width() {
        return width;
    }

    public long t0() {
        return t0;
    }

    public long t1() {
        return t1;
    }

    /** Events of {@code lane} in pixel column {@code column}. */
    public int count(int lane, int column) {
        return counts[lane * width + column];
    }

    /** The worst {@link dev.vmcase.model.Timeline} level in the column, -1 when it is empty. */
    public byte worst(int lane, int column) {
        return counts[lane * width + column] == 0 ? -1 : worst[lane * width + column];
    }

    /** The most events any column of the lane holds. */
    public int max(int lane) {
        int m = 0;
        for (int c = 0, o = lane * width; c < width; c++) {
            m = Math.max(m, counts[o + c]);
        }
        return m;
    }
}
