package dev.vmcase.analysis.callchain;

import java.util.Locale;

/** Where in QEMU (or below it) a frame's function lives; the call-chain walker groups steps by it. */
public enum CallLayer {
    VCPU_EXIT("vcpu-exit"),
    MEMORY_DISPATCH("memory-dispatch"),
    ACPI_HOTPLUG("acpi-hotplug"),
    /** PCI configuration space accesses (0xcf8/0xcfc, PCIe ECAM): how a guest reaches a port's registers. */
    PCI_CONFIG("pci-config"),
    /** Native PCIe hotplug of root and downstream ports (hw/pci/pcie.c: Slot Control, attention button). */
    PCIE_HOTPLUG("pcie-hotplug"),
    /** The standard hotplug controller of PCI bridges (hw/pci/shpc.c). */
    SHPC_HOTPLUG("shpc-hotplug"),
    QOM_QDEV("qom-qdev"),
    BLOCK("block"),
    NET("net"),
    MONITOR("monitor"),
    /** qtest: a test (the lab's guest) acting on the machine through QEMU's test protocol. */
    QTEST("qtest"),
    MIGRATION("migration"),
    THREAD("thread"),
    GLIB_MAINLOOP("glib-mainloop"),
    LIBC("libc");

    private final String id;

    CallLayer(String id) {
        this.id = id;
    }

    /** The id used in {@code qemu-functions.properties} and in JSON. */
    public String id() {
        return id;
    }

    /** The layer's display name in a locale. */
    public String label(Locale locale) {
        return CallChainKnowledge.text(locale, "layer." + id);
    }

    public static CallLayer fromId(String id) {
        for (CallLayer l : values()) {
            if (l.id.equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown call layer: " + id);
    }
}
