package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Evidence;
import dev.vmcase.model.Ids;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.TextSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A big file is hashed while it is parsed: what it yields is what reading it hash first yields. */
class BigFileIngestTest {
    static final Path LIBVIRTD = Path.of("../sample-cases/libvirt-pending-unplug/evidence/libvirtd.log");

    @TempDir
    Path dir;

    @Test
    void hashedAlongsideParsingGivesTheSameEvidenceUnderTheRealHash() throws IOException {
        byte[] log = Files.readAllBytes(LIBVIRTD);
        Path big = dir.resolve("libvirtd.log");
        try (OutputStream out = Files.newOutputStream(big)) {
            for (long n = 0; n < Ingest.HASH_ALONGSIDE_BYTES + 1; n += log.length) {
                out.write(log);
            }
        }
        String sha = Ids.sha256Hex(Files.readAllBytes(big));

        Evidence alongside = Ingest.load(List.of(big), ProgressMonitor.NONE);
        Ingest.EvidenceBuilder b = new Ingest.EvidenceBuilder();
        byte[] head = java.util.Arrays.copyOf(log, 8192);
        b.add(Ingest.read(TextSource.of(big, sha), Files.size(big), head));
        Evidence hashFirst = b.build();

        assertEquals(sha, alongside.artifacts().get(0).sha256());
        assertEquals("libvirtd-debug-log", alongside.artifacts().get(0).format());
        assertTrue(alongside.events().size() > 10 && alongside.qmp().size() > 10, "the log was read");
        assertEquals(dump(hashFirst), dump(alongside));
        assertTrue(alongside.qmp().stream().allMatch(m -> m.source().artifact().equals(sha)));
        assertEquals(sha, alongside.timeline().artifact(0));
    }

    private static List<String> dump(Evidence e) {
        List<String> out = new ArrayList<>();
        e.artifacts().forEach(a -> out.add(a.toString()));
        e.events().forEach(x -> out.add(x.source() + " " + x.time() + " " + x.kind() + " " + x.message() + " "
                + new TreeMap<>(x.details())));
        e.qmp().forEach(x -> out.add(x.source() + " " + x.kind() + " " + x.name() + " " + x.qmpId() + " " + x.time()
                + " " + new TreeMap<>(x.arguments()) + " " + x.json() + " " + x.channel()));
        e.observations().forEach(x -> out.add(x.source() + " " + x.layer() + " " + x.id() + " "
                + new TreeMap<>(x.attributes())));
        for (int i = 0; i < e.timeline().size(); i++) {
            out.add(e.timeline().line(i) + " " + e.timeline().epochMicros(i) + " " + e.timeline().level(i));
        }
        return out;
    }
}
