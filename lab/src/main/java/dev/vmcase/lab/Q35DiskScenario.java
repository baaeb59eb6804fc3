package dev.vmcase.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The q35 machine of the q35 scenarios, laid out as libvirt 9.0 lays out a q35 domain: every device behind its own
 * {@code pcie-root-port}, net0 on {@code pci.1} (00:01.0, multifunction), virtio-disk0 on {@code pci.2} (00:01.1),
 * the victim disk on {@code pci.3} at {@code --slot} (00:SS.0). The victim's PCI path is {@code 0000:00:SS.0:00.0}:
 * slot 0 of the bus behind its port, whatever bus number the firmware gives that bus.
 * <pre>
 * pcie.0 ─┬─ 01.0 pci.1 ── 00.0 net0
 *         ├─ 01.1 pci.2 ── 00.0 virtio-disk0
 *         ├─ SS.0 pci.3 ── 00.0 victim (--id)
 *         └─ 1f.* ICH9 LPC (ACPI, PCI hotplug registers at 0x0cc0), SATA, SMBus
 * </pre>
 */
abstract class Q35DiskScenario extends UnplugMigrationScenario {
    /** The slot libvirt gives the first root ports of a q35 domain (functions 0, 1, …). */
    static final int PORTS_SLOT = 1;
    static final String VICTIM_PORT = "pci.3";

    @Override
    Board board() {
        return Board.Q35;
    }

    @Override
    public String defaultId() {
        return "virtio-disk1";
    }

    @Override
    public int defaultSlot() {
        return 3;
    }

    @Override
    public String victimPlace(int slot) {
        return String.format(Locale.ROOT, "0000:00:%02x.0:00.0", slot);
    }

    @Override
    public Map<Integer, String> takenSlots() {
        return Map.of(0, "the q35 host bridge", PORTS_SLOT, "the root ports pci.1 (net0) and pci.2 (virtio-disk0)",
                31, "ICH9 LPC, SATA and SMBus");
    }

    @Override
    public Set<String> takenIds() {
        return Set.of("virtio-disk0", "net0", "pci.1", "pci.2", VICTIM_PORT);
    }

    @Override
    boolean victimIsDisk() {
        return true;
    }

    @Override
    List<Disk> sourceDisks(LabRun run, Path scratch) {
        return List.of(new Disk(image(scratch, "virtio-disk0"), "virtio-disk0", PORTS_SLOT, 1),
                new Disk(image(scratch, run.id()), run.id(), run.slot(), 0));
    }

    @Override
    List<Nic> sourceNics(LabRun run) {
        return List.of(new Nic("net0", PORTS_SLOT, 0));
    }
}
