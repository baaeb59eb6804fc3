package dev.vmcase.analysis.vms;

import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which VM each piece of real evidence speaks for. */
class VmIndexTest {
    private static final Path CASES = Path.of("../sample-cases");

    @TempDir
    Path dir;

    @Test
    void threeLabRunsUnderThreeNamesAreThreeVmsAndEachDumpTheVmOfItsFolder() {
        Evidence e = Fixtures.load(CASES.resolve("three-vms/evidence"));
        VmIndex idx = VmIndex.of(e);
        assertEquals(List.of("vm-alpha", "vm-bravo", "vm-charlie"), idx.vms().stream().map(Vm::key).toList());
        // vm-charlie's XML gives its UUID with its name
        assertEquals(1, idx.find("vm-charlie").orElseThrow().uuids().size());
        // the bare dumps name no VM: each is its folder's
        for (var a : e.artifacts()) {
            String folder = Path.of(a.path()).getParent().getFileName().toString();
            if (a.path().endsWith("source-query-pci.json") || a.path().endsWith("destination-qmp.jsonl")) {
                assertEquals(folder, idx.ofArtifact(a).key(), a.path());
            }
        }
        assertEquals(List.of(), idx.unattributed());
    }

    @Test
    void aDumpWhoseNeighboursNameTwoVmsBelongsToNoneAndStaysOutOfEveryVm() throws IOException {
        Path alpha = CASES.resolve("three-vms/evidence/cmp-1/vm-alpha");
        Path bravo = CASES.resolve("three-vms/evidence/cmp-1/vm-bravo");
        Files.copy(alpha.resolve("vm-alpha.log"), dir.resolve("vm-alpha.log"));
        Files.copy(bravo.resolve("vm-bravo.log"), dir.resolve("vm-bravo.log"));
        Files.copy(alpha.resolve("source-query-pci.json"), dir.resolve("query-pci.json"));
        Evidence e = Fixtures.load(dir);
        VmIndex idx = VmIndex.of(e);
        assertEquals(List.of("vm-alpha", "vm-bravo"), idx.vms().stream().map(Vm::key).toList());
        assertEquals(1, idx.unattributed().size());
        Unattributed u = idx.unattributed().get(0);
        assertTrue(u.artifact().path().endsWith("query-pci.json"));
        assertEquals(Unattributed.Reason.NEIGHBOURS_NAME_SEVERAL, u.reason());
        assertEquals(2, u.vms());
        for (Vm vm : idx.vms()) {
            assertTrue(idx.slice(vm).observations().stream().noneMatch(o -> o.source().path().endsWith("query-pci.json")),
                    vm.key() + " holds the unattributed dump");
        }
    }

    @Test
    void oneLibvirtdLogsMonitorsAreEachTheirDomains() {
        Evidence e = Fixtures.load(CASES.resolve("two-domains-one-daemon/evidence"));
        VmIndex idx = VmIndex.of(e);
        assertEquals(List.of("instance-0000b001", "instance-0000b002"), idx.vms().stream().map(Vm::key).toList());
        // every monitor message belongs to the domain libvirt entered that monitor for
        Map<String, List<String>> vmsByChannel = e.qmp().stream().collect(Collectors.groupingBy(QmpMessage::channel,
                Collectors.mapping(m -> String.valueOf(idx.of(m) == null ? null : idx.of(m).key()),
                        Collectors.collectingAndThen(Collectors.toList(), l -> l.stream().distinct().toList()))));
        assertEquals(Map.of("mon=0x7fd0f0010740", List.of("instance-0000b001"),
                "mon=0x7fd0f0010d00", List.of("instance-0000b002")), vmsByChannel);
        // the device_del is b001's, and only b001's slice holds it
        Vm b001 = idx.find("instance-0000b001").orElseThrow();
        Vm b002 = idx.find("instance-0000b002").orElseThrow();
        assertTrue(idx.slice(b001).qmp().stream().anyMatch(m -> m.kind() == QmpKind.COMMAND && "device_del".equals(m.name())));
        assertTrue(idx.slice(b002).qmp().stream().noneMatch(m -> "device_del".equals(m.name())));
    }

    @Test
    void evidenceThatNamesNoVmIsOneUnnamedVm() {
        VmIndex idx = VmIndex.of(Fixtures.load(CASES.resolve("seed-incident/evidence")));
        assertEquals(List.of(Vm.unnamed()), idx.vms());
        assertTrue(idx.unattributed().isEmpty());
    }

    @Test
    void theFolderOfAPathIsWhatComesBeforeItsLastSlashInsideArchivesToo() {
        assertEquals("a.tar.xz!/sos/var/log/libvirt/qemu", VmIndex.parent("a.tar.xz!/sos/var/log/libvirt/qemu/x.log"));
        assertEquals("a.tar.xz!", VmIndex.parent("a.tar.xz!/x.log"));
        assertNull(VmIndex.parent("x.log"));
    }
}
