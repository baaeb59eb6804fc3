package dev.vmcase.model;

/**
 * The keys of {@link DeviceObservation#attributes()} that the analysis reads (reconciliation, rules, the diff), one
 * constant each: the analysis reads {@code o.attr(Attr.INSERTED)}, parsers write {@code Attr.INSERTED.key()}.
 * {@code TypedKeysTest} checks that every constant is written by some parser on real evidence. Other attributes are
 * facts shown as they are (the diff's property list).
 */
public enum Attr {
    /** The line of the QMP answer an observation came from: a later answer of the same file supersedes it. */
    SNAPSHOT("snapshot"),
    /** Migration: the section or RAM block id the destination rejected ({@code 0000:00:06.0/virtio-blk}). */
    IDSTR("idstr"),
    /** Migration: the vmstate name of the section ({@code virtio-blk}). */
    VMSD("vmsd"),
    /** Migration: what was rejected ({@code section}, {@code ramblock}, {@code device-state}). */
    KIND("kind"),
    /**
     * Migration: the class of failure the rejection shows ({@code device-missing-on-destination},
     * {@code device-state-rejected}, {@code ramblock-mismatch}): the message catalogue's entry for the line says it.
     */
    FAILURE_CLASS("failure-class"),
    /** Migration: the idstr uses QEMU 1.6's short root bus ({@code 0000:06.0}). */
    SHORT_ROOT_BUS("short-root-bus"),
    /** libvirt XML: the target dev ({@code vdb}). */
    TARGET("target"),
    /** libvirt XML: the device element ({@code disk}, {@code interface}, {@code controller}). */
    ELEMENT("element"),
    /** libvirt XML: the device has no alias (an inactive definition). */
    INACTIVE("inactive"),
    /** Block layer: a node name. */
    NODE_NAME("node-name"),
    /** Block layer: whether a medium is inserted ({@code true}/{@code false}). */
    INSERTED("inserted"),
    /** Block layer: the QOM path of the frontend the entry is attached to. */
    ATTACHED_TO("attached-to"),
    /** Block layer: the entry is a node of query-named-block-nodes, not a BlockBackend. */
    NAMED_NODE("named-node"),
    /** Frontends: what their backend reference is, {@code drive} or {@code netdev}. */
    BACKEND_KIND("backend-kind"),
    /** PCI: the class QEMU prints ({@code SCSI controller}, {@code Ethernet controller}). */
    CLASS("class"),
    /** qdev: the address as the {@code class …, addr 00:06.0} line prints it. */
    PRINTED_ADDR("printed-addr");

    /** {@link #BACKEND_KIND}'s value for a block device. */
    public static final String DRIVE = "drive";
    /** {@link #BACKEND_KIND}'s value for a network device. */
    public static final String NETDEV = "netdev";

    private final String key;

    Attr(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
