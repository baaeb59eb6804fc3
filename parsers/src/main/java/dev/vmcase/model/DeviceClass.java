package dev.vmcase.model;

/**
 * A coarse class of device, for saying what a source lists completely: a {@code virsh domblklist} or a
 * {@code query-block} answer lists every disk and nothing else, {@code virsh domiflist} every NIC.
 */
public enum DeviceClass {
    /** Block devices: virtio-blk, SCSI/IDE/SATA disks and CD-ROMs, their drives and block nodes. */
    DISK,
    /** Network interfaces and their netdevs. */
    NIC,
    /** Everything else: controllers, bridges, balloons, input, video, host devices. */
    OTHER;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
