package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.Fixtures;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.model.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code UNPLUG_REJECTED} on real refusals other than the public corpus's: QEMU 7.2's QMP answer for a root port with
 * {@code hotplug=off} (a capture on this machine), and the guest-busy refusal inside an avocado-vt stderr record
 * (autotest/tp-libvirt pull request 4856, from the message bank).
 */
class UnplugRejectedRuleTest {
    private static final Path RULES = Path.of("src/test/resources/dev/vmcase/analysis/rules");

    @TempDir
    Path dir;

    private static List<Finding> of(AnalysisResult r, String rule) {
        return r.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    /** qemu-7.2-device-del-hotplug-off.md: the error reply to device_del is the refusal; nothing is pending. */
    @Test
    void qemusErrorReplyForAPortWithoutHotplugIsARejectionNotAPendingUnplug() throws IOException {
        Path f = dir.resolve("qmp.jsonl");
        Files.copy(RULES.resolve("qemu-7.2-device-del-hotplug-off.jsonl"), f);
        AnalysisResult r = Analysis.of(List.of(f), dev.vmcase.parsers.ProgressMonitor.NONE);
        List<Finding> rejected = of(r, UnplugRejectedRule.ID);
        assertEquals(1, rejected.size(), r.findings().toString());
        Finding x = rejected.get(0);
        assertEquals(List.of("disk5"), x.devices());
        assertEquals("rp5", x.details().get("port"));
        assertEquals("not-hotpluggable", x.details().get("refusal"));
        assertEquals(List.of(4, 5), x.evidence().stream().map(e -> e.line()).toList());
        assertTrue(FindingText.summary(x).contains("rp5 does not support hot-plug"), FindingText.summary(x));
        assertTrue(of(r, UnackedUnplugRule.ID).isEmpty(), r.findings().toString());
    }

    /** The same reply for another reason (DeviceNotFound) is no rejection of this kind. */
    @Test
    void anotherErrorIsNoRejection() {
        AnalysisResult r = Analysis.run(Fixtures.loadText(dir, "monitor.log", """
                {"execute": "device_del", "arguments": {"id": "virtio-disk3"}, "id": "b-2"}
                {"id": "b-2", "error": {"class": "DeviceNotFound", "desc": "Device 'virtio-disk3' not found"}}
                """));
        assertTrue(of(r, UnplugRejectedRule.ID).isEmpty(), r.findings().toString());
    }

    /**
     * avocado-vt's record of virsh's stderr (tp-libvirt pull request 4856, message bank unplug.tsv): QEMU's guest-busy
     * refusal inside a Python bytes repr, with no request naming a device beside it.
     */
    @Test
    void aGuestBusyRefusalInAHarnessRecordIsARejection() {
        AnalysisResult r = Analysis.run(Fixtures.loadText(dir, "avocado.log", "stderr: b\"error: Failed to detach "
                + "device from /tmp/xml_utils_temp_yqqnkxc6.xml\\nerror: internal error: unable to execute QEMU command "
                + "'device_del': Hot-unplug failed: guest is busy (power indicator blinking)\\n\"\n"));
        List<Finding> rejected = of(r, UnplugRejectedRule.ID);
        assertEquals(1, rejected.size(), r.findings().toString());
        assertEquals("guest-busy", rejected.get(0).details().get("refusal"));
        assertEquals(List.of(1), rejected.get(0).evidence().stream().map(e -> e.line()).toList());
        assertTrue(of(r, UnackedUnplugRule.ID).isEmpty(), r.findings().toString());
    }
}
