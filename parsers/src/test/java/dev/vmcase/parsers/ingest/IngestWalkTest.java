package dev.vmcase.parsers.ingest;

import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A folder named through a link is read like the folder; inside a folder, links to files are read, links to folders
 * and folders that cannot be listed are named in a problem while the rest loads (issue 19, items 1 and 2).
 */
class IngestWalkTest {
    static final Path SEED = Path.of("..", "sample-cases", "seed-incident", "evidence").toAbsolutePath().normalize();
    static final Path DISK = Path.of("..", "sample-cases", "orphaned-disk-qemu", "evidence").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static Evidence load(Path... inputs) {
        return Ingest.load(List.of(inputs), ProgressMonitor.NONE);
    }

    @Test
    void aLinkToAnEvidenceFolderIsReadLikeTheFolder() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("LINK"), DISK);
        Evidence real = load(DISK);
        for (Path named : List.of(link, Path.of(link + "/"), link.resolve("."))) {
            Evidence viaLink = load(named);
            assertEquals(real.artifacts().size(), viaLink.artifacts().size(), named::toString);
            assertFalse(viaLink.events().isEmpty(), named::toString);
            assertEquals(ArchiveIngestTest.records(real), ArchiveIngestTest.records(viaLink), named::toString);
            assertTrue(viaLink.artifacts().stream().allMatch(a -> a.path().startsWith(link.toString())),
                    "artifacts are named by the path the user gave");
        }
    }

    @Test
    void insideAFolderLinksToFilesAreReadAndLinksToFoldersAreNamedNotFollowed() throws IOException {
        Path ev = Files.createDirectories(dir.resolve("ev"));
        Files.copy(SEED.resolve("000_01db9a105711600e.txt"), ev.resolve("note.txt"));
        Files.createSymbolicLink(ev.resolve("dest.log"), DISK.resolve("destination-qemu.log"));
        Files.createSymbolicLink(ev.resolve("loop"), ev);
        Files.createSymbolicLink(ev.resolve("gone.log"), dir.resolve("no-such-file"));
        Map<String, Artifact> a = ArchiveIngestTest.byPath(load(ev));
        assertEquals("qemu-domain-log", a.get(ev.resolve("dest.log").toString()).format());
        assertEquals("text-with-evidence", a.get(ev.resolve("note.txt").toString()).format());
        assertTrue(ArchiveIngestTest.hasProblem(a.get(ev.resolve("loop").toString()), "not followed inside a folder"));
        assertTrue(ArchiveIngestTest.hasProblem(a.get(ev.resolve("gone.log").toString()), "does not exist"));
        assertEquals(4, a.size(), a.keySet()::toString);
    }

    /**
     * The walker's own error path: the test's lister refuses one sub-folder as the kernel does for mode 000 to a
     * user who is not root ({@link AccessDeniedException}), and another breaks off in the middle of its listing
     * ({@link DirectoryIteratorException}, as a folder on a failing disk or a vanished NFS mount does). Tests run as
     * root in CI, and root reads mode 000 folders, so the refusal is simulated here; the next test does it for real
     * when it is not root.
     */
    @Test
    void anUnreadableSubFolderIsNamedAndTheRestLoads() throws IOException {
        Path ev = Files.createDirectories(dir.resolve("bundle"));
        Path src = Files.createDirectories(ev.resolve("source"));
        Path locked = Files.createDirectories(ev.resolve("locked"));
        Path flaky = Files.createDirectories(ev.resolve("flaky"));
        for (String f : List.of("source-qmp.jsonl", "source-info-qtree.txt", "source-query-pci.json")) {
            Files.copy(DISK.resolve(f), src.resolve(f));
        }
        Files.copy(DISK.resolve("destination-qemu.log"), locked.resolve("destination-qemu.log"));
        Files.copy(DISK.resolve("destination-qemu.log"), flaky.resolve("a.log"));
        Files.copy(DISK.resolve("destination-qemu.log"), flaky.resolve("b.log"));
        Folders.Lister lister = d -> {
            if (d.equals(locked)) {
                throw new AccessDeniedException(d.toString());
            }
            DirectoryStream<Path> real = Files.newDirectoryStream(d);
            if (!d.equals(flaky)) {
                return real;
            }
            return new DirectoryStream<>() {
                @Override
                public Iterator<Path> iterator() {
                    Iterator<Path> it = real.iterator();
                    return new Iterator<>() {
                        int given;

                        @Override
                        public boolean hasNext() {
                            if (given == 1) {
                                throw new DirectoryIteratorException(new IOException("Input/output error"));
                            }
                            return it.hasNext();
                        }

                        @Override
                        public Path next() {
                            given++;
                            return it.next();
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        };
        Evidence e = Ingest.load(List.of(ev), IngestOptions.DEFAULTS, ProgressMonitor.NONE, lister);
        Map<String, Artifact> a = ArchiveIngestTest.byPath(e);
        assertTrue(ArchiveIngestTest.hasProblem(a.get(locked.toString()), "permission denied"), a.keySet()::toString);
        assertTrue(ArchiveIngestTest.hasProblem(a.get(flaky.toString()), "the files listed before the error were read"));
        assertEquals("qmp-transcript", a.get(src.resolve("source-qmp.jsonl").toString()).format());
        assertEquals("hmp-info-qtree", a.get(src.resolve("source-info-qtree.txt").toString()).format());
        assertEquals(1, a.keySet().stream().filter(p -> p.startsWith(flaky + "/")).count(), a.keySet()::toString);
        assertFalse(e.qmp().isEmpty());
        assertFalse(e.observations().isEmpty());
    }

    @Test
    void aMode000SubFolderIsNamedAndTheRestLoadsForAUserWhoIsNotRoot() throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root reads mode 000 folders; the walker's error path is tested with a refusing lister above");
        Path ev = Files.createDirectories(dir.resolve("bundle"));
        Path locked = Files.createDirectories(ev.resolve("locked"));
        Files.copy(DISK.resolve("destination-qemu.log"), locked.resolve("destination-qemu.log"));
        Files.copy(DISK.resolve("source-qmp.jsonl"), ev.resolve("source-qmp.jsonl"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            Map<String, Artifact> a = ArchiveIngestTest.byPath(load(ev));
            assertTrue(ArchiveIngestTest.hasProblem(a.get(locked.toString()), "permission denied"));
            assertEquals("qmp-transcript", a.get(ev.resolve("source-qmp.jsonl").toString()).format());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
