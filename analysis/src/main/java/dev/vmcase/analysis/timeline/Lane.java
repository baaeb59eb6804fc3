package dev.vmcase.analysis.timeline;

/**
 * One row of the timeline: a host (or, when no evidence names the host, the migration side it spoke for) and a layer.
 *
 * @param index position from the top
 * @param host  the host key clock offsets are keyed by
 */
public record Lane(int index, String host, LaneLayer layer) {
}
