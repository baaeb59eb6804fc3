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
 * Decodes the arguments of frames on the guest-eject path (the PIIX4 ACPI PCI-hotplug registers of QEMU's hw/acpi/pcihp.c). Pure: no I/O beyond the
 * resource bundle, no JavaFX.
 * <ul>
 *   <li>{@code kvm_handle_io port=N}, {@code address_space_rw / address_space_write addr=N}: the PIIX4 ACPI PCI
 *       hotplug ports 0xae00..0xae17 ({@code port=44552} → {@code I/O port 0xae08: ACPI PCI hotplug eject (B0EJ)});
 *       other values are shown in hex;</li>
 *   <li>{@code acpi_pcihp_eject_slot slots=N}: slot bitmap → the lowest set bit, as QEMU's {@code ffs}/{@code ctz32}
 *       ({@code slots=32} → slot 5); {@code bsel=N}: the bus select;</li>
 *   <li>{@code pci_write / pci_read} of {@code hw/acpi/pcihp.c}: {@code addr} is the register offset
 *       ({@code 8} → eject), and {@code data} written to offset 8 is a slot bitmap, to offset 0x10 a bsel.</li>
 * </ul>
 * Values may be decimal or {@code 0x} hex; {@code <optimized out>} or {@code ...} give no hint.
 */
public final class FrameHints {
    public static final int PCIHP_BASE = 0xae00;
    public static final int PCIHP_SIZE = 0x18;
    public static final int PCI_EJ_BASE = 0x8;
    public static final int PCI_SEL_BASE = 0x10;
    private static final Pattern NUMBER = Pattern.compile("^(0[xX][0-9a-fA-F]{1,16}|\\d{1,19})(?:\\s.*)?$");

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

    /** English hints. */
    public List<FrameHint> hints(Frame f) {
        return hints(f, Locale.ROOT);
    }

    /** Hints with texts in {@code locale} (English when the locale has no translation). */
    public List<FrameHint> hints(Frame f, Locale locale) {
        List<FrameHint> out = new ArrayList<>();
        if (f == null || f.function() == null) {
            return out;
        }
        ResourceBundle b = CallChainKnowledge.bundle(locale);
        String fn = CallChainKnowledge.normalize(f.function());
        switch (fn) {
            case "kvm_handle_io":
                port(b, f.arg("port"), true, out);
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
                bsel(b, f.arg("bsel"), out);
                slots(b, f.arg("slots"), out);
                break;
            case "pci_write":
            case "pci_read":
                if (f.file() == null || f.file().endsWith("pcihp.c")) {
                    Long offset = number(f.arg("addr"));
                    if (offset != null) {
                        register(b, offset, out);
                        if (fn.equals("pci_write") && offset == PCI_EJ_BASE) {
                            slots(b, f.arg("data"), out);
                        } else if (fn.equals("pci_write") && offset == PCI_SEL_BASE) {
                            bsel(b, f.arg("data"), out);
                        }
                    }
                }
                break;
            default:
                break;
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
        if (v >= PCIHP_BASE && v < PCIHP_BASE + PCIHP_SIZE) {
            long reg = (v - PCIHP_BASE) & ~3L;
            out.add(new FrameHint(FrameHint.IO_PORT,
                    format(b, "hint.port.known", hex(v), b.getString("pcihp.port." + reg)), v.intValue(), null));
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

    private static void slots(ResourceBundle b, String value, List<FrameHint> out) {
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
        out.add(new FrameHint(FrameHint.SLOT_BITMAP, text, null, slot));
    }

    private static void bsel(ResourceBundle b, String value, List<FrameHint> out) {
        Long v = number(value);
        if (v == null) {
            return;
        }
        String text = v == 0 ? b.getString("hint.bsel.root") : format(b, "hint.bsel", String.valueOf(v));
        out.add(new FrameHint(FrameHint.BUS_SELECT, text, null, null));
    }
}
