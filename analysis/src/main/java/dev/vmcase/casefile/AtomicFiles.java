package dev.vmcase.casefile;

import dev.vmcase.parsers.ingest.Folders;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new content: the new content goes to a
 * temporary file in the same folder, is forced to disk, renamed over the target (atomic on one file system), and the
 * folder is forced so the rename itself survives a power cut.
 */
public final class AtomicFiles {
    /** Writes the content to a stream; may throw. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes a private file (mode 600 on POSIX): a case, its recovery file, settings. */
    public static void write(Path target, Content content) throws IOException {
        write(target, content, false);
    }

    /**
     * Writes a file meant to be shared (a report, its pictures): its mode is what the user's umask gives a new file,
     * as for any file an editor saves, not the 600 of a temporary file.
     */
    public static void writeShared(Path target, Content content) throws IOException {
        write(target, content, true);
    }

    private static void write(Path target, Content content, boolean shared) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // a save killed before its rename left its temporary file: deleted now (never another live process's)
        String kind = "." + abs.getFileName() + ".";
        Folders.deleteStale(dir, kind, ".tmp");
        Path tmp = shared ? createShared(dir, Folders.pidPrefix(kind))
                : Files.createTempFile(dir, Folders.pidPrefix(kind), ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.io.BufferedOutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush(); // the channel is closed below, after force
                    }
                };
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + abs + " atomically on this file system", e);
            }
            done = true;
            forceDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** A new temporary file beside the target, created with the default mode (0666 less the umask). */
    private static Path createShared(Path dir, String prefix) throws IOException {
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (int i = 0; i < 100; i++) {
            Path tmp = dir.resolve(prefix + Long.toUnsignedString(random.nextLong(), 36) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another name
            }
        }
        throw new IOException("cannot create a temporary file in " + dir);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a directory; the rename is still atomic
        }
    }
}
