package dev.vmcase.model;

import java.util.Map;
import java.util.Optional;

/**
 * One device as one layer sees it (docs/architecture.md, "Identity"). Frontends are guest-visible devices ({@code virtio-blk-pci});
 * backends are what they are plugged into ({@code -drive}, {@code -blockdev}, {@code -netdev}, a block-layer entry).
 *
 * @param layer   which layer saw it
 * @param role    FRONTEND or BACKEND
 * @param id      the qdev id / libvirt alias for frontends ({@code virtio-disk1}); the drive id, node-name or
 *                netdev id for backends; empty when the layer shows none (an anonymous block backend)
 * @param type    driver or model ({@code virtio-blk-pci}, {@code qcow2}); for the migration layer the vmstate name
 * @param pci     the PCI address (bus number as the firmware numbered it), when the layer knows it
 * @param backend for frontends: the backend it refers to ({@code drive=}/{@code netdev=}), "" when the layer shows
 *                the reference emptied (qtree {@code drive = ""}), null when unknown
 * @param attributes further facts (for block: {@code inserted}, {@code node-name}, {@code attached-to}, {@code file};
 *                for libvirt: {@code target}, {@code alias}; for migration: {@code idstr}); what the analysis reads
 *                is named by {@link Attr}
 * @param guest   the VM it belongs to where its file holds several (a libvirtd log's monitors), else null: the
 *                artifact's
 */
public record DeviceObservation(SourceRef source, Layer layer, DeviceRole role, String id, String type,
                                PciAddress pci, String backend, Map<String, String> attributes, Guest guest) {
    public DeviceObservation {
        attributes = Map.copyOf(attributes);
        id = id == null ? "" : id;
    }

    public DeviceObservation(SourceRef source, Layer layer, DeviceRole role, String id, String type,
                             PciAddress pci, String backend, Map<String, String> attributes) {
        this(source, layer, role, id, type, pci, backend, attributes, null);
    }

    /** An attribute the analysis reads, or null. */
    public String attr(Attr key) {
        return attributes.get(key.key());
    }

    /** Any attribute by its name; the analysis reads through {@link #attr(Attr)}. */
    public String attr(String key) {
        return attributes.get(key);
    }

    /**
     * Where the device sits as a path from the root bus ({@link PciPath}): the layer's own path when it gave one
     * (attribute {@link PciPath#ATTRIBUTE}), else the path of a bus-0 address, bus 0 being the root bus on every
     * machine (firmware numbers bridges' buses from 1); empty for a device behind a bridge whose path the layer does
     * not show.
     */
    public Optional<PciPath> pciPath() {
        Optional<PciPath> own = PciPath.parse(attributes.get(PciPath.ATTRIBUTE));
        if (own.isPresent()) {
            return own;
        }
        return pci != null && pci.bus() == 0 ? Optional.of(PciPath.onRootBus(pci)) : Optional.empty();
    }

    public DeviceObservation withSource(SourceRef s) {
        return new DeviceObservation(s, layer, role, id, type, pci, backend, attributes, guest);
    }

    public DeviceObservation withGuest(Guest g) {
        return new DeviceObservation(source, layer, role, id, type, pci, backend, attributes, g);
    }

    public DeviceObservation withAttributes(Map<String, String> a) {
        return new DeviceObservation(source, layer, role, id, type, pci, backend, a, guest);
    }

    public enum DeviceRole {
        FRONTEND, BACKEND
    }
}
