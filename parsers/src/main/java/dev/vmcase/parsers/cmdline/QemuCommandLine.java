package dev.vmcase.parsers.cmdline;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Guest;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.Role;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.EvidenceSink;

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
 */
public final class QemuCommandLine {
    /** A word that names a QEMU binary. */
    private static final Pattern BINARY = Pattern.compile("(?:^|/)(?:qemu-system-[\\w.-]+|qemu-kvm|kvm)$");
    /** Env assignments followed by a QEMU binary and an option: how a command line starts. */
    public static final Pattern START = Pattern.compile(
            "^(?:[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*\\S*(?:qemu-system-[\\w.-]+|qemu-kvm|/kvm)(?:\\s+-\\S.*|\\s*\\\\)?$");
    private static final Pattern PCI_BUS = Pattern.compile("pci(?:e)?\\.(\\d+)");

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
                    device(value, ref, sink);
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

    private static void device(String value, SourceRef ref, EvidenceSink sink) {
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
        if (o.containsKey("addr")) {
            int bus = 0;
            String b = o.get("bus");
            if (b != null) {
                Matcher m = PCI_BUS.matcher(b);
                bus = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            }
            if (bus >= 0) {
                PciAddress slotOnly = PciAddress.parseDeviceAddr(o.get("addr"), false).orElse(null);
                if (slotOnly != null && bus <= 255) {
                    pci = new PciAddress(0, bus, slotOnly.slot(), slotOnly.function());
                }
            } else {
                attrs.put("addr", o.get("addr"));
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
