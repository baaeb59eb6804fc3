package dev.vmcase.parsers.time;

import dev.vmcase.model.EventKind;
import dev.vmcase.parsers.clock.HostClockParser;
import dev.vmcase.parsers.clock.TzifParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.ingest.ParserRegistry;
import dev.vmcase.parsers.TextSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZonesTest {
    static byte[] bytes(String name) throws IOException {
        try (InputStream in = ZonesTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    @Test
    void aTzifFooterGivesTheZonesRulesAcrossDaylightSaving() throws IOException {
        byte[] paris = bytes("Europe-Paris.tzif");
        assertEquals("CET-1CEST,M3.5.0,M10.5.0/3", TzifFile.footer(paris).orElseThrow());
        HostZone z = TzifFile.zone(paris, "etc/localtime").orElseThrow();
        ZoneRules real = ZoneId.of("Europe/Paris").getRules();
        for (String t : List.of("2018-11-13T13:59:12", "2020-09-07T19:32:06", "2024-03-31T01:59:59",
                "2024-03-31T03:00:00", "2024-10-27T02:30:00", "2026-07-01T12:00:00")) {
            LocalDateTime l = LocalDateTime.parse(t);
            assertEquals(l.atZone(ZoneId.of("Europe/Paris")).toInstant(), z.toInstant(l), t);
        }
        assertEquals(real.getOffset(Instant.parse("2024-07-01T00:00:00Z")),
                z.rules().getOffset(Instant.parse("2024-07-01T00:00:00Z")));
        HostZone india = TzifFile.zone(bytes("Asia-Kolkata.tzif"), "etc/localtime").orElseThrow();
        assertEquals(Instant.parse("2024-01-01T04:30:00Z"), india.toInstant(LocalDateTime.parse("2024-01-01T10:00:00")));
    }

    @Test
    void posixStringsOfOtherShapes() {
        ZoneRules us = PosixTz.parse("EST5EDT,M3.2.0,M11.1.0");
        assertNotNull(us);
        assertEquals(ZoneId.of("America/New_York").getRules().getOffset(Instant.parse("2023-11-05T05:30:00Z")),
                us.getOffset(Instant.parse("2023-11-05T05:30:00Z")));
        assertEquals(java.time.ZoneOffset.ofHours(8), PosixTz.parse("<+08>-8").getOffset(Instant.EPOCH));
        assertEquals(java.time.ZoneOffset.UTC, PosixTz.parse("UTC0").getOffset(Instant.EPOCH));
        assertNull(PosixTz.parse("EST5EDT,J60,J300"));
        assertNull(PosixTz.parse("garbage"));
    }

    @Test
    void aZoneLinkNamesTheZone() {
        assertEquals(ZoneId.of("Europe/Paris"), TzifFile.zoneOfLink("../usr/share/zoneinfo/Europe/Paris").orElseThrow());
        assertEquals(ZoneId.of("Asia/Shanghai"), TzifFile.zoneOfLink("/usr/share/zoneinfo/posix/Asia/Shanghai").orElseThrow());
        assertTrue(TzifFile.zoneOfLink("/etc/alternatives/x").isEmpty());
    }

    @Test
    void theTzifFileIsReadAsTheHostsClock() throws IOException {
        byte[] paris = bytes("Europe-Paris.tzif");
        TextSource src = new TextSource("etc/localtime", "x", () -> new java.io.ByteArrayInputStream(paris));
        Head head = Head.of(new String(paris, StandardCharsets.ISO_8859_1));
        assertEquals(TzifParser.FORMAT, ParserRegistry.detect(head).orElseThrow().format());
        EvidenceSink sink = EvidenceSink.forSource(src);
        new TzifParser().parse(src, sink);
        assertEquals(List.of(), sink.problems());
        assertEquals(EventKind.HOST_CLOCK, sink.events().get(0).kind());
        assertEquals("CET-1CEST,M3.5.0,M10.5.0/3", sink.events().get(0).details().get("tz"));
    }

    @Test
    void timedatectlGivesTheZoneByNameAndTheInstant() throws IOException {
        String text = new String(bytes("timedatectl-shanghai.txt"), StandardCharsets.UTF_8);
        assertEquals(HostClockParser.FORMAT, ParserRegistry.detect(Head.of(text)).orElseThrow().format());
        TextSource src = TextSource.ofText("timedatectl", text);
        EvidenceSink sink = EvidenceSink.forSource(src);
        new HostClockParser().parse(src, sink);
        assertEquals(List.of(), sink.problems());
        var ev = sink.events().get(0);
        assertEquals("Asia/Shanghai", ev.details().get("zone"));
        assertEquals("28800", ev.details().get("utc-offset"));
        assertEquals(Instant.parse("2023-12-26T02:24:01Z"), ev.time());
        assertEquals("Asia/Shanghai", LocalTimes.zoneOf(ev).name());
        assertEquals(1, sink.indexed(), "the Universal time line is on the timeline");
    }

    @Test
    void dateOutputGivesTheOffsetOfItsAbbreviation() {
        TextSource src = TextSource.ofText("date", "Fri Dec  4 18:15:21 CET 2026\n");
        assertEquals(HostClockParser.FORMAT, ParserRegistry.detect(Head.of("Fri Dec  4 18:15:21 CET 2026\n"))
                .orElseThrow().format());
        EvidenceSink sink = EvidenceSink.forSource(src);
        new HostClockParser().parse(src, sink);
        var ev = sink.events().get(0);
        assertEquals("3600", ev.details().get("utc-offset"));
        assertEquals("date", ev.details().get("source"));
        assertEquals(Instant.parse("2026-12-04T17:15:21Z"), ev.time());
        HostZone z = LocalTimes.zoneOf(ev);
        assertEquals("+01:00", z.name());
        assertEquals(false, z.exact());
    }

    @Test
    void userZonesAndYears() {
        HostClocks c = HostClocks.parse(List.of("cmp-17=Europe/Paris", "cmp-18=+05:30@2020", "*=UTC"));
        assertEquals("Europe/Paris", c.zone("cmp-17").name());
        assertEquals("+05:30", c.zone("cmp-18").name());
        assertEquals(2020, c.year("cmp-18"));
        assertEquals("UTC", c.zone("other").name());
        assertNull(c.year("cmp-17"));
        assertEquals(Map.of("cmp-17", "Europe/Paris", "cmp-18", "+05:30@2020", "*", "UTC"), c.specs());
        assertThrows(IllegalArgumentException.class, () -> HostClocks.parse(List.of("cmp-17=Mars/Olympus")));
        assertThrows(IllegalArgumentException.class, () -> HostClocks.parse(List.of("cmp-17=CST")));
        assertThrows(IllegalArgumentException.class, () -> HostClocks.parse(List.of("cmp-17")));
        assertThrows(IllegalArgumentException.class, () -> HostClocks.parse(List.of("cmp-17=UTC@20")));
    }
}
