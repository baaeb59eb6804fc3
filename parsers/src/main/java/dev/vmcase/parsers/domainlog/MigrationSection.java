package dev.vmcase.parsers.domainlog;

import dev.vmcase.model.PciAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A savevm section idstr or RAM block name as the destination names it, e.g. {@code 0000:00:06.0/virtio-blk},
 * the short {@code 0000:06.0/virtio-blk} of QEMU 1.6 and {@code pc-*-1.6} machine types, or a device behind a
 * bridge {@code 0000:00:04.0:01.0/e1000.rom} (one {@code :SS.F} per hop from the root bus).
 *
 * @param idstr    as printed
 * @param root     {@code 0000:00}, or {@code 0000} for the short root bus
 * @param hops     slot.function per bridge hop; the device is the last one
 * @param vmsd     the vmstate (or RAM block) name after the slash: {@code virtio-blk}, {@code virtio-net-pci.rom}
 */
public record MigrationSection(String idstr, String root, List<PciAddress> hops, String vmsd) {
    private static final Pattern PATH = Pattern.compile(
            "^(?<root>[0-9a-fA-F]{4}(?::[0-9a-fA-F]{2})?)(?<slots>(?::[0-9a-fA-F]{2}\\.[0-7])++)/(?<vmsd>.+)$");
    private static final Pattern HOP = Pattern.compile(":([0-9a-fA-F]{2})\\.([0-7])");

    public MigrationSection {
        hops = List.copyOf(hops);
    }

    public static Optional<MigrationSection> parse(String idstr) {
        Matcher m = PATH.matcher(idstr);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<PciAddress> hops = new ArrayList<>();
        Matcher h = HOP.matcher(m.group("slots"));
        while (h.find()) {
            hops.add(PciAddress.of(0, Integer.parseInt(h.group(1), 16), Integer.parseInt(h.group(2))));
        }
        return Optional.of(new MigrationSection(idstr, m.group("root"), hops, m.group("vmsd")));
    }

    /** QEMU 1.6's root bus path without the bus number: {@code 0000:06.0}. */
    public boolean shortRootBus() {
        return root.length() == 4;
    }

    public boolean behindBridge() {
        return hops.size() > 1;
    }

    /** The device's address when it sits on the root bus (bus 0); empty behind bridges, whose bus number the path does not say. */
    public Optional<PciAddress> rootBusAddress() {
        if (behindBridge()) {
            return Optional.empty();
        }
        int domain = Integer.parseInt(root.substring(0, 4), 16);
        int bus = root.length() > 4 ? Integer.parseInt(root.substring(5), 16) : 0;
        PciAddress hop = hops.get(0);
        return Optional.of(new PciAddress(domain, bus, hop.slot(), hop.function()));
    }

    /** The device kind the section belongs to: {@code virtio-blk}, or {@code virtio-net-pci} for {@code virtio-net-pci.rom}. */
    public String deviceKind() {
        return vmsd.endsWith(".rom") ? vmsd.substring(0, vmsd.length() - 4) : vmsd;
    }
}
