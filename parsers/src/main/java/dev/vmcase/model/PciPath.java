package dev.vmcase.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a PCI device sits, the way QEMU names it in migration section ids and RAM block names
 * ({@code pcibus_get_dev_path}): the root bus, then one {@code :SS.F} per hop from the root — every bridge or root
 * port on the way, and last the device itself.
 * <pre>
 *   0000:00:06.0          slot 6 fn 0 on the root bus (the same text as the address 0000:00:06.0)
 *   0000:00:07.0:00.0     slot 0 fn 0 on the bus behind the root port at 0000:00:07.0
 *   0000:00:02.1:00.0:03.0:00.0   behind a switch: root port 02.1, its upstream port 00.0, downstream port 03.0,
 *                                 the device 00.0 on the downstream port's bus
 * </pre>
 * A path never says which bus number the firmware gave a bridge's secondary bus: {@code 0000:00:07.0:00.0} may be
 * {@code 0000:03:00.0} in the guest's {@code lspci} and QEMU's {@code query-pci}. It is the identity that every layer
 * can derive (the command line's {@code bus=ID}, the qdev tree's nesting, {@code query-pci}'s nested bridges, libvirt's
 * controller indexes) while bus numbers exist only after the firmware ran. Parsers that know a device's path put it
 * in the observation's {@link #ATTRIBUTE} attribute; see {@link DeviceObservation#pciPath()}.
 *
 * @param domain  the PCI domain (segment), 0 on every i440fx/q35 machine
 * @param rootBus the root bus number: 0 for the host bridge's bus, the bus number of a pxb expander's root bus
 * @param hops    slot.function per hop from the root bus, the device last; never empty
 */
public record PciPath(int domain, int rootBus, List<Hop> hops) {
    /** The observation attribute that carries a path as {@link #toString()} prints it. */
    public static final String ATTRIBUTE = "pci-path";

    private static final Pattern PATH = Pattern.compile(
            "(?i)(\\p{XDigit}{4}):(\\p{XDigit}{2})((?::\\p{XDigit}{2}\\.[0-7])+)");
    private static final Pattern HOP = Pattern.compile(":(\\p{XDigit}{2})\\.([0-7])");
    /** More hops than any real hierarchy has (PCIe allows 255 buses): a longer text is not a path. */
    private static final int MAX_HOPS = 32;

    /** Slot and function on one bus of the path. */
    public record Hop(int slot, int function) {
        public Hop {
            if (slot < 0 || slot > 31 || function < 0 || function > 7) {
                throw new IllegalArgumentException("not a PCI slot.function: " + slot + "." + function);
            }
        }

        @Override
        public String toString() {
            return PciAddress.hex(slot, 2) + "." + function;
        }
    }

    public PciPath {
        hops = List.copyOf(hops);
        if (hops.isEmpty() || hops.size() > MAX_HOPS || domain < 0 || domain > 0xffff || rootBus < 0 || rootBus > 255) {
            throw new IllegalArgumentException("not a PCI path: " + domain + ":" + rootBus + " " + hops);
        }
    }

    /** The path of a device on the root bus: {@code 0000:00:06.0} for the address {@code 0000:00:06.0}. */
    public static PciPath onRootBus(PciAddress address) {
        return new PciPath(address.domain(), address.bus(), List.of(new Hop(address.slot(), address.function())));
    }

    /** Parses {@code 0000:00:07.0:00.0} (the whole text; the short root bus {@code 0000:06.0} is the caller's to expand). */
    public static Optional<PciPath> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = PATH.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        List<Hop> hops = new ArrayList<>();
        Matcher h = HOP.matcher(m.group(3));
        while (h.find()) {
            if (hops.size() == MAX_HOPS) {
                return Optional.empty();
            }
            int slot = Integer.parseInt(h.group(1), 16);
            if (slot > 31) {
                return Optional.empty();
            }
            hops.add(new Hop(slot, Integer.parseInt(h.group(2))));
        }
        return Optional.of(new PciPath(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16), hops));
    }

    /** The device at {@code slot.function} on the bus behind this one (this path being a bridge or port). */
    public PciPath child(int slot, int function) {
        List<Hop> more = new ArrayList<>(hops);
        more.add(new Hop(slot, function));
        return new PciPath(domain, rootBus, more);
    }

    /** Whether the device sits on the root bus itself (no bridge on the way). */
    public boolean onRootBus() {
        return hops.size() == 1;
    }

    /** The device's own slot.function, on the bus it sits on. */
    public Hop device() {
        return hops.get(hops.size() - 1);
    }

    /** The bridge or port whose bus the device sits on; empty on the root bus. */
    public Optional<PciPath> bridge() {
        return onRootBus() ? Optional.empty()
                : Optional.of(new PciPath(domain, rootBus, hops.subList(0, hops.size() - 1)));
    }

    /** The device's address when it sits on the root bus, whose number the path says; empty behind bridges. */
    public Optional<PciAddress> rootBusAddress() {
        return onRootBus() ? Optional.of(new PciAddress(domain, rootBus, device().slot(), device().function()))
                : Optional.empty();
    }

    /** {@code 0000:00:07.0:00.0}, as QEMU prints it. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(PciAddress.hex(domain, 4)).append(':').append(PciAddress.hex(rootBus, 2));
        for (Hop h : hops) {
            b.append(':').append(h);
        }
        return b.toString();
    }
}
