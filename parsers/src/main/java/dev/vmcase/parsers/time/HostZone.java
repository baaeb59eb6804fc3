package dev.vmcase.parsers.time;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * A host's time zone: the rules that turn its local wall-clock times into instants, with where they come from.
 *
 * @param name   what to show ({@code Europe/Paris}, {@code +02:00}, {@code TZ footer CET-1CEST,M3.5.0,M10.5.0/3})
 * @param rules  the zone's rules (a fixed offset's rules never change)
 * @param source who said so: {@code user}, {@code timedatectl}, {@code etc/localtime}, {@code date}, {@code offset}
 *               (a line of the host that gives its own UTC offset: right at that date, a guess across a DST change)
 * @param exact  false for a fixed offset inferred from one moment (the host may change offset for DST)
 */
public record HostZone(String name, ZoneRules rules, String source, boolean exact) {

    public static HostZone of(ZoneId id, String source) {
        return new HostZone(id.getId(), id.getRules(), source, true);
    }

    public static HostZone offset(int seconds, String source, boolean exact) {
        ZoneOffset o = ZoneOffset.ofTotalSeconds(seconds);
        return new HostZone(o.getId().equals("Z") ? "UTC" : o.getId(), o.getRules(), source, exact);
    }

    /**
     * A zone the user typed: a tz database name ({@code Europe/Paris}), {@code UTC}, an offset ({@code +02:00},
     * {@code UTC+2}) or an unambiguous abbreviation ({@code CEST}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static HostZone parse(String text, String source) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("no time zone given");
        }
        Integer abbr = Timestamps.abbreviationOffset(t);
        if (abbr != null && !t.contains("/")) {
            return offset(abbr, source, true);
        }
        if (Timestamps.ambiguous(t)) {
            throw new IllegalArgumentException("'" + t + "' names several time zones; give a name such as Asia/Shanghai");
        }
        try {
            ZoneId id = ZoneId.of(t);
            if (id instanceof ZoneOffset o) {
                return offset(o.getTotalSeconds(), source, true);
            }
            return new HostZone(id.getId(), id.getRules(), source, true);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + t + "' (a name such as Europe/Paris, or an "
                    + "offset such as +02:00)");
        }
    }

    /**
     * The instant of a local time here. A time the clock skipped (spring forward) is read with the offset before the
     * change, as {@code ZonedDateTime.ofLocal} does; a time that happened twice (fall back) is taken as the first.
     */
    public Instant toInstant(LocalDateTime local) {
        List<ZoneOffset> valid = rules.getValidOffsets(local);
        ZoneOffset off;
        if (valid.size() >= 1) {
            off = valid.get(0);
        } else {
            ZoneOffsetTransition t = rules.getTransition(local);
            off = t == null ? rules.getOffset(local) : t.getOffsetBefore();
        }
        return local.toInstant(off);
    }

    /** Whether a local time is ambiguous here (it happened twice when the clocks went back). */
    public boolean ambiguous(LocalDateTime local) {
        return rules.getValidOffsets(local).size() > 1;
    }

    /** Microseconds since the epoch of a local time given as microseconds counted as if UTC. */
    public long toMicros(long localMicros) {
        long sec = Math.floorDiv(localMicros, 1_000_000L);
        int us = (int) Math.floorMod(localMicros, 1_000_000L);
        LocalDateTime ldt = LocalDateTime.ofEpochSecond(sec, us * 1000, ZoneOffset.UTC);
        Instant i = toInstant(ldt);
        return i.getEpochSecond() * 1_000_000L + us;
    }
}
