package dev.vmcase.lab;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The healthy control on q35 with native PCIe hotplug ({@code -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off},
 * the only way before QEMU 6.1): {@code device_del} presses the root port's attention button
 * ({@code pcie_cap_slot_unplug_request_cb}: Attention Button Pressed in the slot status, an interrupt), and the guest's
 * pciehp driver does the rest through the port's PCI Express capability. The lab plays Linux's pciehp over qtest,
 * through configuration space ({@code outl 0xcf8 ADDRESS}, then {@code in/out 0xcfc…0xcff}):
 * <ol>
 *   <li>walk the capability list from {@code 0x34} to the PCI Express capability (id {@code 0x10});</li>
 *   <li>read the slot status ({@code +0x1a}): Attention Button Pressed (bit 0) and Presence Detect State (bit 6);
 *       clear the button bit (write 1);</li>
 *   <li>slot control ({@code +0x18}): power indicator blinking ({@code 0x200} in bits 8–9), "will power off in 5 sec";
 *       then Power Controller Control off ({@code 0x400}); then the power indicator off ({@code 0x300}).</li>
 * </ol>
 * QEMU 7.2 ({@code pcie_cap_slot_write_config}) unplugs the slot's devices when a write leaves both the power
 * controller and the indicator off on a populated slot: at the last write. {@code DEVICE_DELETED} follows; then the
 * drive is removed and the migration to a destination without the disk completes.
 */
public final class CleanUnplugPciehpScenario extends Q35DiskScenario {
    static final String NATIVE_HOTPLUG = "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off";
    static final int CAP_POINTER = 0x34;
    static final int CAP_EXP = 0x10;
    static final int SLOT_CONTROL = 0x18;
    static final int SLOT_STATUS = 0x1a;
    static final int ATTENTION_PRESSED = 0x1;
    static final int PRESENCE_DETECT = 0x40;
    static final int POWER_INDICATOR = 0x300;
    static final int INDICATOR_BLINK = 0x200;
    static final int INDICATOR_OFF = 0x300;
    static final int POWER_OFF = 0x400;

    @Override
    public String name() {
        return "clean-unplug-pciehp";
    }

    @Override
    List<String> globals() {
        return List.of(NATIVE_HOTPLUG);
    }

    @Override
    boolean needsQtest() {
        return true;
    }

    @Override
    void unplug(LabRun run, QmpClient source, QtestClient guest) throws LabException, InterruptedException {
        int before = deviceDel(run, source);
        Config port = new Config(run, guest, run.slot());
        int cap = port.readByte(CAP_POINTER);
        int id = cap == 0 ? 0 : port.readByte(cap);
        for (int hops = 0; cap != 0 && id != CAP_EXP && hops < 48; hops++) {
            cap = port.readByte(cap + 1);
            id = cap == 0 ? 0 : port.readByte(cap);
        }
        if (id != CAP_EXP) {
            throw new LabException("lab.error.noExpressCap", VICTIM_PORT, run.slot());
        }
        run.fact("guest: PCI Express capability of " + VICTIM_PORT, String.format(Locale.ROOT, "0x%x", cap));
        int status = port.readWord(cap + SLOT_STATUS);
        run.fact("guest: slot status", String.format(Locale.ROOT, "0x%04x", status));
        if ((status & ATTENTION_PRESSED) == 0 || (status & PRESENCE_DETECT) == 0) {
            throw new LabException("lab.error.noAttention", run.id(), VICTIM_PORT, status);
        }
        port.writeWord(cap + SLOT_STATUS, ATTENTION_PRESSED);
        int control = port.readWord(cap + SLOT_CONTROL);
        run.fact("guest: slot control", String.format(Locale.ROOT, "0x%04x", control));
        int blinking = (control & ~POWER_INDICATOR) | INDICATOR_BLINK;
        port.writeWord(cap + SLOT_CONTROL, blinking);
        port.writeWord(cap + SLOT_CONTROL, blinking | POWER_OFF);
        int off = (blinking & ~POWER_INDICATOR) | INDICATOR_OFF | POWER_OFF;
        port.writeWord(cap + SLOT_CONTROL, off);
        run.fact("guest: slot control written", String.format(Locale.ROOT, "0x%04x, 0x%04x, 0x%04x",
                blinking, blinking | POWER_OFF, off));
        CleanUnplugScenario.ejected(run, source, before);
    }

    /** Configuration space of function 0 of a device on bus 0, through the 0xcf8/0xcfc mechanism, over qtest. */
    private static final class Config {
        private final LabRun run;
        private final QtestClient guest;
        private final int device;

        Config(LabRun run, QtestClient guest, int device) {
            this.run = run;
            this.guest = guest;
            this.device = device;
        }

        private void select(int register) throws LabException, InterruptedException {
            int address = 0x80000000 | device << 11 | (register & 0xfc);
            command(String.format(Locale.ROOT, "outl 0xcf8 0x%x", address));
        }

        int readByte(int register) throws LabException, InterruptedException {
            select(register);
            return value(command(String.format(Locale.ROOT, "inb 0x%x", 0xcfc + (register & 3))));
        }

        int readWord(int register) throws LabException, InterruptedException {
            select(register);
            return value(command(String.format(Locale.ROOT, "inw 0x%x", 0xcfc + (register & 2))));
        }

        void writeWord(int register, int value) throws LabException, InterruptedException {
            select(register);
            command(String.format(Locale.ROOT, "outw 0x%x 0x%x", 0xcfc + (register & 2), value & 0xffff));
        }

        private String command(String c) throws LabException, InterruptedException {
            return guest.command(c, run.budget(Duration.ofSeconds(10)));
        }

        private static int value(String answer) {
            return Integer.decode(answer.substring(2).trim());
        }
    }
}
