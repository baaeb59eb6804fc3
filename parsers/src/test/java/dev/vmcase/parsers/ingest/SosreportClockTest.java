package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Evidence;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.nova.NovaLogParser;
import dev.vmcase.parsers.time.HostClocks;
import dev.vmcase.parsers.time.LocalTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sosreport's /etc/localtime, a link or a TZif file, gives its host's zone to the host's local-time logs. */
class SosreportClockTest {
    private static final String ROOT = "sosreport-cmp-17-2024-03-05-abcdefg";

    @TempDir
    Path dir;

    private Evidence load(ArchiveIngestTest.Entry clock) throws IOException {
        byte[] tar = ArchiveIngestTest.tar(ArchiveIngestTest.Compression.XZ, List.of(
                ArchiveIngestTest.Entry.file(ROOT + "/var/log/nova/nova-compute.log", NovaLogParser.SAMPLE),
                clock));
        Path p = dir.resolve("cmp-17.tar.xz");
        Files.write(p, tar);
        return LocalTimes.resolve(Ingest.load(List.of(p), ProgressMonitor.NONE), HostClocks.NONE);
    }

    private static long firstNovaMicros(Evidence e) {
        String sha = e.artifacts().stream().filter(a -> NovaLogParser.FORMAT.equals(a.format())).findFirst()
                .orElseThrow().sha256();
        for (int i = 0; i < e.timeline().size(); i++) {
            if (e.timeline().artifact(i).equals(sha)) {
                return e.timeline().epochMicros(i);
            }
        }
        throw new AssertionError("nova is not on the timeline: " + e.timeline().locals().get(0).unplacedReason());
    }

    @Test
    void aLinkToTheZoneNamesIt() throws IOException {
        Evidence e = load(ArchiveIngestTest.Entry.symlink(ROOT + "/etc/localtime", "../usr/share/zoneinfo/Europe/Paris"));
        Timeline.Local l = e.timeline().locals().get(0);
        assertEquals("cmp-17", l.host());
        assertEquals("Europe/Paris", l.zone());
        assertEquals("etc/localtime", l.zoneSource());
        assertEquals(java.time.Instant.parse("2018-11-13T12:59:12.653Z").toEpochMilli() * 1000, firstNovaMicros(e));
    }

    @Test
    void aCopiedZoneFileGivesItsRules() throws IOException {
        byte[] tzif;
        try (InputStream in = SosreportClockTest.class.getResourceAsStream("/dev/vmcase/parsers/time/Europe-Paris.tzif")) {
            assertNotNull(in);
            tzif = in.readAllBytes();
        }
        Evidence e = load(ArchiveIngestTest.Entry.file(ROOT + "/etc/localtime", tzif));
        assertTrue(e.artifacts().stream().anyMatch(a -> "tz-file".equals(a.format())), "the TZif file is read");
        Timeline.Local l = e.timeline().locals().get(0);
        assertEquals("TZ CET-1CEST,M3.5.0,M10.5.0/3", l.zone());
        assertEquals(java.time.Instant.parse("2018-11-13T12:59:12.653Z").toEpochMilli() * 1000, firstNovaMicros(e));
    }
}
