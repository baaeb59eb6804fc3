package dev.vmcase.parsers.ingest;

import dev.vmcase.parsers.ProgressMonitor;

import java.io.IOException;
import java.nio.file.Path;

/** One archive member's bytes on demand (the log viewer's), read by {@link ArchiveReader} with its limits. */
public final class ArchiveMembers {
    private ArchiveMembers() {
    }

    /** Whether a file's first bytes are a compressed stream or an archive vmcase reads. */
    public static boolean isArchiveOrCompressed(Path file) {
        return ArchiveReader.detect(file).isPresent();
    }

    /**
     * Writes the member at artifact path {@code memberPath} ({@code file!/var/log/x.log}, nested
     * {@code file!/inner.tar.gz!/x.log}, or {@code file} itself when it is a compressed single file) to {@code dest}.
     * Links, names leaving the archive and the bundle's decompression limits are refused as in ingest.
     *
     * @throws IOException when the member is not there, is refused, or a limit stopped reading
     */
    public static void extract(Path file, String memberPath, Path dest, IngestOptions options,
                               ProgressMonitor monitor) throws IOException {
        ArchiveReader.extract(file, memberPath, dest, options, monitor);
    }
}
