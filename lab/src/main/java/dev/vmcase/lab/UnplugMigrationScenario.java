package dev.vmcase.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The shape all three QEMU scenarios share, ported from {@code sample-cases/provenance/orphaned-disk-qemu/capture.py}:
 * <pre>
 * source QEMU (victim at --slot, id --id)  ──► query-pci, query-block
 *          │ {@link #unplug}: device_del, maybe the guest's eject, the backend's removal
 *          ▼
 * dumps: query-pci / query-block (pretty), query-named-block-nodes, info qtree / pci / block
 *          │
 * destination QEMU, "the new XML": the same machine without the victim, -incoming defer
 *          │ migrate over a unix socket, query-migrate until it ends (bounded)
 *          ▼
 * both sides' status into lab.txt; LabRun stops both QEMUs
 * </pre>
 * There is no guest OS (SeaBIOS finds nothing to boot): TCG, 128 MiB, two 64 MiB qcow2 images on "shared storage"
 * (the scratch folder). Names as libvirt makes them: {@code -name guest=instance-0000002a}, {@code drive-ID},
 * {@code hostnetN}/{@code netN}, the monitor on {@code -chardev socket,id=charmonitor}.
 */
abstract class UnplugMigrationScenario implements Scenario {
    static final int HEALTHY_DISK_SLOT = 5;
    static final int SECOND_DISK_SLOT = 6;
    static final int NIC_SLOT = 3;
    static final String MAC = "52:54:00:12:34:56";
    /** How long a guest gets to acknowledge the unplug before the lab goes on without it. */
    static final Duration ACK_WAIT = Duration.ofMillis(1500);

    /**
     * A disk. {@code slot}/{@code function}: on i440fx the disk's own address on {@code pci.0}; on q35 that of the
     * {@code pcie-root-port} the disk sits behind (at slot 0 of the port's bus).
     */
    record Disk(Path image, String id, int slot, int function) {
        Disk(Path image, String id, int slot) {
            this(image, id, slot, 0);
        }
    }

    /** A NIC; {@code slot}/{@code function} as for {@link Disk}. */
    record Nic(String id, int slot, int function) {
        Nic(String id, int slot) {
            this(id, slot, 0);
        }

        String netdev() {
            return "host" + id;
        }
    }

    /** The board: i440fx, every device on the root bus {@code pci.0}; or q35, every device behind a root port. */
    enum Board {
        PC, Q35
    }

    /**
     * A {@code pcie-root-port} as libvirt 9.0 gives every device of a q35 domain one (see the lab's libvirt fixture
     * {@code parsers/src/test/resources/dev/vmcase/parsers/libvirt/q35-live.xml}): {@code id=pci.N}, {@code chassis=N},
     * {@code port=0x8+N-1}, function 0 of a shared slot {@code multifunction=on}.
     */
    record RootPort(String id, int chassis, int slot, int function, boolean multifunction) {
        /** {@code 0000:00:01.0}. */
        String address() {
            return String.format(java.util.Locale.ROOT, "0000:00:%02x.%x", slot, function);
        }
    }

    Board board() {
        return Board.PC;
    }

    /** {@code -global} settings of the machine, e.g. native PCIe hotplug instead of ACPI's. */
    List<String> globals() {
        return List.of();
    }

    /** The root ports of a q35 source, one per device, NICs first: the destination gets the same (libvirt keeps them). */
    static List<RootPort> rootPorts(List<Disk> disks, List<Nic> nics) {
        List<int[]> places = new ArrayList<>();
        nics.forEach(n -> places.add(new int[]{n.slot(), n.function()}));
        disks.forEach(d -> places.add(new int[]{d.slot(), d.function()}));
        List<RootPort> out = new ArrayList<>();
        for (int i = 0; i < places.size(); i++) {
            int[] p = places.get(i);
            boolean shared = places.stream().anyMatch(o -> o != p && o[0] == p[0]);
            out.add(new RootPort("pci." + (i + 1), i + 1, p[0], p[1], shared && p[1] == 0));
        }
        return out;
    }

    /** The root port a device (by its slot and function) sits behind. */
    static RootPort portAt(List<RootPort> ports, int slot, int function) {
        return ports.stream().filter(r -> r.slot() == slot && r.function() == function).findFirst().orElseThrow();
    }

    /** The source's devices with the victim where the run says. */
    abstract List<Disk> sourceDisks(LabRun run, Path scratch);

    abstract List<Nic> sourceNics(LabRun run);

    /** Whether the victim is {@code -device virtio-blk-pci} (else a NIC). */
    abstract boolean victimIsDisk();

    /** Whether the source gets a qtest socket to play the guest on. */
    boolean needsQtest() {
        return false;
    }

    /** From {@code device_del} to the backend's removal. */
    abstract void unplug(LabRun run, QmpClient source, QtestClient guest) throws LabException, InterruptedException;

    /** QMP {@code device_del} of the victim; the events QEMU sends from here on are counted from the returned index. */
    static int deviceDel(LabRun run, QmpClient source) throws LabException, InterruptedException {
        int before = source.eventCount();
        source.execute("device_del", QmpClient.MAPPER.createObjectNode().put("id", run.id()),
                run.budget(Duration.ofSeconds(10)));
        run.fact("device_del " + run.id(), "accepted");
        return before;
    }

    @Override
    public final void run(LabRun run) throws LabException, InterruptedException {
        Path scratch = run.scratch();
        String version = run.tool(List.of(run.qemu().toString(), "--version"));
        writeText(run.out().resolve("qemu-version.txt"), version);
        run.fact("qemu", version.lines().findFirst().orElse("?"));

        List<Disk> srcDisks = sourceDisks(run, scratch);
        List<Nic> srcNics = sourceNics(run);
        for (Disk d : srcDisks) {
            run.tool(List.of(qemuImg(run), "create", "-q", "-f", "qcow2", d.image().toString(), "64M"));
        }
        List<Disk> dstDisks = srcDisks.stream().filter(d -> !(victimIsDisk() && d.id().equals(run.id()))).toList();
        List<Nic> dstNics = srcNics.stream().filter(n -> victimIsDisk() || !n.id().equals(run.id())).toList();

        List<RootPort> ports = rootPorts(srcDisks, srcNics);

        // ---- source ----
        Path srcMon = scratch.resolve("source-monitor.sock");
        Path qtestSock = scratch.resolve("source-qtest.sock");
        List<String> srcArgv = argv(run, srcMon, ports, srcDisks, srcNics, false, needsQtest() ? qtestSock : null);
        QemuProcess src = run.start("source", srcArgv, run.out().resolve(run.guest() + ".log"));
        QmpClient sq = run.monitor(src, srcMon, run.out().resolve("source-qmp.jsonl"));
        QtestClient guest = needsQtest() ? run.qtest(src, qtestSock, run.out().resolve("source-qtest.txt")) : null;
        if (board() == Board.Q35) {
            awaitFirmware(run, sq, ports);
        } else {
            sq.execute("query-pci", null, run.budget(Duration.ofSeconds(10)));
        }
        sq.execute("query-block", null, run.budget(Duration.ofSeconds(10)));
        if (!victimIsDisk()) {
            sq.hmp("info network", run.budget(Duration.ofSeconds(10))); // the state before the unplug
        }
        int before = sq.eventCount();
        run.progress("lab.progress.unplug", run.id(), run.slot());
        unplug(run, sq, guest);
        run.fact("source events after device_del", describe(sq.events().subList(before, sq.eventCount())));

        // ---- what the source looks like now ----
        writePretty(run.out().resolve("source-query-pci.json"), sq.execute("query-pci", null, run.budget(Duration.ofSeconds(10))));
        writePretty(run.out().resolve("source-query-block.json"), sq.execute("query-block", null, run.budget(Duration.ofSeconds(10))));
        sq.execute("query-named-block-nodes", null, run.budget(Duration.ofSeconds(10)));
        List<String> infos = new ArrayList<>(List.of("qtree", "pci", "block"));
        if (!victimIsDisk()) {
            infos.add("network");
        }
        for (String what : infos) {
            writeText(run.out().resolve("source-info-" + what + ".txt"), sq.hmp("info " + what, run.budget(Duration.ofSeconds(10))));
        }

        // ---- destination: the same machine without the victim ----
        Path dstMon = scratch.resolve("destination-monitor.sock");
        Path dstDir = run.out().resolve("destination");
        QemuProcess dst = run.start("destination", argv(run, dstMon, ports, dstDisks, dstNics, true, null),
                dstDir.resolve(run.guest() + ".log"));
        QmpClient dq = run.monitor(dst, dstMon, dstDir.resolve("destination-qmp.jsonl"));
        String uri = "unix:" + scratch.resolve("migrate.sock");
        dq.execute("migrate-set-capabilities", eventsOn(), run.budget(Duration.ofSeconds(10)));
        dq.execute("migrate-incoming", QmpClient.MAPPER.createObjectNode().put("uri", uri), run.budget(Duration.ofSeconds(10)));

        // ---- migrate ----
        run.progress("lab.progress.migrate");
        sq.execute("migrate-set-capabilities", eventsOn(), run.budget(Duration.ofSeconds(10)));
        sq.execute("migrate", QmpClient.MAPPER.createObjectNode().put("uri", uri), run.budget(Duration.ofSeconds(10)));
        String status = "none";
        while (true) {
            status = sq.execute("query-migrate", null, run.budget(Duration.ofSeconds(10))).path("return").path("status").asText("none");
            if (Set.of("completed", "failed", "cancelled").contains(status)) {
                break;
            }
            try {
                run.budget(Duration.ofMillis(200));
            } catch (LabException e) {
                throw new LabException("lab.error.migrationHung", status, run.out());
            }
            Thread.sleep(200);
        }
        // the destination reports on its side: it exits on a load failure, or its MIGRATION event says how it ended
        long waitUntil = System.nanoTime() + run.budget(Duration.ofSeconds(10)).toNanos();
        while (dst.isAlive() && System.nanoTime() < waitUntil
                && dq.waitEvent(e -> isEnd(e), 0, Duration.ofMillis(100)).isEmpty()) {
            dst.waitFor(Duration.ofMillis(100));
        }
        dst.waitFor(Duration.ofMillis(300)); // a failing destination prints its error and exits right after

        JsonNode srcState = sq.execute("query-migrate", null, run.budget(Duration.ofSeconds(10))).path("return");
        run.fact("source migration", srcState.path("status").asText()
                + (srcState.has("error-desc") ? " (" + srcState.path("error-desc").asText() + ")" : ""));
        run.fact("source run state", sq.execute("query-status", null, run.budget(Duration.ofSeconds(10))).path("return").path("status").asText());
        run.fact("source events", describe(sq.events()));
        if (dst.isAlive() && !dq.isClosed()) {
            run.fact("destination migration", dq.execute("query-migrate", null, run.budget(Duration.ofSeconds(10))).path("return").path("status").asText());
            run.fact("destination run state", dq.execute("query-status", null, run.budget(Duration.ofSeconds(10))).path("return").path("status").asText());
        } else {
            run.fact("destination migration", dq.events().stream().filter(UnplugMigrationScenario::isEnd)
                    .map(e -> e.path("data").path("status").asText()).reduce((a, b) -> b).orElse("unknown")
                    + " (from its MIGRATION events; the destination exited: " + dst.describeExit() + ")");
        }
        run.fact("destination events", describe(dq.events()));
    }

    /**
     * q35: the unplug starts once the guest's firmware has numbered the buses behind the root ports, as it has on any
     * VM someone unplugs from. Before that QEMU's {@code query-pci} lists nothing behind a port (its secondary bus is
     * 0), and the guest's config-space view of the devices does not exist yet. {@code query-pci} until every port has
     * a secondary bus, within 30 s.
     */
    private static void awaitFirmware(LabRun run, QmpClient sq, List<RootPort> ports) throws LabException, InterruptedException {
        long until = System.nanoTime() + run.budget(Duration.ofSeconds(30)).toNanos();
        int polls = 0;
        while (true) {
            JsonNode pci = sq.execute("query-pci", null, run.budget(Duration.ofSeconds(10)));
            polls++;
            long numbered = 0;
            for (JsonNode bus : pci.path("return")) {
                for (JsonNode d : bus.path("devices")) {
                    if (ports.stream().anyMatch(p -> p.id().equals(d.path("qdev_id").asText()))
                            && d.path("pci_bridge").path("bus").path("secondary").asInt(0) != 0) {
                        numbered++;
                    }
                }
            }
            if (numbered == ports.size()) {
                run.fact("firmware numbered the root ports' buses", "after " + polls + " query-pci");
                return;
            }
            if (System.nanoTime() - until > 0) {
                throw new LabException("lab.error.firmware", ports.size() - numbered, ports.size(), polls);
            }
            Thread.sleep(250);
        }
    }

    private static boolean isEnd(JsonNode e) {
        String s = e.path("data").path("status").asText();
        return "MIGRATION".equals(e.path("event").asText()) && (s.equals("completed") || s.equals("failed"));
    }

    /** {@code MIGRATION(setup), STOP, DEVICE_DELETED(virtio-disk1)}; events stay unnamed if they carry nothing. */
    static String describe(List<JsonNode> events) {
        if (events.isEmpty()) {
            return "none";
        }
        return events.stream().map(e -> {
            JsonNode d = e.path("data");
            String what = d.has("status") ? d.path("status").asText()
                    : d.has("device") ? d.path("device").asText()
                    : d.has("path") ? d.path("path").asText()
                    : d.has("pass") ? "pass " + d.path("pass").asText() : "";
            return e.path("event").asText() + (what.isEmpty() ? "" : "(" + what + ")");
        }).collect(Collectors.joining(", "));
    }

    private static ObjectNode eventsOn() {
        ObjectNode a = QmpClient.MAPPER.createObjectNode();
        a.putArray("capabilities").addObject().put("capability", "events").put("state", true);
        return a;
    }

    private static String qemuImg(LabRun run) {
        return run.qemuImg().toString();
    }

    /**
     * As libvirt up to 4.x starts a pre-blockdev domain, minus what needs a host (tap, KVM, VNC). On q35 every
     * device sits at slot 0 behind its own root port ({@code ports}, the same on both sides), as libvirt lays out a
     * q35 domain.
     */
    List<String> argv(LabRun run, Path monitor, List<RootPort> ports, List<Disk> disks, List<Nic> nics,
                      boolean incoming, Path qtest) {
        boolean q35 = board() == Board.Q35;
        List<String> a = new ArrayList<>(List.of(run.qemu().toString(),
                "-name", "guest=" + run.guest() + ",debug-threads=on",
                "-machine", (q35 ? "q35" : "pc") + ",accel=tcg,usb=off,dump-guest-core=off",
                "-m", "128", "-nodefaults", "-display", "none"));
        for (String g : globals()) {
            a.addAll(List.of("-global", g));
        }
        a.addAll(List.of("-chardev", "socket,id=charmonitor,path=" + monitor + ",server=on,wait=off",
                "-mon", "chardev=charmonitor,id=monitor,mode=control"));
        if (q35) {
            for (RootPort p : ports) {
                a.addAll(List.of("-device", "pcie-root-port,port=0x" + Integer.toHexString(7 + p.chassis())
                        + ",chassis=" + p.chassis() + ",id=" + p.id() + ",bus=pcie.0"
                        + (p.multifunction() ? ",multifunction=on" : "") + ",addr=" + addr(p.slot(), p.function())));
            }
        }
        for (Disk d : disks) {
            String drive = "drive-" + d.id();
            String place = q35 ? "bus=" + portAt(ports, d.slot(), d.function()).id() + ",addr=0x0"
                    : "scsi=off,bus=pci.0,addr=" + addr(d.slot(), d.function());
            a.addAll(List.of("-drive", "file=" + d.image() + ",format=qcow2,if=none,id=" + drive,
                    "-device", "virtio-blk-pci," + place + ",drive=" + drive + ",id=" + d.id()));
        }
        for (Nic n : nics) {
            String place = q35 ? "bus=" + portAt(ports, n.slot(), n.function()).id() + ",addr=0x0"
                    : "bus=pci.0,addr=" + addr(n.slot(), n.function());
            a.addAll(List.of("-netdev", "user,id=" + n.netdev(),
                    "-device", "virtio-net-pci,netdev=" + n.netdev() + ",id=" + n.id() + ",mac=" + MAC + "," + place));
        }
        if (incoming) {
            a.addAll(List.of("-incoming", "defer"));
        }
        if (qtest != null) {
            a.addAll(List.of("-qtest", "unix:" + qtest + ",server=on,wait=off"));
        }
        a.addAll(List.of("-msg", "timestamp=on"));
        return a;
    }

    /** {@code 0x6}, or {@code 0x1.0x1} for another function, as libvirt writes {@code addr}. */
    static String addr(int slot, int function) {
        return "0x" + Integer.toHexString(slot) + (function == 0 ? "" : ".0x" + Integer.toHexString(function));
    }

    /** The image of a disk: {@code virtio-disk1} → {@code disk1.qcow2}. */
    static Path image(Path scratch, String id) {
        return scratch.resolve((id.startsWith("virtio-") ? id.substring(7) : id) + ".qcow2");
    }

    static void writeText(Path file, String text) throws LabException {
        try {
            java.nio.file.Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new LabException("lab.error.io", file, e.getMessage());
        }
    }

    /** As {@code virsh qemu-monitor-command --pretty} prints an answer: two-space indent, {@code "key": value}. */
    static void writePretty(Path file, JsonNode answer) throws LabException {
        StringBuilder b = new StringBuilder();
        pretty(answer, b, "");
        writeText(file, b.append('\n').toString());
    }

    private static void pretty(JsonNode n, StringBuilder b, String indent) {
        String inner = indent + "  ";
        if (n.isObject() && n.size() > 0) {
            b.append("{\n");
            var it = n.fields();
            while (it.hasNext()) {
                var f = it.next();
                b.append(inner).append(com.fasterxml.jackson.databind.node.TextNode.valueOf(f.getKey()).toString()).append(": ");
                pretty(f.getValue(), b, inner);
                b.append(it.hasNext() ? ",\n" : "\n");
            }
            b.append(indent).append('}');
        } else if (n.isArray() && n.size() > 0) {
            b.append("[\n");
            for (int i = 0; i < n.size(); i++) {
                b.append(inner);
                pretty(n.get(i), b, inner);
                b.append(i + 1 < n.size() ? ",\n" : "\n");
            }
            b.append(indent).append(']');
        } else {
            b.append(n.toString());
        }
    }
}
