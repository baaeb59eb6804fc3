package dev.vmcase.casefile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The child of {@link CrashSafetyTest}: works on a case as a user would, as fast as it can: a note every 20 ms, a save
 * every 200 notes (about 5 s, longer than the autosave interval, so recovery has to do its part), autosave on its timer, and says on stdout what it did, until it is killed.
 * Args: CASE WORKROOT EVIDENCE AUTOSAVE_MS
 */
public final class CrashSaver {
    static final int SAVE_EVERY = 200;

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        CaseSession s = new CaseSession(Path.of(args[1]), Duration.ofMillis(Long.parseLong(args[3])));
        if (Files.exists(file)) {
            s.open(file);
            if (s.recovery().isPresent()) {
                s.recover();
            }
        } else {
            s.newCase(List.of(Path.of(args[2])));
            s.saveAs(file);
            System.out.println("saved 0");
        }
        int n = s.notes().annotations().size();
        System.out.println("ready " + n);
        System.out.flush();
        while (true) {
            s.annotate(Target.device("virtio-disk1"), "note " + n, List.of("t"));
            System.out.println("noted " + n + " " + System.currentTimeMillis());
            n++;
            if (n % SAVE_EVERY == 0) {
                System.out.println("saving " + n);
                System.out.flush();
                if (s.path() == null) {
                    s.saveAs(file);
                } else {
                    s.save();
                }
                System.out.println("saved " + n);
            }
            System.out.flush();
            Thread.sleep(20);
        }
    }
}
