package dev.vmcase.app.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.app.Main;
import dev.vmcase.app.capture.CaptureManifest.Outcome;
import dev.vmcase.app.capture.CaptureManifest.Step;
import dev.vmcase.model.Artifact;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libvirt's own {@code test:///default} driver (in the client library, no daemon, no QEMU): the libvirt paths that
 * need no QEMU — listing, XML, refusals, a domain that goes away mid-capture, a daemon that is not there.
 */
class TestDriverCaptureTest {
    private static final String URI = "test:///default";

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireLibvirtClient() {
        boolean there = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0"))
                || Files.exists(Path.of("/usr/lib64/libvirt.so.0")) || Files.exists(Path.of("/usr/lib/libvirt.so.0"));
        if (!there && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must have libvirt0 (libvirt.so.0)");
        }
        assumeTrue(there, "libvirt.so.0 (package libvirt0) is not installed");
    }

    private static Map<String, String> formats(AnalysisResult a) {
        return a.evidence().artifacts().stream().collect(Collectors.toMap(x -> Path.of(x.path()).getFileName().toString(),
                Artifact::format, (x, y) -> x));
    }

    @Test
    void theDomainListHasTheTestDomainRunning() throws Exception {
        assertTrue(LibvirtCapture.listDomains(URI, true, Duration.ofSeconds(10))
                .contains(new LibvirtCapture.DomainEntry("test", true)));
    }

    @Test
    void readOnlyCapturesTheXmlAndSaysTheMonitorNeedsMoreRights() throws Exception {
        Path out = tmp.resolve("ro");
        CaptureResult r = LibvirtCapture.capture(new LibvirtCapture.Options(URI, "test", out, true, null,
                Duration.ofSeconds(10), null, null));
        assertEquals("partial", r.status());
        List<Step> monitor = r.manifest().steps().stream().filter(s -> s.via().equals("qemu-monitor")).toList();
        assertEquals("operation forbidden: read only access prevents virDomainQemuMonitorCommand", monitor.get(0).detail());
        assertTrue(monitor.stream().allMatch(s -> s.outcome() == Outcome.REFUSED));
        assertTrue(r.manifest().needsMoreRights().get(0).contains("read-write connection"));
        String lib = r.manifest().facts().get("libvirt library");
        assertTrue(lib != null && lib.matches("\\d+\\.\\d+\\.\\d+"), "the library's version, as libvirt gives it: " + lib);
        assertTrue(r.manifest().facts().get("hypervisor").startsWith("TEST "), r.manifest().facts().toString());
        assertEquals("running", r.manifest().steps().stream().filter(s -> s.name().equals("state")).findFirst()
                .orElseThrow().detail());

        Map<String, String> formats = formats(Analysis.of(List.of(out), ProgressMonitor.NONE));
        assertEquals(Artifact.UNRECOGNIZED, formats.get(CaptureManifest.FILE));
        assertFalse(formats.get("domain-live.xml").equals(Artifact.UNRECOGNIZED), formats.toString());
        assertFalse(formats.get("domain-inactive.xml").equals(Artifact.UNRECOGNIZED), formats.toString());
        JsonNode m = new ObjectMapper().readTree(out.resolve(CaptureManifest.FILE).toFile());
        assertEquals("partial", m.path("status").asText());
        assertEquals("read-only", m.path("source").path("connection").asText());
    }

    @Test
    void aDomainThatDisappearsMidCaptureLeavesAPartialBundle() throws Exception {
        String name = "vmcase-vanish-" + System.nanoTime();
        Connect admin = new Connect(URI, false);
        Domain d = admin.domainDefineXML("<domain type='test'><name>" + name + "</name><memory>131072</memory>"
                + "<os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='/x.img'/>"
                + "<target dev='vda' bus='virtio'/></disk></devices></domain>");
        d.create();
        Path out = tmp.resolve("vanish");
        CaptureResult r = LibvirtCapture.capture(new LibvirtCapture.Options(URI, name, out, false, null,
                Duration.ofSeconds(10), (done, total, text) -> {
                    if (text.equals("live XML")) { // the live XML is written: now the domain goes
                        try {
                            d.destroy();
                            d.undefine();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                }, null));
        admin.close();
        assertEquals("partial", r.status());
        Map<String, Step> steps = r.manifest().steps().stream().collect(Collectors.toMap(Step::name, s -> s, (a, b) -> a));
        assertEquals(Outcome.OK, steps.get("live XML").outcome());
        assertEquals(Outcome.FAILED, steps.get("inactive XML").outcome());
        assertTrue(steps.get("inactive XML").detail().contains("disappeared"), steps.get("inactive XML").detail());
        assertEquals(Outcome.SKIPPED, steps.get("query-pci").outcome());
        assertTrue(Files.readString(out.resolve("domain-live.xml")).contains("<name>" + name + "</name>"));
        assertTrue(Files.readString(out.resolve(CaptureManifest.FILE)).contains("\"status\" : \"partial\""));
    }

    @Test
    void cancellingStopsBetweenStepsAndKeepsWhatWasCaptured() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Path out = tmp.resolve("cancel");
        CaptureResult r = LibvirtCapture.capture(new LibvirtCapture.Options(URI, "test", out, false, null,
                Duration.ofSeconds(10), (done, total, text) -> {
                    if (text.equals("live XML")) {
                        stop.set(true);
                    }
                }, stop::get));
        assertEquals("partial", r.status());
        Map<String, Step> steps = r.manifest().steps().stream().collect(Collectors.toMap(Step::name, s -> s, (a, b) -> a));
        assertEquals(Outcome.OK, steps.get("live XML").outcome());
        assertEquals(Outcome.CANCELLED, steps.get("inactive XML").outcome());
        assertEquals(Outcome.CANCELLED, steps.get("info qtree").outcome());
        assertTrue(Files.exists(out.resolve("domain-live.xml")));
        assertFalse(Files.exists(out.resolve("domain-inactive.xml")));
    }

    @Test
    void aDaemonThatIsNotThereIsAClearErrorAndAFailedManifest() throws Exception {
        Path sock = tmp.resolve("sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(sock)); // closed: the file stays, nobody listens
        }
        Path out = tmp.resolve("refused");
        CaptureException e = assertThrows(CaptureException.class, () -> LibvirtCapture.capture(
                new LibvirtCapture.Options("qemu:///system?socket=" + sock, "x", out, false, null,
                        Duration.ofSeconds(10), null, null)));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertTrue(e.getMessage().contains("Is the daemon running"), e.getMessage());
        assertTrue(Files.readString(out.resolve(CaptureManifest.FILE)).contains("\"status\" : \"failed\""));
    }

    @Test
    void anUnknownDomainNamesTheOnesThereAre() {
        CaptureException e = assertThrows(CaptureException.class, () -> LibvirtCapture.capture(
                new LibvirtCapture.Options(URI, "nosuch", tmp.resolve("x"), true, null, Duration.ofSeconds(10), null, null)));
        assertTrue(e.getMessage().contains("no domain 'nosuch'") && e.getMessage().contains("test"), e.getMessage());
    }

    @Test
    void theCommandLineCapturesListsAndRefusesHalfArguments() {
        Path out = tmp.resolve("cli");
        StringWriter o = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(1, cl.execute("capture", "--uri", URI, "--domain", "test", "--out", out.toString(), "--read-only"),
                err.toString());
        assertTrue(o.toString().contains("partial"), o.toString());
        assertTrue(o.toString().contains("virDomainQemuMonitorCommand"), o.toString());
        assertTrue(Files.exists(out.resolve("domain-live.xml")));
        assertEquals(0, cl.execute("capture", "--uri", URI, "--list"));
        assertTrue(o.toString().contains("test"), o.toString());
        assertEquals(2, cl.execute("capture", "--uri", URI, "--out", out.toString()));
        assertEquals(2, cl.execute("capture", "--uri", URI, "--qmp", "/x", "--out", out.toString()));
    }

    @Test
    void onlyReadOnlyMonitorCommandsPass() {
        MonitorCommands.CAPTURE.forEach(c -> MonitorCommands.check(c.wire()));
        assertThrows(IllegalArgumentException.class, () -> MonitorCommands.check("{\"execute\":\"device_del\","
                + "\"arguments\":{\"id\":\"virtio-disk1\"}}"));
        assertThrows(IllegalArgumentException.class, () -> MonitorCommands.check("{\"execute\":\"human-monitor-command\","
                + "\"arguments\":{\"command-line\":\"drive_del drive-virtio-disk1\"}}"));
        assertThrows(IllegalArgumentException.class, () -> MonitorCommands.check("{\"execute\":\"quit\"}"));
        assertThrows(IllegalArgumentException.class, () -> MonitorCommands.checkHmp("info qtree; quit"));
    }
}
