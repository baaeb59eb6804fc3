package dev.vmcase.app.audit;

import dev.vmcase.casefile.CaseArtifact;
import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.OpenedCase;
import dev.vmcase.model.Ids;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merge of the fleet sample's real host archives, and what it does with hosts that sent nothing, a host audited
 * twice, a full case and a hostile host (members leaving their folder, links, a bundle named outside, a broken
 * archive, a file that is no archive).
 */
class FleetMergeTest {
    @TempDir
    Path tmp;

    private FleetMerge.Result merge(List<Path> inputs, List<FleetMerge.Missing> missing, FleetMerge.Evidence e)
            throws IOException {
        return FleetMerge.merge(inputs, missing, e, tmp.resolve("fleet.vmcase"), s -> { });
    }

    @Test
    void theSampleFleetBecomesOneCaseWithTheBlockedVmsAndTheirBundles() throws IOException {
        FleetMerge.Result r = merge(List.of(FleetSample.HOSTS),
                List.of(new FleetMerge.Missing("fleet-gone", "unreachable: ssh: connection refused")),
                FleetMerge.Evidence.PROBLEMS);
        FleetDocument doc = r.fleet();
        assertEquals(List.of("fleet-a", "fleet-b", "fleet-c", "fleet-gone"),
                doc.hosts().stream().map(FleetHost::host).toList());
        assertEquals(FleetHost.MISSING, doc.hosts().get(3).status());
        // the verdicts are the hosts' own and match what the lab did
        Map<String, String> verdicts = new TreeMap<>();
        doc.vms().forEach(v -> verdicts.put(v.vm().name(), v.vm().verdict().jsonName()));
        Map<String, String> truth = new TreeMap<>();
        for (String[] t : FleetSample.truth()) {
            truth.put(t[1], switch (t[2]) {
                case "orphaned-disk", "pending-unplug" -> "blocked";
                case "monitor-stopped" -> "unknown";
                default -> "ready";
            });
        }
        assertEquals(truth, verdicts);
        // blocked first, then unknown, then ready
        assertEquals(List.of("blocked", "blocked", "unknown", "ready", "ready", "ready"),
                doc.vms().stream().map(v -> v.vm().verdict().jsonName()).toList());
        assertEquals(AuditCommand.BLOCKED, MergeCommand.exitCode(doc));

        OpenedCase o = CaseIO.open(r.caseFile(), tmp.resolve("work"));
        assertEquals(List.of(), o.integrity());
        assertEquals(doc, FleetCase.find(o).orElseThrow());
        // the problem VMs' bundles are in the case, byte for byte, under HOST/BUNDLE with their host; the ready ones not
        Set<String> bundles = new TreeSet<>();
        for (CaseArtifact a : o.file().artifacts().subList(1, o.file().artifacts().size())) {
            bundles.add(a.name().substring(0, a.name().lastIndexOf('/')));
            assertEquals(a.name().substring(0, a.name().indexOf('/')), a.host());
        }
        assertEquals(Set.of("fleet-a/vms/instance-0000a001", "fleet-b/vms/instance-0000b001",
                "fleet-c/vms/instance-0000c002"), bundles);
        Path b001 = FleetSample.host("fleet-b", tmp.resolve("b")).resolve("vms/instance-0000b001");
        FleetHost fleetB = doc.hosts().get(1);
        VmAudit vm = fleetB.audit().vms().stream().filter(v -> v.name().equals("instance-0000b001")).findFirst()
                .orElseThrow();
        List<Path> files = FleetCase.evidenceOf(o, fleetB, vm);
        assertEquals(10, files.size());
        for (Path f : files) {
            assertEquals(Ids.sha256Of(b001.resolve(f.getFileName().toString())), Ids.sha256Of(f));
        }
        assertEquals(FleetHost.IN_CASE, fleetB.evidence().get("instance-0000b001"));
        assertEquals(FleetHost.NOT_INCLUDED, fleetB.evidence().get("instance-0000b002"));
    }

    @Test
    void allEvidenceIncludesTheReadyVmsAndAFullCaseSaysWhatItLeftOut() throws IOException {
        FleetMerge.Result all = merge(FleetSample.archives(), List.of(), FleetMerge.Evidence.ALL);
        assertEquals(6, all.fleet().hosts().stream().flatMap(h -> h.evidence().values().stream())
                .filter(FleetHost.IN_CASE::equals).count());
        FleetMerge.Result full = FleetMerge.merge(FleetSample.archives(), List.of(), FleetMerge.Evidence.ALL,
                tmp.resolve("small.vmcase"), s -> { }, 20, 1L << 30);
        // two bundles of ten files fit; the blocked ones come first
        Map<String, String> where = new TreeMap<>();
        full.fleet().hosts().forEach(h -> where.putAll(h.evidence()));
        assertEquals(Map.of("instance-0000a001", "in-case", "instance-0000b001", "in-case", "instance-0000c002", "left-out",
                "instance-0000a002", "left-out", "instance-0000b002", "left-out", "instance-0000c001", "left-out"), where);
        OpenedCase o = CaseIO.open(full.caseFile(), tmp.resolve("work2"));
        assertEquals(4, o.file().omitted().size(), o.file().omitted().toString());
        assertTrue(o.file().omitted().stream().allMatch(x -> x.reason().contains("20 files")), o.file().omitted().toString());
    }

    @Test
    void aHostAuditedTwiceKeepsItsLatestAudit() throws IOException {
        Path a = FleetSample.host("fleet-a", tmp.resolve("a1"));
        Path again = FleetSample.host("fleet-a", tmp.resolve("a2"));
        HostAudit h = AuditJson.readHost(again.resolve(HostAudit.FILE));
        HostAudit later = new HostAudit(h.format(), h.formatVersion(), h.tool(), h.host(), h.hostname(), h.uri(),
                h.connection(), h.strict(), h.started(), "2099-01-01T00:00:00Z", h.facts(), h.daemonLog(), h.error(),
                h.needsMoreRights(), h.notRunning(), h.vms().subList(0, 1));
        AuditJson.write(later, again.resolve(HostAudit.FILE));
        FleetDocument doc = merge(List.of(a, again), List.of(), FleetMerge.Evidence.NONE).fleet();
        assertEquals(1, doc.hosts().size());
        assertEquals(1, doc.hosts().get(0).audit().vms().size());
    }

    @Test
    void aHostileHostCannotWriteOutsideItsFolderNorNameBundlesOutsideIt() throws IOException {
        Path a = FleetSample.host("fleet-a", tmp.resolve("a"));
        HostAudit h = AuditJson.readHost(a.resolve(HostAudit.FILE));
        List<VmAudit> vms = new ArrayList<>();
        for (VmAudit v : h.vms()) {
            // a bundle named outside the host's folder
            vms.add(new VmAudit(v.name(), v.uuid(), v.verdict(), "../../../../etc", v.capture(), v.started(),
                    v.seconds(), v.findings(), v.gaps()));
        }
        HostAudit evil = new HostAudit(h.format(), h.formatVersion(), h.tool(), "evil", h.hostname(), h.uri(),
                h.connection(), h.strict(), h.started(), h.finished(), h.facts(), h.daemonLog(), null, List.of(),
                List.of(), vms);
        Path json = tmp.resolve("evil.json");
        AuditJson.write(evil, json);
        Path archive = tmp.resolve("evil.tar.gz");
        try (OutputStream raw = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw))) {
            add(tar, "audit.json", Files.readAllBytes(json));
            add(tar, "../../escaped.txt", "out\n".getBytes(StandardCharsets.UTF_8));
            add(tar, "/tmp/absolute-" + Ids.sha256Hex("x").substring(0, 8), "abs\n".getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry link = new TarArchiveEntry("vms/link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        Path broken = tmp.resolve("broken.tar.gz");
        byte[] whole = Files.readAllBytes(FleetSample.HOSTS.resolve("fleet-b.tar.gz"));
        Files.write(broken, java.util.Arrays.copyOf(whole, whole.length / 3));
        Path notArchive = tmp.resolve("notes.txt");
        Files.writeString(notArchive, "not an audit\n");

        FleetDocument doc = merge(List.of(archive, broken, notArchive), List.of(), FleetMerge.Evidence.ALL).fleet();
        assertFalse(Files.exists(tmp.resolve("escaped.txt")));
        assertFalse(Files.exists(tmp.getParent().resolve("escaped.txt")));
        Map<String, FleetHost> hosts = doc.hosts().stream().collect(Collectors.toMap(FleetHost::host, x -> x));
        assertTrue(hosts.get("evil").evidence().values().stream().allMatch(FleetHost.NOT_FETCHED::equals),
                hosts.get("evil").toString());
        assertEquals(FleetHost.UNREADABLE, hosts.get("broken.tar.gz").status());
        assertTrue(hosts.get("broken.tar.gz").reason().contains("broken.tar.gz"), hosts.get("broken.tar.gz").reason());
        assertEquals(FleetHost.UNREADABLE, hosts.get("notes.txt").status());
        assertEquals(AuditCommand.BLOCKED, MergeCommand.exitCode(doc)); // evil's audit still says a001 is blocked
    }

    @Test
    void hostsThatSentNothingAloneMakeTheFleetUnknown() throws IOException {
        FleetDocument doc = merge(List.of(), List.of(new FleetMerge.Missing("cmp-9", "unreachable: timed out")),
                FleetMerge.Evidence.PROBLEMS).fleet();
        assertEquals(AuditCommand.UNKNOWN, MergeCommand.exitCode(doc));
        assertEquals("unreachable: timed out", doc.hosts().get(0).reason());
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
