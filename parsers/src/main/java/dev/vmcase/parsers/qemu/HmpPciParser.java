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

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HMP {@code info pci}: one {@link Layer#PCI} FRONTEND observation per PCI function, bridges and the devices
 * behind them ({@code Bus  1, …}) included.
 * <pre>
 *   Bus  0, device   6, function 0:          → pci 0000:00:06.0 (decimal here), SourceRef = this line
 *     SCSI controller: PCI device 1af4:1001   → type "SCSI controller 1af4:1001", class, vendor-device
 *       PCI subsystem 1af4:0002               → subsystem
 *       BAR0: I/O at 0xd080 [0xd0ff].         (ignored; trailing dot until QEMU ~8.x)
 *       secondary bus 1.                      → secondary-bus (bridges)
 *       id "virtio-disk1"                     → id
 * </pre>
 * Unknown classes print {@code Class 0ff8: PCI device …}; the description is then {@code Class 0ff8}, which is
 * what {@link QmpResults#fromQueryPci} also produces for a {@code class_info} without {@code desc}.
 * A function is emitted at its {@code id} line, or at the next header / end of input (then with a problem:
 * the id line is missing, the text is probably truncated).
 * <p>
 * {@code pci-path}: QEMU prints a bridge, then the devices on its secondary bus, depth first; so a device on bus N
 * gets the path of the bridge seen with {@code secondary bus N.} plus its own slot.function
 * ({@code 0000:00:07.0:00.0}), a device on bus 0 the root bus's. A bus no bridge printed so far (a pxb expander's
 * root bus, a cut listing) gives no path; {@code secondary bus 0.} (the firmware has not numbered the bus yet) names
 * nothing.
 */
public final class HmpPciParser extends FormatParser {
    public static final String FORMAT = "hmp-info-pci";

    /** Real QEMU 7.2 output (trimmed to three functions), firmware ran so the bridge has bus 1. */
    public static final String SAMPLE = """
              Bus  0, device   6, function 0:
                SCSI controller: PCI device 1af4:1001
                  PCI subsystem 1af4:0002
                  IRQ 10, pin A
                  BAR0: I/O at 0xd080 [0xd0ff].
                  BAR1: 32 bit memory at 0xfe642000 [0xfe642fff].
                  BAR4: 64 bit prefetchable memory at 0xfea08000 [0xfea0bfff].
                  id "virtio-disk1"
              Bus  0, device   9, function 0:
                PCI bridge: PCI device 1b36:0001
                  IRQ 10, pin A
                  BUS 0.
                  secondary bus 1.
                  subordinate bus 1.
                  IO range [0xc000, 0xcfff]
                  memory range [0xfe400000, 0xfe5fffff]
                  prefetchable memory range [0xfe800000, 0xfe9fffff]
                  BAR0: 64 bit memory at 0xfe643000 [0xfe6430ff].
                  id "br0"
              Bus  1, device   1, function 0:
                SCSI controller: PCI device 1af4:1001
                  PCI subsystem 1af4:0002
                  IRQ 10, pin A
                  BAR0: I/O at 0xc000 [0xc07f].
                  id "virtio-disk2"
            """;

    private static final Pattern HEADER = Pattern.compile("\\s*Bus\\s+(\\d+), device\\s+(\\d+), function (\\d+):\\s*");
    private static final Pattern CLASS = Pattern.compile("\\s+(.+): PCI device (\\p{XDigit}{4}):(\\p{XDigit}{4})\\s*");
    private static final Pattern SUBSYSTEM = Pattern.compile("\\s+PCI subsystem (\\p{XDigit}{4}:\\p{XDigit}{4})\\s*");
    private static final Pattern SECONDARY = Pattern.compile("\\s+secondary bus (\\d+)\\.?\\s*");
    private static final Pattern ID = Pattern.compile("\\s+id \"(.*)\"\\s*");

    public HmpPciParser() {
        super(FORMAT, SAMPLE);
    }

    /** The output starts with a {@code Bus  B, device  S, function F:} header followed by a class line. */
    @Override
    public boolean recognizes(Head head) {
        List<String> out = HmpText.output(head);
        return out.size() >= 2 && HEADER.matcher(out.get(0)).matches() && CLASS.matcher(out.get(1)).matches();
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        Map<Integer, PciPath> bridges = new HashMap<>();
        Function current = null;
        try (LineReader in = source.lines()) {
            String raw;
            while ((raw = in.next()) != null) {
                int no = in.number();
                String line = HmpText.clean(raw);
                if (line.isBlank() || HmpText.isMonitorChrome(line)) {
                    continue;
                }
                Matcher m = HEADER.matcher(line);
                if (m.matches()) {
                    finish(current, sink, no, bridges);
                    current = header(m, sink.ref(no, raw), sink, no);
                    continue;
                }
                if (current == null || HmpText.indent(line) < 4) {
                    sink.problemOf(no, "pci.notInfoPciLine", line.strip());
                    continue;
                }
                if ((m = CLASS.matcher(line)).matches() && current.desc == null) {
                    current.desc = m.group(1).strip();
                    current.vendorDevice = (m.group(2) + ":" + m.group(3)).toLowerCase(Locale.ROOT);
                } else if ((m = SUBSYSTEM.matcher(line)).matches()) {
                    current.attrs.put("subsystem", m.group(1).toLowerCase(Locale.ROOT));
                } else if ((m = SECONDARY.matcher(line)).matches()) {
                    current.attrs.put("secondary-bus", m.group(1));
                } else if ((m = ID.matcher(line)).matches()) {
                    current.id = m.group(1);
                    emit(current, sink, bridges);
                    current.emitted = true;
                }
                // IRQ, BAR, BUS, ranges: not needed for identity
            }
            finish(current, sink, in.number(), bridges);
        }
        // the whole bus as QEMU lists it: every PCI function
        sink.observations().stream().filter(o -> o.layer() == Layer.PCI).findFirst()
                .ifPresent(o -> sink.coversAll(Layer.PCI, o.source()));
    }

    private static Function header(Matcher m, SourceRef ref, EvidenceSink sink, int no) {
        try {
            return new Function(ref, PciAddress.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
        } catch (IllegalArgumentException e) {
            sink.problemOf(no, "pci.notAddress", ref.text().strip());
            return new Function(ref, null);
        }
    }

    private static void finish(Function f, EvidenceSink sink, int no, Map<Integer, PciPath> bridges) {
        if (f == null || f.emitted) {
            return;
        }
        sink.problemOf(no, "pci.noIdLine", f.ref.text().strip());
        emit(f, sink, bridges);
        f.emitted = true;
    }

    private static void emit(Function f, EvidenceSink sink, Map<Integer, PciPath> bridges) {
        if (f.pci == null) {
            return;
        }
        Map<String, String> attrs = new LinkedHashMap<>(f.attrs);
        PciPath path = f.pci.bus() == 0 ? PciPath.onRootBus(f.pci)
                : bridges.containsKey(f.pci.bus()) ? bridges.get(f.pci.bus()).child(f.pci.slot(), f.pci.function()) : null;
        if (path != null) {
            attrs.put(PciPath.ATTRIBUTE, path.toString());
            String secondary = f.attrs.get("secondary-bus");
            if (secondary != null && secondary.length() <= 3 && !secondary.equals("0")) {
                bridges.putIfAbsent(Integer.parseInt(secondary), path);
            }
        }
        String type = null;
        if (f.desc != null) {
            attrs.put("class", f.desc);
            attrs.put("vendor-device", f.vendorDevice);
            type = f.desc + " " + f.vendorDevice;
        }
        sink.observation(new DeviceObservation(f.ref, Layer.PCI, DeviceRole.FRONTEND, f.id, type, f.pci, null,
                attrs));
    }

    private static final class Function {
        final SourceRef ref;
        final PciAddress pci;
        final Map<String, String> attrs = new LinkedHashMap<>();
        String desc;
        String vendorDevice;
        String id = "";
        boolean emitted;

        Function(SourceRef ref, PciAddress pci) {
            this.ref = ref;
            this.pci = pci;
        }
    }
}
