package dev.vmcase.parsers;

/** Progress and cancellation for long work; core code checks {@link #isCancelled()} in its loops. */
public interface ProgressMonitor {
    ProgressMonitor NONE = new ProgressMonitor() {
    };

    /** Step {@code done} of {@code total} (files of an input, or bytes of one when {@link #read} is not overridden). */
    default void progress(long done, long total, String what) {
    }

    /**
     * A parser has read {@code bytes} of the {@code size} bytes of {@code what} (told every few ten thousand lines):
     * a monitor that shows a rate or an estimate of the time left tells bytes from the file steps of
     * {@link #progress}. Unless overridden, the same as {@code progress(bytes, size, what)}.
     */
    default void read(String what, long bytes, long size) {
        progress(bytes, size, what);
    }

    /**
     * A parser has put {@code soFar.size()} lines of {@code what} (read as {@code format}) on the timeline index so
     * far; told every {@value dev.vmcase.parsers.EvidenceSink#TIMELINE_EVERY} entries while a file is parsed, on the
     * parser's thread, so a window can draw the timeline of a big file before its analysis ends. {@code soFar} is a
     * snapshot ({@link dev.vmcase.model.Timeline.Segment#snapshot}): safe to hand to another thread, and what it
     * holds never changes. Nothing by default.
     */
    default void indexed(String what, String format, dev.vmcase.model.Timeline.Segment soFar) {
    }

    default boolean isCancelled() {
        return false;
    }
}
