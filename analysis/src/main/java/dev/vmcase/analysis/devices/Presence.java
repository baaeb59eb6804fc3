package dev.vmcase.analysis.devices;

import java.util.Locale;

/** How one layer sees a device. */
public enum Presence {
    /** The layer has the device. */
    PRESENT,
    /** The layer has the device but its backend reference is gone: qtree {@code drive = ""}, an anonymous block entry. */
    DIFFERENT,
    /** The layer was looked at (there is evidence from it) and the device is not there. */
    ABSENT,
    /** Migration layer only: the destination rejected this device's state from the source's stream. */
    REJECTED,
    /** No evidence from this layer. */
    UNKNOWN;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
