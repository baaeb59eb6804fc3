package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QEMU_CRASHED on real evidence outside the public corpus: a libvirt domain log of nova-operator's CI where QEMU
 * asserted during a live migration (https://github.com/openstack-k8s-operators/nova-operator/pull/777), a QEMU 9.0
 * vCPU thread's SIGSEGV quoted in QEMU commit a8e63ff289, QEMU 4.2's eject backtrace of Launchpad bug 1867519 as the
 * call-chain tests keep it; and controls that must stay silent: QEMU 7.2's GLib {@code g_timer_elapsed} critical on a
 * SIGINT and its {@code terminating on signal 15} (both captured here), a healthy ACPI eject backtrace (the lab's
 * q35 capture).
 */
class QemuCrashedRuleTest {
    private static final Path RULES = Path.of("src/test/resources/dev/vmcase/analysis/rules");
    private static final Path CALLCHAIN = Path.of("src/test/resources/dev/vmcase/analysis/callchain");

    private static AnalysisResult run(Path file) {
        return Analysis.run(Fixtures.load(file));
    }

    private static Finding crash(AnalysisResult r) {
        return r.findings().stream().filter(f -> f.rule().equals(QemuCrashedRule.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(Fixtures.rules(r)));
    }

    private static List<Integer> lines(Finding f) {
        return f.evidence().stream().map(SourceRef::line).toList();
    }

    private static RuleOutcome.Status status(AnalysisResult r) {
        return r.outcomes().stream().filter(o -> o.rule().equals(QemuCrashedRule.ID)).findFirst().orElseThrow()
                .status();
    }

    @Test
    void anAssertionAfterLibvirtsInitiatingMigrationIsACrashDuringTheMigration() {
        // line 11 'initiating migration', 12 the assertion (the prototype form), 13 'shutting down, reason=crashed'
        Finding f = crash(run(RULES.resolve("nova-operator-777-domain-log-migration-assertion.txt")));
        assertEquals("migration", f.details().get("during"));
        assertTrue(lines(f).containsAll(List.of(11, 12, 13)), lines(f).toString());
        assertEquals(12, f.evidence().get(0).line(), "the assertion is the crash's own line");
        assertEquals("qemu_crashed_migration", f.messageKey());
    }

    @Test
    void aVcpuThreadsSegfaultIsACrashAtRuntimeCitingTheSignalAndTheTopFrames() {
        // line 4: Thread 6 "CPU 0/KVM" received signal SIGSEGV; its frames 0, 1, 2 on lines 11, 12, 13
        Finding f = crash(run(RULES.resolve("qemu-9.0-vcpu-sigsegv-virtio-pci.txt")));
        assertEquals("runtime", f.details().get("during"));
        assertEquals("SIGSEGV", f.details().get("signal"));
        assertTrue(lines(f).containsAll(List.of(4, 11, 12, 13)), lines(f).toString());
        assertNull(f.details().get("device"));
        assertTrue(f.devices().isEmpty());
    }

    @Test
    void aSegfaultOnTheEjectPathIsACrashDuringTheUnplugOfTheSlotTheWalkerDecodes() {
        // QEMU 4.2, LP 1867519: acpi_pcihp_eject_slot (slots=256: slot 8) -> acpi_pcihp_device_unplug_cb -> SIGSEGV
        Finding f = crash(run(CALLCHAIN.resolve("qemu-4.2-eject-lp1867519.txt")));
        assertEquals("unplug", f.details().get("during"));
        assertEquals("8", f.details().get("slot"));
        assertEquals("0000:00:08.0", f.details().get("pci"));
        assertTrue(f.evidence().stream().anyMatch(r -> r.text().contains("acpi_pcihp_eject_slot")),
                "cites the eject frame");
        assertTrue(f.evidence().stream().anyMatch(r -> r.text().contains("received signal SIGSEGV")));
        assertEquals("qemu_crashed_unplug_slot", f.messageKey());
    }

    @Test
    void glibsTimerCriticalOnQuitIsNoCrash() {
        AnalysisResult r = run(RULES.resolve("qemu-7.2-qtest-sigint-glib-timer.txt"));
        assertFalse(Fixtures.rules(r).contains(QemuCrashedRule.ID), Fixtures.rules(r).toString());
        assertEquals(RuleOutcome.Status.CLEAR, status(r), "QEMU's own output was there to be read");
    }

    @Test
    void aStopBySigtermIsNoCrash() {
        AnalysisResult r = run(RULES.resolve("qemu-7.2-sigterm.txt"));
        assertFalse(Fixtures.rules(r).contains(QemuCrashedRule.ID), Fixtures.rules(r).toString());
        assertEquals(RuleOutcome.Status.CLEAR, status(r));
    }

    @Test
    void aHealthyEjectBacktraceWithoutSignalOrAbortIsNoCrash() {
        AnalysisResult r = run(CALLCHAIN.resolve("qemu-7.2-q35-acpi-eject.txt"));
        assertFalse(Fixtures.rules(r).contains(QemuCrashedRule.ID), Fixtures.rules(r).toString());
    }

    @Test
    void everyFunctionOfTheCrashStacksHasARole() {
        assertTrue(QemuCrashedRule.functionsOf("unplug").containsAll(List.of("acpi_pcihp_eject_slot",
                "pcie_unplug_device", "qmp_marshal_device_del", "virtio_scsi_hotunplug")));
        assertTrue(QemuCrashedRule.functionsOf("migration").contains("qemu_loadvm_state"));
        assertTrue(QemuCrashedRule.functionsOf("abort").contains("abort"));
    }
}
