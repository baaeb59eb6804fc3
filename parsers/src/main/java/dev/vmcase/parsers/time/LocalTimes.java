package dev.vmcase.parsers.time;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Timeline;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts lines written in a host's local time on the timeline once the host's zone (and, for lines that print none, the
 * year) is known — from the user ({@link HostClocks}) or from the bundle: {@code HOST_CLOCK} events of the same host
 * (timedatectl's zone name, {@code /etc/localtime}, date(1)'s abbreviation, a line that gives its own offset), best
 * first in that order. A year comes from the user, else from the host's other dated evidence: the year that puts the
 * first such line nearest the host's latest known instant, then one more each time the file's dates go backwards
 * (journald rolling over New Year).
 *
 * <pre>
 *   Timeline.Local (nova 10:11:12.123, host cmp-17) ──zone of cmp-17──► Timeline.Segment (UTC) + Local.placed()
 *                                                   └─no zone/year──► Local.unplacedReason(): listed, not drawn
 * </pre>
 * Pure and idempotent: lines placed once are left alone; events at placed lines whose time was unknown get it.
 */
public final class LocalTimes {
    private static final Map<String, Integer> SOURCE_RANK = Map.of("timedatectl", 0, "etc/localtime", 1, "date", 2,
            "offset", 3);

    /** How {@code ArchiveReader} lists a symbolic link it does not follow. */
    static final String LINK_PREFIX = "symbolic link to ";

    private LocalTimes() {
    }

    /** The evidence with every local-time line placed that can be, the others marked with why not. */
    public static Evidence resolve(Evidence e, HostClocks user) {
        Timeline t = e.timeline();
        if (t.locals().isEmpty() || t.locals().stream().allMatch(Timeline.Local::placed)) {
            return e;
        }
        HostClocks settings = user == null ? HostClocks.NONE : user;
        Map<String, Artifact> bySha = new HashMap<>();
        for (Artifact a : e.artifacts()) {
            bySha.putIfAbsent(a.sha256(), a);
        }
        Map<String, HostZone> bundleZones = bundleZones(e, bySha);
        Map<String, Long> anchors = anchors(e, bySha);

        List<Timeline.Segment> segments = new ArrayList<>(t.segments());
        List<Timeline.Local> locals = new ArrayList<>();
        Map<String, Map<Integer, Long>> placedTimes = new HashMap<>();
        for (Timeline.Local l : t.locals()) {
            if (l.placed()) {
                locals.add(l);
                continue;
            }
            String host = hostKey(bySha.get(l.artifact()));
            HostZone zone = settings.zone(host.isEmpty() ? null : host);
            if (zone == null) {
                zone = bundleZones.get(host);
            }
            if (zone == null) {
                locals.add(l.withStatus(host, null, null, 0, Timeline.Local.NO_ZONE));
                continue;
            }
            Integer year = null;
            if (l.anyWithoutYear()) {
                Integer given = settings.year(host.isEmpty() ? null : host);
                Long anchor = anchors.get(host);
                year = given != null ? given : anchor == null ? null : nearestYear(firstWithoutYear(l), anchor);
                if (year == null) {
                    locals.add(l.withStatus(host, zone.name(), zone.source(), 0, Timeline.Local.NO_YEAR));
                    continue;
                }
            }
            Timeline.Segment seg = new Timeline.Segment();
            Map<Integer, Long> times = placedTimes.computeIfAbsent(l.artifact(), k -> new HashMap<>());
            int y = year == null ? 0 : year;
            long prev = Long.MIN_VALUE;
            for (int i = 0; i < l.size(); i++) {
                long local = l.localMicros(i);
                if (l.noYear(i)) {
                    if (prev != Long.MIN_VALUE && local < prev - 86_400_000_000L) {
                        y++; // December, then January: the file went on into a new year
                    }
                    prev = local;
                    try {
                        local = Timestamps.localMicros(local, Timestamps.Kind.LOCAL_NO_YEAR, y);
                    } catch (DateTimeException ex) {
                        continue; // February 29 of a year that has none: not a date of that year
                    }
                }
                long utc = zone.toMicros(local);
                seg.add(l.line(i), utc, l.level(i));
                times.putIfAbsent(l.line(i), utc);
            }
            segments.add(seg.of(l.artifact()));
            locals.add(l.withStatus(host, zone.name(), zone.source(), year == null ? 0 : year, null));
        }
        List<Event> events = e.events();
        if (!placedTimes.isEmpty()) {
            events = new ArrayList<>(e.events().size());
            for (Event ev : e.events()) {
                Long us = null;
                if (ev.time() == null) {
                    Map<Integer, Long> m = placedTimes.get(ev.source().artifact());
                    us = m == null ? null : m.get(ev.source().line());
                }
                events.add(us == null ? ev : ev.withTime(micros(us)));
            }
        }
        return new Evidence(e.artifacts(), events, e.qmp(), e.observations(), e.backtraces(),
                Timeline.of(segments, locals), e.coverage());
    }

    /** "" when the artifact's host is unknown. */
    static String hostKey(Artifact a) {
        return a == null || a.host() == null || a.host().isBlank() ? "" : a.host();
    }

    /** The best zone each host's evidence states. */
    static Map<String, HostZone> bundleZones(Evidence e, Map<String, Artifact> bySha) {
        Map<String, HostZone> best = new HashMap<>();
        Map<String, Integer> rank = new HashMap<>();
        for (Artifact a : e.artifacts()) {
            // a link has no content to read: an archive lists /etc/localtime → …/zoneinfo/ZONE with the link's target
            // (ArchiveReader's problem text), and the layout's path is what says it is the host's clock, as sos's own
            // hostname file says the host
            if (a.path() == null || !(a.path().endsWith("/etc/localtime") || a.path().equals("etc/localtime"))) {
                continue;
            }
            for (var p : a.problems()) {
                String m = p.message();
                if (m != null && m.startsWith(LINK_PREFIX)) {
                    String target = m.substring(LINK_PREFIX.length()).replaceFirst(", not followed$", "");
                    var zone = TzifFile.zoneOfLink(target);
                    if (zone.isPresent() && rank.getOrDefault(hostKey(a), Integer.MAX_VALUE) > 1) {
                        best.put(hostKey(a), HostZone.of(zone.get(), "etc/localtime"));
                        rank.put(hostKey(a), 1);
                    }
                }
            }
        }
        for (Event ev : e.events()) {
            if (ev.kind() != EventKind.HOST_CLOCK) {
                continue;
            }
            HostZone z = zoneOf(ev);
            if (z == null) {
                continue;
            }
            String host = hostKey(bySha.get(ev.source().artifact()));
            int r = SOURCE_RANK.getOrDefault(z.source(), 9);
            if (r < rank.getOrDefault(host, Integer.MAX_VALUE)) {
                best.put(host, z);
                rank.put(host, r);
            }
        }
        return best;
    }

    /** The zone a HOST_CLOCK event states, or null. */
    public static HostZone zoneOf(Event ev) {
        Map<String, String> d = ev.details();
        String source = d.getOrDefault("source", "offset");
        try {
            if (d.containsKey("zone")) {
                return HostZone.of(ZoneId.of(d.get("zone")), source);
            }
            if (d.containsKey("tz")) {
                var rules = PosixTz.parse(d.get("tz"));
                if (rules != null) {
                    return new HostZone("TZ " + d.get("tz"), rules, source, true);
                }
            }
            if (d.containsKey("utc-offset")) {
                return HostZone.offset(Integer.parseInt(d.get("utc-offset")), source, false);
            }
        } catch (RuntimeException ex) {
            // a zone name the JDK does not know or an offset that is no number: no zone from this event, as when it
            // has none (the host's local times are then left unplaced, which LocalTimes says)
            return null;
        }
        return null;
    }

    /** Per host, the latest instant its evidence shows (dated lines, a clock statement), in microseconds. */
    static Map<String, Long> anchors(Evidence e, Map<String, Artifact> bySha) {
        Map<String, Long> latest = new HashMap<>();
        for (Timeline.Segment s : e.timeline().segments()) {
            if (s.size() == 0) {
                continue;
            }
            String host = hostKey(bySha.get(s.artifact()));
            latest.merge(host, s.maxMicros(), Math::max);
        }
        for (Event ev : e.events()) {
            if (ev.kind() == EventKind.HOST_CLOCK && ev.time() != null) {
                long us = ev.time().getEpochSecond() * 1_000_000L + ev.time().getNano() / 1000;
                latest.merge(hostKey(bySha.get(ev.source().artifact())), us, Math::max);
            }
        }
        for (Timeline.Local l : e.timeline().locals()) {
            for (int i = 0; i < l.size(); i++) {
                if (!l.noYear(i)) { // a local date with its year: good enough to tell the year
                    latest.merge(hostKey(bySha.get(l.artifact())), l.localMicros(i), Math::max);
                }
            }
        }
        return latest;
    }

    private static long firstWithoutYear(Timeline.Local l) {
        for (int i = 0; i < l.size(); i++) {
            if (l.noYear(i)) {
                return l.localMicros(i);
            }
        }
        return 0;
    }

    /** The year that puts a year-less local time nearest the anchor. */
    static int nearestYear(long noYearMicros, long anchorMicros) {
        int y = LocalDate.ofEpochDay(Math.floorDiv(anchorMicros, 86_400_000_000L)).getYear();
        int best = y;
        long bestDist = Long.MAX_VALUE;
        for (int c = y - 1; c <= y + 1; c++) {
            try {
                long d = Math.abs(Timestamps.localMicros(noYearMicros, Timestamps.Kind.LOCAL_NO_YEAR, c) - anchorMicros);
                if (d < bestDist) {
                    bestDist = d;
                    best = c;
                }
            } catch (DateTimeException ex) {
                // Feb 29 in a year without one
            }
        }
        return best;
    }

    private static Instant micros(long us) {
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
    }
}
