package dev.vmcase.parsers.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.SourceRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the {@code return} values of QMP {@code query-pci}, {@code query-block} and {@code query-named-block-nodes}
 * to device observations with the same conventions as the HMP parsers ({@link HmpPciParser},
 * {@link HmpBlockParser}). Pure and lenient: a member that is missing or of an unexpected type is skipped, never
 * thrown about; every observation cites the one {@link SourceRef} given (the reply line).
 * <ul>
 *   <li>query-pci → {@link Layer#PCI} FRONTEND per function, bridges' {@code pci_bridge.devices} recursively:
 *       id = {@code qdev_id}, pci from decimal bus/slot/function, type = {@code desc} (or {@code Class %04x} when
 *       QEMU gives none, as HMP prints it) + " " + vendor:device in hex; attributes {@code class},
 *       {@code vendor-device}, {@code subsystem}, {@code secondary-bus}, and {@code pci-path} from the nesting
 *       ({@code 0000:00:07.0:00.0} for the device listed under the bridge at 00:07.0, whatever bus number the
 *       firmware gave it).</li>
 *   <li>query-block → {@link Layer#BLOCK} BACKEND per BlockBackend: id = {@code device} ("" for -blockdev disks
 *       and for anonymous backends), type = {@code inserted.drv} (null when nothing is inserted); attributes
 *       {@code inserted}, {@code node-name}, {@code attached-to} (= {@code qdev}), {@code file}, {@code read-only}.
 *       Anonymous after drive_del (QEMU 7.2): {@code device ""}, no {@code inserted}, {@code qdev} set.</li>
 *   <li>query-named-block-nodes → {@link Layer#BLOCK} BACKEND per node: id "", type = {@code drv}; attributes
 *       {@code node-name}, {@code file}, {@code read-only}, {@code named-node=true} (tells them from BlockBackends).</li>
 * </ul>
 */
public final class QmpResults {
    private static final String PERIPHERAL = "/machine/peripheral/";

    private QmpResults() {
    }

    public static List<DeviceObservation> fromQueryPci(JsonNode returnValue, SourceRef ref) {
        List<DeviceObservation> out = new ArrayList<>();
        if (returnValue == null || !returnValue.isArray()) {
            return out;
        }
        for (JsonNode bus : returnValue) {
            // each top-level entry is a root bus: the host bridge's (0) or a pxb expander's (its bus number)
            int root = intOf(bus.path("bus"));
            pciDevices(bus.path("devices"), root >= 0 && root <= 255 ? root : -1, null, ref, out, 0);
        }
        return out;
    }

    /**
     * The devices on one bus: the root bus {@code rootBus} when {@code bridge} is null, else the bus behind
     * {@code bridge} (whose devices QEMU lists under it). A root bus of unknown number gives no paths.
     */
    private static void pciDevices(JsonNode devices, int rootBus, PciPath bridge, SourceRef ref,
                                   List<DeviceObservation> out, int depth) {
        if (!devices.isArray() || depth > 32) {
            return;
        }
        for (JsonNode d : devices) {
            PciPath path = pciDevice(d, rootBus, bridge, ref, out);
            // a device whose place is unknown gives its children none either (never the root bus by mistake)
            pciDevices(d.path("pci_bridge").path("devices"), path == null ? -1 : rootBus, path, ref, out, depth + 1);
        }
    }

    private static PciPath pciDevice(JsonNode d, int rootBus, PciPath bridge, SourceRef ref, List<DeviceObservation> out) {
        int bus = intOf(d.path("bus"));
        int slot = intOf(d.path("slot"));
        int function = intOf(d.path("function"));
        if (bus < 0 || bus > 255 || slot < 0 || slot > 31 || function < 0 || function > 7) {
            return null;
        }
        PciPath path = bridge != null ? bridge.child(slot, function)
                : rootBus >= 0 ? new PciPath(0, rootBus, List.of(new PciPath.Hop(slot, function))) : null;
        Map<String, String> attrs = new LinkedHashMap<>();
        if (path != null) {
            attrs.put(PciPath.ATTRIBUTE, path.toString());
        }
        JsonNode classInfo = d.path("class_info");
        String desc = classInfo.path("desc").isTextual() ? classInfo.path("desc").asText() : null;
        int cls = intOf(classInfo.path("class"));
        if (desc == null && cls >= 0) {
            desc = "Class " + PciAddress.hex(cls, 4);
        }
        int vendor = intOf(d.path("id").path("vendor"));
        int device = intOf(d.path("id").path("device"));
        String vendorDevice = vendor >= 0 && device >= 0
                ? PciAddress.hex(vendor, 4) + ":" + PciAddress.hex(device, 4) : null;
        int subVendor = intOf(d.path("id").path("subsystem-vendor"));
        int sub = intOf(d.path("id").path("subsystem"));
        if (subVendor >= 0 && sub >= 0) {
            attrs.put("subsystem", PciAddress.hex(subVendor, 4) + ":" + PciAddress.hex(sub, 4));
        }
        int secondary = intOf(d.path("pci_bridge").path("bus").path("secondary"));
        if (secondary >= 0) {
            attrs.put("secondary-bus", Integer.toString(secondary));
        }
        if (desc != null) {
            attrs.put("class", desc);
        }
        if (vendorDevice != null) {
            attrs.put("vendor-device", vendorDevice);
        }
        String type = desc == null && vendorDevice == null ? null
                : desc == null ? vendorDevice : vendorDevice == null ? desc : desc + " " + vendorDevice;
        out.add(new DeviceObservation(ref, Layer.PCI, DeviceRole.FRONTEND, textOf(d.path("qdev_id")), type,
                PciAddress.of(bus, slot, function), null, attrs));
        return path;
    }

    public static List<DeviceObservation> fromQueryBlock(JsonNode returnValue, SourceRef ref) {
        List<DeviceObservation> out = new ArrayList<>();
        if (returnValue == null || !returnValue.isArray()) {
            return out;
        }
        for (JsonNode b : returnValue) {
            if (!b.isObject()) {
                continue;
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            JsonNode inserted = b.path("inserted");
            boolean isInserted = inserted.isObject();
            attrs.put("inserted", Boolean.toString(isInserted));
            String type = null;
            if (isInserted) {
                type = textOrNull(inserted.path("drv"));
                putText(attrs, "node-name", inserted.path("node-name"));
                putText(attrs, "file", inserted.path("file"));
                if (inserted.path("ro").asBoolean(false)) {
                    attrs.put("read-only", "true");
                }
            }
            putText(attrs, "attached-to", b.path("qdev"));
            out.add(new DeviceObservation(ref, Layer.BLOCK, DeviceRole.BACKEND, textOf(b.path("device")), type, null,
                    null, attrs));
        }
        return out;
    }

    public static List<DeviceObservation> fromNamedBlockNodes(JsonNode returnValue, SourceRef ref) {
        List<DeviceObservation> out = new ArrayList<>();
        if (returnValue == null || !returnValue.isArray()) {
            return out;
        }
        for (JsonNode n : returnValue) {
            if (!n.isObject()) {
                continue;
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            putText(attrs, "node-name", n.path("node-name"));
            putText(attrs, "file", n.path("file"));
            if (n.path("ro").asBoolean(false)) {
                attrs.put("read-only", "true");
            }
            attrs.put("named-node", "true");
            out.add(new DeviceObservation(ref, Layer.BLOCK, DeviceRole.BACKEND, "", textOrNull(n.path("drv")), null,
                    null, attrs));
        }
        return out;
    }

    /**
     * The qdev id in a QOM path or id: {@code /machine/peripheral/virtio-disk1/virtio-backend} and
     * {@code /machine/peripheral/virtio-disk1} → {@code virtio-disk1}; a plain id stays as is; id-less devices
     * ({@code /machine/peripheral-anon/device[3]}, {@code /machine/unattached/device[23]}) and null → "".
     */
    public static String qdevIdFromPath(String qomPathOrId) {
        if (qomPathOrId == null) {
            return "";
        }
        String s = qomPathOrId.strip();
        if (s.startsWith(PERIPHERAL)) {
            String rest = s.substring(PERIPHERAL.length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        return s.startsWith("/") ? "" : s;
    }

    private static int intOf(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() ? n.intValue() : -1;
    }

    private static String textOf(JsonNode n) {
        return n.isTextual() ? n.asText() : "";
    }

    private static String textOrNull(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    private static void putText(Map<String, String> attrs, String key, JsonNode n) {
        if (n.isTextual()) {
            attrs.put(key, n.asText());
        }
    }
}
