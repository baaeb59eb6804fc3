package dev.vmcase.parsers;

/** Progress and cancellation for long work; core code checks {@link #isCancelled()} in its loops. */
public interface ProgressMonitor {
    ProgressMonitor NONE = new ProgressMonitor() {
    };

    default void progress(long done, long total, String what) {
    }

    default boolean isCancelled() {
        return false;
    }
}
