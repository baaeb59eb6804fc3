package dev.vmcase.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed incident on real QEMU: {@code device_del} of a virtio-blk disk that no guest acknowledges, HMP
 * {@code drive_del} of its drive anyway, then a migration to a destination started without the disk. The destination
 * rejects {@code Unknown savevm section or instance '0000:00:SS.0/virtio-blk' 0}; the source ends {@code completed}
 * or {@code failed}, a race (see {@code sample-cases/orphaned-disk-qemu/README.md}).
 */
public final class OrphanedDiskScenario extends UnplugMigrationScenario {
    @Override
    public String name() {
        return "orphaned-disk";
    }

    @Override
    public String defaultId() {
        return "virtio-disk1";
    }

    @Override
    public int defaultSlot() {
        return SECOND_DISK_SLOT;
    }

    @Override
    public Map<Integer, String> takenSlots() {
        return Map.of(0, "i440FX host bridge", 1, "PIIX3", NIC_SLOT, "net0", HEALTHY_DISK_SLOT, "virtio-disk0");
    }

    @Override
    public Set<String> takenIds() {
        return Set.of("virtio-disk0", "net0");
    }

    @Override
    boolean victimIsDisk() {
        return true;
    }

    @Override
    List<Disk> sourceDisks(LabRun run, Path scratch) {
        return List.of(new Disk(image(scratch, "virtio-disk0"), "virtio-disk0", HEALTHY_DISK_SLOT),
                new Disk(image(scratch, run.id()), run.id(), run.slot()));
    }

    @Override
    List<Nic> sourceNics(LabRun run) {
        return List.of(new Nic("net0", NIC_SLOT));
    }

    @Override
    void unplug(LabRun run, QmpClient source, QtestClient guest) throws LabException, InterruptedException {
        unacknowledgedDeviceDel(run, source);
        driveDel(run, source);
    }

    /** HMP {@code drive_del drive-ID}, as libvirt removes a {@code -drive} backend; QEMU's answer is a fact. */
    static void driveDel(LabRun run, QmpClient source) throws LabException, InterruptedException {
        String drive = "drive-" + run.id();
        String answer = source.hmp("drive_del " + drive, run.budget(Duration.ofSeconds(10)));
        run.fact("drive_del " + drive, answer.isBlank() ? "empty answer (success)" : answer.strip());
    }

    /** {@code device_del}, then as long as a management layer might wait for the guest. No guest: nothing comes. */
    static void unacknowledgedDeviceDel(LabRun run, QmpClient source) throws LabException, InterruptedException {
        int before = deviceDel(run, source);
        boolean acked = source.waitEvent(QmpClient.event("DEVICE_DELETED"), before, run.budget(ACK_WAIT)).isPresent();
        run.fact("DEVICE_DELETED within " + ACK_WAIT.toMillis() + " ms", acked ? "yes" : "no");
    }
}
