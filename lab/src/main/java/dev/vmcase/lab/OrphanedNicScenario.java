package dev.vmcase.lab;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The NIC sibling of {@link OrphanedDiskScenario}: {@code device_del} of a virtio-net NIC that no guest
 * acknowledges, QMP {@code netdev_del} of its {@code hostID} backend anyway, then a migration to a destination started
 * without the NIC. The destination fails on the orphan's option ROM first:
 * {@code Unknown ramblock "0000:00:SS.0/virtio-net-pci.rom", cannot accept migration}.
 */
public final class OrphanedNicScenario extends UnplugMigrationScenario {
    @Override
    public String name() {
        return "orphaned-nic";
    }

    @Override
    public String defaultId() {
        return "net0";
    }

    @Override
    public int defaultSlot() {
        return NIC_SLOT;
    }

    @Override
    public Map<Integer, String> takenSlots() {
        return Map.of(0, "i440FX host bridge", 1, "PIIX3", HEALTHY_DISK_SLOT, "virtio-disk0",
                SECOND_DISK_SLOT, "virtio-disk1");
    }

    @Override
    public Set<String> takenIds() {
        return Set.of("virtio-disk0", "virtio-disk1");
    }

    @Override
    boolean victimIsDisk() {
        return false;
    }

    @Override
    List<Disk> sourceDisks(LabRun run, Path scratch) {
        return List.of(new Disk(image(scratch, "virtio-disk0"), "virtio-disk0", HEALTHY_DISK_SLOT),
                new Disk(image(scratch, "virtio-disk1"), "virtio-disk1", SECOND_DISK_SLOT));
    }

    @Override
    List<Nic> sourceNics(LabRun run) {
        return List.of(new Nic(run.id(), run.slot()));
    }

    @Override
    void unplug(LabRun run, QmpClient source, QtestClient guest) throws LabException, InterruptedException {
        OrphanedDiskScenario.unacknowledgedDeviceDel(run, source);
        String netdev = new Nic(run.id(), run.slot()).netdev();
        // whatever QEMU answers is evidence: QEMU 7.2 accepts it although the NIC still uses the netdev
        JsonNode r = source.send("netdev_del", QmpClient.MAPPER.createObjectNode().put("id", netdev),
                run.budget(Duration.ofSeconds(10)));
        run.fact("netdev_del " + netdev, r.has("error") ? "error " + r.path("error").path("desc").asText() : "accepted");
    }
}
