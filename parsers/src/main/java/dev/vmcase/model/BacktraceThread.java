package dev.vmcase.model;

import java.util.List;

/**
 * A thread's frames from {@code thread apply all bt}; a plain {@code bt} is one thread with no header.
 *
 * @param number   gdb's thread number ({@code 4} or {@code 1.4}), or null for a plain {@code bt}
 * @param lwp      the LWP, or 0
 * @param name     the thread name ({@code CPU 0/KVM}), or null
 * @param stoppedReason the text after {@code Backtrace stopped:}, or null
 */
public record BacktraceThread(String number, long lwp, String name, List<Frame> frames, String stoppedReason) {
    public BacktraceThread {
        frames = List.copyOf(frames);
    }
}
