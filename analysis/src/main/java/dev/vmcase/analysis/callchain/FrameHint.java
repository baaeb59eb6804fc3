package dev.vmcase.analysis.callchain;

import dev.vmcase.analysis.devices.DeviceTable;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A decoded argument of a frame.
 *
 * @param kind   {@link #IO_PORT}, {@link #ADDRESS}, {@link #REGISTER}, {@link #SLOT_BITMAP} or {@link #BUS_SELECT}
 * @param text   the explanation, rendered in the requested locale
 * @param ioPort the I/O port the hint is about, or null
 * @param slot   the PCI slot decoded from a slot bitmap, or null; links the frame to the device at that slot
 */
public record FrameHint(String kind, String text, Integer ioPort, Integer slot) {
    public static final String IO_PORT = "io-port";
    public static final String ADDRESS = "address";
    public static final String REGISTER = "register";
    public static final String SLOT_BITMAP = "slot-bitmap";
    public static final String BUS_SELECT = "bus-select";

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
