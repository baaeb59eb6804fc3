package dev.vmcase.app.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real daemon log of fleet-b (sample-cases/fleet-audit): libvirtd 9.0 ran two domains there, b001 (whose disk
 * virsh detach-disk left pending) and b002 (a disk of the same alias and slot); each domain's excerpt must hold its
 * own monitor traffic and libvirt's records about it, never the other's, verbatim and in order.
 */
class DaemonLogExcerptsTest {
    @TempDir
    Path tmp;

    private Path log() throws IOException {
        return FleetSample.host("fleet-b", tmp.resolve("b")).resolve("host/libvirtd.log");
    }

    private Map<String, Path> files(String... domains) {
        Map<String, Path> m = new LinkedHashMap<>();
        for (String d : domains) {
            m.put(d, tmp.resolve("out").resolve(d + ".log"));
        }
        return m;
    }

    @Test
    void eachDomainGetsItsOwnMonitorTrafficAndNoOther() throws IOException {
        Path log = log();
        Map<String, Path> files = files("instance-0000b001", "instance-0000b002");
        DaemonLogExcerpts.Result r = DaemonLogExcerpts.split(log, files);
        List<String> b001 = Files.readAllLines(files.get("instance-0000b001"), StandardCharsets.ISO_8859_1);
        List<String> b002 = Files.readAllLines(files.get("instance-0000b002"), StandardCharsets.ISO_8859_1);
        List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);

        // the unplug libvirt sent: in b001's excerpt only
        String deviceDel = all.stream().filter(l -> l.contains("QEMU_MONITOR_SEND_MSG") && l.contains("\"device_del\""))
                .findFirst().orElseThrow();
        assertTrue(b001.contains(deviceDel), deviceDel);
        assertFalse(b002.contains(deviceDel), deviceDel);
        assertTrue(b002.stream().noneMatch(l -> l.contains("device_del")));
        // every record naming a domain is in that domain's excerpt and not in the other's
        for (String l : all) {
            if (l.contains("name=instance-0000b001")) {
                assertTrue(b001.contains(l), l);
                assertFalse(b002.contains(l), l);
            }
            if (l.contains("name=instance-0000b002")) {
                assertTrue(b002.contains(l), l);
                assertFalse(b001.contains(l), l);
            }
        }
        // each monitor pointer is one domain's: no pointer shows up in both excerpts
        assertTrue(monitors(b001).stream().noneMatch(monitors(b002)::contains), monitors(b001) + " " + monitors(b002));
        assertEquals(1, monitors(b001).size());
        assertEquals(1, monitors(b002).size());

        // verbatim, in the log's order, the banner first
        assertSubsequence(all, b001);
        assertSubsequence(all, b002);
        assertEquals(all.get(0), b001.get(0));
        assertTrue(all.get(0).contains("libvirt version: "), all.get(0));

        assertTrue(r.monitorTraffic());
        assertEquals(all.get(0).substring(0, 28), r.first());
        assertTrue(r.excerpts().get("instance-0000b001").monitorRecords() > 0);
        assertTrue(r.excerpts().get("instance-0000b002").monitorRecords() > 0);
        assertEquals(b001.size(), r.excerpts().get("instance-0000b001").lines());
        assertTrue(r.unattributed() > 0, "the daemon's own records (start-up, capabilities) are in no excerpt");
    }

    @Test
    void aDomainTheLogNeverNamesGetsTheBannerOnly() throws IOException {
        Map<String, Path> files = files("instance-0000ffff");
        DaemonLogExcerpts.Result r = DaemonLogExcerpts.split(log(), files);
        assertEquals(0, r.excerpts().get("instance-0000ffff").monitorRecords());
        List<String> lines = Files.readAllLines(files.get("instance-0000ffff"), StandardCharsets.ISO_8859_1);
        assertTrue(lines.size() <= 3 && !lines.isEmpty(), lines.toString());
    }

    @Test
    void aLogWithoutMonitorMessagesSaysSo() throws IOException {
        // the same log as a host with libvirt's default filters would keep it: no QEMU_MONITOR_* records
        Path log = log();
        List<String> kept = new ArrayList<>();
        boolean monitor = false;
        for (String l : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            if (Character.isDigit(l.isEmpty() ? ' ' : l.charAt(0))) {
                monitor = l.contains("QEMU_MONITOR_");
            }
            if (!monitor) {
                kept.add(l);
            }
        }
        Path quiet = tmp.resolve("quiet.log");
        Files.write(quiet, kept, StandardCharsets.ISO_8859_1);
        DaemonLogExcerpts.Result r = DaemonLogExcerpts.split(quiet, files("instance-0000b001"));
        assertFalse(r.monitorTraffic());
        assertEquals(0, r.excerpts().get("instance-0000b001").monitorRecords());
    }

    private static java.util.Set<String> monitors(List<String> lines) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        java.util.regex.Matcher m;
        for (String l : lines) {
            m = java.util.regex.Pattern.compile("QEMU_MONITOR_\\w+: mon=(0x[0-9a-f]+)").matcher(l);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static void assertSubsequence(List<String> all, List<String> part) {
        int i = 0;
        for (String l : part) {
            while (i < all.size() && !all.get(i).equals(l)) {
                i++;
            }
            assertTrue(i < all.size(), "not in the log, or out of order: " + l);
            i++;
        }
    }
}
