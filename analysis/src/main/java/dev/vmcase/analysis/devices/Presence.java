package dev.vmcase.analysis.devices;

import java.util.Locale;

/** How one layer sees a device. */
public enum Presence {
    /** The layer has the device. */
    PRESENT,
    /** The layer has the device but its backend reference is gone: qtree {@code drive = ""}, an anonymous block entry. */
    DIFFERENT,
    /**
     * A source that lists every device of the device's class in this layer (a {@code query-pci} answer, a whole live
     * XML, {@code query-block} for disks) does not list it.
     */
    ABSENT,
    /** Migration layer only: the destination rejected this device's state from the source's stream. */
    REJECTED,
    /**
     * No source that lists every device of its class in this layer: nothing was seen there, or only a partial view (a
     * filtered XML, {@code info block DEVICE}, a quoted excerpt) that does not say the device is not there. JSON:
     * {@code no-evidence}.
     */
    NO_EVIDENCE;

    /** The former name of {@link #NO_EVIDENCE}, kept so callers written before it still compile. */
    @Deprecated
    public static final Presence UNKNOWN = NO_EVIDENCE;

    public String jsonName() {
        return this == NO_EVIDENCE ? "no-evidence" : name().toLowerCase(Locale.ROOT);
    }
}
