package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QEMU_CRASHED from what the host records when a QEMU process dies — the kernel's segfault line, systemd-coredump's
 * record, a {@code coredumpctl list} row — as engineers paste them, with no backtrace and no QEMU output. Nothing
 * else tells what QEMU was doing, and the finding says so instead of "neither during an unplug nor a migration".
 */
class HostCrashRecordsTest {
    @TempDir
    Path tmp;

    private static List<Finding> crashed(AnalysisResult r) {
        return r.findings().stream().filter(f -> f.rule().equals(QemuCrashedRule.ID)).toList();
    }

    @Test
    void theKernelsSegfaultLineAndSystemdCoredumpsRecordAreACrash() {
        // https://github.com/servo/ci-runners/issues/3: a NixOS host's journal, QEMU's vCPU thread faulted
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "issue.md", "We can’t get a core dump:\n\n```\n"
                + "Sep 09 10:40:02 jupiter kernel: CPU 1/KVM[1545351]: segfault at 14 ip 000056473f97ca24 sp"
                + " 00007f550f076eb0 error 4 in .qemu-system-x86_64-wrapped[56473f771000+652000] likely on CPU 20"
                + " (core 4, socket 0)\n"
                + "Sep 09 10:40:02 jupiter systemd-coredump[1545634]: Resource limits disable core dumping for process"
                + " 1545297 (.qemu-system-x8).\n"
                + "Sep 09 10:40:02 jupiter systemd-coredump[1545634]: [🡕] Process 1545297 (.qemu-system-x8) of user 301"
                + " terminated abnormally without generating a coredump.\n```\n"));
        List<Finding> f = crashed(r);
        assertEquals(1, f.size(), Fixtures.rules(r)::toString);
        assertEquals("unknown", f.get(0).details().get("during"));
        assertEquals(List.of(4, 6), f.get(0).evidence().stream().map(SourceRef::line).sorted().toList());
    }

    @Test
    void aCoredumpctlListRowOfAQemuBinaryIsACrash() {
        // https://github.com/autotest/tp-libvirt/pull/4526: qemu-kvm died during a test that detached a serial device
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "pr.md", "Before the fix:\n ```\n"
                + " coredumpctl --since '2022-09-15 03:34:47'\n"
                + "TIME                           PID UID GID SIG     COREFILE EXE                   SIZE\n"
                + "Thu 2022-09-15 22:21:19 EDT 828340 107 107 SIGSEGV none     /usr/libexec/qemu-kvm  n/a\n\n"
                + "After the fix:\n#  coredumpctl --since '2022-09-16 03:34:47'\nNo coredumps found.\n```\n"));
        List<Finding> f = crashed(r);
        assertEquals(1, f.size(), Fixtures.rules(r)::toString);
        assertEquals(List.of(5), f.get(0).evidence().stream().map(SourceRef::line).toList());
        assertEquals("unknown", f.get(0).details().get("during"));
    }

    @Test
    void anotherProgramsSegfaultIsNoQemuCrash() {
        // https://github.com/systemd/systemd/issues/11885: systemd itself faulted; QEMU is not in the evidence
        AnalysisResult r = Analysis.run(Fixtures.loadText(tmp, "issue.md", "```\n"
                + "systemd[1]: segfault at f6f686ab ip 00007fc4e9a79361 sp 00007ffef196eb30 error 4\n"
                + "..\nCaught <SEGV>, core dump failed (child 770, code=killed, status=11/SEGV).\n```\n"));
        assertTrue(crashed(r).isEmpty(), r.findings()::toString);
    }
}
