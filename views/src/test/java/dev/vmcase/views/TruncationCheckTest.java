package dev.vmcase.views;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check the layout tests rely on finds a cut label, and accepts one whose whole text is a hover away. */
@ExtendWith(ApplicationExtension.class)
class TruncationCheckTest {
    private static final String LONG = "virtio-disk1 (0000:00:06.0) is still in QEMU's device tree, but its backend is gone";
    private VBox root;

    @Start
    void start(Stage stage) {
        Label cut = new Label(LONG);
        Label withTip = new Label(LONG);
        Label wrapped = new Label(LONG);
        Label shortOne = new Label("PCI");
        withTip.setTooltip(new Tooltip(LONG));
        wrapped.setWrapText(true);
        wrapped.setMinHeight(Label.USE_PREF_SIZE);
        root = new VBox(cut, withTip, wrapped, shortOne);
        root.setMaxWidth(120);
        stage.setScene(new Scene(root, 120, 300));
        stage.sizeToScene(); // an earlier test class in this JVM may have sized the shared stage
        stage.show();
    }

    @Test
    void aCutLabelWithoutTooltipIsFoundAndTheOthersAreNot(FxRobot robot) {
        @SuppressWarnings("unchecked")
        List<TruncationCheck.Cut>[] found = new List[1];
        robot.interact(() -> found[0] = TruncationCheck.cuts(root));
        assertEquals(1, found[0].size(), found[0].toString());
        assertEquals(LONG, found[0].get(0).text());
        assertTrue(found[0].get(0).shown().endsWith("…") || found[0].get(0).shown().endsWith("..."),
                found[0].get(0).shown());
        // the same label, given room, is no longer cut
        robot.interact(() -> {
            root.setMaxWidth(800);
            root.getScene().getWindow().setWidth(800);
        });
        robot.interact(() -> found[0] = TruncationCheck.cuts(root));
        assertEquals(List.of(), found[0]);
    }
}
