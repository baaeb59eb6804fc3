package dev.vmcase.parsers.lines;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ingest.IngestOptions;
import dev.vmcase.parsers.ProgressMonitor;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Archive members are extracted on demand, once, with ingest's safety; loose files are read in place. */
class ArtifactFilesTest {
    @TempDir
    Path dir;

    static byte[] tar(Map<String, byte[]> members, boolean xz) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream comp = xz ? new XZCompressorOutputStream(bytes, 1) : new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(comp)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : members.entrySet()) {
                TarArchiveEntry t = new TarArchiveEntry(e.getKey(), true);
                t.setSize(e.getValue().length);
                tar.putArchiveEntry(t);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] zip(String name, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.putArchiveEntry(new ZipArchiveEntry(name));
            zip.write(data);
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void membersAreExtractedOnceIntoTheCacheAndReadLikeTheOriginal() throws IOException {
        byte[] log = Files.readAllBytes(LogFileTest.LIBVIRTD);
        byte[] domainLog = Files.readAllBytes(Path.of("../sample-cases/orphaned-disk-qemu/evidence/destination-qemu.log"));
        Path bundle = dir.resolve("bundle.tar.xz");
        Files.write(bundle, tar(Map.of("sosreport-cmp-17/var/log/libvirt/libvirtd.log", log,
                "sosreport-cmp-17/inner.zip", zip("instance-0000002a.log", domainLog)), true));
        Path work = dir.resolve("work");
        IngestOptions options = IngestOptions.DEFAULTS.withWorkDir(work);
        Evidence e = Ingest.load(List.of(bundle), options, ProgressMonitor.NONE);
        Artifact member = e.artifacts().stream().filter(a -> a.path().endsWith("libvirtd.log")).findFirst().orElseThrow();
        Artifact nested = e.artifacts().stream().filter(a -> a.path().endsWith("inner.zip!/instance-0000002a.log"))
                .findFirst().orElseThrow();
        assertTrue(ArtifactFiles.isMember(member));
        ArtifactFiles files = ArtifactFiles.of(options);
        Path p = files.fileFor(member, ProgressMonitor.NONE);
        assertTrue(p.startsWith(work), "extracted into vmcase's work folder: " + p);
        assertArrayEquals(log, Files.readAllBytes(p));
        Path again = files.fileFor(member, ProgressMonitor.NONE);
        assertEquals(p, again);
        assertEquals(Files.getLastModifiedTime(p), Files.getLastModifiedTime(again), "extracted once");
        assertArrayEquals(domainLog, Files.readAllBytes(files.fileFor(nested, ProgressMonitor.NONE)));
        try (LogFile f = LogFile.open(p, ProgressMonitor.NONE); LogFile orig = LogFile.open(LogFileTest.LIBVIRTD,
                ProgressMonitor.NONE)) {
            assertEquals(orig.lineCount(), f.lineCount());
            assertEquals(orig.line(orig.lineCount() / 2), f.line(f.lineCount() / 2));
        }
        try (var left = Files.list(files.cacheDir())) {
            assertFalse(left.anyMatch(q -> q.toString().endsWith(".part")), "no partial extractions left");
        }
    }

    @Test
    void aLooseFileIsReadInPlaceAndAGzipIsDecompressed() throws IOException {
        Evidence e = Ingest.load(List.of(LogFileTest.LIBVIRTD), ProgressMonitor.NONE);
        Artifact a = e.artifacts().get(0);
        ArtifactFiles files = new ArtifactFiles(dir.resolve("cache"), IngestOptions.DEFAULTS);
        assertFalse(ArtifactFiles.isMember(a));
        assertEquals(LogFileTest.LIBVIRTD, files.fileFor(a, ProgressMonitor.NONE));
        Path gz = dir.resolve("libvirtd.log.gz");
        byte[] log = Files.readAllBytes(LogFileTest.LIBVIRTD);
        try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(gz))) {
            out.write(log);
        }
        Artifact g = Ingest.load(List.of(gz), ProgressMonitor.NONE).artifacts().get(0);
        assertArrayEquals(log, Files.readAllBytes(files.fileFor(g, ProgressMonitor.NONE)));
    }

    @Test
    void aUtf16CopyOfALogIsShownAsItsTextWithTheLinesTheAnalysisCites() throws IOException {
        // the real libvirtd log as a Windows copy would be: UTF-16LE with a byte-order mark
        String text = Files.readString(LogFileTest.LIBVIRTD);
        Path utf16 = dir.resolve("libvirtd-utf16.log");
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[body.length + 2];
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xFE;
        System.arraycopy(body, 0, bytes, 2, body.length);
        Files.write(utf16, bytes);
        Evidence e = Ingest.load(List.of(utf16), ProgressMonitor.NONE);
        Artifact a = e.artifacts().get(0);
        ArtifactFiles files = new ArtifactFiles(dir.resolve("cache"), IngestOptions.DEFAULTS);
        Path shown = files.fileFor(a, ProgressMonitor.NONE);
        assertEquals(text, Files.readString(shown), "the text, not its UTF-16 bytes");
        assertEquals(shown, files.fileFor(a, ProgressMonitor.NONE), "decoded once");
        try (LogFile f = LogFile.open(shown, ProgressMonitor.NONE)) {
            var cited = e.events().get(0).source();
            assertEquals(cited.text(), f.line(cited.line()), "the line the analysis cites, at its number");
        }
    }

    @Test
    void aMemberClimbingOutOrBeyondTheBudgetIsRefused() throws IOException {
        Path bundle = dir.resolve("evil.tar.gz");
        Files.write(bundle, tar(Map.of("../../etc/evil.log", "2026-11-27 x\n".getBytes()), false));
        Artifact evil = Ingest.load(List.of(bundle), ProgressMonitor.NONE).artifacts().stream()
                .filter(a -> a.path().contains("evil.log")).findFirst().orElseThrow();
        ArtifactFiles files = new ArtifactFiles(dir.resolve("cache"), IngestOptions.DEFAULTS);
        IOException ex = assertThrows(IOException.class, () -> files.fileFor(evil, ProgressMonitor.NONE));
        assertTrue(ex.getMessage().contains("climbs out"), ex.getMessage());
        assertFalse(Files.exists(dir.resolve("etc")));

        byte[] zeros = new byte[8 << 20];
        Path bomb = dir.resolve("bomb.tar.gz");
        Files.write(bomb, tar(Map.of("big.log", zeros), false));
        Artifact member = new Artifact("0".repeat(64), bomb + "!/big.log", zeros.length, "unrecognized", null, null,
                List.of());
        ArtifactFiles strict = new ArtifactFiles(dir.resolve("cache"), IngestOptions.DEFAULTS.withMaxBundleBytes(1 << 20));
        IOException stop = assertThrows(IOException.class, () -> strict.fileFor(member, ProgressMonitor.NONE));
        assertTrue(stop.getMessage().contains("budget"), stop.getMessage());
    }
}
