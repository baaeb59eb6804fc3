package dev.vmcase.app.audit;

import dev.vmcase.casefile.CaseReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report of the fleet sample's case, as a change ticket gets it. */
class FleetReportTest {
    @TempDir
    Path tmp;

    private FleetDocument fleet() throws IOException {
        return FleetMerge.merge(List.of(FleetSample.HOSTS),
                List.of(new FleetMerge.Missing("fleet-gone", "unreachable: ssh: connect to host 127.0.0.1 port 1: "
                        + "Connection refused")), FleetMerge.Evidence.PROBLEMS, tmp.resolve("f.vmcase"), s -> { }).fleet();
    }

    private static String section(String md, String from, String to) {
        return md.substring(md.indexOf(from), md.indexOf(to));
    }

    @Test
    void theMarkdownNamesTheBlockedVmsWithTheirEvidenceTheUnknownOneAndTheSilentHost() throws IOException {
        StringWriter w = new StringWriter();
        new FleetReport(fleet(), "fleet.vmcase", Locale.ENGLISH).write(CaseReport.markdownSink(w, tmp.resolve("img")));
        String md = w.toString();
        String blocked = section(md, "## Blocked VMs", "## Not checked");
        String device = FleetSample.truth().get(0)[3]; // the lab's victim id
        assertTrue(blocked.contains("instance-0000a001") && blocked.contains("instance-0000b001"), blocked);
        assertFalse(blocked.contains("instance-0000a002") || blocked.contains("instance-0000c002"), blocked);
        assertTrue(blocked.contains("orphaned frontend") && blocked.contains("pending unplug"), blocked);
        assertTrue(blocked.contains("QEMU_MONITOR_SEND_MSG") && blocked.contains("device_del"), blocked);
        assertTrue(blocked.contains(device), blocked);
        String unknown = section(md, "## Not checked", "## Hosts without");
        assertTrue(unknown.contains("instance-0000c002") && unknown.contains("query-pci"), unknown);
        String silent = section(md, "## Hosts without", "## Ready with caveats");
        assertTrue(silent.contains("fleet-gone") && silent.contains("Connection refused"), silent);
        // every host's daemon log covered its domains (the lab logs the monitor), so no ready VM has a caveat: the
        // section says so and holds no table
        String caveats = section(md, "## Ready with caveats", "## Per host");
        assertTrue(caveats.contains("None."), caveats);
        assertFalse(caveats.contains("|"), caveats);
    }

    @Test
    void theHtmlEscapesTheEvidenceAndRunsNoScript() throws IOException {
        StringWriter w = new StringWriter();
        new FleetReport(fleet(), "fleet.vmcase", Locale.ENGLISH).write(CaseReport.htmlSink(w, Locale.ENGLISH));
        String html = w.toString();
        assertTrue(html.contains("Content-Security-Policy"));
        assertFalse(html.contains("<script"));
        // the XML the pending unplug cites is text, not markup
        assertTrue(html.contains("&lt;disk type=&#39;file&#39; device=&#39;disk&#39;&gt;")
                || html.contains("&lt;disk type='file' device='disk'&gt;"), html);
    }

    @Test
    void inChineseTheHeadingsAndReasonsAreChineseAndTheEvidenceUntouched() throws IOException {
        StringWriter w = new StringWriter();
        new FleetReport(fleet(), "fleet.vmcase", Locale.SIMPLIFIED_CHINESE).write(CaseReport.markdownSink(w, tmp));
        String md = w.toString();
        assertTrue(md.contains("受阻的虚拟机") && md.contains("挂起的拔出") && md.contains("孤立前端"), md);
        assertTrue(md.contains("QEMU_MONITOR_SEND_MSG"));
        assertEquals(-1, md.indexOf("Blocked VMs"));
    }
}
