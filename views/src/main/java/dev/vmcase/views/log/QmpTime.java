package dev.vmcase.views.log;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time a QMP message carries as {@code "timestamp": {"seconds": 1764284241, "microseconds": 843227}}, in
 * microseconds since the epoch: the log viewer shows it as a time beside the line, which the raw numbers are not.
 */
final class QmpTime {
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\"\\s*:\\s*\\{([^{}]{0,120})}");
    private static final Pattern SECONDS = Pattern.compile("\"seconds\"\\s*:\\s*(\\d{1,12})");
    private static final Pattern MICROS = Pattern.compile("\"microseconds\"\\s*:\\s*(\\d{1,6})");

    private QmpTime() {
    }

    static OptionalLong of(String line) {
        if (line == null || line.indexOf("\"timestamp\"") < 0) {
            return OptionalLong.empty();
        }
        Matcher t = TIMESTAMP.matcher(line);
        if (!t.find()) {
            return OptionalLong.empty();
        }
        Matcher s = SECONDS.matcher(t.group(1));
        if (!s.find()) {
            return OptionalLong.empty();
        }
        Matcher u = MICROS.matcher(t.group(1));
        long micros = u.find() ? Long.parseLong(u.group(1)) : 0;
        return OptionalLong.of(Long.parseLong(s.group(1)) * 1_000_000L + micros);
    }
}
