package dev.vmcase.app;

import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrowLogCommandTest {
    private static final Path LOG = Path.of("../sample-cases/libvirt-pending-unplug/evidence/libvirtd.log");

    @TempDir
    Path tmp;

    private int grow(Path from, Path out) {
        CommandLine cl = new CommandLine(new GrowLogCommand());
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl.execute("--from", from.toString(), "--mb", "3", "--out", out.toString());
    }

    @Test
    void copiesFollowOneAnotherInTimeAndACompressedLogGrowsAsItsText() throws IOException {
        Path plain = tmp.resolve("plain.log");
        assertEquals(0, grow(LOG, plain));
        List<String> original = Files.readAllLines(LOG, StandardCharsets.UTF_8);
        List<String> grown = Files.readAllLines(plain, StandardCharsets.UTF_8);
        assertTrue(grown.size() >= 2 * original.size(), grown.size() + " lines");
        assertEquals(original, grown.subList(0, original.size()));
        // the second copy starts after the first one ends, the rest of each line as it was
        String last = original.get(original.size() - 1);
        String next = grown.get(original.size());
        assertTrue(next.substring(0, 23).compareTo(last.substring(0, 23)) > 0, last + " / " + next);
        assertEquals(original.get(0).substring(23), next.substring(23));

        Path xz = tmp.resolve("libvirtd.log.xz");
        try (OutputStream out = new XZCompressorOutputStream(Files.newOutputStream(xz))) {
            Files.copy(LOG, out);
        }
        Path fromXz = tmp.resolve("from-xz.log");
        assertEquals(0, grow(xz, fromXz));
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(fromXz));
    }
}
