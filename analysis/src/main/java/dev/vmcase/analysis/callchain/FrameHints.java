package dev.vmcase.analysis.callchain;

import dev.vmcase.model.Frame;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the arguments of frames on the hotplug paths (QEMU's hw/acpi/pcihp.c, hw/pci/pcie.c, hw/pci/shpc.c, the
 * memory API): which arguments of which functions mean what is data ({@code io-decoders.properties}), so are the I/O
 * blocks the guest writes to ({@code io-blocks.properties}: PIIX4's ACPI PCI hotplug at 0xae00 on i440fx, ICH9's at
 * 0x0cc0 on q35, the PCI configuration ports); the texts are in the {@code CallChain} bundle. Here is only how each
 * kind of value is read:
 * <ul>
 *   <li>an I/O port ({@code kvm_handle_io port=44552}, {@code cpu_outl addr=44552}, the memory API's {@code addr} on
 *       {@code address_space_io}) → its block's register ({@code I/O port 0xae08: ACPI PCI hotplug eject (B0EJ)});</li>
 *   <li>the value written there ({@code cpu_outl val=64}) and at a region's offset ({@code pci_write addr=8 data=256},
 *       {@code memory_region_dispatch_write addr=8 data=64} once the thread's absolute port places the region) →
 *       a slot bitmap (lowest set bit, as QEMU's {@code ffs}/{@code ctz32}: {@code 256} → slot 8) or a bus select;</li>
 *   <li>native PCIe hotplug: a configuration address ({@code pci_data_write addr=}, {@code pcie_mmcfg_data_write
 *       mmcfg_addr=}) → the port's {@code BB:SS.F} and register; a Slot Control value ({@code
 *       pcie_cap_slot_write_config val=}) → indicators and power, and whether it powers the slot off (QEMU then
 *       unplugs the device behind the port);</li>
 *   <li>SHPC: {@code shpc_write} at the command register → the slot command (target slot, state, LEDs), and
 *       {@code shpc_slot_command}'s own arguments.</li>
 * </ul>
 * Values may be decimal or {@code 0x} hex; {@code <optimized out>} or {@code ...} give no hint. Pure: no I/O beyond its
 * resources, no JavaFX.
 */
public final class FrameHints {
    public static final int PCIHP_BASE = 0xae00;
    public static final int PCIHP_SIZE = 0x18;
    public static final int PCI_EJ_BASE = 0x8;
    public static final int PCI_SEL_BASE = 0x10;
    /** PCIe Slot Control bits (PCI Express Base Specification §7.5.3.10; Linux and QEMU's pci_regs.h names). */
    static final int SLTCTL_AIC = 0x00c0;
    static final int SLTCTL_PIC = 0x0300;
    static final int SLTCTL_PCC = 0x0400;
    /** SHPC command register offset (hw/pci/shpc.c SHPC_CMD_CODE) and its target byte (SHPC_CMD_TRGT). */
    static final int SHPC_CMD_CODE = 0x14;
    static final int SHPC_CMD_TRGT = 0x15;
    private static final Pattern NUMBER = Pattern.compile("^(-?0[xX][0-9a-fA-F]{1,16}|-?\\d{1,19})(?:\\s.*)?$");

    private static final FrameHints STANDARD = new FrameHints();

    private final CallChainKnowledge knowledge;
    private final List<Block> blocks;
    private final Map<String, List<String[]>> decoders;

    /** One I/O block of {@code io-blocks.properties}. */
    record Block(String id, long base, long size, String layout) {
        boolean contains(long port) {
            return port >= base && port < base + size;
        }
    }

    /** Hints over the built-in knowledge base; stateless, shared. */
    public static FrameHints standard() {
        return STANDARD;
    }

    public FrameHints() {
        this(CallChainKnowledge.standard());
    }

    public FrameHints(CallChainKnowledge knowledge) {
        this.knowledge = knowledge;
        this.blocks = loadBlocks();
        this.decoders = loadDecoders();
    }

    private static Properties load(String name) {
        Properties p = new Properties();
        try (InputStream in = FrameHints.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static List<Block> loadBlocks() {
        List<Block> out = new ArrayList<>();
        Properties p = load("io-blocks.properties");
        for (String id : new java.util.TreeSet<>(p.stringPropertyNames())) {
            String[] f = p.getProperty(id).split("\\|");
            out.add(new Block(id, Long.decode(f[0].strip()), Long.decode(f[1].strip()), f[2].strip()));
        }
        return List.copyOf(out);
    }

    private static Map<String, List<String[]>> loadDecoders() {
        Map<String, List<String[]>> out = new LinkedHashMap<>();
        Properties p = load("io-decoders.properties");
        for (String fn : p.stringPropertyNames()) {
            List<String[]> args = new ArrayList<>();
            for (String a : p.getProperty(fn).strip().split("\\s+")) {
                int colon = a.indexOf(':');
                args.add(new String[] {a.substring(0, colon), a.substring(colon + 1)});
            }
            out.put(fn, List.copyOf(args));
        }
        return out;
    }

    /** The functions whose arguments are decoded ({@code pci_write@pcihp.c} for a file-bound entry). */
    public java.util.Set<String> decodedFunctions() {
        return java.util.Collections.unmodifiableSet(decoders.keySet());
    }

    /** English hints. */
    public List<FrameHint> hints(Frame f) {
        return hints(f, Locale.ROOT);
    }

    /** Hints with texts in {@code locale} (English when the locale has no translation). */
    public List<FrameHint> hints(Frame f, Locale locale) {
        return hints(f, locale, List.of());
    }

    /**
     * Hints for a frame of a thread: the thread's other frames say which absolute I/O port a region offset belongs to
     * and which PCI function a configuration write goes to.
     */
    public List<FrameHint> hints(Frame f, Locale locale, List<Frame> thread) {
        List<FrameHint> out = new ArrayList<>();
        if (f == null || f.function() == null) {
            return out;
        }
        String fn = CallChainKnowledge.normalize(f.function());
        List<String[]> spec = decoders.get(fn);
        if (spec == null && f.file() != null) {
            for (Map.Entry<String, List<String[]>> e : decoders.entrySet()) {
                int at = e.getKey().indexOf('@');
                if (at > 0 && e.getKey().substring(0, at).equals(fn) && f.file().endsWith(e.getKey().substring(at + 1))) {
                    spec = e.getValue();
                }
            }
        } else if (spec == null) {
            for (Map.Entry<String, List<String[]>> e : decoders.entrySet()) {
                int at = e.getKey().indexOf('@');
                if (at > 0 && e.getKey().substring(0, at).equals(fn)) {
                    spec = e.getValue(); // no file shown: the function's name must do
                }
            }
        }
        if (spec == null) {
            return out;
        }
        Context ctx = new Context(CallChainKnowledge.bundle(locale), f, thread == null ? List.of() : thread);
        for (String[] a : spec) {
            String value = f.arg(a[0]);
            if (value != null) {
                decode(ctx, a[1], value, out);
            }
        }
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

    /** What decoding one frame needs: texts, the frame, its thread. */
    private final class Context {
        final ResourceBundle b;
        final Frame frame;
        final List<Frame> thread;

        Context(ResourceBundle b, Frame frame, List<Frame> thread) {
            this.b = b;
            this.frame = frame;
            this.thread = thread;
        }

        /** The absolute I/O port the thread writes (the vCPU exit's or qtest's), or null. */
        Long threadPort() {
            for (Frame t : thread) {
                String fn = CallChainKnowledge.normalize(t.function() == null ? "" : t.function());
                Long v = null;
                if (fn.equals("kvm_handle_io")) {
                    v = number(t.arg("port"));
                } else if (fn.startsWith("cpu_out")) {
                    v = number(t.arg("addr"));
                } else if (fn.startsWith("address_space_") && String.valueOf(t.arg("as")).contains("address_space_io")) {
                    v = number(t.arg("addr"));
                }
                if (v != null) {
                    return v;
                }
            }
            return null;
        }

        /** Whether the thread's absolute port is in q35's ICH9 ACPI hotplug block. */
        boolean q35() {
            Long port = threadPort();
            Block blk = port == null ? null : block(port);
            return blk != null && blk.id().equals("ich9-pcihp");
        }

        /** The PCI function and register of the thread's configuration write: {bus, slot, fn, reg}, or null. */
        int[] threadConfig() {
            for (Frame t : thread) {
                String fn = CallChainKnowledge.normalize(t.function() == null ? "" : t.function());
                if (fn.equals("pci_data_write")) {
                    Long v = number(t.arg("addr"));
                    if (v != null) {
                        return cf8(v);
                    }
                } else if (fn.equals("pcie_mmcfg_data_write")) {
                    Long v = number(t.arg("mmcfg_addr"));
                    if (v != null) {
                        return ecam(v);
                    }
                }
            }
            return null;
        }
    }

    private void decode(Context c, String kind, String value, List<FrameHint> out) {
        Long v = number(value);
        if (v == null) {
            return;
        }
        switch (kind) {
            case "port":
                port(c.b, v, true, out);
                break;
            case "address": {
                String as = c.frame.arg("as");
                boolean io = as != null && as.contains("address_space_io");
                boolean memory = as != null && as.contains("address_space_memory");
                if (!memory) {
                    port(c.b, v, io, out);
                }
                break;
            }
            case "port-value": {
                Long port = number(c.frame.arg("addr"));
                if (port == null) {
                    port = number(c.frame.arg("port"));
                }
                Block blk = port == null ? null : block(port);
                if (blk != null && blk.layout().equals("acpi-pcihp")) {
                    registerValue(c.b, port - blk.base(), v, blk.id().equals("ich9-pcihp"), out);
                }
                break;
            }
            case "region-offset": {
                Long port = c.threadPort();
                Block blk = port == null ? null : block(port);
                if (blk != null && blk.layout().equals("acpi-pcihp") && port - blk.base() == v) {
                    out.add(new FrameHint(FrameHint.REGISTER, format(c.b, "hint.region", hex(v), hex(blk.base()),
                            blockName(c.b, blk), registerName(c.b, v)), null, null));
                }
                break;
            }
            case "region-value": {
                Long port = c.threadPort();
                Block blk = port == null ? null : block(port);
                Long offset = number(c.frame.arg("addr"));
                if (blk != null && blk.layout().equals("acpi-pcihp") && offset != null && port - blk.base() == offset) {
                    registerValue(c.b, offset, v, blk.id().equals("ich9-pcihp"), out);
                }
                break;
            }
            case "pcihp-register":
                register(c.b, v, out);
                break;
            case "pcihp-value": {
                Long offset = number(c.frame.arg("addr"));
                if (offset != null) {
                    registerValue(c.b, offset, v, c.q35(), out);
                }
                break;
            }
            case "bsel":
                bsel(c.b, v, c.q35(), out);
                break;
            case "slot-bitmap": {
                Long bsel = number(c.frame.arg("bsel"));
                slots(c.b, v, !c.q35() && (bsel == null || bsel == 0), out);
                break;
            }
            case "config-address":
                config(c.b, cf8(v), "hint.config.cf8", out);
                break;
            case "ecam-address":
                config(c.b, ecam(v), "hint.config.ecam", out);
                break;
            case "config-register":
                out.add(new FrameHint(FrameHint.REGISTER, format(c.b, "hint.config.register", hex(v)), null, null));
                break;
            case "slot-control":
                slotControl(c, v, false, out);
                break;
            case "slot-control-before":
                slotControl(c, v, true, out);
                break;
            case "shpc-register":
                shpcRegister(c.b, v, out);
                break;
            case "shpc-value":
                shpcValue(c, v, out);
                break;
            case "shpc-target":
                out.add(new FrameHint(FrameHint.SHPC, format(c.b, "hint.shpc.target", String.valueOf(v)), null, null));
                break;
            case "shpc-state":
                out.add(new FrameHint(FrameHint.SHPC, format(c.b, "hint.shpc.state",
                        c.b.getString("shpc.state." + (v & 3))), null, null));
                break;
            case "shpc-led":
                out.add(new FrameHint(FrameHint.SHPC, format(c.b, "hint.shpc.led",
                        c.b.getString("shpc.led." + (v & 3))), null, null));
                break;
            case "shpc-slot-index":
                out.add(new FrameHint(FrameHint.SHPC, format(c.b, "hint.shpc.index", String.valueOf(v),
                        String.valueOf(v + 1)), null, null));
                break;
            default:
                break;
        }
    }

    private Block block(long port) {
        for (Block blk : blocks) {
            if (blk.contains(port)) {
                return blk;
            }
        }
        return null;
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
        boolean neg = v.startsWith("-");
        String t = neg ? v.substring(1) : v;
        try {
            long n = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                    : Long.parseLong(t);
            return neg ? null : n;
        } catch (NumberFormatException e) {
            // a value past 64 bits: nothing decoded from it, the frame shows the argument as written
            return null;
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String format(ResourceBundle b, String key, Object... args) {
        return new MessageFormat(b.getString(key), b.getLocale()).format(args);
    }

    private static String blockName(ResourceBundle b, Block blk) {
        return b.getString("block." + blk.id());
    }

    private static String registerName(ResourceBundle b, long offset) {
        String key = "pcihp.register." + offset;
        return offset >= 0 && offset < PCIHP_SIZE && offset % 4 == 0 && b.containsKey(key) ? b.getString(key) : hex(offset);
    }

    /** A value that is an I/O port (or, for the memory API when not known to be port I/O, an address). */
    private void port(ResourceBundle b, long v, boolean surelyPort, List<FrameHint> out) {
        Block blk = block(v);
        if (blk != null && blk.layout().equals("acpi-pcihp")) {
            long reg = (v - blk.base()) & ~3L;
            String text = blk.id().equals("piix4-pcihp")
                    ? format(b, "hint.port.known", hex(v), b.getString("pcihp.port." + reg))
                    : format(b, "hint.port.block", hex(v), b.getString("pcihp.port." + reg), blockName(b, blk));
            out.add(new FrameHint(FrameHint.IO_PORT, text, (int) v, null));
        } else if (blk != null && blk.layout().equals("pci-config")) {
            out.add(new FrameHint(FrameHint.IO_PORT, format(b, "hint.port.known", hex(v),
                    b.getString(v - blk.base() < 4 ? "pciconfig.address" : "pciconfig.data")), (int) v, null));
        } else if (surelyPort && v <= 0xffff) {
            out.add(new FrameHint(FrameHint.IO_PORT, format(b, "hint.port", hex(v)), (int) v, null));
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

    /** What a value written to an ACPI PCI hotplug register means: a slot bitmap to eject, a bus to select. */
    private static void registerValue(ResourceBundle b, long offset, long v, boolean q35, List<FrameHint> out) {
        if (offset == PCI_EJ_BASE) {
            slots(b, v, !q35, out);
        } else if (offset == PCI_SEL_BASE) {
            bsel(b, v, q35, out);
        }
    }

    private static void slots(ResourceBundle b, long v, List<FrameHint> out) {
        slots(b, v, true, out);
    }

    /**
     * A slot bitmap; {@code rootBus} when the bus it is for is the root bus, so that its slot names the device at that
     * root-bus slot (i440fx with bsel 0). On q35 the ACPI hotplug buses are the root ports' (bsel 0 is the first of
     * them, not pcie.0) and a bridge's bus has its own slots: no root-bus slot is claimed then.
     */
    private static void slots(ResourceBundle b, long v, boolean rootBus, List<FrameHint> out) {
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
        if (!rootBus) {
            text = text + " " + b.getString("hint.slots.notRoot");
        }
        out.add(new FrameHint(FrameHint.SLOT_BITMAP, text, null, rootBus ? slot : null));
    }

    private static void bsel(ResourceBundle b, long v, boolean q35, List<FrameHint> out) {
        String text = v != 0 ? format(b, "hint.bsel", String.valueOf(v))
                : b.getString(q35 ? "hint.bsel.q35" : "hint.bsel.root");
        out.add(new FrameHint(FrameHint.BUS_SELECT, text, null, null));
    }

    /** CONFIG_ADDRESS (0xcf8): enable bit 31, bus 23..16, device 15..11, function 10..8, register 7..2. */
    static int[] cf8(long v) {
        return new int[] {(int) (v >> 16) & 0xff, (int) (v >> 11) & 0x1f, (int) (v >> 8) & 0x7, (int) v & 0xff};
    }

    /** ECAM offset: bus 27..20, device 19..15, function 14..12, register 11..0. */
    static int[] ecam(long v) {
        return new int[] {(int) (v >> 20) & 0xff, (int) (v >> 15) & 0x1f, (int) (v >> 12) & 0x7, (int) v & 0xfff};
    }

    private static void config(ResourceBundle b, int[] c, String key, List<FrameHint> out) {
        String bdf = String.format(Locale.ROOT, "%02x:%02x.%x", c[0], c[1], c[2]);
        out.add(new FrameHint(FrameHint.CONFIG, format(b, key, bdf, hex(c[3])), null, c[0] == 0 ? c[1] : null));
    }

    /** A PCIe Slot Control value: indicators, power, and whether writing it makes QEMU unplug the port's device. */
    private static void slotControl(Context c, long v, boolean before, List<FrameHint> out) {
        ResourceBundle b = c.b;
        String aic = b.getString("sltctl.ind." + ((v & SLTCTL_AIC) >> 6));
        String pic = b.getString("sltctl.ind." + ((v & SLTCTL_PIC) >> 8));
        String power = b.getString((v & SLTCTL_PCC) != 0 ? "sltctl.power.off" : "sltctl.power.on");
        String text = format(b, before ? "hint.sltctl.before" : "hint.sltctl", hex(v), aic, pic, power);
        boolean off = (v & SLTCTL_PCC) != 0 && (v & SLTCTL_PIC) == SLTCTL_PIC;
        Integer slot = null;
        if (!before && off) {
            Long old = null;
            for (String k : List.of("old_slt_ctl", "old_slot_ctl", "slt_ctl")) {
                old = old != null ? old : number(c.frame.arg(k));
            }
            boolean wasOff = old != null && (old & SLTCTL_PCC) != 0 && (old & SLTCTL_PIC) == SLTCTL_PIC;
            if (!wasOff) {
                int[] port = c.threadConfig();
                text = text + " " + (port == null ? b.getString("hint.sltctl.unplug")
                        : format(b, "hint.sltctl.unplug.port", String.format(Locale.ROOT, "%02x:%02x.%x",
                        port[0], port[1], port[2])));
                slot = port != null && port[0] == 0 ? port[1] : null;
            }
        }
        out.add(new FrameHint(FrameHint.SLOT_CONTROL, text, null, slot));
    }

    private static void shpcRegister(ResourceBundle b, long addr, List<FrameHint> out) {
        String name;
        if (addr == SHPC_CMD_CODE) {
            name = b.getString("shpc.register.command");
        } else if (addr == SHPC_CMD_TRGT) {
            name = b.getString("shpc.register.target");
        } else if (addr == 0x16) {
            name = b.getString("shpc.register.status");
        } else if (addr >= 0x24) {
            name = format(b, "shpc.register.slot", String.valueOf((addr - 0x24) / 4 + 1));
        } else {
            name = hex(addr);
        }
        out.add(new FrameHint(FrameHint.REGISTER, format(b, "hint.shpc.register", hex(addr), name), null, null));
    }

    /** A write at SHPC's command register: code (slot state, power LED, attention LED) and, in a word, the target. */
    private static void shpcValue(Context c, long v, List<FrameHint> out) {
        Long addr = number(c.frame.arg("addr"));
        if (addr == null || addr != SHPC_CMD_CODE) {
            return;
        }
        ResourceBundle b = c.b;
        long code = v & 0xff;
        Long len = number(c.frame.arg("l"));
        String target = len != null && len >= 2 ? String.valueOf((v >> 8) & 0x1f) : "?";
        if (code > 0x3f) {
            out.add(new FrameHint(FrameHint.SHPC, format(b, "hint.shpc.other", hex(code)), null, null));
            return;
        }
        long state = code & 3;
        long power = (code >> 2) & 3;
        long attn = (code >> 4) & 3;
        String text = format(b, "hint.shpc.command", hex(code), target, b.getString("shpc.state." + state),
                b.getString("shpc.led." + power), b.getString("shpc.led." + attn));
        if (state == 3 && power == 3) {
            text = text + " " + b.getString("hint.shpc.unplug");
        }
        out.add(new FrameHint(FrameHint.SHPC, text, null, null));
    }
}
