/**
 * Call-chain knowledge: what each QEMU function on a backtrace does, and what its arguments mean.
 *
 * <pre>
 *  guest: outl(0xae08, 1 &lt;&lt; slot)                      layer
 *   kvm_handle_io (port=44552)        → I/O port 0xae08: eject     vcpu-exit
 *   address_space_rw … memory_region_write_accessor               memory-dispatch
 *   pci_write (addr=8, data=32)       → register 0x8, slot 5       acpi-hotplug
 *   acpi_pcihp_eject_slot (bsel=0, slots=32) → slot 5 on pci.0    acpi-hotplug
 *   object_unparent → device_unparent → bus_unparent …            qom-qdev
 *   object_finalize → object_property_del_all → release_drive     qom-qdev / block
 * </pre>
 *
 * {@link dev.vmcase.analysis.callchain.CallChainKnowledge} is data ({@code qemu-functions.properties} plus the
 * {@code CallChain} bundle); {@link dev.vmcase.analysis.callchain.FrameHints} decodes arguments. Both are pure.
 */
package dev.vmcase.analysis.callchain;
