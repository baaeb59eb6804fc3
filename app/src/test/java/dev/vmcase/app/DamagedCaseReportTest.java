package dev.vmcase.app;

import dev.vmcase.casefile.Annotation;
import dev.vmcase.casefile.CaseArtifact;
import dev.vmcase.casefile.CaseFile;
import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.CaseNotes;
import dev.vmcase.casefile.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vmcase report} on a case with one flipped byte in one artifact, and on a file that is no zip at all. */
class DamagedCaseReportTest {
    @TempDir
    Path tmp;

    private record Run(int code, String err) {
    }

    private Run report(Path caseFile, Path out) {
        System.setProperty("vmcase.work", tmp.resolve("work").toString());
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute("report", caseFile.toString(), "--format", "md", "--out",
                    out.toString());
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void aFlippedByteInOneArtifactIsAWarningAndTheReportKeepsTheNotes() throws Exception {
        CaseFile c = CaseFile.fromInputs(List.of(Path.of("../sample-cases/orphaned-disk-qemu/evidence")));
        c = c.withNotes(new CaseNotes(List.of(new Annotation("1", Target.device("virtio-disk1"), "keep this note",
                List.of(), "alice", "t", "t")), List.of(), List.of(), Map.of()));
        Path file = tmp.resolve("c.vmcase");
        CaseIO.save(c, file);
        CaseArtifact victim = c.artifacts().stream().filter(a -> a.name().endsWith("source-qmp.jsonl")).findFirst()
                .orElseThrow();
        byte[] zip = Files.readAllBytes(file);
        byte[] name = victim.entry().getBytes(StandardCharsets.UTF_8);
        int at = -1;
        for (int i = 30; i < zip.length - name.length && at < 0; i++) {
            if (zip[i - 30] == 'P' && zip[i - 29] == 'K' && zip[i - 28] == 3 && zip[i - 27] == 4
                    && Arrays.equals(zip, i, i + name.length, name, 0, name.length)) {
                at = i + name.length + ((zip[i - 2] & 0xff) | (zip[i - 1] & 0xff) << 8);
            }
        }
        zip[at + 40] ^= 0x5a;
        Files.write(file, zip);
        Path md = tmp.resolve("c.md");
        Run r = report(file, md);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains(victim.name() + ": "), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(Files.readString(md).contains("> keep this note"));
    }

    @Test
    void aFileThatIsNoCaseIsOneLineAndExitStatusOne() throws Exception {
        Path junk = tmp.resolve("junk.vmcase");
        byte[] bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        bytes[0] = 'P';
        bytes[1] = 'K';
        bytes[2] = 3;
        bytes[3] = 4;
        Files.write(junk, bytes);
        Run r = report(junk, tmp.resolve("x.md"));
        assertEquals(1, r.code(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
