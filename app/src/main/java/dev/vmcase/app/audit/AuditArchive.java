package dev.vmcase.app.audit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a host sends the controller ({@code vmcase audit --archive FILE}): one {@code .tar.gz} with {@code audit.json}
 * first, then the bundles asked for — those of the blocked and unknown VMs ({@code problems}), every VM's
 * ({@code all}) or none — and, when asked, the host's copy of the daemon log. {@code vmcase audit merge} reads it as
 * it is. Written to a temporary name and renamed, so a half-written archive is never fetched.
 */
public final class AuditArchive {
    /** Which bundles go in. */
    public enum Bundles {
        PROBLEMS, ALL, NONE;

        public static Bundles of(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    private AuditArchive() {
    }

    /** The paths (relative to the audit folder) that go into the archive, in order. */
    static List<String> members(HostAudit h, Bundles bundles, boolean daemonLog) {
        List<String> out = new ArrayList<>();
        out.add(HostAudit.FILE);
        for (VmAudit vm : h.vms()) {
            if (bundles == Bundles.ALL || (bundles == Bundles.PROBLEMS && vm.verdict() != Verdict.READY)) {
                out.add(vm.bundle());
            }
        }
        if (daemonLog && h.daemonLog() != null && h.daemonLog().file() != null) {
            out.add(h.daemonLog().file());
        }
        return out;
    }

    public static void write(HostAudit h, Path dir, Path target, Bundles bundles, boolean daemonLog) throws IOException {
        tarGz(target, tar -> {
            for (String m : members(h, bundles, daemonLog)) {
                Path p = dir.resolve(m);
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.walk(p)) {
                        for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                            add(tar, dir, f);
                        }
                    }
                } else if (Files.isRegularFile(p)) {
                    add(tar, dir, p);
                }
            }
        });
    }

    /** What goes into a {@code .tar.gz}. */
    interface Members {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /**
     * Writes a {@code .tar.gz} (long names in POSIX form) to a temporary name beside {@code target} and renames it, so
     * a half-written archive is never taken for a whole one.
     */
    static void tarGz(Path target, Members members) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                members.write(tar);
                tar.finish();
            }
            Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void add(TarArchiveOutputStream tar, Path dir, Path f) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(f.toFile(), dir.relativize(f).toString().replace('\\', '/'));
        tar.putArchiveEntry(e);
        Files.copy(f, tar);
        tar.closeArchiveEntry();
    }
}
