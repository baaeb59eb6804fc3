package dev.vmcase.model;

import java.util.List;

/** A gdb backtrace found in an artifact, starting at {@code source}. */
public record Backtrace(SourceRef source, List<BacktraceThread> threads) {
    public Backtrace {
        threads = List.copyOf(threads);
    }

    public String id() {
        return source.id();
    }
}
