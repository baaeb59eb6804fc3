package dev.vmcase.app.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.lab.LabRun;
import dev.vmcase.lab.LibvirtPendingUnplugScenario;
import dev.vmcase.lab.QemuProcess;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Finding;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real thing: the lab's {@code libvirt-pending-unplug} scenario runs a private libvirtd (own config, sockets and
 * folders in its own mount namespace) and a TCG domain; while the disk's unplug is pending, capture takes the domain
 * three times through libvirt-java: read-write, read-only, and with its QEMU stopped (SIGSTOP) so the monitor does not
 * answer. Each bundle is checked by analysing it. Needs root, libvirtd, virsh, QEMU: skipped with the reason
 * elsewhere, a failure under {@code CI=true}.
 */
public class LibvirtLabCaptureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void capturingTheRunningPendingUnplugDomainShowsThePendingUnplug() throws Exception {
        requireLibvirt();
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        // kept for a look after the run (target/ is the build's)
        Path rw = Path.of("target/capture-lab/rw").toAbsolutePath();
        deleteTree(rw);
        Path ro = tmp.resolve("ro");
        Path hung = tmp.resolve("hung");
        AtomicReference<List<LibvirtCapture.DomainEntry>> listed = new AtomicReference<>();
        AtomicReference<CaptureResult> rwResult = new AtomicReference<>();
        AtomicReference<CaptureResult> roResult = new AtomicReference<>();
        AtomicReference<CaptureResult> hungResult = new AtomicReference<>();
        AtomicReference<Double> hungSeconds = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // the victim's alias and slot chosen for this run (virtio-diskN for N >= 1 is libvirt's alias of the N-th
        // target dev after vda; slot 2 is vda's)
        java.util.Random random = new java.util.Random();
        String id = "virtio-disk" + (1 + random.nextInt(25));
        int slot = 3 + random.nextInt(29);
        LabRun.Options options = new LabRun.Options(new LibvirtPendingUnplugScenario(), id, slot,
                Duration.ofSeconds(120), QemuProcess.resolve("qemu-system-x86_64").orElseThrow(),
                QemuProcess.resolve("qemu-img").orElseThrow(), tmp.resolve("lab"), tmp.resolve("s"));
        try (LabRun run = new LabRun(options, m -> { })) {
            run.whileRunning((uri, logDir, domain) -> {
                try {
                    listed.set(LibvirtCapture.listDomains(uri, false, Duration.ofSeconds(20)));
                    rwResult.set(LibvirtCapture.capture(new LibvirtCapture.Options(uri, domain, rw, false, logDir,
                            Duration.ofSeconds(20), null, null)));
                    roResult.set(LibvirtCapture.capture(new LibvirtCapture.Options(uri, domain, ro, true, logDir,
                            Duration.ofSeconds(20), null, null)));
                    // the monitor stops answering: QEMU is stopped
                    long pid = Long.parseLong(Files.readString(logDir.resolveSibling("run/libvirt/qemu/" + domain + ".pid"))
                            .strip());
                    signal("STOP", pid);
                    long t0 = System.nanoTime();
                    try {
                        hungResult.set(LibvirtCapture.capture(new LibvirtCapture.Options(uri, domain, hung, false, logDir,
                                Duration.ofSeconds(3), null, null)));
                    } finally {
                        hungSeconds.set((System.nanoTime() - t0) / 1e9);
                        signal("CONT", pid);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            options.scenario().run(run);
            run.succeeded();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(listed.get().contains(new LibvirtCapture.DomainEntry(LabRun.GUEST, true)), listed.get().toString());

        // read-write: everything, and the analysis sees the unplug libvirt called done still pending
        CaptureResult r = rwResult.get();
        JsonNode manifest = JSON.readTree(rw.resolve(CaptureManifest.FILE).toFile());
        assertEquals("complete", r.status(), manifest.toPrettyString());
        assertEquals("complete", manifest.path("status").asText());
        List<String> monitor = new ArrayList<>();
        for (JsonNode s : manifest.path("steps")) {
            assertEquals("ok", s.path("outcome").asText(), s.toString());
            assertFalse(s.path("at").asText().isEmpty());
            if ("qemu-monitor".equals(s.path("via").asText())) {
                monitor.add(s.path("request").asText());
            }
        }
        assertEquals(List.of("{\"execute\":\"query-pci\"}", "{\"execute\":\"query-block\"}",
                "{\"execute\":\"query-named-block-nodes\"}",
                "{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"/machine/peripheral\"}}", "HMP info qtree"), monitor);
        assertTrue(manifest.path("facts").path("libvirt library").asText().startsWith("9."), manifest.toString());
        assertTrue(manifest.path("facts").path("hypervisor").asText().startsWith("QEMU "), manifest.toString());
        assertFalse(manifest.path("facts").path("host").asText().isEmpty());

        AnalysisResult a = Analysis.of(List.of(rw), ProgressMonitor.NONE);
        Map<String, String> formats = a.evidence().artifacts().stream()
                .collect(Collectors.toMap(x -> Path.of(x.path()).getFileName().toString(), Artifact::format, (x, y) -> x));
        assertEquals(Artifact.UNRECOGNIZED, formats.get(CaptureManifest.FILE), formats.toString());
        assertTrue(formats.values().stream().filter(f -> !f.equals(Artifact.UNRECOGNIZED)).count() >= 8, formats.toString());
        List<Finding> unacked = a.findings().stream().filter(f -> f.rule().equals("UNACKED_UNPLUG")).toList();
        assertEquals(1, unacked.size(), a.findings().toString());
        assertEquals(List.of(id, String.format("0000:00:%02x.0", slot)), unacked.get(0).devices());
        assertEquals("true", unacked.get(0).details().get("still-in-libvirt-xml"), unacked.get(0).details().toString());
        var row = a.devices().sourceById(id).orElseThrow();
        for (var layer : dev.vmcase.model.Layer.values()) {
            // every layer the capture reads sees the disk still there
            if (Set.of("PCI", "QDEV", "BLOCK", "LIBVIRT_XML").contains(layer.name())) {
                assertEquals("PRESENT", row.presence(layer).name(), layer + " " + row);
            }
        }

        // read-only: the monitor passthrough is refused, the rest is captured, and the user is told what needs rights
        CaptureResult o = roResult.get();
        assertEquals("partial", o.status());
        List<CaptureManifest.Step> mon = o.manifest().steps().stream().filter(s -> s.via().equals("qemu-monitor")).toList();
        assertEquals(5, mon.size());
        assertEquals(CaptureManifest.Outcome.REFUSED, mon.get(0).outcome());
        assertTrue(mon.get(0).detail().contains("read only access prevents virDomainQemuMonitorCommand"), mon.get(0).detail());
        assertTrue(mon.stream().allMatch(s -> s.outcome() == CaptureManifest.Outcome.REFUSED), mon.toString());
        assertEquals(1, o.manifest().needsMoreRights().size());
        assertTrue(o.manifest().needsMoreRights().get(0).contains("virDomainQemuMonitorCommand"));
        assertTrue(Files.exists(ro.resolve("domain-live.xml")));
        assertFalse(Files.exists(ro.resolve("qmp-query-pci.json")));
        AnalysisResult ra = Analysis.of(List.of(ro), ProgressMonitor.NONE);
        assertTrue(ra.devices().sourceById(id).isPresent(), "the live XML still lists the disk");

        // a monitor that does not answer: bounded, partial, the XML and logs still there
        CaptureResult h = hungResult.get();
        assertEquals("partial", h.status(), h.manifest().steps().toString());
        assertTrue(hungSeconds.get() < 20, "took " + hungSeconds.get() + " s");
        CaptureManifest.Step first = h.manifest().steps().stream().filter(s -> s.via().equals("qemu-monitor"))
                .findFirst().orElseThrow();
        assertEquals(CaptureManifest.Outcome.TIMEOUT, first.outcome(), h.manifest().steps().toString());
        assertTrue(Files.exists(hung.resolve("domain-live.xml")));
        assertTrue(Files.exists(hung.resolve(LabRun.GUEST + ".log")));
        assertTrue(Files.readString(hung.resolve(CaptureManifest.FILE), StandardCharsets.UTF_8).contains("\"partial\""));
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertEquals(0, p.waitFor());
    }

    public static void requireLibvirt() {
        requireLibvirt(List.of());
    }

    /** Root, libvirtd, virsh, QEMU and {@code more} programs: skipped elsewhere with why, a failure under {@code CI=true}. */
    public static void requireLibvirt(List<String> more) {
        List<String> missing = new ArrayList<>();
        List<String> programs = new ArrayList<>(List.of("/usr/sbin/libvirtd", "/usr/bin/virsh"));
        programs.addAll(more);
        for (String p : programs) {
            if (!Files.isExecutable(Path.of(p))) {
                missing.add(p);
            }
        }
        for (String p : List.of("qemu-system-x86_64", "qemu-img")) {
            if (QemuProcess.resolve(p).isEmpty()) {
                missing.add(p);
            }
        }
        String why = missing.isEmpty() ? "" : "not installed: " + String.join(", ", missing);
        if (!"root".equals(System.getProperty("user.name"))) {
            why += (why.isEmpty() ? "" : "; ") + "not root (the lab's libvirtd runs in its own mount namespace)";
        }
        if (!why.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the libvirt tests: " + why);
        }
        assumeTrue(why.isEmpty(), why);
    }
}
