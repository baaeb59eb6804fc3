package dev.vmcase.lab;

/**
 * The seed's failure on q35: the victim virtio-blk disk behind its own {@code pcie-root-port} ({@link Q35DiskScenario}),
 * {@code device_del} that no guest acknowledges (QEMU ≥ 6.1 hot-unplugs through ACPI on q35's root ports by default:
 * the request only sets the slot's bit in the ICH9 hotplug registers), {@code drive_del} of its drive anyway, then a
 * migration to a destination started with the same root ports but without the disk. QEMU 7.2's destination rejects
 * the disk's section by its whole path: {@code Unknown savevm section or instance '0000:00:SS.0:00.0/virtio-blk' 0}.
 */
public final class OrphanedDiskQ35Scenario extends Q35DiskScenario {
    @Override
    public String name() {
        return "orphaned-disk-q35";
    }

    @Override
    void unplug(LabRun run, QmpClient source, QtestClient guest) throws LabException, InterruptedException {
        OrphanedDiskScenario.unacknowledgedDeviceDel(run, source);
        OrphanedDiskScenario.driveDel(run, source);
    }
}
