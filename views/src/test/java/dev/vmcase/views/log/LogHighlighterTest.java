package dev.vmcase.views.log;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The highlighter on the lines real logs hold: several KB of JSON on one line, a string cut by the viewer. */
class LogHighlighterTest {
    /** Runs {@code r} on a thread with a small stack, as a GUI thread may have; returns what it threw. */
    private static Throwable onSmallStack(Runnable r) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                r.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        return thrown.get();
    }

    @Test
    void aLongJsonStringDoesNotExhaustTheStack() throws Exception {
        // a QMP answer's string cut mid-way by the viewer's 5000-character limit: the token runs to the line's end
        String line = "{\"return\": [{\"desc\": \"" + "x\\\"y ".repeat(1200) + " …";
        LogHighlighter h = new LogHighlighter();
        Throwable t = onSmallStack(() -> h.spans(line, null));
        assertNull(t, () -> "the highlighter threw " + t);
        String whole = "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \""
                + "drive_del drive-virtio-disk1 ".repeat(200) + "\"}, \"id\": \"vmcase-5\"}";
        assertNull(onSmallStack(() -> h.spans(whole, null)));
        assertTrue(h.spans(whole, null).length() == whole.length(), "spans cover the whole line");
    }
}
