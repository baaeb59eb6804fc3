package dev.vmcase.parsers.qemu;

import dev.vmcase.model.Coverage;
import dev.vmcase.model.DeviceClass;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.DeviceObservation.DeviceRole;
import dev.vmcase.model.Layer;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.TextSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HMP {@code info block}: one {@link Layer#BLOCK} BACKEND observation per entry, in both formats.
 * <p>
 * QEMU ≥ 1.6: {@code NAME[ (NODE)]: FILE (DRV[, read-only][, encrypted])} or {@code NAME: [not inserted]},
 * then indented details ({@code Attached to:} since 2.10, {@code Removable device:}, {@code Cache mode:},
 * {@code Backing file:}, {@code I/O throttling:}). QEMU prints NAME as: the BlockBackend name (drive id) if it has
 * one, with the root node-name in parentheses; otherwise the root node-name; otherwise the attached device's qdev
 * id or QOM path; otherwise {@code <anonymous>}. So (verified with QEMU 7.2):
 * <pre>
 * drive-virtio-disk1 (#block129): /x/d.qcow2 (qcow2)        -drive           id drive-virtio-disk1, node-name #block129
 * libvirt-2-format: /x/e.qcow2 (qcow2)                       -blockdev        id "", node-name libvirt-2-format
 * drive-ide0-1-0: [not inserted]   Attached to: ide0-1-0      empty -drive     id drive-ide0-1-0, inserted false
 * /machine/peripheral/virtio-disk1/virtio-backend: [not inserted]
 *     Attached to:      /machine/peripheral/virtio-disk1/virtio-backend    after drive_del: id "" (anonymous)
 * </pre>
 * Rules: a parenthesised node ⇒ NAME is the device. {@code [not inserted]} ⇒ NAME is the device, unless it is a
 * QOM path, {@code <anonymous>} or equal to its {@code Attached to:} value (then the backend is anonymous, id "").
 * Inserted without parentheses ⇒ NAME is a node-name (id "") when the entry has an {@code Attached to:} line
 * (QEMU ≥ 2.10, where every inserted {@code -drive} shows an automatic {@code #blockNNN}) or NAME looks like a node
 * name ({@code #block…}, {@code libvirt-N-…}; {@code info block -n} lists nodes without {@code Attached to:});
 * otherwise it is a device of QEMU 1.6–2.4 (no automatic node names yet).
 * <p>
 * QEMU ≤ 1.5: {@code drive-virtio-disk0: removable=0 io-status=ok file=/x.qcow2 ro=0 drv=qcow2 encrypted=0 …} or
 * {@code … [not inserted]}; NAME is always the drive id.
 * <p>
 * type = drv (null when not inserted); attributes {@code inserted}, {@code node-name}, {@code attached-to},
 * {@code file}, and when shown {@code read-only}, {@code cache}, {@code backing-file}.
 */
public final class HmpBlockParser extends FormatParser {
    public static final String FORMAT = "hmp-info-block";

    /** Real QEMU 7.2 output after device_del virtio-disk1 + drive_del drive-virtio-disk1 (one entry removed). */
    public static final String SAMPLE = """
            /machine/peripheral/virtio-disk1/virtio-backend: [not inserted]
                Attached to:      /machine/peripheral/virtio-disk1/virtio-backend

            drive-ide0-1-0: [not inserted]
                Attached to:      ide0-1-0
                Removable device: not locked, tray closed

            libvirt-2-format: /tmp/vmcase/e.qcow2 (qcow2)
                Attached to:      /machine/peripheral/virtio-disk0/virtio-backend
                Cache mode:       writethrough
            """;

    private static final Pattern HEADER = Pattern.compile("(\\S+?)(?: \\(([^()\\s]+)\\))?: (.*)");
    private static final Pattern MEDIUM = Pattern.compile("(.*) \\(([\\w.+-]++)((?:, [\\w -]++)*+)\\)\\s*");
    private static final Pattern OLD = Pattern.compile("(\\S+): (removable=\\d.*)");
    private static final Pattern OLD_KEY = Pattern.compile("(?:^| )([\\w-]+)=");
    private static final Pattern DETAIL = Pattern.compile("\\s+([A-Z][\\w /-]*):\\s+(.*)");
    private static final Pattern NODE_NAME_LIKE = Pattern.compile("#block\\d+|libvirt-\\d+-[\\w-]+");
    private static final String NOT_INSERTED = "[not inserted]";
    private static final Set<String> DRIVERS = Set.of("raw", "qcow2", "qcow", "qed", "vmdk", "vdi", "vpc", "vhdx",
            "file", "host_device", "host_cdrom", "nbd", "rbd", "iscsi", "gluster", "sheepdog", "nfs", "ssh", "luks",
            "throttle", "copy-on-read", "http", "https", "ftp", "ftps", "dmg", "parallels", "cloop", "bochs",
            "quorum", "null-co", "null-aio", "blkdebug", "vvfat", "compress", "preallocate", "io_uring", "nvme",
            "replication", "blkverify", "blklogwrites", "snapshot-access", "virtio-blk-vhost-vdpa");

    public HmpBlockParser() {
        super(FORMAT, SAMPLE);
    }

    /**
     * The output starts with an entry header: old one-line form ({@code removable=}), {@code NAME: [not inserted]},
     * or {@code NAME: FILE (DRV)} whose DRV is a known block driver or which is followed by an indented detail.
     */
    @Override
    public boolean recognizes(Head head) {
        List<String> out = HmpText.output(head);
        if (out.isEmpty() || Character.isWhitespace(out.get(0).charAt(0))) {
            return false;
        }
        String first = out.get(0);
        if (OLD.matcher(first).matches()) {
            return true;
        }
        Matcher h = HEADER.matcher(first);
        if (!h.matches()) {
            return false;
        }
        String rest = h.group(3).strip();
        if (rest.equals(NOT_INSERTED)) {
            return out.size() < 2 || isDetail(out.get(1));
        }
        Matcher medium = MEDIUM.matcher(rest);
        return medium.matches() && (DRIVERS.contains(medium.group(2)) || out.size() > 1 && isDetail(out.get(1)));
    }

    private static boolean isDetail(String line) {
        Matcher m = DETAIL.matcher(line);
        return m.matches() && List.of("Attached to", "Removable device", "Cache mode", "Backing file",
                "I/O throttling").contains(m.group(1));
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        Entry current = null;
        boolean oneDevice = false;
        try (LineReader in = source.lines()) {
            String raw;
            while ((raw = in.next()) != null) {
                int no = in.number();
                String line = HmpText.clean(raw);
                if (line.isBlank() || HmpText.isMonitorChrome(line)) {
                    oneDevice |= ONE_DEVICE.matcher(line.strip()).matches();
                    continue;
                }
                if (!Character.isWhitespace(line.charAt(0))) {
                    emit(current, sink);
                    current = null;
                    Matcher m = OLD.matcher(line);
                    if (m.matches()) {
                        emit(oldEntry(m, sink.ref(no, raw)), sink);
                        continue;
                    }
                    m = HEADER.matcher(line);
                    if (m.matches()) {
                        current = newEntry(m, sink.ref(no, raw), sink, no);
                    } else {
                        sink.problemOf(no, "block.notInfoBlockLine", line.strip());
                    }
                    continue;
                }
                if (current == null) {
                    sink.problemOf(no, "block.detailOutside", line.strip());
                    continue;
                }
                Matcher d = DETAIL.matcher(line);
                if (d.matches()) {
                    String value = d.group(2).strip();
                    switch (d.group(1)) {
                        case "Attached to":
                            current.attachedTo = value;
                            break;
                        case "Cache mode":
                            current.attrs.put("cache", value);
                            break;
                        case "Backing file":
                            current.attrs.put("backing-file", value.replaceFirst(" \\(chain depth: \\d+\\)$", ""));
                            break;
                        default:
                            break;
                    }
                }
                // other indented lines: throttling details, -v image info
            }
        }
        emit(current, sink);
        // every BlockBackend, unless the prompt asked for one device ("info block drive-virtio-disk0")
        boolean some = oneDevice;
        sink.observations().stream().filter(o -> o.layer() == Layer.BLOCK).findFirst()
                .ifPresent(o -> sink.covers(Layer.BLOCK, Set.of(DeviceClass.DISK),
                        some ? Coverage.Extent.SOME : Coverage.Extent.ALL, o.source()));
    }

    /** A prompt that asked for one device: {@code (qemu) info block [-n] [-v] DEVICE}. */
    private static final Pattern ONE_DEVICE =
            Pattern.compile("^\\(qemu\\)\\s*info\\s+block(?:\\s+-[nv])*\\s+[^\\s-]\\S*\\s*$");

    private static Entry newEntry(Matcher m, SourceRef ref, EvidenceSink sink, int no) {
        Entry e = new Entry(ref, m.group(1));
        e.node = m.group(2);
        String rest = m.group(3).strip();
        if (rest.equals(NOT_INSERTED)) {
            e.inserted = false;
        } else {
            Matcher medium = MEDIUM.matcher(rest);
            e.inserted = true;
            if (medium.matches()) {
                e.attrs.put("file", medium.group(1));
                e.drv = medium.group(2);
                if (medium.group(3).contains("read-only")) {
                    e.attrs.put("read-only", "true");
                }
            } else {
                sink.problemOf(no, "block.noDriver", ref.text().strip());
                e.attrs.put("file", rest);
            }
        }
        return e;
    }

    private static Entry oldEntry(Matcher m, SourceRef ref) {
        Entry e = new Entry(ref, m.group(1));
        e.old = true;
        String rest = m.group(2).strip();
        e.inserted = !rest.endsWith(NOT_INSERTED);
        Map<String, String> kv = oldValues(e.inserted ? rest : rest.substring(0, rest.length() - NOT_INSERTED.length()));
        e.drv = kv.get("drv");
        if (kv.containsKey("file")) {
            e.attrs.put("file", kv.get("file"));
        }
        if ("1".equals(kv.get("ro"))) {
            e.attrs.put("read-only", "true");
        }
        if (kv.containsKey("backing_file")) {
            e.attrs.put("backing-file", kv.get("backing_file"));
        }
        return e;
    }

    /** {@code key=value} pairs; a value runs to the next {@code key=} so file names with spaces survive. */
    static Map<String, String> oldValues(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        Matcher k = OLD_KEY.matcher(text);
        String key = null;
        int valueStart = 0;
        while (k.find()) {
            if (key != null) {
                kv.put(key, text.substring(valueStart, k.start()).strip());
            }
            key = k.group(1);
            valueStart = k.end();
        }
        if (key != null) {
            kv.put(key, text.substring(valueStart).strip());
        }
        return kv;
    }

    private static void emit(Entry e, EvidenceSink sink) {
        if (e == null) {
            return;
        }
        String id = e.name;
        String nodeName = e.node;
        if (!e.old && nodeName == null) {
            if (!e.inserted) {
                if (e.name.startsWith("/") || e.name.equals("<anonymous>") || e.name.equals(e.attachedTo)) {
                    id = "";
                }
            } else if (e.attachedTo != null || NODE_NAME_LIKE.matcher(e.name).matches()) {
                id = "";
                nodeName = e.name;
            }
        }
        Map<String, String> attrs = new LinkedHashMap<>(e.attrs);
        attrs.put("inserted", Boolean.toString(e.inserted));
        if (nodeName != null) {
            attrs.put("node-name", nodeName);
        }
        if (e.attachedTo != null) {
            attrs.put("attached-to", e.attachedTo);
        }
        sink.observation(new DeviceObservation(e.ref, Layer.BLOCK, DeviceRole.BACKEND, id, e.drv, null, null, attrs));
    }

    private static final class Entry {
        final SourceRef ref;
        final String name;
        final Map<String, String> attrs = new LinkedHashMap<>();
        String node;
        String drv;
        String attachedTo;
        boolean inserted;
        boolean old;

        Entry(SourceRef ref, String name) {
            this.ref = ref;
            this.name = name;
        }
    }
}
