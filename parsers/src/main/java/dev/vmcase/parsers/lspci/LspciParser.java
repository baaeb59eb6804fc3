package dev.vmcase.parsers.lspci;

import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lspci} output — plain, {@code -nn}, {@code -k}, {@code -v}/{@code -vvv}, {@code -D} — as a VM's own view of its
 * PCI bus ({@link Layer#GUEST_PCI}): per device its address, class, vendor and device names and ids, revision,
 * subsystem, physical slot, and the driver bound ({@code Kernel driver in use:}).
 * <pre>
 * 00:05.0 SCSI storage controller [0100]: Red Hat, Inc. Virtio block device [1af4:1001]
 * 	Subsystem: Red Hat, Inc. Device [1af4:0002]
 * 	Kernel driver in use: virtio-pci
 * </pre>
 * A listing is a guest's when it shows a device only QEMU makes (Red Hat/virtio 1af4 and 1b36 ids, QEMU's i440FX/Q35
 * host bridge and VGA, or the names QEMU's devices carry); a host's listing (its own hardware) is recognised and read
 * but gives no VM's devices: it is reported as a host view. A leading shell prompt naming lspci is allowed.
 */
public final class LspciParser extends FormatParser {
    public static final String FORMAT = "lspci";

    /** {@code lspci -nn} in a Fedora guest on QEMU's i440fx machine, as posted in a public 2018 report. */
    public static final String SAMPLE = """
            root@fedora1:~# lspci -nn
            00:00.0 Host bridge [0600]: Intel Corporation 440FX - 82441FX PMC [Natoma] [8086:1237] (rev 02)
            00:01.0 ISA bridge [0601]: Intel Corporation 82371SB PIIX3 ISA [Natoma/Triton II] [8086:7000]
            00:01.1 IDE interface [0101]: Intel Corporation 82371SB PIIX3 IDE [Natoma/Triton II] [8086:7010]
            00:01.3 Bridge [0680]: Intel Corporation 82371AB/EB/MB PIIX4 ACPI [8086:7113] (rev 03)
            00:02.0 Ethernet controller [0200]: Red Hat, Inc. Virtio network device [1af4:1000]
            00:05.0 SCSI storage controller [0100]: Red Hat, Inc. Virtio block device [1af4:1001]
            00:06.0 SCSI storage controller [0100]: Red Hat, Inc. Virtio block device [1af4:1001]
            00:08.0 Unclassified device [00ff]: Red Hat, Inc. Virtio RNG [1af4:1005]
            """;

    /** {@code [DDDD:]BB:SS.F CLASS[ [cccc]]: DESCRIPTION} — {@code -n} prints {@code BB:SS.F cccc: vvvv:dddd}. */
    private static final Pattern DEVICE = Pattern.compile(
            "^(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7]) ([^\\[:]+?)(?: \\[([0-9a-fA-F]{4})\\])?: (.*)$");
    private static final Pattern NUMERIC = Pattern.compile(
            "^(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7]) ([0-9a-fA-F]{4}): ([0-9a-fA-F]{4}):([0-9a-fA-F]{4})(.*)$");
    private static final Pattern IDS = Pattern.compile("\\[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\\]");
    private static final Pattern REV = Pattern.compile("\\s*\\(rev ([0-9a-fA-F]{2})\\)\\s*$");
    private static final Pattern PROG_IF = Pattern.compile("\\s*\\(prog-if [^)]*\\)\\s*$");
    private static final Pattern DETAIL = Pattern.compile("^\\s+(Subsystem|Kernel driver in use|Kernel modules|Physical Slot|"
            + "DeviceName|NUMA node|IOMMU group):\\s*(.*)$");
    private static final Pattern PROMPT = Pattern.compile("^.{0,120}?[$#] *(?:sudo +)?lspci\\b.*$");
    /** Ids only QEMU's virtual hardware carries: Red Hat/virtio (1af4), QEMU's own (1b36), Bochs/QEMU VGA (1234). */
    private static final Set<String> QEMU_VENDORS = Set.of("1af4", "1b36", "1234");
    /** QEMU's chipsets' host bridges: i440FX (8086:1237) and Q35 (8086:29c0). */
    private static final Set<String> QEMU_CHIPSET = Set.of("8086:1237", "8086:29c0");

    public LspciParser() {
        super(FORMAT, SAMPLE);
    }

    /** The first significant line (after a prompt naming lspci) is a device line, and so is most of the head. */
    @Override
    public boolean recognizes(Head head) {
        int devices = 0;
        int others = 0;
        int n = 0;
        for (String l : head.significant()) {
            if (n++ == 0 && PROMPT.matcher(l).matches()) {
                continue;
            }
            if (n > 40) {
                break;
            }
            if (isDevice(l)) {
                devices++;
            } else if (devices == 0) {
                return false;
            } else if (!l.startsWith("\t") && !l.startsWith("        ")) {
                others++;
            }
        }
        return devices >= 1 && others <= devices;
    }

    private static boolean isDevice(String l) {
        return DEVICE.matcher(l).matches() || NUMERIC.matcher(l).matches();
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        List<Dev> devices = new ArrayList<>();
        Dev current = null;
        try (LineReader in = source.lines()) {
            String line;
            while ((line = in.next()) != null) {
                if (in.wasCut()) {
                    sink.lineCut(in.number());
                }
                Dev d = device(line, in.number());
                if (d != null) {
                    devices.add(d);
                    current = d;
                    continue;
                }
                Matcher m = DETAIL.matcher(line);
                if (current != null && m.matches()) {
                    current.facts.putIfAbsent(key(m.group(1)), m.group(2).strip());
                    continue;
                }
                if (current != null && !line.isBlank() && !Character.isWhitespace(line.charAt(0))
                        && !PROMPT.matcher(line).matches()) {
                    current = null; // something else follows the listing: a prompt, prose
                }
            }
        }
        if (devices.isEmpty()) {
            sink.problemOf(0, "lspci.noDevice");
            return;
        }
        boolean guest = devices.stream().anyMatch(Dev::isQemu);
        if (!guest) {
            sink.problemOf(devices.get(0).line, "lspci.hostListing");
            return;
        }
        // the guest's whole enumeration: a device QEMU has and the guest does not list is absent from its view
        sink.coversAll(Layer.GUEST_PCI, sink.ref(devices.get(0).line, devices.get(0).text));
        for (Dev d : devices) {
            Map<String, String> a = new LinkedHashMap<>(d.facts);
            a.put("view", "guest");
            a.put("coverage", "pci");
            sink.observation(new DeviceObservation(sink.ref(d.line, d.text), Layer.GUEST_PCI, DeviceRole.FRONTEND,
                    "", d.type(), d.pci, null, a));
        }
    }

    private static String key(String label) {
        switch (label) {
            case "Kernel driver in use":
                return "driver";
            case "Kernel modules":
                return "modules";
            case "Physical Slot":
                return "physical-slot";
            default:
                return label.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        }
    }

    /** One device line. */
    private static final class Dev {
        final int line;
        final String text;
        final PciAddress pci;
        final Map<String, String> facts = new LinkedHashMap<>();

        Dev(int line, String text, PciAddress pci) {
            this.line = line;
            this.text = text;
            this.pci = pci;
        }

        boolean isQemu() {
            String v = facts.get("vendor-id");
            String id = v + ":" + facts.get("device-id");
            String desc = facts.getOrDefault("description", "");
            return v != null && (QEMU_VENDORS.contains(v) || QEMU_CHIPSET.contains(id))
                    || desc.startsWith("Red Hat, Inc. Virtio") || desc.startsWith("Red Hat, Inc. QEMU")
                    || desc.contains("440FX - 82441FX PMC");
        }

        String type() {
            return facts.getOrDefault("class", "pci");
        }
    }

    private static Dev device(String line, int number) {
        Matcher n = NUMERIC.matcher(line);
        if (n.matches()) {
            Dev d = new Dev(number, line, address(n.group(1), n.group(2), n.group(3), n.group(4)));
            if (d.pci == null) {
                return null;
            }
            d.facts.put("class-id", n.group(5).toLowerCase(java.util.Locale.ROOT));
            d.facts.put("vendor-id", n.group(6).toLowerCase(java.util.Locale.ROOT));
            d.facts.put("device-id", n.group(7).toLowerCase(java.util.Locale.ROOT));
            Matcher r = REV.matcher(n.group(8));
            if (r.find()) {
                d.facts.put("revision", r.group(1));
            }
            return d;
        }
        Matcher m = DEVICE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        Dev d = new Dev(number, line, address(m.group(1), m.group(2), m.group(3), m.group(4)));
        if (d.pci == null) {
            return null;
        }
        d.facts.put("class", m.group(5).strip());
        if (m.group(6) != null) {
            d.facts.put("class-id", m.group(6).toLowerCase(java.util.Locale.ROOT));
        }
        String desc = m.group(7);
        Matcher r = REV.matcher(desc);
        if (r.find()) {
            d.facts.put("revision", r.group(1));
            desc = desc.substring(0, r.start());
        }
        desc = PROG_IF.matcher(desc).replaceFirst("");
        // -nn: the last [vvvv:dddd] is the ids (a name may hold brackets of its own: "PMC [Natoma]")
        Matcher ids = IDS.matcher(desc);
        int start = -1;
        while (ids.find()) {
            start = ids.start();
            d.facts.put("vendor-id", ids.group(1).toLowerCase(java.util.Locale.ROOT));
            d.facts.put("device-id", ids.group(2).toLowerCase(java.util.Locale.ROOT));
        }
        if (start >= 0 && desc.substring(start).strip().matches("\\[[0-9a-fA-F]{4}:[0-9a-fA-F]{4}\\]")) {
            desc = desc.substring(0, start);
        }
        d.facts.put("description", desc.strip());
        return d;
    }

    private static PciAddress address(String domain, String bus, String slot, String fn) {
        try {
            int s = Integer.parseInt(slot, 16);
            if (s > 0x1f) {
                return null;
            }
            return new PciAddress(domain == null ? 0 : Integer.parseInt(domain, 16), Integer.parseInt(bus, 16), s,
                    Integer.parseInt(fn));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
