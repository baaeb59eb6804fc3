package dev.vmcase.app;

import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Role;
import dev.vmcase.model.Timeline;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The timeline of a big file while the analysis reads it: the ingest tells the timeline entries indexed so far
 * ({@link dev.vmcase.parsers.ProgressMonitor#indexed}, on the parser's thread), and a model of them
 * ({@link TimelineModel#reading}) is built here on a thread of its own, then handed to {@code show} (which puts it
 * on the FX thread). Building a model costs time in proportion to its entries, on the core the parser does not use,
 * so a model is built only when the entries doubled since the last (all of them cost about as much as one model of
 * the whole file), and while one is being built only the newest entries told wait for the next.
 */
final class ReadingTimeline {
    private static final ExecutorService BUILDER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmcase-reading-timeline");
        t.setDaemon(true);
        return t;
    });

    private final Consumer<TimelineModel> show;
    private final BooleanSupplier over;
    private final AtomicReference<Told> waiting = new AtomicReference<>();
    /** Entries in the last model built, and of which file (the builder's thread only). */
    private int built;
    private String builtPath;

    private record Told(String path, String format, Timeline.Segment entries) {
    }

    /**
     * @param show handed each model built (on the builder's thread)
     * @param over whether the load is over (done, failed, cancelled): nothing more is built then
     */
    ReadingTimeline(Consumer<TimelineModel> show, BooleanSupplier over) {
        this.show = show;
        this.over = over;
    }

    /** The parser's thread: the entries of {@code path} indexed so far. Quick: the work is queued. */
    void indexed(String path, String format, Timeline.Segment soFar) {
        if (waiting.getAndSet(new Told(path, format, soFar)) == null) {
            BUILDER.execute(this::build);
        }
    }

    private void build() {
        Told t = waiting.getAndSet(null);
        if (t == null || over.getAsBoolean()) {
            return;
        }
        if (!t.path().equals(builtPath)) {
            builtPath = t.path(); // the next file of the evidence: its own rows, from its first entries
            built = 0;
        }
        if (t.entries().size() < 2L * built) {
            return;
        }
        built = t.entries().size();
        Artifact a = new Artifact(t.entries().artifact(), t.path(), 0, t.format(), null, Role.UNKNOWN, List.of());
        TimelineModel m = TimelineModel.reading(a, t.entries());
        if (!over.getAsBoolean()) {
            show.accept(m);
        }
    }
}
