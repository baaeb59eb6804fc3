package dev.vmcase.casefile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaseSessionTest {
    @TempDir
    Path tmp;

    @Test
    void dirtySaveReopenAndRecoverAfterACrash() throws Exception {
        Path work = tmp.resolve("work");
        Path file = tmp.resolve("c.vmcase");
        AtomicInteger events = new AtomicInteger();
        try (CaseSession s = new CaseSession(work, Duration.ofHours(1))) {
            s.addListener(events::incrementAndGet);
            s.newCase(List.of(Path.of("../sample-cases/seed-incident/evidence")));
            assertFalse(s.isDirty());
            s.annotate(Target.device("virtio-disk1"), "one", List.of("a"));
            assertTrue(s.isDirty());
            assertThrows(IllegalStateException.class, s::save);
            s.saveAs(file);
            assertFalse(s.isDirty());
            assertEquals(file.toAbsolutePath(), s.path());
            assertEquals(List.of(file.toAbsolutePath()), RecentCases.list(work));
            s.annotate(Target.device("virtio-disk1"), "two", List.of("b"));
            s.autosave();
            // the process dies here: the case has "one", the recovery file "one" and "two"
        }
        assertTrue(events.get() >= 3);
        try (CaseSession s = new CaseSession(work, Duration.ofHours(1))) {
            s.open(file);
            assertEquals(1, s.notes().annotations().size());
            assertTrue(s.recovery().isPresent(), "the crash left work to recover");
            s.recover();
            assertEquals(List.of("one", "two"), s.notes().annotations().stream().map(Annotation::text).toList());
            assertTrue(s.isDirty());
            s.save();
            assertFalse(Files.exists(s.recoveryFile(CaseSession.keyOf(file))), "saving removes the recovery file");
        }
        try (CaseSession s = new CaseSession(work, Duration.ofHours(1))) {
            s.open(file);
            assertTrue(s.recovery().isEmpty());
            assertEquals(2, s.notes().annotations().size());
        }
    }

    @Test
    void aFailedAutosaveIsKeptForTheUserAndClearedByTheNextOneThatWorks() throws Exception {
        Path work = tmp.resolve("work");
        Files.createDirectories(work);
        Path blocker = Files.writeString(work.resolve("recovery"), "a file where the recovery folder should be");
        AtomicInteger events = new AtomicInteger();
        try (CaseSession s = new CaseSession(work, Duration.ofHours(1))) {
            s.newCase(List.of(Path.of("../sample-cases/seed-incident/evidence")));
            s.addListener(events::incrementAndGet);
            s.annotate(Target.device("virtio-disk1"), "one", List.of("a"));
            int before = events.get();
            s.autosaveQuietly();
            assertTrue(s.autosaveProblem().isPresent(), "the recovery folder cannot be made");
            assertTrue(s.autosaveProblem().get().contains(work.resolve("recovery").toString()), s.autosaveProblem().get());
            assertEquals(before + 1, events.get(), "listeners hear of the failure");
            Files.delete(blocker);
            s.autosaveQuietly();
            assertTrue(s.autosaveProblem().isEmpty());
            assertEquals(before + 2, events.get(), "and of the recovery");
        }
    }

    @Test
    void theTimerWritesRecoveryWithinTheInterval() throws Exception {
        Path work = tmp.resolve("work");
        try (CaseSession s = new CaseSession(work, Duration.ofMillis(200))) {
            s.newCase(List.of(Path.of("../sample-cases/seed-incident/evidence")));
            s.annotate(Target.device("x"), "unsaved", List.of());
            long deadline = System.currentTimeMillis() + 10_000;
            while (s.untitledRecoveries().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            List<CaseSession.Recovery> r = s.untitledRecoveries();
            assertEquals(1, r.size());
            assertEquals("unsaved", r.get(0).notes().annotations().get(0).text());
            // a case never saved comes back from its recovery, evidence and all
            try (CaseSession other = new CaseSession(tmp.resolve("w2"), Duration.ofHours(1))) {
                other.restoreUntitled(r.get(0));
                assertEquals(1, other.current().artifacts().size());
                assertTrue(other.isDirty());
            }
        }
    }

    @Test
    void refusesToStoreEvidenceThatChangedSinceItWasAdded() throws Exception {
        Path ev = tmp.resolve("ev.log");
        Files.writeString(ev, "load of migration failed\n");
        CaseFile c = CaseFile.fromInputs(List.of(ev));
        Files.writeString(ev, "something else\n");
        Path file = tmp.resolve("x.vmcase");
        assertThrows(java.io.IOException.class, () -> CaseIO.save(c, file));
        assertFalse(Files.exists(file));
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temp file left");
        }
    }
}
