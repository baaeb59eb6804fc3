package dev.vmcase.parsers.cmdline;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Guest;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.Role;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.EvidenceSink;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A QEMU command line as libvirt logs it (one line, or one option per line ending in {@code \}) or as {@code ps}
 * shows it. Turns {@code -device}, {@code -drive}, {@code -blockdev} and {@code -netdev} into command-line layer
 * observations, in both the old key=value and the JSON syntax:
 * <pre>
 * -drive file=/d1.qcow2,if=none,id=drive-virtio-disk1 -device virtio-blk-pci,bus=pci.0,addr=0x6,drive=drive-virtio-disk1,id=virtio-disk1
 * -blockdev '{"driver":"qcow2","file":"libvirt-2-storage","node-name":"libvirt-2-format"}'
 * -device '{"driver":"virtio-blk-pci","bus":"pci.0","addr":"0x6","drive":"libvirt-2-format","id":"virtio-disk1"}'
 * </pre>
 * PCI places: {@code bus=pci.0}/{@code pcie.0} (or no bus) with {@code addr} is the root bus; {@code bus=ID} of a
 * bridge or port started earlier on the line ({@code -device pcie-root-port,id=pci.5,bus=pcie.0,addr=0x7}: QEMU names
 * its secondary bus after its id) is that device's bus, so the disk {@code bus=pci.5,addr=0x0} gets the path
 * {@code 0000:00:07.0:00.0} (attribute {@code pci-path}) and no address: which bus number the firmware gives the
 * port's bus the command line cannot say (libvirt's {@code pci.N} is its controller index, not the guest's bus
 * number — a switch behind {@code pci.1} shifts every later one). Only a {@code pci.N} naming no device on the line
 * keeps the old reading as bus N.
 */
public final class QemuCommandLine {
    /** A word that names a QEMU binary. */
    private static final Pattern BINARY = Pattern.compile("(?:^|/)(?:qemu-system-[\\w.-]+|qemu-kvm|kvm)$");
    /** Env assignments followed by a QEMU binary and an option: how a command line starts. */
    public static final Pattern START = Pattern.compile(
            "^(?:[A-Za-z_][A-Za-z0-9_]*+=\\S*+\\s++)*+\\S*(?:qemu-system-[\\w.-]+|qemu-kvm|/kvm)(?:\\s+-\\S.*|\\s*\\\\)?$");
    private static final Pattern PCI_BUS = Pattern.compile("pci(?:e)?\\.(\\d{1,3})");
    /** The host bridge's bus: i440fx's {@code pci.0}, q35's {@code pcie.0}. */
    private static final Pattern ROOT_BUS = Pattern.compile("pcie?\\.0");

    private QemuCommandLine() {
    }

    public static boolean looksLikeStart(String line) {
        return START.matcher(line.strip()).matches();
    }

    /**
     * Parses a joined command line found at {@code ref}, emitting one command-line event and the device observations.
     */
    public static void parse(String joined, SourceRef ref, EvidenceSink sink) {
        List<String> words = ShellWords.split(joined);
        Map<String, String> details = new LinkedHashMap<>();
        Map<String, PciPath> pathById = new HashMap<>(); // devices with a PCI place: bridges' buses carry their ids
        int i = 0;
        while (i < words.size() && !BINARY.matcher(words.get(i)).find()) {
            i++;
        }
        if (i < words.size()) {
            details.put("binary", words.get(i));
        }
        String guestName = null;
        String uuid = null;
        for (i = i + 1; i < words.size(); i++) {
            String opt = words.get(i);
            if (!opt.startsWith("-") || i + 1 >= words.size()) {
                continue;
            }
            String name = opt.replaceFirst("^--?", "");
            if (name.equals("S") || name.equals("no-user-config") || name.equals("nodefaults")
                    || name.equals("no-shutdown") || name.equals("enable-kvm") || name.equals("no-hpet")) {
                continue;
            }
            String value = words.get(++i);
            switch (name) {
                case "device":
                    device(value, ref, sink, pathById);
                    break;
                case "drive":
                    drive(value, ref, sink);
                    break;
                case "blockdev":
                    blockdev(value, ref, sink);
                    break;
                case "netdev":
                    netdev(value, ref, sink);
                    break;
                case "incoming":
                    details.put("incoming", value);
                    sink.role(Role.DESTINATION);
                    break;
                case "loadvm":
                    // the VM starts from an internal snapshot: a load that fails is a snapshot restore
                    details.put("loadvm", value);
                    break;
                case "name":
                    Map<String, String> n = QemuOptions.parse(value, "guest");
                    guestName = n.getOrDefault("guest", value);
                    details.put("name", guestName);
                    break;
                case "uuid":
                    uuid = value;
                    details.put("uuid", value);
                    break;
                case "machine":
                case "M":
                    details.put("machine", QemuOptions.parse(value, "type").getOrDefault("type", value));
                    break;
                default:
                    break;
            }
        }
        // the guest QEMU was started as: the VM every line of its log speaks for
        sink.guest(Guest.of(guestName, uuid));
        sink.event(new Event(ref, null, EventKind.QEMU_COMMAND_LINE, "QEMU command line", details));
        if (details.containsKey("binary")) {
            // a whole command line: every device QEMU was started with (hot-plugged ones come later, in QMP)
            sink.coversAll(Layer.COMMAND_LINE, ref);
        }
    }

    private static void device(String value, SourceRef ref, EvidenceSink sink, Map<String, PciPath> pathById) {
        Map<String, String> o = QemuOptions.parse(value, "driver");
        String driver = o.getOrDefault("driver", "");
        String backend = o.containsKey("drive") ? o.get("drive") : o.get("netdev");
        Map<String, String> attrs = new LinkedHashMap<>();
        if (o.containsKey("drive")) {
            attrs.put("backend-kind", "drive");
        } else if (o.containsKey("netdev")) {
            attrs.put("backend-kind", "netdev");
        }
        copy(o, attrs, "bus", "mac", "serial");
        PciAddress pci = null;
        PciPath path = null;
        if (o.containsKey("addr")) {
            String b = o.get("bus");
            PciAddress slotOnly = PciAddress.parseDeviceAddr(o.get("addr"), false).orElse(null);
            if (slotOnly != null && (b == null || ROOT_BUS.matcher(b).matches())) {
                path = PciPath.onRootBus(slotOnly);
                pci = slotOnly;
            } else if (slotOnly != null && pathById.containsKey(b)) {
                path = pathById.get(b).child(slotOnly.slot(), slotOnly.function());
            } else {
                Matcher m = b == null ? null : PCI_BUS.matcher(b);
                if (slotOnly != null && m.matches() && m.group(1).length() <= 3 && Integer.parseInt(m.group(1)) <= 255) {
                    pci = new PciAddress(0, Integer.parseInt(m.group(1)), slotOnly.slot(), slotOnly.function());
                } else {
                    attrs.put("addr", o.get("addr"));
                }
            }
        }
        if (path != null) {
            attrs.put(PciPath.ATTRIBUTE, path.toString());
            if (o.get("id") != null) {
                pathById.putIfAbsent(o.get("id"), path);
            }
        }
        sink.observation(new DeviceObservation(ref, Layer.COMMAND_LINE, DeviceRole.FRONTEND, o.get("id"), driver,
                pci, backend, attrs));
    }

    private static void drive(String value, SourceRef ref, EvidenceSink sink) {
        Map<String, String> o = QemuOptions.parse(value, "file");
        Map<String, String> attrs = new LinkedHashMap<>();
        copy(o, attrs, "file", "format", "if", "node-name");
        attrs.put("backend-kind", "drive");
        sink.observation(new DeviceObservation(ref, Layer.COMMAND_LINE, DeviceRole.BACKEND, o.get("id"),
                o.getOrDefault("format", ""), null, null, attrs));
    }

    private static void blockdev(String value, SourceRef ref, EvidenceSink sink) {
        Map<String, String> o = QemuOptions.parse(value, "driver");
        Map<String, String> attrs = new LinkedHashMap<>();
        copy(o, attrs, "node-name", "filename", "file");
        attrs.put("backend-kind", "drive");
        // A -blockdev has no drive id: the frontend's drive= names the node.
        sink.observation(new DeviceObservation(ref, Layer.COMMAND_LINE, DeviceRole.BACKEND, o.get("node-name"),
                o.getOrDefault("driver", ""), null, null, attrs));
    }

    private static void netdev(String value, SourceRef ref, EvidenceSink sink) {
        Map<String, String> o = QemuOptions.parse(value, "type");
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("backend-kind", "netdev");
        sink.observation(new DeviceObservation(ref, Layer.COMMAND_LINE, DeviceRole.BACKEND, o.get("id"),
                o.getOrDefault("type", ""), null, null, attrs));
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String... keys) {
        for (String k : keys) {
            if (from.containsKey(k)) {
                to.put(k, from.get(k));
            }
        }
    }
}
