package dev.vmcase.lab;

import java.time.Duration;
import java.util.Locale;

/**
 * The healthy control on q35 ({@link Q35DiskScenario}), the guest played over qtest through the ACPI PCI hotplug
 * registers QEMU ≥ 6.1 uses for q35's root ports ({@code ICH9-LPC.acpi-pci-hotplug-with-bridge-support=on}, the
 * default). QEMU 7.2's ICH9 block sits at I/O port {@code 0x0cc0} ({@code ACPI_PCIHP_ADDR_ICH9},
 * {@code include/hw/acpi/ich9.h}) with the PIIX4 layout of {@code hw/acpi/pcihp.c}: {@code +0x4} pending removals
 * ({@code PCID}), {@code +0x8} eject ({@code B0EJ}), {@code +0x10} bus select ({@code BNUM}). Unlike i440fx, q35's
 * root bus has no hotplug: every bus behind a port gets its own bus select number ({@code acpi-pcihp-bsel}, assigned
 * depth first at reset), which the guest's ACPI tables know. The lab does what the tables' {@code PCNT} method does:
 * {@code outl 0xcd0 BSEL}, {@code inl 0xcc4} for each bus until one shows a pending slot, then
 * {@code outl 0xcc8 BITS} ejects it (the disk is slot 0 of its port's bus: {@code 0x1}). QEMU emits
 * {@code DEVICE_DELETED}; the drive is removed; the migration to a destination without the disk completes.
 */
public final class CleanUnplugQ35Scenario extends Q35DiskScenario {
    static final int PCIHP_BASE = 0x0cc0;
    static final int PCI_DOWN = PCIHP_BASE + 0x4;
    static final int PCI_EJECT = PCIHP_BASE + 0x8;
    static final int PCI_SELECT = PCIHP_BASE + 0x10;
    /** {@code ACPI_PCIHP_MAX_HOTPLUG_BUS}: bus select numbers are below it. */
    static final int MAX_BSEL = 256;

    @Override
    public String name() {
        return "clean-unplug-q35";
    }

    @Override
    boolean needsQtest() {
        return true;
    }

    @Override
    void unplug(LabRun run, QmpClient source, QtestClient guest) throws LabException, InterruptedException {
        int before = deviceDel(run, source);
        for (int bsel = 0; bsel < MAX_BSEL; bsel++) {
            guest.command(String.format(Locale.ROOT, "outl 0x%x %d", PCI_SELECT, bsel), run.budget(Duration.ofSeconds(10)));
            String down = String.format(Locale.ROOT, "inl 0x%x", PCI_DOWN);
            String pending = guest.command(down, run.budget(Duration.ofSeconds(10)));
            long bits = Long.decode(pending.substring(2).trim());
            if (bits != 0) {
                run.fact("guest: bus select " + bsel + ", " + down, pending);
                // the disk sits in slot 0 of its port's bus: only that bit may be pending
                if (bits != 1) {
                    throw new LabException("lab.error.notPendingQ35", run.id(), bsel, pending);
                }
                String eject = String.format(Locale.ROOT, "outl 0x%x 0x%x", PCI_EJECT, bits);
                run.fact("guest: " + eject, guest.command(eject, run.budget(Duration.ofSeconds(10))));
                CleanUnplugScenario.ejected(run, source, before);
                return;
            }
        }
        throw new LabException("lab.error.noPendingBus", run.id(), MAX_BSEL - 1);
    }
}
