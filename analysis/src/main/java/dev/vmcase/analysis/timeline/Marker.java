package dev.vmcase.analysis.timeline;

import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;

/** A finding marked at the time of one of its evidence lines (raw time; see {@link TimelineModel#timeOf}). */
public record Marker(Finding finding, int lane, long micros, SourceRef ref) {
}
