package dev.vmcase.casefile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills (SIGKILL) a JVM that keeps annotating and saving a case, at random moments, many times. After every kill the
 * case file is the old or the new version — it opens, its evidence hashes match, its notes are exactly a prefix of
 * what was written and at least what was reported saved — and the case plus its recovery file hold every note older
 * than the autosave interval (plus scheduling slack): with the default interval of 15 s, at most 30 s are lost.
 */
class CrashSafetyTest {
    private static final int ROUNDS = 25;
    /** The kills run in this many chains side by side. */
    private static final int CHAINS = 2;
    private static final long AUTOSAVE_MS = 500;
    private static final long SLACK_MS = 2000; // a loaded CI machine (2 cores, several builds) delays the timer thread

    @TempDir
    Path tmp;

    @Test
    void aKilledSaveLeavesTheOldOrTheNewCaseAndLosesAtMostTheAutosaveInterval() throws Exception {
        // the kills run as CHAINS chains side by side, each its own case, work folder and seed: as many kills, and the
        // test mostly waits on the killed JVMs, so two chains take half the time of one
        long seed = new Random().nextLong();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(CHAINS);
        List<java.util.concurrent.Future<Chain>> runs = new ArrayList<>();
        for (int c = 0; c < CHAINS; c++) {
            Path dir = Files.createDirectories(tmp.resolve("chain-" + c));
            int rounds = ROUNDS / CHAINS + (c < ROUNDS % CHAINS ? 1 : 0);
            long chainSeed = seed + c;
            runs.add(pool.submit(() -> chain(dir, rounds, chainSeed)));
        }
        int killsDuringSave = 0;
        int recoveredRounds = 0;
        long worstLoss = 0;
        try {
            for (java.util.concurrent.Future<Chain> run : runs) {
                Chain r;
                try {
                    r = run.get(10, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error; // an assertion of the chain, with its round and seed
                    }
                    throw e;
                }
                killsDuringSave += r.killsDuringSave();
                recoveredRounds += r.recoveredRounds();
                worstLoss = Math.max(worstLoss, r.worstLoss());
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("crash test: %d kills in %d chains (seed %d), %d during a save, %d where the recovery file held"
                + " more than the case, worst loss %d ms with autosave every %d ms%n", ROUNDS, CHAINS, seed,
                killsDuringSave, recoveredRounds, worstLoss, AUTOSAVE_MS);
        assertTrue(recoveredRounds > ROUNDS / 3, "recovery was hardly needed: the test does not exercise it");
        assertTrue(CaseSession.DEFAULT_AUTOSAVE.toMillis() + SLACK_MS <= 30_000);
    }

    /** What one chain of kills saw. */
    private record Chain(int killsDuringSave, int recoveredRounds, long worstLoss) {
    }

    /** {@code rounds} kills of one case in {@code dir} (its file, work folder and checks there), one after another. */
    private static Chain chain(Path dir, int rounds, long seed) throws Exception {
        Path file = dir.resolve("crash.vmcase");
        Path work = dir.resolve("work");
        Path evidence = Path.of("../sample-cases/orphaned-disk-qemu/evidence").toAbsolutePath();
        Random random = new Random(seed);
        int killsDuringSave = 0;
        int recoveredRounds = 0;
        long worstLoss = 0;
        int lastSaved = 0;
        for (int round = 0; round < rounds; round++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx128m", CrashSaver.class.getName(),
                    file.toString(), work.toString(), evidence.toString(), String.valueOf(AUTOSAVE_MS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> out = new CopyOnWriteArrayList<>();
            ConcurrentHashMap<Integer, Long> notedAt = new ConcurrentHashMap<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        out.add(l);
                        if (l.startsWith("noted ")) {
                            String[] f = l.split(" ");
                            notedAt.put(Integer.parseInt(f[1]), Long.parseLong(f[2]));
                        }
                    }
                } catch (Exception ignored) {
                    // the process died
                }
            });
            reader.start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (out.stream().noneMatch(l -> l.startsWith("ready")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            if (round % 2 == 1) {
                // every other round: kill while the case is being written
                int savesBefore = (int) out.stream().filter(l -> l.startsWith("saving")).count();
                while (out.stream().filter(l -> l.startsWith("saving")).count() == savesBefore
                        && System.currentTimeMillis() < deadline && p.isAlive()) {
                    Thread.sleep(1);
                }
                Thread.sleep(random.nextInt(25));
            } else {
                Thread.sleep(200 + random.nextInt(5000));
            }
            long killedAt = System.currentTimeMillis();
            p.destroyForcibly(); // SIGKILL on Linux
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
            String last = out.isEmpty() ? "" : out.get(out.size() - 1);
            if (last.startsWith("saving")) {
                killsDuringSave++;
            }
            int started = out.stream().filter(l -> l.startsWith("ready")).map(l -> Integer.parseInt(l.substring(6)))
                    .findFirst().orElse(lastSaved);
            int noted = notedAt.keySet().stream().mapToInt(i -> i + 1).max().orElse(started);
            for (String l : out) {
                if (l.startsWith("saved ")) {
                    lastSaved = Integer.parseInt(l.substring(6));
                }
            }
            if (!Files.exists(file)) {
                assertEquals(0, lastSaved, "a save was reported but there is no case file");
                continue;
            }
            // the case file itself: whole, old or new
            OpenedCase o = CaseIO.open(file, dir.resolve("check"));
            assertEquals(List.of(), o.integrity(), "round " + round + " seed " + seed);
            List<Annotation> notes = o.file().notes().annotations();
            assertNotesArePrefix(notes);
            assertTrue(notes.size() >= lastSaved, "reported saved " + lastSaved + " but the file has " + notes.size());
            assertTrue(notes.size() <= noted, "the file has notes never written");
            assertTrue(notes.size() % CrashSaver.SAVE_EVERY == 0, "a save holds whole batches of notes, not " + notes.size());
            dev.vmcase.parsers.ingest.Folders.deleteTree(o.workDir());
            // the case plus the recovery file: what a restart offers
            int kept;
            try (CaseSession s = new CaseSession(dir.resolve("probe"), Duration.ofHours(1))) {
                Files.createDirectories(dir.resolve("probe"));
                s.open(file);
                CaseSession.Recovery r = readRecovery(work, file);
                kept = notes.size();
                if (r != null) {
                    assertNotesArePrefix(r.notes().annotations());
                    if (r.notes().annotations().size() > kept) {
                        recoveredRounds++;
                    }
                    kept = Math.max(kept, r.notes().annotations().size());
                }
            }
            if (kept < noted) {
                long lostSince = notedAt.getOrDefault(kept, killedAt);
                worstLoss = Math.max(worstLoss, killedAt - lostSince);
                assertTrue(killedAt - lostSince <= AUTOSAVE_MS + SLACK_MS, "lost " + (killedAt - lostSince)
                        + " ms of notes in round " + round + " (seed " + seed + ")");
            }
        }
        // the temporary files of the killed saves: gone after the next save (issue 19, item 11)
        if (Files.exists(file)) {
            OpenedCase last = CaseIO.open(file, dir.resolve("check"));
            CaseIO.save(last.file(), file);
            dev.vmcase.parsers.ingest.Folders.deleteTree(last.workDir());
        }
        try (var left = Files.list(dir)) {
            List<String> tmps = left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), tmps, "killed saves left temporary files behind");
        }
        return new Chain(killsDuringSave, recoveredRounds, worstLoss);
    }

    private static CaseSession.Recovery readRecovery(Path work, Path file) throws Exception {
        Path f = work.resolve("recovery").resolve(CaseSession.keyOf(file.toAbsolutePath()) + ".json");
        if (!Files.exists(f)) {
            return null;
        }
        return CaseJson.mapper(1 << 26).readValue(Files.readAllBytes(f), CaseSession.Recovery.class);
    }

    private static void assertNotesArePrefix(List<Annotation> notes) {
        List<String> want = new ArrayList<>();
        for (int i = 0; i < notes.size(); i++) {
            want.add("note " + i);
        }
        assertEquals(want, notes.stream().map(Annotation::text).toList());
    }
}
