package dev.vmcase.app.lab;

import java.util.Map;
import java.util.Set;

/**
 * One reproduction the lab can run: which device is the victim by default, what the trainer may vary
 * ({@code --id}, {@code --slot}), and the steps, which drive QEMU through a {@link LabRun}.
 * Its one-line description is {@code lab.scenario.NAME} in the {@code Cli} bundle.
 */
public interface Scenario {
    /** {@code orphaned-disk}. */
    String name();

    /** The victim's qdev id when {@code --id} is not given ({@code virtio-disk1}). */
    String defaultId();

    /** The victim's PCI slot when {@code --slot} is not given. */
    int defaultSlot();

    /** Slots the other devices of the scenario occupy, with what occupies them. */
    Map<Integer, String> takenSlots();

    /** Ids the other devices of the scenario use. */
    Set<String> takenIds();

    /** Runs the scenario; every file goes to {@code run.out()}; processes are the run's to stop. */
    void run(LabRun run) throws LabException, InterruptedException;
}
