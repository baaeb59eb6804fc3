package dev.vmcase.parsers.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** vmcase's own temporary and working folders. */
public final class Folders {
    private Folders() {
    }

    /**
     * Deletes a folder tree of vmcase's own (a spool, an extracted case, a scratch folder), without following links;
     * best effort: what cannot be deleted stays, and {@code null} or a missing folder is fine.
     */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
