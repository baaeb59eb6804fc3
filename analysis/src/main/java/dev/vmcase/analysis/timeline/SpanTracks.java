package dev.vmcase.analysis.timeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Rows for the labelled spans of a lane, so that no span's line runs through another's label: each span takes the
 * room from its start to the end of its line or of its label, whichever is further, and goes to the first row of its
 * lane that is free there (greedy, in order of start). Spans that find no row within the limit share the last one,
 * with {@link #labelled} false: the view draws their line but not their label.
 */
public final class SpanTracks {
    private final int[] track;
    private final boolean[] labelled;
    private final int[] rowsPerLane;

    private SpanTracks(int[] track, boolean[] labelled, int[] rowsPerLane) {
        this.track = track;
        this.labelled = labelled;
        this.rowsPerLane = rowsPerLane;
    }

    /** Which spans carry a label: unplugs and migrations, and of the commands only those that removed a backend. */
    public static boolean labelled(Span s) {
        return s.kind() != Span.Kind.COMMAND_REPLY || s.alarming();
    }

    /**
     * Rows for {@code spans} (in their start lanes): each takes the room from {@code startX} to the further of
     * {@code endX} and {@code labelEnd}, the x where its label ends.
     */
    public static SpanTracks of(List<Span> spans, ToDoubleFunction<Span> startX, ToDoubleFunction<Span> endX,
                                ToDoubleFunction<Span> labelEnd, int lanes, int maxRows, double gap) {
        int n = spans.size();
        int[] lane = new int[n];
        double[] left = new double[n];
        double[] right = new double[n];
        for (int i = 0; i < n; i++) {
            Span s = spans.get(i);
            lane[i] = s.startLane();
            left[i] = startX.applyAsDouble(s);
            right[i] = Math.max(endX.applyAsDouble(s), labelEnd.applyAsDouble(s));
        }
        return layout(lane, left, right, lanes, maxRows, gap);
    }

    /**
     * @param lane    each span's lane
     * @param left    where each span starts (pixels)
     * @param right   where its line or its label ends, whichever is further (pixels)
     * @param maxRows rows a lane may use
     * @param gap     free pixels kept between two spans of a row
     */
    public static SpanTracks layout(int[] lane, double[] left, double[] right, int lanes, int maxRows, double gap) {
        int n = lane.length;
        int[] track = new int[n];
        boolean[] labelled = new boolean[n];
        int[] rows = new int[lanes];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> left[i]));
        double[][] ends = new double[lanes][maxRows];
        for (double[] e : ends) {
            Arrays.fill(e, Double.NEGATIVE_INFINITY);
        }
        for (int i : order) {
            int l = lane[i];
            int row = -1;
            for (int r = 0; r < maxRows; r++) {
                if (ends[l][r] + gap <= left[i]) {
                    row = r;
                    break;
                }
            }
            if (row < 0) {
                track[i] = maxRows - 1;
                labelled[i] = false;
            } else {
                track[i] = row;
                labelled[i] = true;
                ends[l][row] = right[i];
            }
            rows[l] = Math.max(rows[l], track[i] + 1);
        }
        return new SpanTracks(track, labelled, rows);
    }

    /** The row of span {@code i} in its lane, 0 at the top. */
    public int track(int i) {
        return track[i];
    }

    /** Whether span {@code i} has room for its label. */
    public boolean labelled(int i) {
        return labelled[i];
    }

    /** Rows lane {@code lane} uses. */
    public int rows(int lane) {
        return lane < rowsPerLane.length ? rowsPerLane[lane] : 0;
    }
}
