package dev.vmcase.app;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Screenshots of the app's tests, written where the build says ({@code vmcase.screenshots}) to be looked at. */
public final class ViewShots {
    private ViewShots() {
    }

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
