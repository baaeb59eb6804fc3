package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DOMAIN_START_FAILED where QEMU could not use KVM: the KVM line is the cause it cites, and a QEMU that went on with
 * another accelerator after KVM's failure did not fail to start because of it. The machine output below is kept exactly
 * as its reporters pasted it; the surrounding words are ours.
 */
class KvmStartFailureTest {
    @TempDir
    Path dir;

    /**
     * https://github.com/voidlinux/void-packages/issues/1095 (2015): virt-manager could not create a guest on
     * qemu:///system; libvirt's error carries QEMU's stderr (no /dev/kvm access for the QEMU libvirt ran).
     */
    static final String VOID_VIRT_MANAGER = """
              File "/usr/lib/python2.7/site-packages/libvirt.py", line 3497, in createLinux
                if ret is None:raise libvirtError('virDomainCreateLinux() failed', conn=self)
            libvirtError: internal error: process exited while connecting to monitor: Could not access KVM kernel module: Permission denied
            failed to initialize KVM: Permission denied
            """;

    /** https://github.com/quickemu-project/quickemu/issues/13 (2020): QEMU started while a VirtualBox VM ran. */
    static final String QUICKEMU_BUSY = """
            ```
            ioctl(KVM_CREATE_VM) failed: 16 Device or resource busy
            qemu-system-x86_64: failed to initialize KVM: Device or resource busy
            ```
            """;

    /**
     * https://github.com/travis-ci/docs-travis-ci-com/issues/915 (2017): QEMU run by hand in a VM without KVM went on
     * with TCG, then stopped for want of a display.
     */
    static final String TRAVIS_FALLBACK = """
            qemu-system-i386 -no-shutdown -serial stdio harddisk/harddisk.img
            Could not access KVM kernel module: No such file or directory
            failed to initialize KVM: No such file or directory
            Back to tcg accelerator.
            Could not initialize SDL(No available video device) - exiting
            """;

    /**
     * Real QEMU 7.2 run here as a user without access to /dev/kvm
     * (sample-cases/provenance/qemu-kvm-denied/qemu-kvm-denied.txt): first with KVM alone (it exits), then with TCG
     * after it (it goes on). Only the first run is a failed start.
     */
    @Test
    void inATranscriptOfTwoRunsOnlyTheOneWithoutFallbackFailedToStart() {
        AnalysisResult r = Analysis.of(List.of(Path.of(
                "../sample-cases/provenance/qemu-kvm-denied/qemu-kvm-denied.txt")), ProgressMonitor.NONE);
        Finding f = theStart(r);
        assertEquals("kvm", f.details().get("start-cause"), f.details().toString());
        assertEquals("Could not access KVM kernel module: Permission denied", f.details().get("cause"));
        assertEquals(List.of(7, 8), lines(f));
    }

    private AnalysisResult analyse(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return Analysis.of(List.of(f), ProgressMonitor.NONE);
    }

    private static List<Finding> starts(AnalysisResult r) {
        return r.findings().stream().filter(f -> f.rule().equals(DomainStartFailedRule.ID)).toList();
    }

    private static Finding theStart(AnalysisResult r) {
        List<Finding> start = starts(r);
        assertEquals(1, start.size(), "findings: " + r.findings());
        return start.get(0);
    }

    private static List<Integer> lines(Finding f) {
        return f.evidence().stream().map(SourceRef::line).sorted().toList();
    }

    @Test
    void qemuThatCouldNotOpenDevKvmIsAFailedStartCitingThatLineAsItsCause() throws IOException {
        AnalysisResult r = analyse("void-1095.txt", VOID_VIRT_MANAGER);
        Finding f = theStart(r);
        assertEquals("kvm", f.details().get("start-cause"), f.details().toString());
        assertEquals("Could not access KVM kernel module: Permission denied", f.details().get("cause"));
        assertTrue(lines(f).containsAll(List.of(3, 4)), "cites " + lines(f));
        assertTrue(f.details().get(Findings.NOTES).contains("note_start_cause_kvm|Permission denied"),
                f.details().toString());
        assertTrue(FindingText.summary(f).contains("Could not access KVM kernel module: Permission denied"),
                FindingText.summary(f));
        assertEquals(List.of(), r.findings().stream().filter(x -> x.rule().equals(MigrationFailedRule.ID)).toList());
    }

    @Test
    void kvmHeldByAnotherHypervisorIsTheCauseTheIoctlLineGives() throws IOException {
        AnalysisResult r = analyse("quickemu-13.md", QUICKEMU_BUSY);
        Finding f = theStart(r);
        assertEquals("kvm", f.details().get("start-cause"));
        assertEquals("ioctl(KVM_CREATE_VM) failed: 16 Device or resource busy", f.details().get("cause"));
        assertEquals(List.of(2, 3), lines(f));
    }

    @Test
    void aQemuThatFellBackToTcgDidNotFailToStartBecauseOfKvm() throws IOException {
        AnalysisResult r = analyse("travis-915.txt", TRAVIS_FALLBACK);
        for (Finding f : starts(r)) {
            assertTrue(f.details().get("start-cause") == null, f.details().toString());
            assertTrue(lines(f).stream().noneMatch(l -> l >= 2 && l <= 4), "cites " + lines(f));
        }
    }
}
