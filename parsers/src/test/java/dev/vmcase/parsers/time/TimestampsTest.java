package dev.vmcase.parsers.time;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimestampsTest {
    private static long us(String isoInstant) {
        Instant i = Instant.parse(isoInstant);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    private static long localUs(String isoLocal) {
        LocalDateTime l = LocalDateTime.parse(isoLocal);
        return l.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + l.getNano() / 1000;
    }

    @Test
    void readsQemuAndRsyslogInstants() {
        Timestamps.Stamp s = Timestamps.read("2018-04-05T21:48:43.153292Z qemu-system-x86_64: terminating on signal 15");
        assertEquals(Timestamps.Kind.INSTANT, s.kind());
        assertEquals(us("2018-04-05T21:48:43.153292Z"), s.micros());
        assertEquals(27, s.end());
        // rsyslog's RFC 3339 stamp (systemd/systemd#27503)
        s = Timestamps.read("2023-05-03T09:59:01.673824+02:00 merlin systemd-coredump[22042]: Process 27027");
        assertEquals(us("2023-05-03T07:59:01.673824Z"), s.micros());
        assertEquals(7200, s.offsetSeconds());
        // QEMU prints no fraction when it is 0 (a QEMU 8.2 log on qemu-devel, 2024)
        assertEquals(us("2024-04-26T13:28:53Z"), Timestamps.read("2024-04-26T13:28:53Z qemu-system-x86_64: x").micros());
    }

    @Test
    void readsLibvirtsUtcAndJournalIsoOffsets() {
        assertEquals(us("2020-05-28T13:10:48.389Z"),
                Timestamps.read("2020-05-28 13:10:48.389+0000: 1234: error : qemuMonitorIO:719").micros());
        Timestamps.Stamp iso = Timestamps.read("2020-09-07T19:32:06+0200 cmp-17 nova-compute[4567]: x");
        assertEquals(us("2020-09-07T17:32:06Z"), iso.micros());
        Timestamps.Stamp west = Timestamps.read("2020-09-07T19:32:06.850434-0500 h x");
        assertEquals(us("2020-09-08T00:32:06.850434Z"), west.micros());
    }

    @Test
    void osloTimesAreLocal() {
        Timestamps.Stamp s = Timestamps.read("2024-03-05 10:11:12.123 4567 INFO nova.compute.manager [-] x");
        assertEquals(Timestamps.Kind.LOCAL, s.kind());
        assertEquals(localUs("2024-03-05T10:11:12.123"), s.micros());
        assertNull(s.offsetSeconds());
        assertEquals(Timestamps.Kind.LOCAL, Timestamps.read("2024-03-05 10:11:12 ERROR x").kind());
    }

    @Test
    void journalShortFormsHaveNoYear() {
        Timestamps.Stamp p = Timestamps.read("Sep 07 19:32:06.850434 cmp-17 nova-compute[4567]: x");
        assertEquals(Timestamps.Kind.LOCAL_NO_YEAR, p.kind());
        assertEquals(localUs("2000-09-07T19:32:06.850434"), p.micros());
        Timestamps.Stamp syslog = Timestamps.read("Sep  7 19:32:06 cmp-17 libvirtd[1199]: x");
        assertEquals(localUs("2000-09-07T19:32:06"), syslog.micros());
        assertEquals(localUs("2021-09-07T19:32:06"),
                Timestamps.localMicros(syslog.micros(), Timestamps.Kind.LOCAL_NO_YEAR, 2021));
        Timestamps.Stamp leap = Timestamps.read("Feb 29 10:00:00 h x");
        assertThrows(java.time.DateTimeException.class,
                () -> Timestamps.localMicros(leap.micros(), Timestamps.Kind.LOCAL_NO_YEAR, 2023));
    }

    @Test
    void fullFormsWithAbbreviationsAreInstantsUnlessAmbiguous() {
        // coredumpctl's Timestamp: (abrt/abrt#1656) and journalctl -o short-full
        Timestamps.Stamp cet = Timestamps.read("Sat 2024-02-17 21:53:16 CET (2min 21s ago)");
        assertEquals(us("2024-02-17T20:53:16Z"), cet.micros());
        assertEquals("CET", cet.zoneText());
        // date(1) in the C locale
        Timestamps.Stamp date = Timestamps.read("Fri Dec  4 18:15:21 CET 2026");
        assertEquals(us("2026-12-04T17:15:21Z"), date.micros());
        // CST is China's and the US's: kept local
        Timestamps.Stamp cst = Timestamps.read("Tue 2023-12-26 10:24:01 CST");
        assertEquals(Timestamps.Kind.LOCAL, cst.kind());
        assertEquals("CST", cst.zoneText());
        assertEquals(localUs("2023-12-26T10:24:01"), cst.micros());
    }

    @Test
    void rejectsWhatIsNotATimestamp() {
        for (String s : new String[] {"2020-13-01 10:00:00 x", "2020-02-30T10:00:00Z", "Sept 7 10:00:00",
            "12:00:00 only a time", "Mon is a day", "", "2020-05-28", "Sep 07 25:00:00 h"}) {
            assertNull(Timestamps.read(s), s);
        }
    }

    @Test
    void readsAHundredThousandSpacesInOnePass() {
        String hostile = "2020-05-28 13:10:48" + " ".repeat(100_000) + "X";
        assertEquals(Timestamps.Kind.LOCAL, Timestamps.read(hostile).kind());
        assertNull(Timestamps.read(" ".repeat(100_000)));
    }
    /**
     * The month abbreviations file is the JDK's CLDR data (see its header): every spelling the JDK gives one month in
     * every locale is in the file with that month, and no spelling of the file names another month in the JDK. Were
     * CLDR to change, this says which lines to regenerate.
     */
    @Test
    void theLocalMonthsAreTheJdksCldrAbbreviations() {
        java.util.Map<String, java.util.Set<Integer>> jdk = new java.util.HashMap<>();
        for (java.util.Locale l : java.text.DateFormatSymbols.getAvailableLocales()) {
            for (java.time.format.TextStyle s : java.util.List.of(java.time.format.TextStyle.SHORT,
                    java.time.format.TextStyle.SHORT_STANDALONE)) {
                for (java.time.Month m : java.time.Month.values()) {
                    String n = m.getDisplayName(s, l).toLowerCase(java.util.Locale.ROOT);
                    jdk.computeIfAbsent(n, k -> new java.util.TreeSet<>()).add(m.getValue());
                    if (n.endsWith(".")) {
                        jdk.computeIfAbsent(n.substring(0, n.length() - 1), k -> new java.util.TreeSet<>())
                                .add(m.getValue());
                    }
                }
            }
        }
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (String n : java.util.List.of("maj", "mär", "févr", "sept", "12月", "jan")) {
            java.util.Set<Integer> months = jdk.get(n);
            if (months == null || months.size() != 1 || Timestamps.localMonth(n) != months.iterator().next()) {
                wrong.add(n + " jdk " + months + " file " + Timestamps.localMonth(n));
            }
        }
        jdk.forEach((n, months) -> {
            int file = Timestamps.localMonth(n);
            if (file > 0 && (months.size() != 1 || !months.contains(file))) {
                wrong.add(n + " jdk " + months + " file " + file);
            }
        });
        assertEquals(java.util.List.of(), wrong);
        assertEquals(-1, Timestamps.localMonth("lis"), "November in Polish, October in Croatian");
    }
}
