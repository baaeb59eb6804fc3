package dev.vmcase.views;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Control;
import javafx.scene.control.Labeled;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds text the user cannot read whole: every {@link Labeled} on screen under a root whose skin shows less than its
 * text (JavaFX cuts it to "…") while nothing offers the rest — no tooltip on it, its cell or its control holding the
 * whole text. What is off screen (a cell scrolled away, a tab behind another) is not looked at: the check is about
 * what the user sees.
 */
public final class TruncationCheck {
    /** A text cut with no way to read it: where, what it says, and what is shown. */
    public record Cut(String where, String text, String shown) {
        @Override
        public String toString() {
            return where + ": \"" + text + "\" shown as \"" + shown + "\"";
        }
    }

    private TruncationCheck() {
    }

    /** Every cut text under {@code root} that is visible in its scene's window. */
    public static List<Cut> cuts(Node root) {
        List<Cut> out = new ArrayList<>();
        root.applyCss();
        if (root instanceof Parent p) {
            p.layout();
        }
        visit(root, out);
        return out;
    }

    private static void visit(Node n, List<Cut> out) {
        if (!n.isVisible() || n.getOpacity() == 0) {
            return;
        }
        if (n instanceof Labeled l && onScreen(l)) {
            String text = l.getText();
            String shown = shown(l);
            if (text != null && !text.isBlank() && shown != null && !same(text, shown) && !readable(l, text)) {
                out.add(new Cut(describe(l), text, shown));
            }
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                visit(c, out);
            }
        }
    }

    /** The text the skin draws (its LabeledText child), or null when the skin draws none. */
    static String shown(Labeled l) {
        if (l.getSkin() == null) {
            return null;
        }
        for (Node c : l.getChildrenUnmodifiable()) {
            if (c instanceof Text t && c.getStyleClass().contains("text")) {
                return t.getText();
            }
        }
        return null;
    }

    private static boolean same(String text, String shown) {
        // a Labeled draws its text as it is, mnemonics' underscores aside
        return shown.equals(text) || shown.equals(text.replace("_", "")) || shown.equals(text.strip());
    }

    /** Whether the whole text is offered some other way: a tooltip on it or on a cell or control around it. */
    private static boolean readable(Labeled l, String text) {
        Node n = l;
        for (int depth = 0; n != null && depth < 6; depth++, n = n.getParent()) {
            if (n instanceof Control c) {
                Tooltip t = c.getTooltip();
                if (t != null && t.getText() != null && t.getText().contains(text.strip())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether any of the node lies inside its window (a node scrolled out of a viewport still has bounds). */
    private static boolean onScreen(Node n) {
        Scene s = n.getScene();
        if (s == null) {
            return false;
        }
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        Bounds b = n.localToScene(n.getLayoutBounds());
        return b.getWidth() > 0 && b.getHeight() > 0 && b.getMaxX() > 0 && b.getMaxY() > 0
                && b.getMinX() < s.getWidth() && b.getMinY() < s.getHeight() && clipped(n);
    }

    /** False when a clipping ancestor (a virtual flow's viewport) hides the node completely. */
    private static boolean clipped(Node n) {
        Bounds b = n.localToScene(n.getLayoutBounds());
        for (Parent p = n.getParent(); p != null; p = p.getParent()) {
            if (p.getClip() != null) {
                Bounds c = p.localToScene(p.getClip().getBoundsInParent());
                if (!c.intersects(b)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String describe(Node n) {
        StringBuilder sb = new StringBuilder();
        for (Node p = n; p != null; p = p.getParent()) {
            String id = p.getId() != null ? "#" + p.getId() : p.getStyleClass().isEmpty() ? p.getClass().getSimpleName()
                    : "." + p.getStyleClass().get(0);
            sb.insert(0, sb.length() == 0 ? id : id + " > ");
            if (p.getId() != null && sb.length() > 0 && p != n) {
                break; // the nearest ancestor with an id says enough
            }
        }
        return sb.toString();
    }
}
