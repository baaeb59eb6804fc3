package dev.vmcase.app;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.timeline.TimelineModel;
import dev.vmcase.casefile.ReportImages;
import dev.vmcase.views.Selection;
import dev.vmcase.views.diff.DeviceDiffView;
import dev.vmcase.views.shell.Theme;
import dev.vmcase.views.timeline.TimelineView;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The report's pictures of the timeline and the device diff: snapshots of the views the user is looking at (File ›
 * Export report), or of the same views rendered off screen for {@code vmcase report}.
 */
final class ReportSnapshots implements ReportImages {
    private final byte[] timeline;
    private final byte[] diff;

    private ReportSnapshots(byte[] timeline, byte[] diff) {
        this.timeline = timeline;
        this.diff = diff;
    }

    /** Snapshots of live views, as shown (FX thread). */
    static ReportSnapshots of(Node timelineView, Node diffView) {
        return new ReportSnapshots(png(timelineView), png(diffView));
    }

    /** Renders the views off screen for a result (any thread but the FX thread; starts JavaFX headless if needed). */
    static ReportSnapshots render(AnalysisResult r, java.util.Map<String, Long> clockOffsets) throws Exception {
        if (!Platform.isFxApplicationThread()) {
            HeadlessFx.startIfNeeded();
        }
        TimelineModel tm = TimelineModel.of(r);
        CompletableFuture<ReportSnapshots> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                Theme.ensureApplied();
                Selection selection = new Selection();
                TimelineView timeline = new TimelineView(selection);
                DeviceDiffView diff = new DeviceDiffView(selection);
                new Scene(new StackPane(timeline), 1400, 420);
                new Scene(new StackPane(diff), 1400, 560);
                timeline.applyCss();
                timeline.layout();
                timeline.clockOffsetsProperty().set(new dev.vmcase.analysis.timeline.ClockOffsets(clockOffsets));
                timeline.setModel(tm);
                timeline.fitAll();
                diff.show(r);
                done.complete(of(timeline, diff));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done.get(60, TimeUnit.SECONDS);
    }

    private static byte[] png(Node node) {
        node.applyCss();
        if (node.getParent() != null) {
            node.getParent().layout();
        }
        WritableImage img = node.snapshot(null, null);
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader px = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, px.getArgb(x, y));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Optional<byte[]> timeline() {
        return Optional.ofNullable(timeline);
    }

    @Override
    public Optional<byte[]> deviceDiff() {
        return Optional.ofNullable(diff);
    }
}
