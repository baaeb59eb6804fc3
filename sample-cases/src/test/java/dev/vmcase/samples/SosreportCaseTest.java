package dev.vmcase.samples;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.ProgressMonitor;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 4's "done when": the real-QEMU orphaned-disk case, packed as two sosreport-style tar.xz archives (one per
 * host, files where a sosreport keeps them: each QEMU's log as libvirt names it, after its guest), gives the same
 * findings as the loose files, with hosts and roles right.
 */
class SosreportCaseTest {
    private static final Path CASE = SampleCasesTest.CASES.resolve("orphaned-disk-qemu/evidence");

    @TempDir
    Path dir;

    @Test
    void twoSosreportsGiveTheSameFindingsAsTheLooseFilesWithHostsAndRoles() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(CASE)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        sosreport(dir.resolve("sosreport-cmp-src.tar.xz"), "sosreport-cmp-src-01234567-2026-11-27-abcdefg",
                files.stream().filter(f -> !f.getFileName().toString().startsWith("destination")).toList());
        sosreport(dir.resolve("sosreport-cmp-dst.tar.xz"), "sosreport-cmp-dst-01234567-2026-11-27-hijklmn",
                files.stream().filter(f -> f.getFileName().toString().startsWith("destination")).toList());

        AnalysisResult loose = Analysis.of(List.of(CASE), ProgressMonitor.NONE);
        AnalysisResult packed = Analysis.of(List.of(dir), ProgressMonitor.NONE);
        assertEquals(summary(loose), summary(packed));

        Map<String, Artifact> byName = new java.util.HashMap<>();
        packed.evidence().artifacts().forEach(a -> byName.put(a.path().substring(a.path().indexOf("!/") + 2), a));
        Artifact dstLog = byName.get("sosreport-cmp-dst-01234567-2026-11-27-hijklmn/var/log/libvirt/qemu/" + GUEST + ".log");
        assertEquals("cmp-dst", dstLog.host());
        assertEquals(Role.DESTINATION, dstLog.role());
        byName.clear();
        packed.evidence().artifacts().forEach(a -> byName.put(a.path().substring(a.path().lastIndexOf('/') + 1), a));
        assertEquals("cmp-src", byName.get("source-qmp.jsonl").host());
        assertEquals(Role.SOURCE, byName.get("source-qmp.jsonl").role());
    }

    /** Rule, devices and cited lines (file name:line, a log by its name in the case) of every finding. */
    private static List<String> summary(AnalysisResult r) {
        return r.findings().stream().map(SosreportCaseTest::summary).toList();
    }

    private static String summary(Finding f) {
        return f.rule() + " " + f.devices() + " " + f.evidence().stream()
                .map(e -> caseName(e.path()) + ":" + e.line()).toList();
    }

    /** The case's name of a file: a sosreport keeps each side's QEMU log as {@code GUEST.log}. */
    private static String caseName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.equals(GUEST + ".log")) {
            return path.contains("sosreport-cmp-dst") ? "destination-qemu.log" : "source-qemu.log";
        }
        return name;
    }

    /** The guest of the case ({@code -name guest=vm-orphan}): libvirt names each QEMU's log after it. */
    private static final String GUEST = "vm-orphan";

    private static void sosreport(Path archive, String top, List<Path> files) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive); XZCompressorOutputStream xz = new XZCompressorOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(xz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : files) {
                String name = f.getFileName().toString();
                String where = name.endsWith(".log") ? "var/log/libvirt/qemu/" + GUEST + ".log"
                        : "sos_commands/virsh/" + name;
                TarArchiveEntry e = new TarArchiveEntry(top + "/" + where);
                e.setSize(Files.size(f));
                tar.putArchiveEntry(e);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
        }
    }
}
