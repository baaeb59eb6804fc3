package dev.vmcase.analysis.timeline;

import dev.vmcase.model.SourceRef;

/**
 * A correlation drawn between two points of the timeline. Times are raw (the artifact's clock); the model's
 * {@link TimelineModel#startOf}/{@link TimelineModel#endOf} apply the clock offsets.
 *
 * @param startLane lane of the first message
 * @param endLane   lane of the second, or of the first when the span is pending
 * @param end       the answering message's time, or the end of the evidence when {@code pending}
 * @param endRef    the answering line, null when pending
 * @param label     what the span is about ({@code device_del virtio-disk1}, {@code migrate})
 * @param alarming  it went wrong or did harm: a migration that failed, a command that removed a device's backend
 */
public record Span(Kind kind, int startLane, long start, SourceRef startRef, int endLane, long end, SourceRef endRef,
                   boolean pending, String label, boolean alarming) {
    public enum Kind {
        /** A QMP command and its reply. */
        COMMAND_REPLY,
        /** {@code device_del} and the DEVICE_DELETED naming the device (pending when none came). */
        UNPLUG,
        /** A migration from its start to its failure or completion (pending when neither is in the evidence). */
        MIGRATION
    }
}
