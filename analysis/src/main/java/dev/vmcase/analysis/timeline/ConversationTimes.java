package dev.vmcase.analysis.timeline;

import dev.vmcase.model.QmpMessage;

import java.time.Instant;
import java.util.List;

/**
 * Times for the messages of one QMP conversation. On the wire only events carry a timestamp; a command and its reply
 * get one from their neighbours: just before the next timed message (one microsecond per line between them, keeping
 * file order), else just after the last one.
 */
final class ConversationTimes {
    /** No time: nothing in the conversation is timed. */
    static final long NONE = Long.MIN_VALUE;

    private ConversationTimes() {
    }

    static long[] place(List<QmpMessage> conv) {
        long[] t = new long[conv.size()];
        long next = NONE;
        int nextLine = 0;
        for (int k = conv.size() - 1; k >= 0; k--) {
            QmpMessage m = conv.get(k);
            if (m.time() != null) {
                next = micros(m.time());
                nextLine = m.source().line();
                t[k] = next;
            } else {
                t[k] = next == NONE ? NONE : next - (nextLine - m.source().line());
            }
        }
        long prev = NONE;
        int prevLine = 0;
        for (int k = 0; k < conv.size(); k++) {
            QmpMessage m = conv.get(k);
            if (m.time() != null) {
                prev = t[k];
                prevLine = m.source().line();
            } else if (t[k] == NONE && prev != NONE) {
                t[k] = prev + (m.source().line() - prevLine);
            }
        }
        return t;
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
