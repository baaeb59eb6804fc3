package dev.vmcase.analysis.callchain;

import dev.vmcase.analysis.devices.DeviceTable;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A decoded argument of a frame.
 *
 * @param kind   {@link #IO_PORT}, {@link #ADDRESS}, {@link #REGISTER}, {@link #SLOT_BITMAP}, {@link #BUS_SELECT},
 *               {@link #CONFIG_ADDRESS}, {@link #SLOT_CONTROL} or {@link #SLOT_STATUS}
 * @param text   the explanation, rendered in the requested locale
 * @param ioPort the I/O port the hint is about, or null
 * @param slot   the root-bus slot the frame acts on (a slot bitmap on the root bus, the device of a configuration
 *               address on bus 0), or null; links the frame to the device in that slot and what sits behind it
 */
public record FrameHint(String kind, String text, Integer ioPort, Integer slot) {
    public static final String IO_PORT = "io-port";
    public static final String ADDRESS = "address";
    public static final String REGISTER = "register";
    public static final String SLOT_BITMAP = "slot-bitmap";
    public static final String BUS_SELECT = "bus-select";
    public static final String CONFIG_ADDRESS = "config-address";
    public static final String SLOT_CONTROL = "slot-control";
    public static final String SLOT_STATUS = "slot-status";

    /** The names of the source's devices in the root-bus slots the hints point at, and of those behind them. */
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
