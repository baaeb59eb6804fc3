package dev.vmcase.analysis.callchain;

import dev.vmcase.model.Frame;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the arguments of frames on the unplug paths (design §6): the guest's I/O write, the ACPI PCI hotplug
 * registers, PCI configuration space and a PCIe port's slot registers. Pure: no I/O beyond its resources, no JavaFX.
 * <ul>
 *   <li>{@code kvm_handle_io port=N}, {@code address_space_rw / address_space_write addr=N}, {@code cpu_outb/w/l} and
 *       {@code cpu_inb/w/l addr=N} (qtest's guest): I/O ports, named by the register blocks of
 *       {@code io-ports.properties} — the PIIX4 (i440fx) ACPI PCI hotplug block at 0xae00 ({@code port=44552} →
 *       {@code I/O port 0xae08: ACPI PCI hotplug eject (B0EJ)}), the ICH9 (q35) one at 0x0cc0, the configuration
 *       address and data ports 0xcf8/0xcfc; other values are shown in hex;</li>
 *   <li>{@code acpi_pcihp_eject_slot slots=N}: slot bitmap → the lowest set bit, as QEMU's {@code ffs}/{@code ctz32}
 *       ({@code slots=32} → slot 5); {@code bsel=N}: the bus select. Only on i440fx (or when the thread does not
 *       say) is bus select 0 the root bus and the slot a root-bus slot to link a device to; on q35 the root bus has no
 *       ACPI hotplug, every bus select names a root port's or bridge's bus;</li>
 *   <li>{@code pci_write / pci_read} of {@code hw/acpi/pcihp.c}: {@code addr} is the register offset
 *       ({@code 8} → eject), and {@code data} written to offset 8 is a slot bitmap, to offset 0x10 a bsel;</li>
 *   <li>{@code pci_data_write / pci_data_read addr=N}: the configuration address latched in 0xcf8 → the device
 *       (bus, device, function) and register; a device on bus 0 links to the devices in that root-bus slot and
 *       behind it (a root port and what sits behind it);</li>
 *   <li>{@code pcie_cap_slot_write_config old_slt_ctl, old_slt_sta, val}: the slot control written (power controller,
 *       power indicator) and the slot status (attention button pressed, presence detected…), and whether the write
 *       powers a populated slot off — QEMU then unplugs the devices behind the port.</li>
 * </ul>
 * Values may be decimal or {@code 0x} hex; {@code <optimized out>} or {@code ...} give no hint.
 */
public final class FrameHints {
    public static final int PCIHP_BASE = 0xae00;
    public static final int PCIHP_SIZE = 0x18;
    public static final int PCI_EJ_BASE = 0x8;
    public static final int PCI_SEL_BASE = 0x10;
    /** PCI Express slot control and status bits (PCIe base specification; QEMU's PCI_EXP_SLTCTL_*, PCI_EXP_SLTSTA_*). */
    static final int SLTCTL_PIC = 0x300;
    static final int SLTCTL_PIC_ON = 0x100;
    static final int SLTCTL_PIC_BLINK = 0x200;
    static final int SLTCTL_PIC_OFF = 0x300;
    static final int SLTCTL_PCC = 0x400;
    static final int SLTSTA_PDS = 0x40;
    /** The slot status bits named in texts ({@code sltsta.BIT}), lowest first. */
    private static final int[] SLTSTA_BITS = {0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100};
    private static final Pattern NUMBER = Pattern.compile("^(0[xX][0-9a-fA-F]{1,16}|\\d{1,19})(?:\\s.*)?$");
    private static final List<IoBlock> IO_BLOCKS = loadIoBlocks();

    /**
     * An I/O port register block ({@code io-ports.properties}).
     *
     * @param machine {@code i440fx}, {@code q35}, or "" when the block tells no board apart
     */
    record IoBlock(int base, int size, String name, String machine) {
        boolean contains(long port) {
            return port >= base && port < base + size;
        }

        boolean isPcihp() {
            return name.endsWith("-pcihp");
        }
    }

    /**
     * What a thread's frames say about the eject they belong to: the board (from the hotplug block a port argument
     * names, or the board's hotplug handler among the functions) and the bus select of the eject. A slot bitmap is
     * a root-bus slot only when the board is not q35 and the bus select is 0 or unknown.
     *
     * @param machine {@code i440fx}, {@code q35}, or null when the frames do not say
     * @param bsel    the bus select the eject names, or null
     */
    public record Context(String machine, Long bsel) {
        public static final Context UNKNOWN = new Context(null, null);

        public boolean slotsOnRootBus() {
            return !"q35".equals(machine) && (bsel == null || bsel == 0);
        }
    }

    private static final FrameHints STANDARD = new FrameHints();

    private final CallChainKnowledge knowledge;

    /** Hints over the built-in knowledge base; stateless, shared. */
    public static FrameHints standard() {
        return STANDARD;
    }

    public FrameHints() {
        this(CallChainKnowledge.standard());
    }

    public FrameHints(CallChainKnowledge knowledge) {
        this.knowledge = knowledge;
    }

    /** English hints, the frame read on its own. */
    public List<FrameHint> hints(Frame f) {
        return hints(f, Locale.ROOT);
    }

    /** Hints with texts in {@code locale} (English when the locale has no translation), the frame read on its own. */
    public List<FrameHint> hints(Frame f, Locale locale) {
        return hints(f, locale, Context.UNKNOWN);
    }

    /** Hints with texts in {@code locale}, the frame read as part of a thread whose {@link #contextOf} is {@code ctx}. */
    public List<FrameHint> hints(Frame f, Locale locale, Context ctx) {
        List<FrameHint> out = new ArrayList<>();
        if (f == null || f.function() == null) {
            return out;
        }
        ResourceBundle b = CallChainKnowledge.bundle(locale);
        Context c = ctx == null ? Context.UNKNOWN : ctx;
        String fn = CallChainKnowledge.normalize(f.function());
        switch (fn) {
            case "kvm_handle_io":
                port(b, f.arg("port"), true, out);
                break;
            case "cpu_outb":
            case "cpu_outw":
            case "cpu_outl":
            case "cpu_inb":
            case "cpu_inw":
            case "cpu_inl":
                port(b, f.arg("addr"), true, out);
                break;
            case "address_space_rw":
            case "address_space_write":
            case "address_space_read":
                String as = f.arg("as");
                boolean io = as != null && as.contains("address_space_io");
                boolean memory = as != null && as.contains("address_space_memory");
                if (!memory) {
                    port(b, f.arg("addr"), io, out);
                }
                break;
            case "acpi_pcihp_eject_slot":
                bsel(b, f.arg("bsel"), c, out);
                slots(b, f.arg("slots"), c, out);
                break;
            case "pci_write":
            case "pci_read":
                if (f.file() == null || f.file().endsWith("pcihp.c")) {
                    Long offset = number(f.arg("addr"));
                    if (offset != null) {
                        register(b, offset, out);
                        if (fn.equals("pci_write") && offset == PCI_EJ_BASE) {
                            slots(b, f.arg("data"), c, out);
                        } else if (fn.equals("pci_write") && offset == PCI_SEL_BASE) {
                            bsel(b, f.arg("data"), c, out);
                        }
                    }
                }
                break;
            case "pci_data_write":
            case "pci_data_read":
                configAddress(b, f.arg("addr"), out);
                break;
            case "pcie_cap_slot_write_config":
                slotWrite(b, number(f.arg("old_slt_ctl")), number(f.arg("old_slt_sta")), number(f.arg("val")), out);
                break;
            default:
                break;
        }
        return List.copyOf(out);
    }

    /**
     * The board and bus select a thread's frames name: a port argument in a hotplug block of
     * {@code io-ports.properties}, the board's hotplug handler ({@code piix4_device_unplug_cb},
     * {@code ich9_pm_device_unplug_cb}), the {@code bsel} of the eject.
     */
    public static Context contextOf(List<Frame> frames) {
        String machine = null;
        Long bsel = null;
        for (Frame f : frames) {
            if (f.function() == null) {
                continue;
            }
            String fn = CallChainKnowledge.normalize(f.function());
            if (fn.startsWith("piix4_")) {
                machine = machine == null ? "i440fx" : machine;
            } else if (fn.startsWith("ich9_")) {
                machine = machine == null ? "q35" : machine;
            } else if (fn.equals("acpi_pcihp_eject_slot") && bsel == null) {
                bsel = number(f.arg("bsel"));
            }
            for (String arg : List.of("port", "addr")) {
                Long v = PORT_ARGS.contains(fn) ? number(f.arg(arg)) : null;
                IoBlock block = v == null ? null : block(v);
                if (block != null && !block.machine().isEmpty() && machine == null) {
                    machine = block.machine();
                }
            }
        }
        return new Context(machine, bsel);
    }

    /** Functions whose {@code port}/{@code addr} argument is an I/O port. */
    private static final java.util.Set<String> PORT_ARGS = java.util.Set.of("kvm_handle_io", "cpu_outb", "cpu_outw",
            "cpu_outl", "cpu_inb", "cpu_inw", "cpu_inl", "address_space_rw", "address_space_write", "address_space_read");

    static IoBlock block(long port) {
        return IO_BLOCKS.stream().filter(x -> x.contains(port)).findFirst().orElse(null);
    }

    private static List<IoBlock> loadIoBlocks() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = FrameHints.class.getResourceAsStream("io-ports.properties")) {
            if (in == null) {
                throw new IllegalStateException("io-ports.properties is missing from the classpath");
            }
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<IoBlock> out = new ArrayList<>();
        for (String base : p.stringPropertyNames()) {
            String[] parts = p.getProperty(base).split("\\|", -1);
            out.add(new IoBlock(Integer.decode(base.strip()), Integer.decode(parts[0].strip()), parts[1].strip(),
                    parts.length > 2 ? parts[2].strip() : ""));
        }
        out.sort(java.util.Comparator.comparingInt(IoBlock::base));
        return List.copyOf(out);
    }

    /** English knowledge of a function, or null when unknown. */
    public FrameKnowledge lookup(String function) {
        return knowledge.lookup(function);
    }

    /** Knowledge of a function in {@code locale}, or null when unknown. */
    public FrameKnowledge lookup(String function, Locale locale) {
        return knowledge.lookup(function, locale);
    }

    /** A decimal or {@code 0x} value, ignoring a trailing char literal ({@code 32 ' '}); null for anything else. */
    static Long number(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = NUMBER.matcher(value.strip());
        if (!m.matches()) {
            return null;
        }
        String v = m.group(1);
        try {
            return v.startsWith("0x") || v.startsWith("0X") ? Long.parseUnsignedLong(v.substring(2), 16)
                    : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String format(ResourceBundle b, String key, Object... args) {
        return new MessageFormat(b.getString(key), b.getLocale()).format(args);
    }

    /** A value that is an I/O port (or, for the memory API when not known to be port I/O, an address). */
    private static void port(ResourceBundle b, String value, boolean surelyPort, List<FrameHint> out) {
        Long v = number(value);
        if (v == null) {
            return;
        }
        IoBlock block = v <= 0xffff ? block(v) : null;
        if (block != null && block.isPcihp()) {
            long reg = (v - block.base()) & ~3L;
            String what = b.getString("pcihp.port." + reg);
            String machine = "io." + block.name() + ".machine";
            out.add(new FrameHint(FrameHint.IO_PORT, b.containsKey(machine)
                    ? format(b, "hint.port.machine", hex(v), what, b.getString(machine))
                    : format(b, "hint.port.known", hex(v), what), v.intValue(), null));
        } else if (block != null) {
            out.add(new FrameHint(FrameHint.IO_PORT, format(b, "hint.port.known", hex(v), b.getString("io." + block.name())),
                    v.intValue(), null));
        } else if (surelyPort && v <= 0xffff) {
            out.add(new FrameHint(FrameHint.IO_PORT, format(b, "hint.port", hex(v)), v.intValue(), null));
        } else {
            out.add(new FrameHint(FrameHint.ADDRESS, format(b, "hint.address", hex(v)), null, null));
        }
    }

    private static void register(ResourceBundle b, long offset, List<FrameHint> out) {
        String key = "pcihp.register." + offset;
        String text = offset >= 0 && offset < PCIHP_SIZE && offset % 4 == 0 && b.containsKey(key)
                ? format(b, "hint.register", hex(offset), b.getString(key))
                : format(b, "hint.register.unknown", hex(offset));
        out.add(new FrameHint(FrameHint.REGISTER, text, null, null));
    }

    private static void slots(ResourceBundle b, String value, Context c, List<FrameHint> out) {
        Long v = number(value);
        if (v == null) {
            return;
        }
        if (v == 0) {
            out.add(new FrameHint(FrameHint.SLOT_BITMAP, format(b, "hint.slots.none", hex(v)), null, null));
            return;
        }
        int slot = Long.numberOfTrailingZeros(v);
        long others = v & ~(1L << slot);
        String text;
        if (others == 0) {
            text = format(b, "hint.slots", hex(v), String.valueOf(slot));
        } else {
            StringJoiner j = new StringJoiner(", ");
            for (int i = slot + 1; i < 64; i++) {
                if ((others & (1L << i)) != 0) {
                    j.add(String.valueOf(i));
                }
            }
            text = format(b, "hint.slots.more", hex(v), String.valueOf(slot), j.toString());
        }
        if (!c.slotsOnRootBus()) {
            // a slot of the bus a bus select names, which the frames do not map to a bus: no root-bus device to link
            out.add(new FrameHint(FrameHint.SLOT_BITMAP, text + format(b, "hint.slots.notRoot"), null, null));
            return;
        }
        out.add(new FrameHint(FrameHint.SLOT_BITMAP, text, null, slot));
    }

    private static void bsel(ResourceBundle b, String value, Context c, List<FrameHint> out) {
        Long v = number(value);
        if (v == null) {
            return;
        }
        String text = "q35".equals(c.machine()) ? format(b, "hint.bsel.q35", String.valueOf(v))
                : v == 0 ? b.getString("hint.bsel.root") : format(b, "hint.bsel", String.valueOf(v));
        out.add(new FrameHint(FrameHint.BUS_SELECT, text, null, null));
    }

    /**
     * The configuration address the guest latched in 0xcf8 ({@code pci_data_write}'s {@code addr}: enable bit 31,
     * bus 23..16, device 15..11, function 10..8, register 7..0); a device on bus 0 is linked by its slot.
     */
    private static void configAddress(ResourceBundle b, String value, List<FrameHint> out) {
        Long v = number(value);
        if (v == null || v > 0xffffffffL) {
            return;
        }
        int bus = (int) (v >> 16) & 0xff;
        int device = (int) (v >> 11) & 0x1f;
        int function = (int) (v >> 8) & 0x7;
        String address = dev.vmcase.model.PciAddress.of(bus, device, function).toString();
        out.add(new FrameHint(FrameHint.CONFIG_ADDRESS,
                format(b, "hint.config", hex(v), address, hex(v & 0xff)), null, bus == 0 ? device : null));
    }

    /** {@code pcie_cap_slot_write_config}: the slot control written over the old one, the slot status, the outcome. */
    private static void slotWrite(ResourceBundle b, Long oldControl, Long status, Long control, List<FrameHint> out) {
        if (control != null) {
            out.add(new FrameHint(FrameHint.SLOT_CONTROL, format(b, "hint.sltctl", hex(control),
                    b.getString((control & SLTCTL_PCC) != 0 ? "sltctl.power.off" : "sltctl.power.on"),
                    b.getString("sltctl.indicator." + (control & SLTCTL_PIC) / SLTCTL_PIC_ON)), null, null));
        }
        if (status != null) {
            StringJoiner bits = new StringJoiner(", ");
            for (int bit : SLTSTA_BITS) {
                if ((status & bit) != 0) {
                    bits.add(b.getString("sltsta." + bit));
                }
            }
            out.add(new FrameHint(FrameHint.SLOT_STATUS, format(b, "hint.sltsta", hex(status),
                    bits.length() == 0 ? b.getString("sltsta.none") : bits.toString()), null, null));
        }
        // QEMU 7.2 hw/pci/pcie.c: a populated slot whose power controller and indicator a write leaves off, when
        // they were not both off before, has its devices unplugged
        if (control != null && oldControl != null && status != null && (status & SLTSTA_PDS) != 0
                && poweredOff(control) && !poweredOff(oldControl)) {
            out.add(new FrameHint(FrameHint.SLOT_CONTROL, format(b, "hint.sltctl.unplug"), null, null));
        }
    }

    private static boolean poweredOff(long control) {
        return (control & SLTCTL_PCC) != 0 && (control & SLTCTL_PIC) == SLTCTL_PIC_OFF;
    }
}
