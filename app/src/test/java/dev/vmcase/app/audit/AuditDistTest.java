package dev.vmcase.app.audit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distribution the hosts get: what is in it, and that its launcher runs vmcase with nothing else around. */
class AuditDistTest {
    @TempDir
    Path tmp;

    @Test
    void theDistributionRunsVmcaseFromItsOwnFolder() throws Exception {
        List<Path> cp = new ArrayList<>();
        for (String s : AnsibleAuditTest.classPath().split(File.pathSeparator)) {
            cp.add(Path.of(s));
        }
        Path dist = tmp.resolve("vmcase-dist.tar.gz");
        AuditDist.write(cp, dist);
        Map<String, Integer> modes = new LinkedHashMap<>();
        String order = null;
        try (InputStream in = Files.newInputStream(dist);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                modes.put(e.getName(), e.getMode() & 0777);
                if (e.getName().equals("vmcase/lib/order")) {
                    order = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertEquals(0755, modes.get("vmcase/bin/vmcase"));
        assertTrue(modes.containsKey("vmcase/VERSION"));
        // every class path entry, in order; the build's class folders packed as jars
        List<String> lines = order.lines().toList();
        assertEquals(cp.stream().filter(Files::exists).count(), lines.size());
        assertTrue(lines.get(0).startsWith("01-") && lines.get(0).endsWith(".jar"), lines.get(0));
        for (String l : lines) {
            assertTrue(modes.containsKey("vmcase/lib/" + l), l);
        }

        Path home = Files.createDirectories(tmp.resolve("opt"));
        Process untar = new ProcessBuilder("tar", "-xzf", dist.toString(), "-C", home.toString(), "--strip-components=1")
                .inheritIO().start();
        assertEquals(0, untar.waitFor());
        Process p = new ProcessBuilder(home.resolve("bin/vmcase").toString(), "audit", "--help")
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("--domain-timeout") && out.contains("merge"), out);
    }
}
