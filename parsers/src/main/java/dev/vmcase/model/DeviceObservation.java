package dev.vmcase.model;

import java.util.Map;

/**
 * One device as one layer sees it (docs/architecture.md, "Identity"). Frontends are guest-visible devices ({@code virtio-blk-pci});
 * backends are what they are plugged into ({@code -drive}, {@code -blockdev}, {@code -netdev}, a block-layer entry).
 *
 * @param layer   which layer saw it
 * @param role    FRONTEND or BACKEND
 * @param id      the qdev id / libvirt alias for frontends ({@code virtio-disk1}); the drive id, node-name or
 *                netdev id for backends; empty when the layer shows none (an anonymous block backend)
 * @param type    driver or model ({@code virtio-blk-pci}, {@code qcow2}); for the migration layer the vmstate name
 * @param pci     the PCI address, when the layer knows it
 * @param backend for frontends: the backend it refers to ({@code drive=}/{@code netdev=}), "" when the layer shows
 *                the reference emptied (qtree {@code drive = ""}), null when unknown
 * @param attributes further facts (for block: {@code inserted}, {@code node-name}, {@code attached-to}, {@code file};
 *                for libvirt: {@code target}, {@code alias}; for migration: {@code idstr})
 */
public record DeviceObservation(SourceRef source, Layer layer, DeviceRole role, String id, String type,
                                PciAddress pci, String backend, Map<String, String> attributes) {
    public DeviceObservation {
        attributes = Map.copyOf(attributes);
        id = id == null ? "" : id;
    }

    public String attr(String key) {
        return attributes.get(key);
    }

    public enum DeviceRole {
        FRONTEND, BACKEND
    }
}
