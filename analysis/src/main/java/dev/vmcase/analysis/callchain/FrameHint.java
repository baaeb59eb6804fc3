package dev.vmcase.analysis.callchain;

import dev.vmcase.analysis.devices.DeviceTable;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A decoded argument of a frame.
 *
 * @param kind   {@link #IO_PORT}, {@link #ADDRESS}, {@link #REGISTER}, {@link #SLOT_BITMAP}, {@link #BUS_SELECT},
 *               {@link #CONFIG}, {@link #SLOT_CONTROL} or {@link #SHPC}
 * @param text   the explanation, rendered in the requested locale
 * @param ioPort the I/O port the hint is about, or null
 * @param slot   the root-bus PCI slot the hint points at, or null: a slot bitmap's slot, or the root-bus slot of the
 *               PCIe port whose slot is powered off; links the frame to the device at that slot
 */
public record FrameHint(String kind, String text, Integer ioPort, Integer slot) {
    public static final String IO_PORT = "io-port";
    public static final String ADDRESS = "address";
    public static final String REGISTER = "register";
    public static final String SLOT_BITMAP = "slot-bitmap";
    public static final String BUS_SELECT = "bus-select";
    /** A PCI configuration access: which function and register ({@code 00:02.0 register 0x58}). */
    public static final String CONFIG = "config";
    /** A PCIe Slot Control value (native hotplug: indicators, power). */
    public static final String SLOT_CONTROL = "slot-control";
    /** An SHPC command or one of its arguments. */
    public static final String SHPC = "shpc";

    /** The names of the source's devices in the root-bus slots the hints' decoded slot bitmaps point at. */
    public static List<String> devicesIn(DeviceTable devices, List<FrameHint> hints) {
        Set<String> out = new LinkedHashSet<>();
        for (FrameHint h : hints) {
            if (h.slot() != null) {
                devices.sourceInRootSlot(h.slot()).forEach(r -> out.add(r.label()));
            }
        }
        return List.copyOf(out);
    }
}
