package dev.vmcase.analysis.timeline;

import java.util.HashMap;
import java.util.Map;

/**
 * What to add to each host's clock (signed microseconds) so the hosts agree; hosts not listed are left as they are.
 * Immutable; {@link #with} returns a changed copy.
 */
public record ClockOffsets(Map<String, Long> micros) {
    public static final ClockOffsets NONE = new ClockOffsets(Map.of());

    public ClockOffsets {
        micros = Map.copyOf(micros);
    }

    public long of(String host) {
        Long v = micros.get(host);
        return v == null ? 0 : v;
    }

    public ClockOffsets with(String host, long offsetMicros) {
        Map<String, Long> m = new HashMap<>(micros);
        if (offsetMicros == 0) {
            m.remove(host);
        } else {
            m.put(host, offsetMicros);
        }
        return new ClockOffsets(m);
    }
}
