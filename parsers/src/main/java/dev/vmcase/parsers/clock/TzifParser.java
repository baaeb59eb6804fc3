package dev.vmcase.parsers.clock;

import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.FormatParser;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.time.LocalTimes;
import dev.vmcase.parsers.time.TzifFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled time-zone file (TZif, RFC 8536): a host's {@code /etc/localtime} as a sosreport or a tarball of
 * {@code /etc} copies it. Recognised by its magic {@code TZif}, the one binary file vmcase reads; its footer's TZ
 * string becomes a {@link EventKind#HOST_CLOCK} event ({@code tz}, source {@code etc/localtime}) that
 * {@link LocalTimes} uses for the host's local-time lines. A version-1 file has no footer: a problem says so.
 */
public final class TzifParser extends FormatParser {
    public static final String FORMAT = "tz-file";

    /** Debian tzdata's {@code /usr/share/zoneinfo/Etc/UTC} (2025b), byte for byte: all of it is ASCII. */
    public static final String SAMPLE = "TZif2\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000\u0000UTC\u0000TZif2\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0001\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000\u0000UTC\u0000\nUTC0\n";

    private static final int MAX = 1 << 20;

    public TzifParser() {
        super(FORMAT, SAMPLE);
    }

    @Override
    public boolean recognizes(Head head) {
        return !head.lines().isEmpty() && head.lines().get(0).startsWith("TZif");
    }

    @Override
    public void parse(TextSource source, EvidenceSink sink) {
        byte[] bytes;
        try (InputStream in = source.open()) {
            bytes = in.readNBytes(MAX + 1);
        } catch (IOException | UncheckedIOException e) {
            sink.problemOf(0, "tzif.cannotRead", e.getMessage());
            return;
        }
        if (bytes.length > MAX) {
            sink.problemOf(0, "tzif.tooLarge");
            return;
        }
        Optional<String> footer = TzifFile.footer(bytes);
        if (footer.isEmpty()) {
            sink.problemOf(0, "tzif.noFooter");
            return;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("tz", footer.get());
        d.put("source", "etc/localtime");
        if (TzifFile.zone(bytes, "etc/localtime").isEmpty()) {
            sink.problemOf(0, "tzif.unreadRule", footer.get());
        }
        sink.event(new Event(sink.ref(1, "TZif … " + footer.get()), null, EventKind.HOST_CLOCK,
                "time zone file: " + footer.get(), d));
    }
}
