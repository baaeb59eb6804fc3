package dev.vmcase.parsers.qemu;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HMP {@code info qtree}: the qdev tree, one {@link Layer#QDEV} FRONTEND observation per device.
 * <pre>
 * bus: pci.0                                   a bus, 2 spaces deeper than the device that owns it
 *   type PCI
 *   dev: virtio-blk-pci, id "virtio-disk1"     → id virtio-disk1, type virtio-blk-pci, SourceRef = this line
 *     addr = 06.0                              → hex slot.fn (bus 0 on the root bus)
 *     class SCSI controller, addr 00:06.0, pci id 1af4:1001 (sub 1af4:0002)   → pci 0000:00:06.0 (preferred)
 *     bus: virtio-bus
 *       type virtio-pci-bus
 *       dev: virtio-blk-device, id ""          virtio child: folded into its parent (child-type)
 *         drive = ""                           → backend "" (QEMU 7.2 after drive_del); backend-kind drive
 * </pre>
 * Emitted: every device on a PCI bus (it has an {@code addr = } property or a {@code class …, addr} line), and
 * every other device that has its own {@code drive}/{@code netdev} property (ide-cd, scsi-hd: pci null) unless it
 * is the virtio child of another device. {@code backend} = the device's or its virtio child's {@code drive} or
 * {@code netdev} value, quotes stripped; null when neither has such a property. Attributes: {@code backend-kind}
 * ({@code drive}|{@code netdev}), {@code child-type}, {@code qom-path} ({@code /machine/peripheral/ID}, only for a
 * non-empty id), {@code pci-bus} (the qdev bus name: {@code pci.0}, {@code br0}, {@code ide.1}), {@code pci-path}
 * (from the nesting: the {@code addr} of every bridge or root port on the way from the host bridge's bus, then the
 * device's own: {@code 0000:00:07.0:00.0} for a disk at {@code addr = 00.0} on the bus of the port at {@code 07.0}).
 * <p>
 * A device behind a PCI bridge whose secondary bus the firmware has not numbered yet (e.g. {@code -S}) is
 * printed by QEMU as {@code addr 00:SS.F}, which would collide with a root-bus device; then pci is null and
 * {@code printed-addr} keeps QEMU's text (the path is known all the same).
 * <p>
 * The qtree is indentation-structured; lines at column 0 other than {@code bus:}, and lines that fit no device
 * or bus, become problems. Property values are kept only for {@code drive}, {@code netdev} and {@code addr}.
 */
public final class HmpQtreeParser extends FormatParser {
    public static final String FORMAT = "hmp-info-qtree";

    /** Real QEMU 7.2 output (trimmed: most properties removed) after device_del + drive_del of virtio-disk1. */
    public static final String SAMPLE = """
            (qemu) info qtree
            bus: main-system-bus
              type System
              dev: i440FX-pcihost, id ""
                short_root_bus = 0 (0x0)
                bus: pci.0
                  type PCI
                  dev: virtio-blk-pci, id "virtio-disk1"
                    disable-legacy = "off"
                    class = 0 (0x0)
                    addr = 06.0
                    romfile = ""
                    class SCSI controller, addr 00:06.0, pci id 1af4:1001 (sub 1af4:0002)
                    bar 0: i/o at 0xd080 [0xd0ff]
                    bar 1: mem at 0xfe642000 [0xfe642fff]
                    bar 4: mem at 0xfea08000 [0xfea0bfff]
                    bus: virtio-bus
                      type virtio-pci-bus
                      dev: virtio-blk-device, id ""
                        drive = ""
                        backend_defaults = "auto"
                        logical_block_size = 512 (512 B)
            """;

    private static final Pattern BUS = Pattern.compile("bus: (\\S+)\\s*");
    private static final Pattern BUS_TYPE = Pattern.compile("type (\\S+)\\s*");
    private static final Pattern DEV = Pattern.compile("dev: ([^,\\s]+), id \"(.*)\"\\s*");
    private static final Pattern PROPERTY = Pattern.compile("([\\w.:-]+) = (.*)");
    private static final Pattern PCI_LINE = Pattern.compile(
            "class (.+), addr (\\p{XDigit}{2}:\\p{XDigit}{2}\\.\\p{XDigit}), pci id (\\p{XDigit}{4}:\\p{XDigit}{4}).*");
    private static final Pattern DEV_PREFIX = Pattern.compile("dev:.*");

    public HmpQtreeParser() {
        super(FORMAT, SAMPLE);
    }

    /** The output starts with {@code bus: NAME} and soon has a {@code dev: TYPE, id "…"} line. */
    @Override
    public boolean recognizes(Head head) {
        List<String> out = HmpText.output(head);
        if (out.isEmpty() || !BUS.matcher(out.get(0)).matches()) {
            return false;
        }
        for (int i = 1; i < Math.min(out.size(), 8); i++) {
            if (DEV.matcher(out.get(i).strip()).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        Deque<Node> stack = new ArrayDeque<>();
        boolean seenRoot = false;
        boolean covered = false;
        try (LineReader in = source.lines()) {
            String raw;
            while ((raw = in.next()) != null) {
                int no = in.number();
                String line = HmpText.clean(raw);
                if (line.isBlank() || HmpText.isMonitorChrome(line)) {
                    continue;
                }
                int indent = HmpText.indent(line);
                String t = line.strip();
                Matcher m;
                if ((m = BUS.matcher(t)).matches()) {
                    closeTo(stack, indent, sink);
                    // a bus line under a bus (a line lost or out of place) has no device to belong to
                    Dev owner = !stack.isEmpty() && stack.peek() instanceof Dev d ? d : null;
                    if (!stack.isEmpty() && owner == null) {
                        sink.problemOf(no, "qtree.busInBus", t);
                    }
                    if (owner == null && (indent != 0 || seenRoot)) {
                        sink.problemOf(no, "qtree.busOutsideDevice", t);
                    }
                    seenRoot = true;
                    stack.push(new Bus(indent, m.group(1), owner));
                } else if ((m = DEV.matcher(t)).matches()) {
                    closeTo(stack, indent, sink);
                    if (stack.isEmpty() || !(stack.peek() instanceof Bus)) {
                        sink.problemOf(no, "qtree.deviceOutsideBus", t);
                        continue;
                    }
                    Bus bus = (Bus) stack.peek();
                    Dev dev = new Dev(indent, m.group(1), m.group(2), bus, sink.ref(no, raw));
                    if (!covered) {
                        covered = true; // the whole tree: every device QEMU has
                        sink.coversAll(Layer.QDEV, dev.ref);
                    }
                    if (bus.owner != null) {
                        bus.owner.children.add(dev);
                    }
                    stack.push(dev);
                } else if (indent == 0 || stack.isEmpty()) {
                    sink.problemOf(no, "qtree.notQtreeLine", t);
                } else if (DEV_PREFIX.matcher(t).matches()) {
                    sink.problemOf(no, "qtree.badDevLine", t);
                } else {
                    closeTo(stack, indent, sink);
                    Node top = stack.peek();
                    if (top instanceof Bus) {
                        Bus bus = (Bus) top;
                        if ((m = BUS_TYPE.matcher(t)).matches() && bus.type == null) {
                            bus.type = m.group(1);
                        } else {
                            sink.problemOf(no, "qtree.unexpectedInBus", bus.name, t);
                        }
                    } else if (top instanceof Dev) {
                        body((Dev) top, t, no, sink);
                    } else {
                        sink.problemOf(no, "qtree.notQtreeLine", t);
                    }
                }
            }
        }
        closeTo(stack, -1, sink);
    }

    private static void body(Dev dev, String t, int no, EvidenceSink sink) {
        Matcher m = PCI_LINE.matcher(t);
        if (m.matches()) {
            dev.classAddr = m.group(2);
            return;
        }
        m = PROPERTY.matcher(t);
        if (m.matches()) {
            String name = m.group(1);
            if (name.equals("drive") || name.equals("netdev") || name.equals("addr")) {
                dev.props.put(name, HmpText.unquote(m.group(2)));
                if (name.equals("addr") && PciAddress.parseDeviceAddr(dev.props.get("addr"), true).isEmpty()) {
                    sink.problemOf(no, "qtree.badPciAddr", t);
                }
            }
        }
        // anything else indented under a device is a device info line (bar, mmio, gpio-in, irq …)
    }

    /** Pops (and emits) everything at or deeper than {@code indent}. */
    private static void closeTo(Deque<Node> stack, int indent, EvidenceSink sink) {
        while (!stack.isEmpty() && stack.peek().indent >= indent) {
            Node n = stack.pop();
            if (n instanceof Dev) {
                emit((Dev) n, sink);
            }
        }
    }

    private static void emit(Dev dev, EvidenceSink sink) {
        if (dev.isVirtioChild()) {
            return;
        }
        boolean onPci = dev.onPciBus();
        Dev child = dev.virtioChild();
        String kind = null;
        String backend = null;
        for (Dev d : child == null ? List.of(dev) : List.of(dev, child)) {
            for (String k : List.of("drive", "netdev")) {
                if (backend == null && d.props.containsKey(k)) {
                    kind = k;
                    backend = d.props.get(k);
                }
            }
        }
        if (!onPci && backend == null) {
            return;
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        if (kind != null) {
            attrs.put("backend-kind", kind);
        }
        if (child != null) {
            attrs.put("child-type", child.type);
        }
        if (!dev.id.isEmpty()) {
            attrs.put("qom-path", "/machine/peripheral/" + dev.id);
        }
        attrs.put("pci-bus", dev.bus.name);
        PciPath path = dev.path();
        if (path != null) {
            attrs.put(PciPath.ATTRIBUTE, path.toString());
        }
        PciAddress pci = null;
        if (onPci) {
            boolean root = dev.bus.isRootPci();
            Optional<PciAddress> printed = PciAddress.parse(dev.classAddr);
            if (printed.isPresent()) {
                if (!root && printed.get().bus() == 0) {
                    attrs.put("printed-addr", dev.classAddr);
                } else {
                    pci = printed.get();
                }
            } else if (root) {
                pci = PciAddress.parseDeviceAddr(dev.props.get("addr"), true).orElse(null);
            }
        }
        sink.observation(new DeviceObservation(dev.ref, Layer.QDEV, DeviceRole.FRONTEND, dev.id, dev.type, pci,
                backend, attrs));
    }

    private abstract static class Node {
        final int indent;

        Node(int indent) {
            this.indent = indent;
        }
    }

    private static final class Bus extends Node {
        final String name;
        final Dev owner;
        String type;

        Bus(int indent, String name, Dev owner) {
            super(indent);
            this.name = name;
            this.owner = owner;
        }

        boolean isPci() {
            return "PCI".equals(type) || "PCIE".equals(type);
        }

        /** A PCI bus whose owner is not itself a PCI device (a host bridge, not a pci-bridge). */
        boolean isRootPci() {
            return owner == null || !owner.onPciBus();
        }

        boolean isVirtio() {
            return type != null && type.startsWith("virtio-") || type == null && name.startsWith("virtio-");
        }
    }

    private static final class Dev extends Node {
        final String type;
        final String id;
        final Bus bus;
        final SourceRef ref;
        final Map<String, String> props = new LinkedHashMap<>();
        final List<Dev> children = new ArrayList<>();
        String classAddr;

        Dev(int indent, String type, String id, Bus bus, SourceRef ref) {
            super(indent);
            this.type = type;
            this.id = id;
            this.bus = bus;
            this.ref = ref;
        }

        boolean onPciBus() {
            return bus.isPci() || classAddr != null || props.containsKey("addr") && bus.type == null;
        }

        boolean isVirtioChild() {
            return bus.owner != null && bus.isVirtio();
        }

        /**
         * Where the device sits from the root bus, from the tree's nesting: the host bridge's bus is the root
         * ({@code 0000:00}), a bridge's or port's bus adds that device's {@code addr}. Null off PCI, behind a root
         * bus that is not the host bridge's (a pxb expander's, whose number the tree does not print), or when an
         * {@code addr} on the way is missing.
         */
        PciPath path() {
            if (!onPciBus()) {
                return null;
            }
            Optional<PciAddress> own = PciAddress.parseDeviceAddr(props.get("addr"), true);
            if (own.isEmpty()) {
                return null;
            }
            int slot = own.get().slot();
            int function = own.get().function();
            if (bus.isRootPci()) {
                boolean hostBridge = bus.owner == null || bus.owner.type.endsWith("-pcihost");
                return hostBridge ? new PciPath(0, 0, List.of(new PciPath.Hop(slot, function))) : null;
            }
            PciPath bridge = bus.owner.path();
            return bridge == null ? null : bridge.child(slot, function);
        }

        Dev virtioChild() {
            for (Dev c : children) {
                if (c.isVirtioChild()) {
                    return c;
                }
            }
            return null;
        }
    }
}
