package dev.vmcase.analysis.diff;

import dev.vmcase.model.Layer;

import java.util.List;

/**
 * A point in a QMP transcript: the devices as the transcript showed them up to the answer on {@code line} (for each
 * query, its latest answer at or before that line). Comparing two of them shows what changed in between — a drive
 * going anonymous after {@code drive_del}, a device leaving PCI after the guest's eject.
 *
 * @param artifact the transcript's sha256
 * @param path     the transcript's path, for display
 * @param line     the line of the answer
 * @param layers   the layers that answer shows
 */
public record Snapshot(String artifact, String path, int line, List<Layer> layers) {
    public Snapshot {
        layers = List.copyOf(layers);
    }

    /** {@code source-qmp.jsonl:12} */
    public String label() {
        String file = path == null ? artifact.substring(0, Math.min(12, artifact.length()))
                : java.nio.file.Path.of(path).getFileName().toString();
        return file + ":" + line;
    }
}
