package dev.vmcase.views.diff;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.devices.DeviceReconciler.Side;
import dev.vmcase.analysis.diff.DiffSpec;
import dev.vmcase.analysis.diff.PropertyDiff;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Layer;
import dev.vmcase.views.Selection;
import dev.vmcase.views.ViewTestSupport;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class DeviceDiffViewTest {
    private final Selection selection = new Selection();
    private DeviceDiffView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        ViewTestSupport.theme();
        this.stage = stage;
        view = new DeviceDiffView(selection);
        stage.setScene(new Scene(view, 1280, 760));
        stage.sizeToScene(); // an earlier test class may have sized the shared stage
        stage.show();
    }

    private void show(AnalysisResult r) {
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> view.show(r.devices()));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static List<String> keys(TreeTableView<DeviceDiffView.Node> t) {
        return t.getRoot().getChildren().stream().map(i -> i.getValue().row().key()).toList();
    }

    private static String selectedKey(TreeTableView<DeviceDiffView.Node> t) {
        TreeItem<DeviceDiffView.Node> i = t.getSelectionModel().getSelectedItem();
        return i == null ? null : i.getValue().row().key();
    }

    /** The row cell showing a device's line in a tree, as rendered. */
    private static TreeTableRow<?> rowOf(FxRobot robot, String treeId, String key) {
        Set<Node> rows = robot.lookup("#" + treeId + " .tree-table-row-cell").queryAll();
        for (Node n : rows) {
            TreeTableRow<?> r = (TreeTableRow<?>) n;
            if (r.getItem() instanceof DeviceDiffView.Node d && d.layer() == null && d.row().key().equals(key)) {
                return r;
            }
        }
        return null;
    }

    @Test
    void realQemuCaseMatchesByIdentityAndHighlightsTheOrphanWithItsReason(FxRobot robot) throws Exception {
        show(ViewTestSupport.analyseCase("orphaned-disk-qemu"));
        TreeTableView<DeviceDiffView.Node> left = view.leftTree();
        TreeTableView<DeviceDiffView.Node> right = view.rightTree();
        assertEquals(keys(left), keys(right), "the same device on the same line of both trees");
        assertTrue(keys(left).containsAll(List.of("virtio-disk0", "virtio-disk1", "net0")));

        TreeTableRow<?> orphan = rowOf(robot, "diff-left", "virtio-disk1");
        assertNotNull(orphan);
        assertTrue(orphan.getStyleClass().contains("orphan"), orphan.getStyleClass().toString());
        assertFalse(rowOf(robot, "diff-left", "virtio-disk0").getStyleClass().contains("orphan"));
        List<String> reasons = robot.lookup(".orphan-reason").queryAll().stream().map(n -> ((Label) n).getText()).toList();
        assertEquals(1, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).contains("virtio-disk1 (0000:00:06.0)") && reasons.get(0).contains("drive = \"\"")
                && reasons.get(0).contains("0000:00:06.0/virtio-blk"), reasons.get(0));

        // picking the orphan: both trees select it, the selection carries its key and its lines, properties show
        robot.clickOn(orphan);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("virtio-disk1", selection.deviceProperty().get());
        assertEquals("virtio-disk1", selectedKey(right));
        assertFalse(selection.highlighted().isEmpty());
        List<PropertyDiff> props = view.propertiesTable().getItems();
        assertTrue(props.stream().anyMatch(p -> p.name().equals("qdev drive") && "\"\"".equals(p.left())),
                props.toString());
        ViewTestSupport.snapshot(stage.getScene(), "diff-orphaned-disk.png");

        // a device chosen elsewhere is followed
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> selection.deviceProperty().set("virtio-disk0"));
        assertEquals("virtio-disk0", selectedKey(left));
        assertEquals("virtio-disk0", selectedKey(right));

        // only differences: the orphan alone
        robot.clickOn("#only-differences");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("virtio-disk1"), keys(left));
        assertEquals(List.of("virtio-disk1"), keys(right));
        robot.clickOn("#only-differences");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(keys(left).size() > 1);
    }

    @Test
    void aLayerLineSelectsItsEvidenceAndLayersCanBeCompared(FxRobot robot) throws Exception {
        show(ViewTestSupport.analyseCase("lab-orphaned-disk"));
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> {
            view.leftPicker().setValue(DiffSpec.of(Side.SOURCE, Layer.QDEV));
            view.rightPicker().setValue(DiffSpec.of(Side.SOURCE, Layer.COMMAND_LINE));
            view.select("virtio-disk1");
        });
        WaitForAsyncUtils.waitForFxEvents();
        PropertyDiff drive = view.propertiesTable().getItems().stream().filter(p -> p.name().equals("drive"))
                .findFirst().orElseThrow();
        assertEquals("\"\"", drive.left());
        assertEquals("drive-virtio-disk1", drive.right());
        assertTrue(drive.changed());
        // expand the device and click its qdev line: the selection moves to that evidence line
        TreeItem<DeviceDiffView.Node> item = view.leftTree().getSelectionModel().getSelectedItem();
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> item.setExpanded(true));
        WaitForAsyncUtils.waitForFxEvents();
        TreeTableRow<?> layerLine = robot.lookup("#diff-left .tree-table-row-cell").queryAll().stream()
                .map(n -> (TreeTableRow<?>) n)
                .filter(r -> r.getItem() instanceof DeviceDiffView.Node d && d.layer() == Layer.QDEV
                        && d.row().key().equals("virtio-disk1"))
                .findFirst().orElseThrow();
        robot.clickOn(layerLine);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(selection.lineProperty().get());
        DeviceDiffView.Node n = (DeviceDiffView.Node) layerLine.getItem();
        assertEquals(n.row().left().evidence(Layer.QDEV).get(0).line(), selection.lineProperty().get().line());
        ViewTestSupport.snapshot(stage.getScene(), "diff-qdev-vs-cmdline.png");
    }

    @Test
    void twoPointsOfTheTranscriptCanBeCompared(FxRobot robot) throws Exception {
        java.nio.file.Path c = ViewTestSupport.CASES.resolve("orphaned-disk-qemu/evidence");
        AnalysisResult r = ViewTestSupport.analyse(c.resolve("source-qmp.jsonl"), c.resolve("destination-qemu.log"));
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> view.show(r));
        List<DiffSpec> snaps = view.leftPicker().getItems().stream().filter(s -> s.snapshot() != null).toList();
        assertEquals(5, snaps.size(), snaps.toString());
        DiffSpec before = snaps.stream().filter(s -> s.snapshot().layers().contains(Layer.BLOCK)).findFirst().orElseThrow();
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> {
            view.leftPicker().setValue(before);
            view.rightPicker().setValue(snaps.get(snaps.size() - 1));
            view.onlyDifferences().setSelected(true);
            view.select("virtio-disk1");
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("virtio-disk1"), keys(view.leftTree()));
        assertTrue(view.propertiesTable().getItems().stream().anyMatch(p -> p.changed() && p.name().startsWith("block")));
        ViewTestSupport.snapshot(stage.getScene(), "diff-transcript-points.png");
    }

    @Test
    void seedShowsTheRejectedSlotSixDeviceAndExplainFocusesIt(FxRobot robot) throws Exception {
        AnalysisResult r = ViewTestSupport.analyse(ViewTestSupport.SEED);
        show(r);
        assertEquals(List.of("pci:0000:00:06.0"), keys(view.leftTree()));
        assertTrue(rowOf(robot, "diff-left", "pci:0000:00:06.0").getStyleClass().contains("orphan"));
        Finding mismatch = r.findings().stream().filter(f -> f.rule().equals("MIGRATION_STATE_MISMATCH"))
                .findFirst().orElseThrow();
        boolean[] found = new boolean[1];
        WaitForAsyncUtils.waitForAsyncFx(5000, () -> found[0] = view.explain(mismatch));
        assertTrue(found[0]);
        assertEquals("pci:0000:00:06.0", selection.deviceProperty().get());
        String reason = robot.lookup(".orphan-reason").queryAll().stream().map(x -> ((Label) x).getText())
                .collect(Collectors.joining());
        assertTrue(reason.contains("0000:06.0/virtio-blk"), reason);
        ViewTestSupport.snapshot(stage.getScene(), "diff-seed.png");
    }
}
