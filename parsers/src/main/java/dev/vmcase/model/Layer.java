package dev.vmcase.model;

/** The layers that can see a device (docs/architecture.md, "Presence per layer"). */
public enum Layer {
    LIBVIRT_XML("libvirt"),
    COMMAND_LINE("cmdline"),
    QDEV("qdev"),
    PCI("pci"),
    BLOCK("block"),
    NET("net"),
    MIGRATION("migration"),
    /**
     * The guest's own PCI view ({@code lspci} inside the VM): what the guest OS enumerated, which can differ from
     * QEMU's PCI view while an unplug is in flight (the guest still lists a slot QEMU was asked to remove, or the
     * reverse). Bus numbers are the guest's; root-bus slots are QEMU's.
     */
    GUEST_PCI("guest-pci");

    private final String jsonName;

    Layer(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
