package dev.vmcase.views.notes;

import dev.vmcase.casefile.Annotation;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Edits a note: Markdown text and tags (comma or space separated). */
public final class AnnotationEditor extends VBox {
    private final TextArea text = new TextArea();
    private final TextField tags = new TextField();

    public AnnotationEditor(String targetLabel, String markdown, List<String> tagList) {
        super(6);
        getStyleClass().add("annotation-editor");
        Label target = new Label(targetLabel);
        target.getStyleClass().add("note-target");
        text.setId("noteText");
        text.setPromptText(NotesTexts.get("editor.prompt"));
        text.setWrapText(true);
        text.setText(markdown == null ? "" : markdown);
        text.setPrefRowCount(10);
        tags.setId("noteTags");
        tags.setPromptText(NotesTexts.get("editor.tagsPrompt"));
        tags.setText(String.join(", ", tagList));
        VBox.setVgrow(text, Priority.ALWAYS);
        getChildren().addAll(target, new Label(NotesTexts.get("editor.text")), text,
                new Label(NotesTexts.get("editor.tags")), tags);
    }

    public String text() {
        return text.getText();
    }

    public List<String> tags() {
        return parseTags(tags.getText());
    }

    static List<String> parseTags(String s) {
        return Arrays.stream(s.split("[,\\s]+")).map(t -> t.startsWith("#") ? t.substring(1) : t)
                .filter(t -> !t.isEmpty()).distinct().toList();
    }

    /** A modal dialog editing {@code a}; the edited annotation, or empty when cancelled. */
    public static Optional<Annotation> edit(Window owner, String targetLabel, Annotation a) {
        AnnotationEditor editor = new AnnotationEditor(targetLabel, a.text(), a.tags());
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(NotesTexts.get("editor.title"));
        d.getDialogPane().setContent(editor);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResizable(true);
        return d.showAndWait().filter(b -> b == ButtonType.OK).map(b -> new Annotation(a.id(), a.target(),
                editor.text(), editor.tags(), a.author(), a.created(), a.modified()));
    }
}
