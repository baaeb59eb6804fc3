package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Problem;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file whose records outgrow the heap is left out where it is read, named with the line it reached, and the rest of
 * the evidence loads: without it the whole analysis was lost to an OutOfMemoryError (a QMP transcript of a management
 * layer polling query-pci and query-block, 256 MB, at -Xmx512m). Run in a JVM of its own with a 48 MB heap, on a
 * transcript grown from the lab's real QMP conversation.
 */
class IngestOutOfMemoryTest {
    @TempDir
    Path dir;

    /** The lab's real conversation with QEMU 7.2: greeting, capabilities, then query-pci and query-block asked. */
    private static final Path LAB_QMP = Path.of("..", "sample-cases", "lab-orphaned-disk", "evidence",
            "source-qmp.jsonl");
    private static final Path DOMAIN_LOG = Path.of("..", "sample-cases", "lab-orphaned-disk", "evidence",
            "instance-0000002a.log");

    @Test
    void aFileTooBigForTheHeapIsNamedAndLeftOutAndTheRestLoads() throws Exception {
        List<String> lines = Files.readAllLines(LAB_QMP, StandardCharsets.UTF_8);
        assertEquals("query-pci", lines.get(3).replaceAll(".*\"execute\":\"([^\"]+)\".*", "$1"), lines.get(3));
        assertEquals("query-block", lines.get(5).replaceAll(".*\"execute\":\"([^\"]+)\".*", "$1"), lines.get(5));
        Path polled = dir.resolve("polled.jsonl");
        long size = 0;
        try (BufferedWriter w = Files.newBufferedWriter(polled, StandardCharsets.UTF_8)) {
            for (String l : lines.subList(0, 3)) {
                w.write(l);
                w.write('\n');
            }
            while (size < (24 << 20)) { // asked again and again, answered the same
                for (String l : lines.subList(3, 7)) {
                    w.write(l);
                    w.write('\n');
                    size += l.length() + 1;
                }
            }
        }
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), polled.toString(), DOMAIN_LOG.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        List<String> said = out.lines().filter(l -> l.startsWith("child ")).toList();
        assertEquals(2, said.size(), out);
        String[] big = said.get(0).split(" ");
        assertEquals(polled.toString(), big[1], out);
        assertEquals("ingest.outOfMemory", big[2], out);
        int line = Integer.parseInt(big[3]);
        assertTrue(line > 7 && line < lines.size() * 100_000, out);
        assertEquals("0", big[4], "none of its records kept: " + out);
        String[] small = said.get(1).split(" ");
        assertEquals(DOMAIN_LOG.toString(), small[1], out);
        assertEquals("-", small[2], "the domain log read without a problem: " + out);
        assertTrue(Integer.parseInt(small[4]) > 0, "the domain log's records are there: " + out);
    }

    /** Loads its arguments; prints, per file, its first problem's key and line and how many records came from it. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            List<Path> files = new ArrayList<>();
            for (String a : args) {
                files.add(Path.of(a));
            }
            Evidence e = Ingest.load(files, ProgressMonitor.NONE);
            for (Path f : files) {
                Artifact a = e.artifacts().stream().filter(x -> x.path().equals(f.toString())).findFirst().orElseThrow();
                Problem first = a.problems().isEmpty() ? null : a.problems().get(0);
                long records = e.events().stream().filter(x -> x.source().path().equals(f.toString())).count()
                        + e.qmp().stream().filter(x -> x.source().path().equals(f.toString())).count()
                        + e.observations().stream().filter(x -> x.source().path().equals(f.toString())).count();
                System.out.println("child " + f + " " + (first == null ? "-" : first.key()) + " "
                        + (first == null ? 0 : first.line()) + " " + records);
            }
        }
    }
}
