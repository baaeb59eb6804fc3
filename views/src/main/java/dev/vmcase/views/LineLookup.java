package dev.vmcase.views;

import java.util.function.Consumer;

/**
 * The text of an evidence line, found off the FX thread: a big log's line is read through its line index on a worker,
 * and the answer (null when the line cannot be read) is handed to {@code onFx} on the FX thread.
 */
@FunctionalInterface
public interface LineLookup {
    LineLookup NONE = (sha256, line, onFx) -> onFx.accept(null);

    void text(String sha256, int line, Consumer<String> onFx);
}
