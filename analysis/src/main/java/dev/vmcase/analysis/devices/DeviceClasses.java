package dev.vmcase.analysis.devices;

import dev.vmcase.model.Attr;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The class of a device (disk, NIC, other), to know which sources speak about it completely. Read from what the
 * layers say, the surest first: the kind of backend a frontend takes ({@code drive=} or {@code netdev=}), libvirt's
 * element ({@code <disk>}, {@code <interface>}), then the QEMU driver or PCI id, from {@code device-classes.properties}
 * (data, with the QEMU and PCI facts it rests on).
 */
public final class DeviceClasses {
    private static final Properties DATA = load();

    private DeviceClasses() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = DeviceClasses.class.getResourceAsStream("device-classes.properties")) {
            if (in == null) {
                throw new IllegalStateException("device-classes.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The class of a device seen through these observations. */
    public static DeviceClass of(List<DeviceObservation> observations) {
        for (DeviceObservation o : observations) {
            String kind = o.attr(Attr.BACKEND_KIND);
            if (Attr.DRIVE.equals(kind)) {
                return DeviceClass.DISK;
            }
            if (Attr.NETDEV.equals(kind)) {
                return DeviceClass.NIC;
            }
        }
        for (DeviceObservation o : observations) {
            String element = o.attr(Attr.ELEMENT);
            if ("disk".equals(element)) {
                return DeviceClass.DISK;
            }
            if ("interface".equals(element)) {
                return DeviceClass.NIC;
            }
        }
        for (DeviceObservation o : observations) {
            DeviceClass c = ofType(o.type());
            if (c != null) {
                return c;
            }
        }
        return DeviceClass.OTHER;
    }

    /**
     * A driver name ({@code virtio-blk-pci}) or a PCI view's type ({@code SCSI controller 1af4:1001}: its vendor:device
     * id), or null when the data does not say.
     */
    static DeviceClass ofType(String type) {
        if (type == null || type.isBlank()) {
            return null;
        }
        String t = type.strip().toLowerCase(Locale.ROOT);
        String v = DATA.getProperty("driver." + t);
        if (v == null) {
            int space = t.lastIndexOf(' ');
            String id = space < 0 ? t : t.substring(space + 1);
            if (id.matches("\\p{XDigit}{4}:\\p{XDigit}{4}")) {
                v = DATA.getProperty("pci." + id);
            }
        }
        return v == null ? null : DeviceClass.valueOf(v.toUpperCase(Locale.ROOT));
    }
}
