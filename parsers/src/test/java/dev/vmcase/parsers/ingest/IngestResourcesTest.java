package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Artifact;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What ingest may spend (issue 19, item 11): a sparse tar member counts by the bytes it expands to, a binary member is
 * never spooled, and the spool folders of a killed vmcase are deleted at the next start, never a running one's.
 */
class IngestResourcesTest {
    @TempDir
    Path dir;

    /** A process that has ended: its id names no running process (until the system reuses it). */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void aSparseTarMemberCountsByItsExpandedBytes() throws Exception {
        // a real GNU tar --sparse archive: a log's first lines, then a 2 GiB hole
        Path log = dir.resolve("holes.log");
        Files.write(log, Files.readAllBytes(Path.of("..", "sample-cases", "orphaned-disk-qemu", "evidence",
                "destination-qemu.log")));
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(2L << 30);
        }
        Path tar = dir.resolve("sparse.tar");
        Process p = new ProcessBuilder("tar", "--sparse", "-cf", tar.toString(), "-C", dir.toString(), "holes.log")
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        Files.delete(log);
        assertTrue(Files.size(tar) < 100_000, "a small archive: " + Files.size(tar));
        Path work = Files.createDirectories(dir.resolve("work"));
        Map<String, Artifact> a = ArchiveIngestTest.byPath(Ingest.load(List.of(tar),
                IngestOptions.DEFAULTS.withMaxBundleBytes(64L << 20).withWorkDir(work), ProgressMonitor.NONE));
        Artifact archive = a.get(tar.toString());
        assertTrue(ArchiveIngestTest.hasProblem(archive, "decompression budget exceeded"),
                () -> ArchiveIngestTest.problems(archive));
        try (var left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "the spool is gone");
        }
    }

    @Test
    void aBinaryMemberIsNeverSpooled() throws Exception {
        byte[] random = new byte[3 << 20];
        new Random(1).nextBytes(random);
        byte[] text = Files.readString(Path.of("..", "sample-cases", "libvirt-pending-unplug", "evidence",
                "libvirtd.log")).repeat(5).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path tar = dir.resolve("mixed.tar");
        Files.write(tar, ArchiveIngestTest.tar(ArchiveIngestTest.Compression.NONE, List.of(
                ArchiveIngestTest.Entry.file("core.bin", random), ArchiveIngestTest.Entry.file("libvirtd.log", text))));
        // a work folder that cannot be made: a member that had to be spooled says so
        Path notAFolder = Files.writeString(dir.resolve("file"), "x");
        Map<String, Artifact> a = ArchiveIngestTest.byPath(Ingest.load(List.of(tar),
                IngestOptions.DEFAULTS.withWorkDir(notAFolder.resolve("spool")), ProgressMonitor.NONE));
        Artifact core = a.get(tar + "!/core.bin");
        assertTrue(ArchiveIngestTest.hasProblem(core, "binary content"), () -> ArchiveIngestTest.problems(core));
        assertFalse(ArchiveIngestTest.hasProblem(core, "cannot spool"));
        assertEquals(random.length, core.size());
        Artifact log = a.get(tar + "!/libvirtd.log");
        assertTrue(ArchiveIngestTest.hasProblem(log, "cannot spool"), () -> "the big text member did need the spool: "
                + a.keySet() + " " + ArchiveIngestTest.problems(log));
    }

    @Test
    void theSpoolsOfAKilledVmcaseGoAtTheNextStartARunningOnesStay() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        long dead = deadPid();
        Path stale = Files.createDirectories(work.resolve("vmcase-ingest-" + dead + "-123"));
        Files.writeString(stale.resolve("member-1.spool"), "left by a kill -9");
        Path running = Files.createDirectories(work.resolve("vmcase-ingest-1-456")); // pid 1 always runs
        Path mine = Files.createDirectories(work.resolve(Folders.spoolPrefix() + "789"));
        Path other = Files.createDirectories(work.resolve("vmcase-ingest-notes"));
        Ingest.CLEANED.clear();
        Ingest.load(List.of(Path.of("..", "sample-cases", "seed-incident", "evidence")),
                IngestOptions.DEFAULTS.withWorkDir(work), ProgressMonitor.NONE);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(running) && Files.exists(mine) && Files.exists(other));
    }
}
