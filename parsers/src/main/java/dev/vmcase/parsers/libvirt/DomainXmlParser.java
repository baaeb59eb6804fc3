package dev.vmcase.parsers.libvirt;

import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Guest;
import dev.vmcase.model.Layer;
import dev.vmcase.model.PciAddress;
import dev.vmcase.model.PciPath;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A libvirt domain XML ({@code virsh dumpxml}, the live status XML, an inactive definition) into libvirt-layer
 * observations: every device under {@code <devices>} with its {@code <alias name=…>} (live XML only — it is the QEMU
 * id), {@code <target dev=…>}, {@code <address type='pci' …>} and source. Read with StAX, with DTDs and external
 * entities refused, so {@code <!DOCTYPE …>} with entity expansion is a problem, never a fetch or a blow-up.
 * <pre>
 * &lt;disk type='file' device='disk'&gt;
 *   &lt;target dev='vdb' bus='virtio'/&gt;
 *   &lt;alias name='virtio-disk1'/&gt;
 *   &lt;address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/&gt;
 * &lt;/disk&gt;
 * </pre>
 * The address's {@code bus} is libvirt's PCI controller index, kept as the bus number (libvirt numbers controllers so
 * that they usually agree with the guest's); the attribute {@code pci-path} follows the controllers' own addresses
 * to the root ({@code bus='0x05'} on the {@code pcie-root-port} of index 5 at slot 7 → {@code 0000:00:07.0:00.0}).
 * A fragment without the {@code <domain>} root — a {@code <disk>}, {@code <interface>} or {@code <hostdev>} pasted in a
 * mail, several of them, or a {@code <devices>} block — is read the same way as a partial libvirt view: each device
 * says {@code coverage=fragment} (it shows what it shows and proves nothing absent) and {@code fragment=true}.
 */
public final class DomainXmlParser extends FormatParser {
    public static final String FORMAT = "libvirt-domain-xml";

    /** From libvirt 9.0's live XML, sample-cases/libvirt-pending-unplug/evidence/domain-after.xml (trimmed). */
    public static final String SAMPLE = """
            <domain type='qemu' id='1'>
              <name>instance-0000002a</name>
              <uuid>7a3c5e1e-2f4b-4c4e-9a51-00000000002a</uuid>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2' cache='none'/>
                  <source file='/tmp/vmcase-lv-unplug.AVSYFu/img/disk1.qcow2' index='1'/>
                  <backingStore/>
                  <target dev='vdb' bus='virtio'/>
                  <alias name='virtio-disk1'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
                </disk>
              </devices>
            </domain>
            """;

    /**
     * The root element; not {@code <domain>kvm</domain>}, an element of libvirt's {@code domcapabilities} (and of
     * nova's and others' XML) whose text is a word closed on the same line.
     */
    private static final Pattern ROOT = Pattern.compile("^\\s*(?:<\\?xml[^>]*>\\s*)?<domain[\\s>](?![^<]*+</domain>)");
    /** The device elements libvirt writes under {@code <devices>}: what a fragment may start with. */
    private static final Set<String> DEVICE_ELEMENTS = Set.of("disk", "interface", "hostdev", "controller",
            "memballoon", "video", "graphics", "input", "channel", "serial", "console", "rng", "watchdog", "sound",
            "redirdev", "filesystem", "tpm", "shmem", "iommu", "vsock", "smartcard", "hub", "panic", "memory",
            "parallel", "lease", "audio", "crypto", "pstore");
    private static final Pattern FRAGMENT = Pattern.compile("^\\s*<([a-z]+)[\\s>/]");
    /** The element a fragment is wrapped in so that several top-level devices make one document. */
    private static final String WRAPPER = "vmcase-fragment";
    /** Elements under {@code <devices>} that are devices (not {@code <emulator>}). */
    private static final Set<String> SKIP = Set.of("emulator");
    /** Devices worth a row even without a PCI address (a disk on IDE/SATA/SCSI, a NIC on another bus). */
    private static final Set<String> ALWAYS = Set.of("disk", "interface", "hostdev");

    public DomainXmlParser() {
        super(FORMAT, SAMPLE);
    }

    @Override
    public boolean recognizes(Head head) {
        for (String l : head.significant()) {
            String t = l.strip();
            if (t.startsWith("<!DOCTYPE")) {
                return t.startsWith("<!DOCTYPE domain"); // the doctype names the root element
            }
            if (t.startsWith("<?xml") || t.startsWith("<!--")) {
                if (ROOT.matcher(t).find()) {
                    return true;
                }
                continue;
            }
            return ROOT.matcher(t).find() || isFragmentStart(t) && closes(head);
        }
        return false;
    }

    /** {@code <disk …>}, {@code <hostdev …>}, {@code <devices>}: a piece of a domain XML. */
    private static boolean isFragmentStart(String t) {
        var m = FRAGMENT.matcher(t);
        return m.find() && (DEVICE_ELEMENTS.contains(m.group(1)) || "devices".equals(m.group(1)));
    }

    /** The first element is closed within the head ({@code </disk>} or {@code />}): markup, not a word in prose. */
    private static boolean closes(Head head) {
        var m = FRAGMENT.matcher(head.first());
        if (!m.find()) {
            return false;
        }
        String name = m.group(1);
        for (String l : head.significant()) {
            if (l.contains("</" + name + ">") || l.strip().equals(head.first().strip()) && l.strip().endsWith("/>")) {
                return true;
            }
        }
        return false;
    }

    static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        // errors become the file's problems (below), never "[Fatal Error] …" lines on stderr
        f.setXMLReporter((message, type, info, location) -> { });
        return f;
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        if (!parse(source, sink, "UTF-8")) {
            // not UTF-8 (a Latin-1 file without an XML declaration): read again, every byte as its Latin-1 character
            sink.problemOf(0, "xml.notUtf8");
            parse(source, sink, "ISO-8859-1");
        }
    }

    /** One pass; false when the bytes are not in {@code encoding} (nothing was emitted then). */
    private boolean parse(TextSource source, EvidenceSink sink, String encoding) {
        Deque<String> path = new ArrayDeque<>();
        List<Device> devices = new ArrayList<>();
        Device current = null;
        Whole whole = new Whole();
        boolean fragment = isFragment(source);
        // the text without a byte-order mark (UTF-16 decoded to UTF-8); values and text runs cut to 1 MiB; a fragment
        // is read inside a wrapper opened on its first line, so the lines StAX reports are the file's
        java.io.InputStream text = fragment ? new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
                new java.io.ByteArrayInputStream(("<" + WRAPPER + ">").getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                source.openText(),
                new java.io.ByteArrayInputStream(("</" + WRAPPER + ">").getBytes(java.nio.charset.StandardCharsets.UTF_8)))))
                : source.openText();
        BoundedXml bounded = new BoundedXml(text);
        // decoded here, not by the XML parser: its decoder prints "[Fatal Error] …" to stderr on a bad byte
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.Charset.forName(encoding).newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try (java.io.Reader in = new java.io.InputStreamReader(bounded, decoder)) {
            XMLStreamReader r = factory().createXMLStreamReader(in);
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.DTD) {
                    sink.problemOf(r.getLocation().getLineNumber(), "xml.doctypeIgnored");
                } else if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
                    sink.problemOf(r.getLocation().getLineNumber(), "xml.entityNotExpanded", r.getLocalName());
                } else if (ev == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    int line = r.getLocation().getLineNumber();
                    if (path.isEmpty()) {
                        whole.root(name, line, r.getAttributeValue(null, "id") != null);
                    } else if (path.size() == 1 && whole.domain && ("name".equals(name) || "uuid".equals(name))) {
                        whole.identity(name, r.getElementText());
                        continue; // read to its end tag
                    } else if (path.size() == 1) {
                        whole.seen.add(name);
                    } else if (path.size() == 2 && "devices".equals(path.peek())) {
                        whole.seen.add("devices/" + name);
                    }
                    boolean underDevices = "devices".equals(path.peek()) && (path.size() == 2 || fragment);
                    boolean topOfFragment = fragment && path.size() == 1 && DEVICE_ELEMENTS.contains(name);
                    if (current == null && (underDevices || topOfFragment) && !SKIP.contains(name)) {
                        current = new Device(name, line, attrs(r));
                        current.depth = path.size();
                        current.fragment = fragment;
                    } else if (current != null && path.size() == current.depth + 1) {
                        current.child(name, attrs(r));
                    }
                    path.push(name);
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    path.pop();
                    if (current != null && path.size() == current.depth) {
                        devices.add(current);
                        current = null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            if (encoding.equals("UTF-8") && isEncodingError(e)) {
                return false;
            }
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
            sink.problemOf(Math.max(line, 0), "xml.malformed", e.getMessage().replaceAll("\\s+", " "));
        } catch (IOException e) {
            sink.problemOf(0, "xml.cannotRead", e.getMessage());
        }
        for (BoundedXml.Cut cut : bounded.cuts()) {
            sink.problemOf(cut.line(), "xml.cut." + cut.what(), BoundedXml.LIMIT / (1 << 20));
        }
        emit(source, sink, devices);
        whole.declare(sink, devices);
        return true;
    }

    private static boolean isEncodingError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.charset.CharacterCodingException || t instanceof java.io.CharConversionException) {
                return true;
            }
            if (t instanceof XMLStreamException x && x.getNestedException() != null && x.getNestedException() != t
                    && isEncodingError(x.getNestedException())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the source is a fragment: its first element is a device or {@code <devices>}, not {@code <domain>}. */
    private static boolean isFragment(TextSource source) {
        try (LineReader lines = source.lines()) {
            String l;
            int n = 0;
            while ((l = lines.next()) != null && n++ < 1000) {
                String t = l.strip();
                if (t.isEmpty() || t.startsWith("<!--")) {
                    continue;
                }
                return !ROOT.matcher(t).find() && isFragmentStart(t);
            }
        }
        return false;
    }

    /**
     * What the document as a whole says: which domain, and whether it is the whole live definition. libvirt writes
     * {@code <memory>}, {@code <os>} and a {@code <memballoon>} (model {@code none} when there is none) into every
     * QEMU domain's XML, and an alias on every device of a running one: a file with all of that lists every device
     * libvirt has; a file without (cut by hand, trimmed, an inactive definition) shows only the devices it shows.
     * <p>
     * The domain is {@code <name>} and {@code <uuid>}. nova's {@code <metadata><nova:instance>} adds nothing to that:
     * nova makes the domain's UUID its instance's, and its {@code <nova:name>} is the server's display name, which
     * two servers may share, so joining VMs by it could make two VMs one.
     */
    private static final class Whole {
        boolean domain;
        boolean fragment;
        boolean running;
        int line = 1;
        String name;
        String uuid;
        final Set<String> seen = new HashSet<>();

        void root(String element, int at, boolean hasId) {
            domain = "domain".equals(element);
            fragment = WRAPPER.equals(element);
            running = hasId;
            line = at;
        }

        void identity(String element, String text) {
            if ("name".equals(element)) {
                name = text.strip();
            } else {
                uuid = text.strip();
            }
        }

        void declare(EvidenceSink sink, List<Device> devices) {
            if (domain) {
                sink.guest(Guest.of(name, uuid));
            }
            if (devices.isEmpty() || !domain && !fragment) {
                return;
            }
            SourceRef at = sink.ref(devices.get(0).line, "");
            // a <disk> or <devices> pasted without its domain shows what it shows; so does a domain that is not the
            // whole live definition
            boolean live = running || devices.stream().anyMatch(d -> !d.alias.isEmpty());
            boolean complete = domain && live && seen.contains("memory") && seen.contains("os")
                    && seen.contains("devices/memballoon");
            if (complete) {
                sink.coversAll(Layer.LIBVIRT_XML, at);
            } else {
                EnumSet<DeviceClass> shown = EnumSet.noneOf(DeviceClass.class);
                devices.forEach(d -> shown.add(d.deviceClass()));
                sink.covers(Layer.LIBVIRT_XML, shown, Coverage.Extent.SOME, at);
            }
        }
    }

    /** Cites each device by its element's line, as written in the file (StAX gives positions, not text). */
    private static void emit(TextSource source, EvidenceSink sink, List<Device> devices) {
        Map<Integer, String> texts = new HashMap<>();
        devices.forEach(d -> texts.put(d.line, ""));
        try (LineReader lines = source.lines()) {
            String l;
            while (!devices.isEmpty() && (l = lines.next()) != null && lines.number() <= devices.get(devices.size() - 1).line) {
                if (texts.containsKey(lines.number())) {
                    texts.put(lines.number(), l);
                }
            }
        }
        Map<Integer, Device> controllers = new HashMap<>();
        for (Device d : devices) {
            String index = d.attrs.get("index");
            if ("controller".equals(d.element) && "pci".equals(d.attrs.get("type")) && index != null
                    && index.matches("\\d{1,3}")) {
                controllers.putIfAbsent(Integer.parseInt(index), d);
            }
        }
        // PS/2 inputs, the root PCI controller and the like are part of the machine, not devices QEMU shows in its
        // PCI or qdev views under that name: listing them would only make empty rows
        devices.stream().filter(d -> d.pci != null || ALWAYS.contains(d.element))
                .forEach(d -> d.emit(sink, texts.get(d.line), path(d, controllers, 0)));
    }

    /**
     * The device's place from the root bus: libvirt's {@code bus} is the index of the PCI controller the device sits
     * on (index 0 is the root, {@code pci-root}/{@code pcie-root}), and that controller (a root port, switch port or
     * bridge) has its own address in turn. Null without a PCI address, on an expander bus (a root bus of its own)
     * or a controller the XML does not hold.
     */
    private static PciPath path(Device d, Map<Integer, Device> controllers, int depth) {
        if (d.pci == null || d.pci.domain() != 0 || depth > 32) {
            return null;
        }
        if (d.pci.bus() == 0) {
            return PciPath.onRootBus(d.pci);
        }
        Device bus = controllers.get(d.pci.bus());
        if (bus == null || bus == d || String.valueOf(bus.attrs.get("model")).endsWith("-expander-bus")) {
            return null;
        }
        PciPath parent = path(bus, controllers, depth + 1);
        return parent == null ? null : parent.child(d.pci.slot(), d.pci.function());
    }

    private static Map<String, String> attrs(XMLStreamReader r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < r.getAttributeCount(); i++) {
            out.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
        }
        return out;
    }

    /** One device element and the children that identify it. */
    private static final class Device {
        final String element;
        final int line;
        final Map<String, String> attrs;
        final Map<String, String> facts = new LinkedHashMap<>();
        String alias = "";
        PciAddress pci;
        int depth = 2;
        boolean fragment;

        Device(String element, int line, Map<String, String> attrs) {
            this.element = element;
            this.line = line;
            this.attrs = attrs;
        }

        void child(String name, Map<String, String> a) {
            switch (name) {
                case "alias":
                    alias = a.getOrDefault("name", "");
                    break;
                case "target":
                    putIf("target", a.get("dev"));
                    putIf("target-bus", a.get("bus"));
                    break;
                case "source":
                    putIf("source", a.getOrDefault("file", a.getOrDefault("dev", a.getOrDefault("name",
                            a.getOrDefault("network", a.get("bridge"))))));
                    break;
                case "model":
                    putIf("model", a.get("type"));
                    break;
                case "mac":
                    putIf("mac", a.get("address"));
                    break;
                case "address":
                    if ("pci".equals(a.get("type"))) {
                        try {
                            pci = new PciAddress(Integer.decode(a.getOrDefault("domain", "0")),
                                    Integer.decode(a.getOrDefault("bus", "0")), Integer.decode(a.getOrDefault("slot", "0")),
                                    Integer.decode(a.getOrDefault("function", "0")));
                        } catch (IllegalArgumentException e) {
                            facts.put("address", a.toString());
                        }
                    }
                    break;
                default:
                    break;
            }
        }

        DeviceClass deviceClass() {
            return "disk".equals(element) ? DeviceClass.DISK
                    : "interface".equals(element) ? DeviceClass.NIC : DeviceClass.OTHER;
        }

        private void putIf(String k, String v) {
            if (v != null) {
                facts.put(k, v);
            }
        }

        void emit(EvidenceSink sink, String lineText, PciPath path) {
            String type = element;
            if (attrs.containsKey("device")) {
                type = element + "/" + attrs.get("device"); // disk/disk, disk/cdrom
            } else if (attrs.containsKey("type")) {
                type = element + "/" + attrs.get("type"); // controller/usb, interface/bridge
            }
            if (facts.containsKey("model")) {
                type = type + "/" + facts.get("model");
            }
            Map<String, String> a = new LinkedHashMap<>(facts);
            a.put("element", element);
            if ("disk".equals(element)) {
                a.put("backend-kind", "drive");
            } else if ("interface".equals(element)) {
                a.put("backend-kind", "netdev");
            }
            if (alias.isEmpty() && !fragment) {
                a.put("inactive", "true"); // no alias: an inactive definition, or a device libvirt gave none
            }
            if (path != null) {
                a.put(PciPath.ATTRIBUTE, path.toString());
            }
            if (fragment) {
                a.put("fragment", "true");
                a.put("coverage", "fragment");
            }
            sink.observation(new DeviceObservation(sink.ref(line, lineText),
                    Layer.LIBVIRT_XML, DeviceRole.FRONTEND, alias, type, pci, null, a));
        }
    }
}
