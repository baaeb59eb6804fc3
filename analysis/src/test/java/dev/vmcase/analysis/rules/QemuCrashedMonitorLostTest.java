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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code QEMU_CRASHED} when the only record is libvirt losing QEMU's monitor right after it sent a {@code device_del}:
 * a real libvirt 9.0 / QEMU 7.2 capture (resources {@code libvirt-9.0-crash-during-detach}, README there), and, as a
 * control, real public lines where the lost monitor quotes QEMU's own reason to exit (a state it could not load).
 */
class QemuCrashedMonitorLostTest {
    private static final Path DIR = Path.of("src/test/resources/dev/vmcase/analysis/rules");

    private static List<Finding> crashes(AnalysisResult r) {
        return r.findings().stream().filter(f -> f.rule().equals(QemuCrashedRule.ID)).toList();
    }

    @Test
    void aMonitorLostRightAfterAPendingDeviceDelIsACrashDuringTheUnplug() {
        AnalysisResult r = Analysis.run(Fixtures.load(DIR.resolve("libvirt-9.0-crash-during-detach/libvirtd.log")));
        List<Finding> all = crashes(r);
        assertEquals(1, all.size(), r.findings().toString());
        Finding f = all.get(0);
        assertEquals("unplug", f.details().get("during"));
        assertEquals("virtio-disk1", f.details().get("device"));
        assertEquals("monitor-lost", f.details().get("evidence"), "it says the crash rests on the lost monitor only");
        assertTrue(f.details().get(Findings.NOTES).contains("note_crash_monitor_only"));
        List<Integer> lines = f.evidence().stream().map(SourceRef::line).toList();
        // libvirt's error (37) and the device_del it sent (19, its SEND_MSG)
        assertTrue(lines.contains(37) && lines.contains(19), lines.toString());
        assertTrue(f.devices().contains("virtio-disk1"), f.devices().toString());
        // the guest is not blamed for the DEVICE_DELETED a dead QEMU could not send
        assertTrue(r.findings().stream().noneMatch(x -> x.rule().equals(UnackedUnplugRule.ID)), r.findings().toString());
    }

    @Test
    void aMonitorLostThatQuotesQemusReasonToExitIsNoCrash() {
        // LP 1817268: libvirt's 'qemu unexpectedly closed the monitor: … Length mismatch: …' is a refused load
        AnalysisResult r = Analysis.run(Fixtures.load(DIR.resolve("lp-1817268-flash-length-mismatch.txt")));
        assertEquals(List.of(), crashes(r));
    }
}
