package dev.vmcase.casefile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a {@code kill -9} leaves (issue 19, item 11): the extracted copy of an opened case and the temporary file of a
 * save are named by their process; the next open or save deletes those of processes that are gone and keeps those of
 * running ones (another vmcase at work).
 */
class StaleLeftoversTest {
    @TempDir
    Path tmp;

    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void theNextOpenAndSaveDeleteWhatKilledProcessesLeft() throws Exception {
        long dead = deadPid();
        CaseFile c = CaseFile.fromInputs(List.of(Path.of("../sample-cases/seed-incident/evidence")));
        Path file = tmp.resolve("c[1].vmcase"); // a glob character in the name
        CaseIO.save(c, file);
        Path cases = Files.createDirectories(tmp.resolve("work"));
        Path staleCase = Files.createDirectories(cases.resolve("case-" + dead + "-123/artifacts/0001"));
        Files.writeString(staleCase.resolve("big.log"), "evidence extracted by a report that was killed");
        Path liveCase = Files.createDirectories(cases.resolve("case-1-456"));
        Path staleTmp = Files.writeString(tmp.resolve(".c[1].vmcase." + dead + "-789.tmp"), "half a case");
        Path liveTmp = Files.writeString(tmp.resolve(".c[1].vmcase.1-790.tmp"), "a save in progress elsewhere");
        Path someoneElse = Files.writeString(tmp.resolve(".other.vmcase." + dead + "-1.tmp"), "not this case's");

        OpenedCase o = CaseIO.open(file, cases);
        assertFalse(Files.exists(cases.resolve("case-" + dead + "-123")));
        assertTrue(Files.exists(liveCase));
        CaseIO.save(o.file(), file);
        assertFalse(Files.exists(staleTmp));
        assertTrue(Files.exists(liveTmp) && Files.exists(someoneElse));
        assertTrue(o.workDir().getFileName().toString().startsWith("case-" + ProcessHandle.current().pid() + "-"));
    }
}
