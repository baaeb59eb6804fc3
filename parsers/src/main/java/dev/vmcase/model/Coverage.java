package dev.vmcase.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a source shows of one {@link Layer}: every device of some classes ({@link Extent#ALL}), or only some devices
 * ({@link Extent#SOME}: a filtered XML, {@code info block DEVICE}, a pasted excerpt). A device is {@code absent} from a
 * layer only where a source of the same VM and side lists every device of its class there and does not list it;
 * elsewhere there is simply no evidence. Parsers declare coverage through {@code EvidenceSink.covers}.
 * <pre>
 *   query-pci answer      PCI       ALL  {DISK, NIC, OTHER}
 *   query-block answer    BLOCK     ALL  {DISK}
 *   guest lspci           GUEST_PCI ALL  {DISK, NIC, OTHER}
 *   virsh domblklist      LIBVIRT   SOME {DISK}             (every disk, but by target: no alias to join by)
 *   &lt;disk&gt; fragment       LIBVIRT   SOME {DISK}
 * </pre>
 *
 * @param source  where it was seen: the answer's line, the file's first line
 * @param layer   the layer the source shows
 * @param classes the device classes it shows
 * @param extent  whether it lists every device of those classes
 * @param guest   the VM it speaks for where its file holds several (a libvirtd log's monitor), else null: the file's
 */
public record Coverage(SourceRef source, Layer layer, Set<DeviceClass> classes, Extent extent, Guest guest) {
    /** Every device of the classes, or only some. */
    public enum Extent {
        ALL, SOME;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final Set<DeviceClass> EVERY_CLASS = Set.copyOf(EnumSet.allOf(DeviceClass.class));

    public Coverage {
        classes = classes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(classes));
        extent = extent == null ? Extent.SOME : extent;
    }

    public Coverage(SourceRef source, Layer layer, Set<DeviceClass> classes, Extent extent) {
        this(source, layer, classes, extent, null);
    }

    /** Whether this source says of a device of class {@code c} whether it is in the layer. */
    public boolean complete(DeviceClass c) {
        return extent == Extent.ALL && classes.contains(c);
    }

    public Coverage withGuest(Guest g) {
        return new Coverage(source, layer, classes, extent, g);
    }

    public Coverage withSource(SourceRef s) {
        return new Coverage(s, layer, classes, extent, guest);
    }
}
