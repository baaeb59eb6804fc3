package dev.vmcase.parsers.lines;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Ids;
import dev.vmcase.parsers.ingest.ArchiveMembers;
import dev.vmcase.parsers.ingest.IngestOptions;
import dev.vmcase.parsers.ProgressMonitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An artifact's bytes as a file on disk: a loose file is read in place; an archive member ({@code b.tar.xz!/var/log/x})
 * or a compressed file ({@code x.log.gz}) is extracted once, on demand, into a cache folder keyed by the artifact's
 * sha256 (ingest deleted its spool), by {@link ArchiveMembers} with ingest's limits and refusals. An extracted file
 * whose hash is not the artifact's (the archive changed since it was read) is refused.
 */
public final class ArtifactFiles {
    private final Path cacheDir;
    private final IngestOptions options;

    /** Extracts into {@code cacheDir} (created when needed) within {@code options}' limits. */
    public ArtifactFiles(Path cacheDir, IngestOptions options) {
        this.cacheDir = cacheDir;
        this.options = options;
    }

    /** The cache in {@code options.workDir()/log-cache}, else {@code <tmp>/vmcase-log-cache}. */
    public static ArtifactFiles of(IngestOptions options) {
        Path dir = options.workDir() != null ? options.workDir().resolve("log-cache")
                : Path.of(System.getProperty("java.io.tmpdir"), "vmcase-log-cache");
        return new ArtifactFiles(dir, options);
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** Whether reading the artifact needs an extraction first (it is inside an archive or compressed). */
    public static boolean isMember(Artifact a) {
        return a.path().contains("!/") || (Files.isRegularFile(Path.of(a.path()))
                && ArchiveMembers.isArchiveOrCompressed(Path.of(a.path())));
    }

    /** The artifact's bytes as a file, extracting it first when it is inside an archive. */
    public Path fileFor(Artifact a, ProgressMonitor monitor) throws IOException {
        String path = a.path();
        int bang = path.indexOf("!/");
        Path outer = Path.of(bang < 0 ? path : path.substring(0, bang));
        if (!Files.isRegularFile(outer)) {
            throw new IOException("no such file: " + outer);
        }
        if (bang < 0 && !ArchiveMembers.isArchiveOrCompressed(outer)) {
            return utf8(outer);
        }
        Path cached = cacheDir.resolve(a.sha256() + ".txt");
        if (Files.isRegularFile(cached) && Files.size(cached) == a.size()) {
            return utf8(cached);
        }
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempFile(cacheDir, "extract-", ".part");
        try {
            monitor.progress(0, a.size(), path);
            ArchiveMembers.extract(outer, path, tmp, options, monitor);
            String sha = Ids.sha256Of(tmp);
            if (!sha.equals(a.sha256())) {
                throw new IOException(path + " changed since it was read (sha256 " + Ids.shortHash(sha) + ", was "
                        + a.id() + ")");
            }
            Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return utf8(cached);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The file itself, or for UTF-16 with a byte-order mark (a log copied on Windows) a UTF-8 copy of its text in the
     * cache, made once per file, size and modification time: the line index reads UTF-8 lines, and the parsers read
     * such a file decoded the same way ({@link dev.vmcase.parsers.TextSource#openText}), so the lines and their
     * numbers are the ones the analysis cites.
     */
    private Path utf8(Path file) throws IOException {
        byte[] head = new byte[2];
        int n;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 2);
        }
        if (!dev.vmcase.parsers.TextSource.utf16(head, n)) {
            return file;
        }
        Path abs = file.toAbsolutePath().normalize();
        Path copy = cacheDir.resolve("utf8-" + Ids.sha256Hex(abs + "\n" + Files.size(abs) + "\n"
                + Files.getLastModifiedTime(abs).toMillis()) + ".txt");
        if (Files.isRegularFile(copy)) {
            return copy;
        }
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempFile(cacheDir, "utf8-", ".part");
        try {
            try (java.io.InputStream in = dev.vmcase.parsers.TextSource.of(abs, "").openText()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return copy;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
