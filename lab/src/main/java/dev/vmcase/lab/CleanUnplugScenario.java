package dev.vmcase.lab;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The healthy control: the same disk unplug, but the lab plays the guest over qtest. After {@code device_del},
 * {@code inl 0xae04} (PIIX4 ACPI PCI hot-plug, pending removals) shows the slot's bit, and {@code outl 0xae08 BITS}
 * (the eject register, B0EJ) ejects it; QEMU then emits {@code DEVICE_DELETED} for {@code …/virtio-backend} and for the
 * device. Only then is the backend removed, as libvirt does it ({@code drive_del}; the drive is usually gone with the
 * device already, and QEMU says so), and the migration to a destination without the disk completes.
 */
public final class CleanUnplugScenario extends UnplugMigrationScenario {
    static final String PCI_DOWN = "0xae04";
    static final String PCI_EJECT = "0xae08";

    private final OrphanedDiskScenario disk = new OrphanedDiskScenario();

    @Override
    public String name() {
        return "clean-unplug";
    }

    @Override
    public String defaultId() {
        return disk.defaultId();
    }

    @Override
    public int defaultSlot() {
        return disk.defaultSlot();
    }

    @Override
    public java.util.Map<Integer, String> takenSlots() {
        return disk.takenSlots();
    }

    @Override
    public java.util.Set<String> takenIds() {
        return disk.takenIds();
    }

    @Override
    boolean victimIsDisk() {
        return true;
    }

    @Override
    boolean needsQtest() {
        return true;
    }

    @Override
    java.util.List<Disk> sourceDisks(LabRun run, java.nio.file.Path scratch) {
        return disk.sourceDisks(run, scratch);
    }

    @Override
    java.util.List<Nic> sourceNics(LabRun run) {
        return disk.sourceNics(run);
    }

    @Override
    void unplug(LabRun run, QmpClient source, QtestClient guest) throws LabException, InterruptedException {
        int before = deviceDel(run, source);
        long bit = 1L << run.slot();
        String pending = guest.command("inl " + PCI_DOWN, run.budget(Duration.ofSeconds(10)));
        run.fact("guest: inl " + PCI_DOWN, pending);
        long bits = Long.decode(pending.substring(2).trim());
        if ((bits & bit) == 0) {
            throw new LabException("lab.error.notPending", run.id(), run.slot(), pending);
        }
        String eject = String.format(Locale.ROOT, "outl %s 0x%x", PCI_EJECT, bit);
        run.fact("guest: " + eject, guest.command(eject, run.budget(Duration.ofSeconds(10))));
        ejected(run, source, before);
    }

    /**
     * After the guest's eject: QEMU's {@code DEVICE_DELETED} for the device (events since {@code before}), then the
     * backend's removal as libvirt does it once the event came.
     */
    static void ejected(LabRun run, QmpClient source, int before) throws LabException, InterruptedException {
        Optional<JsonNode> deleted = source.waitEvent(e -> "DEVICE_DELETED".equals(e.path("event").asText())
                && run.id().equals(e.path("data").path("device").asText()), before, run.budget(Duration.ofSeconds(10)));
        if (deleted.isEmpty()) {
            throw new LabException("lab.error.noDeviceDeleted", run.id());
        }
        run.fact("DEVICE_DELETED " + run.id(), "yes");
        OrphanedDiskScenario.driveDel(run, source);
    }
}
