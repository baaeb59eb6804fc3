package dev.vmcase.views.shell;

import dev.vmcase.views.Texts;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Window;

import java.util.List;

/** Help › Shortcuts: every key the workbench answers to, with what it does. */
public final class ShortcutSheet {
    private ShortcutSheet() {
    }

    public static TableView<Shortcut> table(List<Shortcut> shortcuts) {
        TableView<Shortcut> t = new TableView<>();
        t.setId("shortcuts");
        t.getItems().setAll(shortcuts);
        TableColumn<Shortcut, String> keys = new TableColumn<>(Texts.get("shortcuts.keys"));
        keys.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().display()));
        keys.setPrefWidth(170);
        TableColumn<Shortcut, String> what = new TableColumn<>(Texts.get("shortcuts.what"));
        what.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().what()));
        what.setPrefWidth(360);
        t.getColumns().add(keys);
        t.getColumns().add(what);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setPrefSize(560, 420);
        return t;
    }

    public static void show(Window owner, List<Shortcut> shortcuts) {
        Dialog<Void> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(Texts.get("shortcuts.title"));
        d.getDialogPane().setContent(table(shortcuts));
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.show();
    }
}
