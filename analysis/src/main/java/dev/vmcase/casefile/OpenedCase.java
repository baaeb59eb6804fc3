package dev.vmcase.casefile;

import java.nio.file.Path;
import java.util.List;

/**
 * A case read from a file.
 *
 * @param file      the case, its artifacts' bytes in {@code workDir}
 * @param source    the {@code .vmcase} it was read from
 * @param workDir   the folder its evidence was extracted into (inside vmcase's working folder)
 * @param integrity what does not match the manifest (an artifact whose bytes do not hash to its sha256); empty when
 *                  everything matches
 */
public record OpenedCase(CaseFile file, Path source, Path workDir, List<String> integrity) {
    public OpenedCase {
        integrity = List.copyOf(integrity);
    }
}
