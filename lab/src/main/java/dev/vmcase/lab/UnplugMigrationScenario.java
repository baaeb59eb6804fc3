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

    record Disk(Path image, String id, int slot) {
    }

    record Nic(String id, int slot) {
        String netdev() {
            return "host" + id;
        }
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

        // ---- source ----
        Path srcMon = scratch.resolve("source-monitor.sock");
        Path qtestSock = scratch.resolve("source-qtest.sock");
        List<String> srcArgv = argv(run, srcMon, srcDisks, srcNics, false, needsQtest() ? qtestSock : null);
        QemuProcess src = run.start("source", srcArgv, run.out().resolve(LabRun.GUEST + ".log"));
        QmpClient sq = run.monitor(src, srcMon, run.out().resolve("source-qmp.jsonl"));
        QtestClient guest = needsQtest() ? run.qtest(src, qtestSock, run.out().resolve("source-qtest.txt")) : null;
        sq.execute("query-pci", null, run.budget(Duration.ofSeconds(10)));
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
        QemuProcess dst = run.start("destination", argv(run, dstMon, dstDisks, dstNics, true, null),
                dstDir.resolve(LabRun.GUEST + ".log"));
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

    /** As libvirt up to 4.x starts a pre-blockdev domain, minus what needs a host (tap, KVM, VNC). */
    static List<String> argv(LabRun run, Path monitor, List<Disk> disks, List<Nic> nics, boolean incoming, Path qtest) {
        List<String> a = new ArrayList<>(List.of(run.qemu().toString(),
                "-name", "guest=" + LabRun.GUEST + ",debug-threads=on",
                "-machine", "pc,accel=tcg,usb=off,dump-guest-core=off",
                "-m", "128", "-nodefaults", "-display", "none",
                "-chardev", "socket,id=charmonitor,path=" + monitor + ",server=on,wait=off",
                "-mon", "chardev=charmonitor,id=monitor,mode=control"));
        for (Disk d : disks) {
            String drive = "drive-" + d.id();
            a.addAll(List.of("-drive", "file=" + d.image() + ",format=qcow2,if=none,id=" + drive,
                    "-device", "virtio-blk-pci,scsi=off,bus=pci.0,addr=0x" + Integer.toHexString(d.slot())
                            + ",drive=" + drive + ",id=" + d.id()));
        }
        for (Nic n : nics) {
            a.addAll(List.of("-netdev", "user,id=" + n.netdev(),
                    "-device", "virtio-net-pci,netdev=" + n.netdev() + ",id=" + n.id() + ",mac=" + MAC
                            + ",bus=pci.0,addr=0x" + Integer.toHexString(n.slot())));
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
