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

    default boolean isCancelled() {
        return false;
    }
}
