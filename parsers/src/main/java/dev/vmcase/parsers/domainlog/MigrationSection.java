package dev.vmcase.parsers.domainlog;

import dev.vmcase.model.PciAddress;
import dev.vmcase.model.PciPath;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A savevm section idstr or RAM block name as the destination names it, e.g. {@code 0000:00:06.0/virtio-blk},
 * the short {@code 0000:06.0/virtio-blk} of QEMU 1.6 and {@code pc-*-1.6} machine types, or a device behind a
 * bridge or PCIe root port {@code 0000:00:07.0:00.0/virtio-blk} (one {@code :SS.F} per hop from the root bus, the
 * device last: slot 0 fn 0 on the bus behind the port at 00:07.0 — never the port itself).
 *
 * @param idstr    as printed
 * @param root     {@code 0000:00}, or {@code 0000} for the short root bus
 * @param path     the whole path, the short root bus read as bus 0
 * @param vmsd     the vmstate (or RAM block) name after the slash: {@code virtio-blk}, {@code virtio-net-pci.rom}
 */
public record MigrationSection(String idstr, String root, PciPath path, String vmsd) {
    private static final Pattern PATH = Pattern.compile(
            "^(?<root>[0-9a-fA-F]{4}(?::[0-9a-fA-F]{2})?)(?<slots>(?::[0-9a-fA-F]{2}\\.[0-7])++)/(?<vmsd>.+)$");

    public static Optional<MigrationSection> parse(String idstr) {
        Matcher m = PATH.matcher(idstr);
        if (!m.matches()) {
            return Optional.empty();
        }
        String root = m.group("root");
        // the short root bus of QEMU 1.6 ("0000") is bus 0 all the same: the device is the one at 0000:00:…
        String full = (root.length() == 4 ? root + ":00" : root) + m.group("slots");
        return PciPath.parse(full).map(p -> new MigrationSection(idstr, root, p, m.group("vmsd")));
    }

    /** QEMU 1.6's root bus path without the bus number: {@code 0000:06.0}. */
    public boolean shortRootBus() {
        return root.length() == 4;
    }

    public boolean behindBridge() {
        return !path.onRootBus();
    }

    /** The device's address when it sits on the root bus; empty behind bridges, whose bus number the path does not say. */
    public Optional<PciAddress> rootBusAddress() {
        return path.rootBusAddress();
    }

    /** The device kind the section belongs to: {@code virtio-blk}, or {@code virtio-net-pci} for {@code virtio-net-pci.rom}. */
    public String deviceKind() {
        return vmsd.endsWith(".rom") ? vmsd.substring(0, vmsd.length() - 4) : vmsd;
    }
}
