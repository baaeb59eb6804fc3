package dev.vmcase.parsers.ingest;

import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static dev.vmcase.parsers.ingest.ArchiveIngestTest.Compression;
import static dev.vmcase.parsers.ingest.ArchiveIngestTest.Entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged archives (issue 19, item 3): a truncated {@code .tar.gz} or {@code .tar.xz} loads every member that ends
 * before the break and says where the archive broke; a corrupt tar header and a zip member whose CRC does not match
 * are detected. Every archive is built here from the real evidence of the sample cases, then cut or damaged.
 */
class ArchiveDamageTest {
    @TempDir
    Path dir;
    @TempDir
    Path work;

    static List<Entry> realEvidence(Path... folders) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Path folder : folders) {
            for (Path f : ArchiveIngestTest.evidenceFiles(folder)) {
                entries.add(Entry.file(folder.getParent().getFileName() + "/" + f.getFileName(), Files.readAllBytes(f)));
            }
        }
        return entries;
    }

    /** Where each member's data ends in the tar stream (a 512-byte header, data padded to 512; PAX headers aside). */
    static long[] ends(List<Entry> entries) {
        long[] ends = new long[entries.size()];
        long at = 0;
        for (int i = 0; i < entries.size(); i++) {
            at += 512 + entries.get(i).data().length;
            ends[i] = at;
            at = (at + 511) / 512 * 512;
        }
        return ends;
    }

    /** How many bytes of a cut stream a decoder gives, read one at a time up to the break. */
    static long decodable(byte[] cut, Compression c) {
        long n = 0;
        try (InputStream in = c == Compression.GZIP ? new GzipCompressorInputStream(new ByteArrayInputStream(cut))
                : new XZCompressorInputStream(new ByteArrayInputStream(cut))) {
            byte[] one = new byte[1];
            while (in.read(one, 0, 1) > 0) {
                n++;
            }
        } catch (IOException e) {
            // the break
        }
        return n;
    }

    Evidence load(Path p) {
        return Ingest.load(List.of(p), IngestOptions.DEFAULTS.withWorkDir(work), ProgressMonitor.NONE);
    }

    void everyMemberBeforeTheBreakLoads(Compression c, List<Entry> entries, double keep) throws IOException {
        byte[] whole = ArchiveIngestTest.tar(c, entries);
        byte[] cut = Arrays.copyOf(whole, (int) (whole.length * keep));
        Path p = dir.resolve("cut-" + c + "-" + keep + ".tar");
        Files.write(p, cut);
        long available = decodable(cut, c);
        long[] ends = ends(entries);
        Map<String, Artifact> a = ArchiveIngestTest.byPath(load(p));
        Path intact = dir.resolve("whole-" + c + "-" + keep + ".tar");
        Files.write(intact, whole);
        Map<String, Artifact> w = ArchiveIngestTest.byPath(load(intact));
        int whole0 = 0;
        for (int i = 0; i < entries.size(); i++) {
            // a member that ends more than one short read before the decodable end is there, whole and unblamed
            if (ends[i] + ArchiveReader.ShortReads.MAX <= available) {
                Entry e = entries.get(i);
                Artifact m = a.get(p + "!/" + e.name());
                Artifact good = w.get(intact + "!/" + e.name());
                assertTrue(m != null && m.size() == e.data().length && m.sha256().equals(good.sha256())
                        && m.problems().size() == good.problems().size(), () -> c + " " + keep + ": " + e.name()
                        + " " + (m == null ? "missing" : ArchiveIngestTest.problems(m)));
                whole0++;
            }
        }
        assertTrue(whole0 > 0, c + " " + keep + ": the test cuts after at least one member");
        Artifact archive = a.get(p.toString());
        assertTrue(ArchiveIngestTest.hasProblem(archive, "truncated or corrupt tar." + c.name().toLowerCase()
                .replace("gzip", "gzip")), () -> ArchiveIngestTest.problems(archive));
        assertTrue(ArchiveIngestTest.hasProblem(archive, "the archive breaks at its byte "),
                () -> ArchiveIngestTest.problems(archive));
        assertTrue(ArchiveIngestTest.hasProblem(archive, "of the file " + p), () -> ArchiveIngestTest.problems(archive));
    }

    @Test
    void aSmallTruncatedTarGzLoadsItsMembersBeforeTheBreak() throws IOException {
        List<Entry> entries = realEvidence(ArchiveIngestTest.ORPHANED_DISK);
        for (double keep : new double[] {0.95, 0.6, 0.3}) {
            everyMemberBeforeTheBreakLoads(Compression.GZIP, entries, keep);
        }
    }

    @Test
    void aTruncatedTarXzLoadsItsMembersBeforeTheBrokenChunk() throws IOException {
        List<Entry> entries = realEvidence(ArchiveIngestTest.ORPHANED_DISK, ArchiveIngestTest.LIBVIRT_MIGRATION,
                Path.of("..", "sample-cases", "libvirt-pending-unplug", "evidence"));
        // xz decodes in chunks of up to 2 MiB; repeat the real files so the archive has several
        List<Entry> more = new ArrayList<>(entries);
        for (int copy = 1; copy < 4; copy++) {
            for (Entry e : entries) {
                more.add(Entry.file("copy" + copy + "/" + e.name(), e.data()));
            }
        }
        everyMemberBeforeTheBreakLoads(Compression.XZ, more, 0.99);
        everyMemberBeforeTheBreakLoads(Compression.XZ, more, 0.7);
    }

    @Test
    void aSmallTarXzCutInItsOnlyChunkLoadsItsMembersBeforeTheCutAndNothingMadeUp() throws IOException {
        // one LZMA2 chunk: xz-java alone decodes nothing of it once it is cut anywhere
        List<Entry> entries = realEvidence(ArchiveIngestTest.ORPHANED_DISK);
        byte[] whole = ArchiveIngestTest.tar(Compression.XZ, entries);
        long tarLength = ends(entries)[entries.size() - 1];
        long[] ends = ends(entries);
        for (double keep : new double[] {0.99, 0.8, 0.6}) {
            byte[] cut = Arrays.copyOf(whole, (int) (whole.length * keep));
            assertEquals(0, decodable(cut, Compression.XZ), "the plain decoder gives nothing of a cut chunk");
            Path p = dir.resolve("small-" + keep + ".tar.xz");
            Files.write(p, cut);
            Map<String, Artifact> a = ArchiveIngestTest.byPath(load(p));
            int intact = 0;
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                Artifact m = a.get(p + "!/" + e.name());
                if (m != null && m.size() == e.data().length) {
                    // a member read whole is the real one: no byte of it came from the made-up end
                    assertEquals(dev.vmcase.model.Ids.sha256Hex(e.data()), m.sha256(), keep + " " + e.name());
                    intact++;
                } else {
                    // compression is even enough on this text that what ends in the first half of the kept share
                    // is decodable
                    assertTrue(ends[i] > tarLength * keep / 2, () -> keep + " " + e.name() + " lost: " + a.keySet());
                }
            }
            assertTrue(intact > 0, "at least one member before the cut");
            Artifact archive = a.get(p.toString());
            assertTrue(ArchiveIngestTest.hasProblem(archive, "truncated or corrupt tar.xz"),
                    () -> ArchiveIngestTest.problems(archive));
            assertTrue(ArchiveIngestTest.hasProblem(archive, "of the file " + p), () -> ArchiveIngestTest.problems(archive));
        }
    }

    @Test
    void aTarXzCutBeforeAnyDataSaysNothingCouldBeDecodedNotEmptyFile() throws IOException {
        byte[] whole = ArchiveIngestTest.tar(Compression.XZ, realEvidence(ArchiveIngestTest.ORPHANED_DISK));
        Path p = dir.resolve("small.tar.xz");
        Files.write(p, Arrays.copyOf(whole, 40)); // the stream and block headers and hardly a byte of the chunk
        Artifact a = load(p).artifacts().get(0);
        assertTrue(ArchiveIngestTest.hasProblem(a, "nothing of it could be decoded before the break"),
                () -> ArchiveIngestTest.problems(a));
        assertFalse(ArchiveIngestTest.hasProblem(a, "empty file"));
    }

    @Test
    void aCorruptTarHeaderIsABreakNotAMemberWithAGarbledName() throws IOException {
        List<Entry> entries = realEvidence(ArchiveIngestTest.ORPHANED_DISK);
        byte[] tar = ArchiveIngestTest.tar(Compression.NONE, entries);
        long[] ends = ends(entries);
        int third = (int) ((ends[1] + 511) / 512 * 512);
        tar[third + 3] ^= 0x01; // one flipped bit in the third member's name
        Path p = dir.resolve("flipped.tar");
        Files.write(p, tar);
        Map<String, Artifact> a = ArchiveIngestTest.byPath(load(p));
        assertEquals(List.of(), a.get(p + "!/" + entries.get(0).name()).problems());
        assertEquals(List.of(), a.get(p + "!/" + entries.get(1).name()).problems());
        assertEquals(3, a.size(), a.keySet()::toString);
        Artifact archive = a.get(p.toString());
        assertTrue(ArchiveIngestTest.hasProblem(archive, "tar header checksum mismatch"),
                () -> ArchiveIngestTest.problems(archive));
        assertTrue(ArchiveIngestTest.hasProblem(archive, "after member " + entries.get(1).name()));
    }

    @Test
    void aZipMemberWhoseBytesDoNotMatchItsCrcIsSaidToBeCorrupt() throws IOException {
        List<Entry> entries = realEvidence(ArchiveIngestTest.ORPHANED_DISK).subList(0, 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Entry e : entries) {
                ZipArchiveEntry z = new ZipArchiveEntry(e.name());
                z.setMethod(ZipArchiveEntry.STORED);
                z.setSize(e.data().length);
                CRC32 crc = new CRC32();
                crc.update(e.data());
                z.setCrc(crc.getValue());
                zip.putArchiveEntry(z);
                zip.write(e.data());
                zip.closeArchiveEntry();
            }
        }
        byte[] zip = bytes.toByteArray();
        byte[] name = entries.get(1).name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = -1;
        for (int i = 0; i < zip.length - name.length && at < 0; i++) {
            if (Arrays.equals(zip, i, i + name.length, name, 0, name.length)) {
                at = i + name.length;
            }
        }
        zip[at + 100] ^= 0x20; // a flipped bit in the second member's stored data
        Path p = dir.resolve("flipped.zip");
        Files.write(p, zip);
        Map<String, Artifact> a = ArchiveIngestTest.byPath(load(p));
        Artifact victim = a.get(p + "!/" + entries.get(1).name());
        assertTrue(ArchiveIngestTest.hasProblem(victim, "zip CRC mismatch"), () -> ArchiveIngestTest.problems(victim));
        for (int i : new int[] {0, 2, 3}) {
            assertEquals(List.of(), a.get(p + "!/" + entries.get(i).name()).problems());
        }
        assertNull(a.get(p.toString()).problems().stream().filter(x -> x.message().contains("CRC")).findAny()
                .orElse(null));
    }
}
