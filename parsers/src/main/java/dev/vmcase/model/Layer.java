package dev.vmcase.model;

/** The layers that can see a device (docs/architecture.md, "Presence per layer"). */
public enum Layer {
    LIBVIRT_XML("libvirt"),
    COMMAND_LINE("cmdline"),
    QDEV("qdev"),
    PCI("pci"),
    BLOCK("block"),
    NET("net"),
    MIGRATION("migration");

    private final String jsonName;

    Layer(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }
}
