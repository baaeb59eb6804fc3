package dev.vmcase.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.app.LabTestSupport.Result;
import dev.vmcase.lab.LabRun;
import dev.vmcase.lab.LibvirtScenario;
import dev.vmcase.lab.QemuProcess;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.vmcase.app.LabTestSupport.processesNaming;
import static dev.vmcase.app.LabTestSupport.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the two libvirt scenarios for real: private libvirtd (system mode, own mount namespaces), virsh, QEMU on TCG.
 * Needs root, libvirtd, virsh, unshare, mount, qemu-system-x86_64 and qemu-img: skipped with the reason where they
 * are missing, a failure when {@code CI=true}. Every run checks that no process whose command line names the run's
 * scratch folder (libvirtd, its daemonised QEMU, virsh) is left.
 */
class LibvirtLabTest {
    @TempDir
    Path tmp;

    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);

    private Result lab(String... args) throws IOException {
        // QEMU runs as libvirt-qemu and must reach the images under the scratch folder
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        return LabTestSupport.lab(scratch(), args);
    }

    private Path scratch() {
        return tmp.resolve("scratch");
    }

    @Test
    void pendingUnplugAtARandomSlotLeavesTheDiskInTheLiveXmlAndInQemu() throws IOException {
        requireLibvirt();
        int slot = 4 + random.nextInt(28); // 4..31: not the default 3, not vda's 2
        int index = 1 + random.nextInt(30);
        String id = "virtio-disk" + index;
        String target = LibvirtScenario.targetDev(index);
        Path out = tmp.resolve("unplug");
        Result r = lab("libvirt-pending-unplug", "--out", out.toString(), "--id", id, "--slot", Integer.toString(slot));
        String why = "seed " + seed + ", " + id + " (" + target + ") at slot " + slot + ":\n" + r.err() + r.out();
        assertEquals(0, r.code(), why);
        assertTrue(r.seconds() < 60, "took " + r.seconds() + " s");

        String input = read(out.resolve("domain-input.xml"));
        assertTrue(input.contains("<target dev='" + target + "' bus='virtio'/>"), input);
        assertTrue(input.contains(String.format("slot='0x%02x'", slot)), input);

        List<String> debug = Files.readAllLines(out.resolve("libvirtd.log"), StandardCharsets.UTF_8);
        String deviceDel = "\"execute\":\"device_del\",\"arguments\":{\"id\":\"" + id + "\"}";
        assertTrue(debug.stream().anyMatch(l -> l.contains("QEMU_MONITOR_SEND_MSG") && l.contains(deviceDel)),
                "libvirtd.log has no QEMU_MONITOR_SEND_MSG with " + deviceDel);
        assertFalse(debug.stream().anyMatch(l -> l.contains("QEMU_MONITOR_RECV_EVENT") && l.contains("DEVICE_DELETED")),
                "no guest, so no DEVICE_DELETED");

        String commands = read(out.resolve("virsh-commands.txt"));
        assertTrue(commands.contains("detach-disk " + LabRun.GUEST + " " + target + " --live\n"), commands);
        assertTrue(commands.contains("Disk detached successfully"), commands);

        String alias = "<alias name='" + id + "'/>";
        String after = read(out.resolve("domain-after.xml"));
        assertTrue(after.contains(alias), "the victim is still in the live XML (pending unplug): " + after);
        assertTrue(after.contains(String.format("slot='0x%02x'", slot)), after);
        assertTrue(read(out.resolve("domain-after-5s.xml")).contains(alias), "and still 5 s later");
        assertTrue(read(out.resolve("domain-before.xml")).contains(alias));

        assertEquals(slot, pciSlot(out.resolve("qmp-query-pci.json"), id), "query-pci still has " + id + " at its slot");
        assertTrue(read(out.resolve("qmp-query-block.json")).contains("/machine/peripheral/" + id + "/virtio-backend"));
        assertTrue(read(out.resolve("hmp-info-qtree.txt")).contains("id \"" + id + "\""));
        assertTrue(read(out.resolve("events.txt")).contains("events received: 0"), read(out.resolve("events.txt")));

        String domainLog = read(out.resolve(LabRun.GUEST + ".log"));
        assertTrue(domainLog.contains("starting up libvirt version: 9") || domainLog.contains("starting up libvirt"),
                domainLog);
        assertTrue(domainLog.contains("shutting down, reason=destroyed"), domainLog);
        for (String f : List.of("libvirtd.conf", "qemu.conf", "libvirtd-stderr.txt", "versions.txt", "hmp-info-qtree.txt")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        String manifest = read(out.resolve(LabRun.MANIFEST));
        assertTrue(manifest.contains("outcome: captured"), manifest);
        assertTrue(r.out().contains("yes, slot " + slot), r.out());
        assertNoProcessLeft();

        // the analysis of the fresh bundle: the unplug libvirt called done is pending, and libvirt still lists the disk
        AnalysisResult a = Analysis.of(List.of(out), ProgressMonitor.NONE);
        String pci = String.format("0000:00:%02x.0", slot);
        List<Finding> unacked = a.findings().stream().filter(f -> f.rule().equals("UNACKED_UNPLUG")).toList();
        assertEquals(1, unacked.size(), why + a.findings());
        assertEquals(List.of(id, pci), unacked.get(0).devices());
        assertEquals("true", unacked.get(0).details().get("still-in-libvirt-xml"));
        assertTrue(a.findings().stream().noneMatch(f -> f.devices().contains("virtio-disk0")), a.findings().toString());
    }

    @Test
    void migrationBetweenTwoDaemonsCompletesOnBothSides() throws IOException {
        requireLibvirt();
        Path out = tmp.resolve("migration");
        Result r = lab("libvirt-migration", "--out", out.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.seconds() < 60, "took " + r.seconds() + " s");

        String src = read(out.resolve("src-" + LabRun.GUEST + ".log"));
        String dst = read(out.resolve("dst-" + LabRun.GUEST + ".log"));
        // the healthy path: nothing to find
        assertEquals(List.of(), Analysis.of(List.of(out), ProgressMonitor.NONE).findings());
        assertTrue(src.contains("initiating migration"), src);
        assertTrue(src.contains("shutting down, reason=migrated"), src);
        assertTrue(dst.contains("-incoming defer"), dst);
        assertTrue(dst.contains("shutting down, reason=destroyed"), dst);

        String completed = "\"event\": \"MIGRATION\", \"data\": {\"status\": \"completed\"}";
        for (String side : List.of("src", "dst")) {
            List<String> debug = Files.readAllLines(out.resolve(side + "-libvirtd.log"), StandardCharsets.UTF_8);
            assertTrue(debug.stream().anyMatch(l -> l.contains("QEMU_MONITOR_RECV_EVENT") && l.contains(completed)),
                    side + "-libvirtd.log: no MIGRATION completed");
            assertFalse(debug.stream().anyMatch(l -> l.contains("\"status\": \"failed\"")), side + ": a failed status");
            assertTrue(read(out.resolve(side + "-events.txt")).contains("Migrated"), side + "-events.txt");
        }
        assertTrue(read(out.resolve("src-libvirtd.log")).contains("\"uri\":\"fd:migrate\""));
        assertTrue(read(out.resolve("dst-libvirtd.log")).contains("\"execute\":\"migrate-incoming\""));
        assertTrue(read(out.resolve("dst-qmp-query-migrate.json")).contains("\"status\": \"completed\""));
        assertTrue(read(out.resolve("src-libvirtd.conf")).contains("0000000000a1"));
        assertTrue(read(out.resolve("dst-libvirtd.conf")).contains("0000000000b2"));
        String manifest = read(out.resolve(LabRun.MANIFEST));
        assertTrue(manifest.contains("migrate exit code: 0"), manifest);
        assertTrue(manifest.contains("source domain log ends: shutting down, reason=migrated"), manifest);
        assertTrue(manifest.contains("outcome: captured"), manifest);
        assertNoProcessLeft();
    }

    @Test
    void aFreshDaemonsProbeLogsQemusLargeAnswersInFullAndAHealthyRunFindsNothing() throws IOException {
        requireLibvirt();
        int slot = 4 + random.nextInt(28);
        Path out = tmp.resolve("probe");
        Result r = lab("libvirt-probe", "--out", out.toString(), "--slot", Integer.toString(slot), "--timeout", "240");
        String why = "seed " + seed + ", slot " + slot + ":\n" + r.err() + r.out();
        assertEquals(0, r.code(), why);
        assertTrue(read(out.resolve("libvirtd.conf")).contains("log_filters=\"1:qemu 1:libvirt 1:json 1:util\""));

        List<String> debug = Files.readAllLines(out.resolve("libvirtd.log"), StandardCharsets.UTF_8);
        // the empty cache made the daemon probe QEMU: its schema answer, hundreds of KB on one line, logged in full
        // both as libvirt's echo of QEMU's line and as the reply probe
        String schema = "\"execute\":\"query-qmp-schema\"";
        assertTrue(debug.stream().anyMatch(l -> l.contains("QEMU_MONITOR_SEND_MSG") && l.contains(schema)), why);
        List<String> huge = debug.stream().filter(l -> l.length() > 100_000).toList();
        assertTrue(huge.stream().anyMatch(l -> l.contains(" : QEMU_MONITOR_RECV_REPLY: mon=")), why);
        assertTrue(huge.stream().anyMatch(l -> l.contains(" : Line [{\"return\": [")), why);
        // both domains were asked, each on its own monitor, every round
        for (String query : List.of("query-pci", "query-named-block-nodes", "query-block")) {
            List<String> asked = debug.stream().filter(l -> l.contains("QEMU_MONITOR_SEND_MSG")
                    && l.contains("msg={\"execute\":\"" + query + "\",\"id\"")).toList();
            assertEquals(2, asked.stream().map(l -> l.replaceAll(".* mon=(\\S+) .*", "$1")).distinct().count(),
                    query + ": " + asked);
            assertTrue(asked.size() >= 6, query + ": " + asked.size());
        }
        assertTrue(read(out.resolve("capabilities.xml")).contains("<capabilities>"));
        assertTrue(read(out.resolve(LabRun.MANIFEST)).contains("outcome: captured"));
        assertTrue(r.out().contains("libvirtd.log (monitor traffic in full): "), r.out());
        assertNoProcessLeft();

        assertFalse(Files.exists(out.resolve("domain-input.xml")), "the definitions stay in the scratch folder");
        // nothing failed: nothing is found, and the second disk is where query-pci said, read from the log
        AnalysisResult a = Analysis.of(List.of(out), ProgressMonitor.NONE);
        assertEquals(List.of(), a.findings(), why);
        String pci = String.format("0000:00:%02x.0", slot);
        assertTrue(a.evidence().observations().stream().anyMatch(o -> o.layer() == Layer.PCI
                && "virtio-disk1".equals(o.id()) && o.pci() != null && pci.equals(o.pci().toString())), why);
    }

    @Test
    void theTimeLimitMidScenarioDestroysTheDomainAndStopsTheDaemon() throws IOException {
        requireLibvirt();
        Path out = tmp.resolve("limited");
        // QEMU runs under libvirtd from about 8 s (warm-up, daemon, define, start) to about 20 s (destroy): 14 s ends
        // the run in the middle, during or right after the detach's 5 s wait
        Result r = lab("libvirt-pending-unplug", "--out", out.toString(), "--timeout", "14");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--timeout"), r.err());
        String manifest = read(out.resolve(LabRun.MANIFEST));
        assertTrue(manifest.contains("outcome: failed: "), manifest);
        assertTrue(manifest.contains("libvirtd private (libvirtd.conf) pid: "), "the real daemon had started: " + manifest);
        String commands = read(out.resolve("virsh-commands.txt"));
        assertTrue(commands.contains("Domain '" + LabRun.GUEST + "' started"), commands);
        assertTrue(commands.contains("# clean-up\n$ virsh -c "), "the run's end destroys the domain: " + commands);
        assertTrue(read(out.resolve(LabRun.GUEST + ".log")).contains("shutting down, reason=destroyed"));
        assertTrue(Files.exists(out.resolve("libvirtd.log")), "the debug log so far is kept");
        assertNoProcessLeft();
    }

    @Test
    void aScratchFolderTooDeepForTheDaemonsSocketIsSaidBeforeAnyDaemonStarts() throws IOException {
        requireLibvirt();
        Path deep = tmp.resolve("d".repeat(60));
        Files.createDirectories(deep);
        Files.setPosixFilePermissions(deep, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = tmp.resolve("deep");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LabCommand());
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        int code = cl.execute("libvirt-pending-unplug", "--out", out.toString(), "--scratch", deep.toString());
        assertEquals(1, code, err.toString());
        assertTrue(err.toString().contains("107 bytes"), err.toString());
        assertTrue(read(out.resolve(LabRun.MANIFEST)).contains("outcome: failed: "));
        assertFalse(read(out.resolve(LabRun.MANIFEST)).contains("pid:"), "no daemon was started");
        assertEquals(List.of(), ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                .contains(deep.toString())).map(ProcessHandle::pid).toList());
    }

    @Test
    void anIdThatIsNoLibvirtDiskAliasOrASlotOfTheOtherDiskIsRefused() throws IOException {
        Result bad = lab("libvirt-pending-unplug", "--out", tmp.resolve("x").toString(), "--id", "vdb");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("virtio-disk1 = vdb"), bad.err());
        assertEquals(2, lab("libvirt-pending-unplug", "--out", tmp.resolve("x").toString(), "--id", "virtio-disk0").code());
        assertEquals(2, lab("libvirt-migration", "--out", tmp.resolve("x").toString(), "--id", "virtio-disk702").code());
        Result slot = lab("libvirt-pending-unplug", "--out", tmp.resolve("x").toString(), "--slot", "2");
        assertEquals(2, slot.code());
        assertTrue(slot.err().contains("vda"), slot.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void aliasesMapToTargetsAsLibvirtNamesThem() {
        assertEquals("vda", LibvirtScenario.targetDev(0));
        assertEquals("vdb", LibvirtScenario.targetDev(1));
        assertEquals("vdz", LibvirtScenario.targetDev(25));
        assertEquals("vdaa", LibvirtScenario.targetDev(26));
        assertEquals("vdzz", LibvirtScenario.targetDev(701));
        assertEquals(7, LibvirtScenario.diskIndex("virtio-disk7").orElseThrow());
        assertTrue(LibvirtScenario.diskIndex("virtio-disk0").isEmpty());
        assertTrue(LibvirtScenario.diskIndex("virtio-disk01").isEmpty());
        assertTrue(LibvirtScenario.diskIndex("net0").isEmpty());
    }

    private static int pciSlot(Path file, String id) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        for (JsonNode bus : root.path("return")) {
            for (JsonNode dev : bus.path("devices")) {
                if (id.equals(dev.path("qdev_id").asText())) {
                    return dev.path("slot").asInt();
                }
            }
        }
        return -1;
    }

    /** libvirtd, its daemonised QEMU (the images), virsh (the socket URI): all name the scratch folder. */
    private void assertNoProcessLeft() {
        List<String> left = processesNaming(scratch().toString()).stream()
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
        assertEquals(List.of(), left, "stray processes");
        assertEquals(List.of(), ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse("?"))
                .filter(c -> c.contains("qemu") || c.contains("libvirtd") || c.contains("virsh")).toList(),
                "stray children");
        try (Stream<Path> s = Files.exists(scratch()) ? Files.list(scratch()) : Stream.empty()) {
            assertEquals("", s.map(Path::toString).collect(Collectors.joining(", ")), "scratch folder deleted");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Skipped with the reason where libvirt cannot run here; a failure under CI=true, which installs it. */
    private static void requireLibvirt() {
        List<String> missing = new ArrayList<>();
        for (String p : List.of("libvirtd", "virsh", "unshare", "mount")) {
            if (LibvirtScenario.locate(p).isEmpty()) {
                missing.add(p);
            }
        }
        for (String p : List.of("qemu-system-x86_64", "qemu-img")) {
            if (QemuProcess.resolve(p).isEmpty()) {
                missing.add(p);
            }
        }
        String why = missing.isEmpty() ? "" : "not installed: " + String.join(", ", missing)
                + " (apt-get install libvirt-daemon-system libvirt-clients libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils)";
        if (!LibvirtScenario.isRoot()) {
            why += (why.isEmpty() ? "" : "; ") + "not root (a system-mode libvirtd in its own mount namespace needs root)";
        }
        if (!why.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the libvirt lab tests (.ci/run installs libvirt and runs as root): " + why);
        }
        assumeTrue(why.isEmpty(), why);
    }
}
