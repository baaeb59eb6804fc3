package dev.vmcase.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI address {@code domain:bus:slot.function}, printed as {@code 0000:00:06.0}.
 * Devices behind bridges are named by their bus number as QEMU reports it (query-pci nests them).
 */
public record PciAddress(int domain, int bus, int slot, int function) implements Comparable<PciAddress> {
    private static final Pattern FULL = Pattern.compile(
            "(?i)(?:(\\p{XDigit}{1,4}):)?(\\p{XDigit}{1,2}):(\\p{XDigit}{1,2})\\.([0-7])");

    public PciAddress {
        if (slot < 0 || slot > 31 || function < 0 || function > 7 || bus < 0 || bus > 255 || domain < 0) {
            throw new IllegalArgumentException("not a PCI address: " + domain + ":" + bus + ":" + slot + "." + function);
        }
    }

    public static PciAddress of(int bus, int slot, int function) {
        return new PciAddress(0, bus, slot, function);
    }

    /** Parses {@code 0000:00:06.0} or {@code 00:06.0}. */
    public static Optional<PciAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FULL.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int domain = m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16);
        int slot = Integer.parseInt(m.group(3), 16);
        if (slot > 31) {
            return Optional.empty(); // two hex digits, but no slot: 0000:00:ff.0 is not an address
        }
        return Optional.of(new PciAddress(domain, Integer.parseInt(m.group(2), 16), slot,
                Integer.parseInt(m.group(4), 16)));
    }

    /**
     * Parses the {@code addr=} of a {@code -device} option or the qdev {@code addr} property:
     * {@code 0x6}, {@code 6}, {@code 0x6.0x1}, {@code 06.0}. The bus is taken as 0 (the root bus).
     */
    public static Optional<PciAddress> parseDeviceAddr(String addr, boolean qtreeHex) {
        if (addr == null || addr.isBlank()) {
            return Optional.empty();
        }
        String[] parts = addr.trim().split("\\.");
        try {
            int slot = parseNumber(parts[0], qtreeHex);
            int function = parts.length > 1 ? parseNumber(parts[1], qtreeHex) : 0;
            if (slot < 0 || slot > 31 || function < 0 || function > 7) {
                return Optional.empty();
            }
            return Optional.of(of(0, slot, function));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // not a number: no PCI address, which the caller says in its own words
            return Optional.empty();
        }
    }

    private static int parseNumber(String s, boolean hex) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("0x")) {
            return Integer.parseInt(t.substring(2), 16);
        }
        return Integer.parseInt(t, hex ? 16 : 10);
    }

    @Override
    public String toString() {
        return hex(domain, 4) + ":" + hex(bus, 2) + ":" + hex(slot, 2) + "." + Integer.toHexString(function);
    }

    /** {@code value} in lower-case hex, zero-padded to {@code digits} ({@code %04x} without a Formatter). */
    public static String hex(int value, int digits) {
        String h = Integer.toHexString(value);
        return h.length() >= digits ? h : "0".repeat(digits - h.length()) + h;
    }

    /** In the order of the printed addresses: domain, bus, slot, function. */
    @Override
    public int compareTo(PciAddress o) {
        int c = Integer.compare(domain, o.domain);
        c = c != 0 ? c : Integer.compare(bus, o.bus);
        c = c != 0 ? c : Integer.compare(slot, o.slot);
        return c != 0 ? c : Integer.compare(function, o.function);
    }
}
