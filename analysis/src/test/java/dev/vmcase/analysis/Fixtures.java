package dev.vmcase.analysis;

import dev.vmcase.model.Evidence;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Real evidence kept elsewhere in the repository, and small transcripts written to a temp folder. */
public final class Fixtures {
    /** Real QEMU 7.2 monitor output: see parsers/src/test/resources/dev/vmcase/parsers/qemu/README.md. */
    public static final Path QEMU = Path.of("../parsers/src/test/resources/dev/vmcase/parsers/qemu");
    public static final Path DISK_CASE = Path.of("../sample-cases/orphaned-disk-qemu/evidence");

    private Fixtures() {
    }

    public static Evidence load(Path... files) {
        return Ingest.load(Arrays.asList(files), ProgressMonitor.NONE);
    }

    public static Evidence loadText(Path dir, String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, text);
            return load(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> rules(AnalysisResult r) {
        return r.findings().stream().map(dev.vmcase.model.Finding::rule).toList();
    }
}
