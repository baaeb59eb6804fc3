package dev.vmcase.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One reproduction the lab can run: which device is the victim by default, what the trainer may vary
 * ({@code --id}, {@code --slot}), and the steps, which drive QEMU through a {@link LabRun}.
 * Its one-line description is {@code lab.scenario.NAME} in the app's {@code Cli} bundle.
 */
public interface Scenario {
    /** {@code orphaned-disk}. */
    String name();

    /** The victim's qdev id when {@code --id} is not given ({@code virtio-disk1}). */
    String defaultId();

    /** The victim's PCI slot when {@code --slot} is not given. */
    int defaultSlot();

    /**
     * Where the victim is for {@code --slot N}, as QEMU's section names print it: {@code 0000:00:06.0} on the root
     * bus, {@code 0000:00:06.0:00.0} behind the root port at slot N.
     */
    default String victimPlace(int slot) {
        return dev.vmcase.model.PciAddress.of(0, slot, 0).toString();
    }

    /** Slots the other devices of the scenario occupy, with what occupies them. */
    Map<Integer, String> takenSlots();

    /** Ids the other devices of the scenario use. */
    Set<String> takenIds();

    /** Programs besides QEMU and qemu-img the scenario drives; checked before anything starts. */
    default List<String> programs() {
        return List.of();
    }

    /** Whether the scenario must run as root (a system-mode libvirtd in its own mount namespace). */
    default boolean needsRoot() {
        return false;
    }

    /** A bundle key saying why {@code id} (already a well-formed qdev id) does not fit this scenario. */
    default Optional<String> idProblem(String id) {
        return Optional.empty();
    }

    /** The logs whose last lines are shown when the run failed, in order, by the role they are shown with. */
    default Map<String, Path> logsToShow(Path out, String guest) {
        Map<String, Path> logs = new java.util.LinkedHashMap<>();
        logs.put("source", out.resolve(guest + ".log"));
        logs.put("destination", out.resolve("destination").resolve(guest + ".log"));
        return logs;
    }

    /** Runs the scenario; every file goes to {@code run.out()}; processes are the run's to stop. */
    void run(LabRun run) throws LabException, InterruptedException;
}
