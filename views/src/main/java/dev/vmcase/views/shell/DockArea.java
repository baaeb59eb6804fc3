package dev.vmcase.views.shell;

import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.SplitPane;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A split pane of docks (or of other areas) in a fixed order: an item that is hidden leaves the split pane and its
 * neighbours take its room; shown again, it returns to its place with the divider positions the area had with it.
 */
public final class DockArea extends SplitPane {
    private final List<Node> order = new ArrayList<>();
    private final double[] weights;

    /**
     * @param weights relative sizes of the items when all are shown (same count as items)
     */
    public DockArea(Orientation orientation, double[] weights, Node... items) {
        setOrientation(orientation);
        if (weights.length != items.length) {
            throw new IllegalArgumentException("one weight per item");
        }
        this.weights = weights.clone();
        order.addAll(Arrays.asList(items));
        for (Node n : items) {
            if (n instanceof Dock d) {
                d.shownProperty().addListener((o, was, now) -> relayout());
            } else if (n instanceof DockArea a) {
                a.getItems().addListener((javafx.collections.ListChangeListener<Node>) c -> relayout());
            }
        }
        relayout();
    }

    /** Whether any item of this area is shown (an area with nothing shown leaves its parent). */
    public boolean hasShown() {
        return order.stream().anyMatch(DockArea::isShown);
    }

    private static boolean isShown(Node n) {
        if (n instanceof Dock d) {
            return d.shownProperty().get();
        }
        if (n instanceof DockArea a) {
            return a.hasShown();
        }
        return true;
    }

    private void relayout() {
        List<Node> shown = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            if (isShown(order.get(i))) {
                shown.add(order.get(i));
                w.add(weights[i]);
            }
        }
        if (shown.equals(getItems())) {
            return;
        }
        getItems().setAll(shown);
        double total = w.stream().mapToDouble(Double::doubleValue).sum();
        double acc = 0;
        double[] positions = new double[Math.max(0, shown.size() - 1)];
        for (int i = 0; i < positions.length; i++) {
            acc += w.get(i);
            positions[i] = acc / total;
        }
        setDividerPositions(positions);
    }
}
