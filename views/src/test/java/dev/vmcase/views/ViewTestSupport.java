package dev.vmcase.views;

import atlantafx.base.theme.PrimerLight;
import dev.vmcase.analysis.Analysis;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.parsers.ingest.Ingest;
import dev.vmcase.parsers.ProgressMonitor;
import javafx.application.Application;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Real evidence from the repository's sample cases, the AtlantaFX theme, and screenshots for the views' tests. */
public final class ViewTestSupport {
    public static final Path CASES = Path.of("../sample-cases");
    public static final Path SEED = CASES.resolve("seed-incident/evidence/000_01db9a105711600e.txt");

    private ViewTestSupport() {
    }

    public static AnalysisResult analyse(Path... inputs) {
        return Analysis.run(Ingest.load(Arrays.asList(inputs), ProgressMonitor.NONE));
    }

    public static AnalysisResult analyseCase(String name) {
        return analyse(CASES.resolve(name).resolve("evidence"));
    }

    /** The light AtlantaFX theme the app uses, so the views' looked-up colours resolve. */
    public static void theme() {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
    }

    /** Writes the scene to target/screenshots/NAME (the surefire property vmcase.screenshots). */
    public static void snapshot(Scene scene, String name) throws Exception {
        String dir = System.getProperty("vmcase.screenshots");
        if (dir == null) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        WritableImage[] img = new WritableImage[1];
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> img[0] = scene.snapshot(null));
        ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png", new File(dir, name));
    }
}
