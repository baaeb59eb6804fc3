package dev.vmcase.model;

import java.util.List;

/**
 * A thread's frames from {@code thread apply all bt}; a plain {@code bt} is one thread with no header.
 *
 * @param number   gdb's thread number ({@code 4} or {@code 1.4}), or null for a plain {@code bt} whose thread the
 *                 text does not name
 * @param lwp      the LWP (Linux thread id), or 0
 * @param name     the thread name ({@code CPU 0/KVM}), or null
 * @param stoppedReason the text after {@code Backtrace stopped:} (the unwinder gave up), or null
 * @param signal   the signal this thread stopped or died on, as gdb names it ({@code SIGSEGV}), when the text says
 *                 so ({@code Thread 4 "CPU 0/KVM" received signal SIGSEGV, …}, {@code Program terminated with signal
 *                 SIGABRT, Aborted.} with the current thread, systemd-coredump's {@code Signal: 6 (ABRT)} for its
 *                 first stack); null otherwise
 */
public record BacktraceThread(String number, long lwp, String name, List<Frame> frames, String stoppedReason,
                              String signal) {
    public BacktraceThread {
        frames = List.copyOf(frames);
    }

    /** A thread with no signal known. */
    public BacktraceThread(String number, long lwp, String name, List<Frame> frames, String stoppedReason) {
        this(number, lwp, name, frames, stoppedReason, null);
    }
}
