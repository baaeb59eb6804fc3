package dev.vmcase.parsers.nova;

import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.ingest.Attribution;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.clock.HostClockParser;
import dev.vmcase.parsers.time.HostClocks;
import dev.vmcase.parsers.time.LocalTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nova's local times reach the timeline once the host's zone (and year) are known, and only then. */
class NovaLocalTimeTest {
    @TempDir
    Path dir;

    private Evidence load(HostClocks clocks, String host, String... files) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files.length; i += 2) {
            Path p = dir.resolve(files[i]);
            Files.writeString(p, files[i + 1]);
            paths.add(p);
        }
        Evidence e = Ingest.load(paths, ProgressMonitor.NONE);
        if (host != null) {
            e = new Attribution().host(dir + "=" + host).apply(e);
        }
        return LocalTimes.resolve(e, clocks);
    }

    private static List<Instant> timesOf(Evidence e, String format) {
        String sha = e.artifacts().stream().filter(a -> a.format().equals(format)).findFirst().orElseThrow().sha256();
        List<Instant> out = new ArrayList<>();
        Timeline t = e.timeline();
        for (int i = 0; i < t.size(); i++) {
            if (t.artifact(i).equals(sha)) {
                long us = t.epochMicros(i);
                out.add(Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000));
            }
        }
        return out;
    }

    @Test
    void withoutAZoneNovaLinesAreListedNotPlaced() throws IOException {
        Evidence e = load(HostClocks.NONE, "cmp-17", "nova-compute.log", NovaLogParser.SAMPLE);
        assertEquals(List.of(), timesOf(e, NovaLogParser.FORMAT));
        Timeline.Local l = e.timeline().locals().get(0);
        assertEquals(3, l.size());
        assertFalse(l.placed());
        assertEquals(Timeline.Local.NO_ZONE, l.unplacedReason());
        assertEquals("cmp-17", l.host());
        assertTrue(e.events().stream().allMatch(ev -> ev.time() == null));
    }

    @Test
    void theHostsTimedatectlPlacesTheNovaLane() throws IOException {
        Evidence e = load(HostClocks.NONE, "cmp-17", "nova-compute.log", NovaLogParser.SAMPLE,
                "timedatectl", HostClockParser.SAMPLE);
        // 2018-11-13 13:59:12.653 in Europe/Paris (CET, +01:00 in November)
        assertEquals(List.of(Instant.parse("2018-11-13T12:59:12.653Z"), Instant.parse("2018-11-13T12:59:13.021Z"),
                Instant.parse("2018-11-13T12:59:14.152Z")), timesOf(e, NovaLogParser.FORMAT));
        Timeline.Local l = e.timeline().locals().get(0);
        assertTrue(l.placed());
        assertEquals("Europe/Paris", l.zone());
        assertEquals("timedatectl", l.zoneSource());
        Event failure = e.events().stream().filter(ev -> "live-migration-failure".equals(ev.details().get("kind")))
                .findFirst().orElseThrow();
        assertEquals(Instant.parse("2018-11-13T12:59:12.653Z"), failure.time());
        assertEquals("2018-11-13 13:59:12.653", failure.details().get("local-time"), "the local text stays");
        assertEquals(e, LocalTimes.resolve(e, HostClocks.NONE), "resolving twice changes nothing");
    }

    @Test
    void anotherHostsZoneIsNotThisHostsZone() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("nova-compute.log"), NovaLogParser.SAMPLE);
        Files.writeString(b.resolve("timedatectl"), HostClockParser.SAMPLE);
        Evidence e = Ingest.load(List.of(a, b), ProgressMonitor.NONE);
        e = new Attribution().host(a + "=cmp-17").host(b + "=cmp-18").apply(e);
        e = LocalTimes.resolve(e, HostClocks.NONE);
        assertEquals(Timeline.Local.NO_ZONE, e.timeline().locals().get(0).unplacedReason());
    }

    @Test
    void theUsersZoneWinsOverTheBundles() throws IOException {
        Evidence e = load(HostClocks.parse(List.of("cmp-17=America/New_York")), "cmp-17",
                "nova-compute.log", NovaLogParser.SAMPLE, "timedatectl", HostClockParser.SAMPLE);
        assertEquals(Instant.parse("2018-11-13T18:59:12.653Z"), timesOf(e, NovaLogParser.FORMAT).get(0));
        assertEquals("user", e.timeline().locals().get(0).zoneSource());
    }

    @Test
    void journaldLinesNeedAYearTooAndTakeItFromTheUserOrTheHostsOtherEvidence() throws IOException {
        // the host is in the journal's lines (ubuntu-focal-node)
        Evidence noYear = load(HostClocks.parse(List.of("ubuntu-focal-node=UTC")), null,
                "journal.txt", NovaLogParserTest.JOURNAL_DETACH);
        assertEquals(Timeline.Local.NO_YEAR, noYear.timeline().locals().get(0).unplacedReason());
        assertEquals(List.of(), timesOf(noYear, NovaLogParser.FORMAT));

        Evidence given = load(HostClocks.parse(List.of("ubuntu-focal-node=UTC@2020")), null,
                "journal.txt", NovaLogParserTest.JOURNAL_DETACH);
        List<Instant> t = timesOf(given, NovaLogParser.FORMAT);
        assertEquals(Instant.parse("2020-09-07T19:32:01.112233Z"), t.get(0));
        assertEquals(2020, given.timeline().locals().get(0).year());

        // the host's date(1) output, a few days later, in CEST: zone offset and year from it
        Evidence dated = load(HostClocks.NONE, "ubuntu-focal-node", "journal.txt", NovaLogParserTest.JOURNAL_DETACH,
                "date", "Thu Sep 10 09:00:00 CEST 2020\n");
        assertEquals(Instant.parse("2020-09-07T17:32:01.112233Z"), timesOf(dated, NovaLogParser.FORMAT).get(0));
        Timeline.Local l = dated.timeline().locals().get(0);
        assertEquals("date", l.zoneSource());
        assertEquals(2020, l.year());
        assertTrue(dated.events().stream().filter(ev -> ev.kind() == EventKind.NOVA_MESSAGE)
                .allMatch(ev -> ev.time() != null));
    }

    @Test
    void aJournalRunningIntoTheNewYearGoesOnIntoIt() throws IOException {
        String journal = """
                Dec 31 23:59:58.000001 cmp-9 nova-compute[10]: ERROR nova.compute.manager [-] Live migration failed.
                Jan 01 00:00:03.000001 cmp-9 nova-compute[10]: ERROR nova.compute.manager [-] Live migration failed.
                """;
        Evidence e = load(HostClocks.parse(List.of("cmp-9=UTC")), "cmp-9", "journal.txt", journal,
                "date", "Fri Jan  1 10:00:00 UTC 2021\n");
        assertEquals(List.of(Instant.parse("2020-12-31T23:59:58.000001Z"), Instant.parse("2021-01-01T00:00:03.000001Z")),
                timesOf(e, NovaLogParser.FORMAT));
        assertNull(e.timeline().locals().get(0).unplacedReason());
    }
}
