package dev.vmcase.views.notes;

import dev.vmcase.casefile.Annotation;
import dev.vmcase.casefile.Bookmark;
import dev.vmcase.casefile.CaseNotes;
import dev.vmcase.casefile.CaseSession;
import dev.vmcase.casefile.Target;
import dev.vmcase.views.Selection;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextInputDialog;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The case's notes and bookmarks in one list, filtered by tag; clicking one selects its target in every view
 * (through the shared {@link Selection}); buttons annotate or bookmark what is selected, edit and delete.
 * Follows the {@link CaseSession}: a change from anywhere shows here.
 */
public final class NotesPanel extends BorderPane {
    /** One row: a note or a bookmark. */
    public record Entry(Annotation annotation, Bookmark bookmark) {
        public Target target() {
            return annotation != null ? annotation.target() : bookmark.target();
        }
    }

    private final Selection selection;
    private final CaseSession session;
    private Supplier<TargetResolver> resolver;
    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final ListView<Entry> list = new ListView<>(entries);
    private final ComboBox<String> tagFilter = new ComboBox<>();
    private final Label empty = new Label();
    private final Runnable onChange = () -> Platform.runLater(this::refresh);

    public NotesPanel(Selection selection, CaseSession session, Supplier<TargetResolver> resolver) {
        this.selection = selection;
        this.session = session;
        this.resolver = resolver;
        getStyleClass().add("notes-panel");
        getStylesheets().add(Objects.requireNonNull(NotesPanel.class.getResource("notes.css")).toExternalForm());

        String all = NotesTexts.get("filter.all");
        tagFilter.setId("tagFilter");
        tagFilter.getItems().add(all);
        tagFilter.getSelectionModel().select(all);
        tagFilter.valueProperty().addListener((o, a, b) -> refresh());

        Button annotate = NotesTexts.button("annotate", "notes.annotate", this::annotateSelection);
        Button bookmark = NotesTexts.button("bookmark", "notes.bookmark", this::bookmarkSelection);
        Button edit = NotesTexts.button("edit", "notes.edit", this::editSelected);
        Button delete = NotesTexts.button("delete", "notes.delete", this::deleteSelected);
        edit.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        delete.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label title = new Label(NotesTexts.get("notes.title"));
        title.getStyleClass().add("notes-title");
        HBox bar = new HBox(6, title, grow, new Label(NotesTexts.get("filter.tag")), tagFilter);
        HBox actions = new HBox(6, annotate, bookmark, edit, delete);
        bar.setPadding(new Insets(4));
        actions.setPadding(new Insets(4));
        setTop(new VBox(bar, actions));

        list.setId("notesList");
        list.setCellFactory(v -> new EntryCell());
        list.getSelectionModel().selectedItemProperty().addListener((o, a, e) -> {
            if (e != null) {
                this.resolver.get().select(e.target(), selection);
            }
        });
        empty.setWrapText(true);
        empty.getStyleClass().add("notes-empty");
        list.setPlaceholder(empty);
        setCenter(list);
        session.addListener(onChange);
        refresh();
    }

    /** Re-reads the session (FX thread). */
    public void refresh() {
        CaseNotes n = session.notes();
        TreeSet<String> tags = new TreeSet<>();
        n.annotations().forEach(a -> tags.addAll(a.tags()));
        String all = NotesTexts.get("filter.all");
        String current = tagFilter.getValue();
        List<String> items = new ArrayList<>();
        items.add(all);
        items.addAll(tags);
        if (!tagFilter.getItems().equals(items)) {
            tagFilter.getItems().setAll(items);
            tagFilter.setValue(items.contains(current) ? current : all);
        }
        String tag = all.equals(tagFilter.getValue()) ? null : tagFilter.getValue();
        Entry keep = list.getSelectionModel().getSelectedItem();
        List<Entry> out = new ArrayList<>();
        for (Annotation a : n.annotations()) {
            if (tag == null || a.tags().contains(tag)) {
                out.add(new Entry(a, null));
            }
        }
        if (tag == null) {
            n.bookmarks().forEach(b -> out.add(new Entry(null, b)));
        }
        entries.setAll(out);
        empty.setText(session.current() == null ? NotesTexts.get("notes.noCase") : NotesTexts.get("notes.none"));
        if (keep != null) {
            out.stream().filter(e -> sameId(e, keep)).findFirst().ifPresent(e -> list.getSelectionModel().select(e));
        }
    }

    private static boolean sameId(Entry a, Entry b) {
        return a.annotation() != null && b.annotation() != null ? a.annotation().id().equals(b.annotation().id())
                : a.bookmark() != null && b.bookmark() != null && a.bookmark().id().equals(b.bookmark().id());
    }

    public void setResolver(Supplier<TargetResolver> r) {
        this.resolver = r;
        refresh();
    }

    public ListView<Entry> list() {
        return list;
    }

    public ComboBox<String> tagFilter() {
        return tagFilter;
    }

    /** Opens the editor for a note on what is selected now. */
    public void annotateSelection() {
        TargetResolver.of(selection, false).ifPresent(t -> {
            Annotation draft = new Annotation("draft", t, "", List.of(), "", "", "");
            AnnotationEditor.edit(getScene().getWindow(), resolver.get().describe(t), draft)
                    .ifPresent(a -> session.annotate(t, a.text(), a.tags()));
        });
    }

    /** Bookmarks what is selected now. */
    public void bookmarkSelection() {
        TargetResolver.of(selection, false).ifPresent(t -> {
            TextInputDialog d = new TextInputDialog(resolver.get().describe(t));
            d.initOwner(getScene().getWindow());
            d.setHeaderText(NotesTexts.get("notes.bookmarkName"));
            d.showAndWait().ifPresent(label -> session.bookmark(t, label));
        });
    }

    private void editSelected() {
        Entry e = list.getSelectionModel().getSelectedItem();
        if (e != null && e.annotation() != null) {
            AnnotationEditor.edit(getScene().getWindow(), resolver.get().describe(e.target()), e.annotation())
                    .ifPresent(session::edit);
        } else if (e != null) {
            TextInputDialog d = new TextInputDialog(e.bookmark().label());
            d.initOwner(getScene().getWindow());
            d.setHeaderText(NotesTexts.get("notes.bookmarkName"));
            d.showAndWait().ifPresent(label -> session.update(n -> n.withBookmarks(n.bookmarks().stream()
                    .map(b -> b.id().equals(e.bookmark().id()) ? new Bookmark(b.id(), b.target(), label, b.created()) : b)
                    .toList())));
        }
    }

    private void deleteSelected() {
        Entry e = list.getSelectionModel().getSelectedItem();
        if (e == null) {
            return;
        }
        if (e.annotation() != null) {
            session.removeAnnotation(e.annotation().id());
        } else {
            session.removeBookmark(e.bookmark().id());
        }
    }

    /** Stops following the session (call when the panel is thrown away). */
    public void dispose() {
        session.removeListener(onChange);
    }

    private final class EntryCell extends ListCell<Entry> {
        @Override
        protected void updateItem(Entry e, boolean isEmpty) {
            super.updateItem(e, isEmpty);
            getStyleClass().removeAll("note-cell", "bookmark-cell");
            if (isEmpty || e == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            Label target = new Label(resolver.get().describe(e.target()));
            target.getStyleClass().add("note-target");
            VBox box = new VBox(2);
            if (e.annotation() != null) {
                getStyleClass().add("note-cell");
                Annotation a = e.annotation();
                String first = a.text().strip().lines().findFirst().orElse("");
                Label text = new Label(first);
                text.getStyleClass().add("note-text");
                String meta = a.author() + (a.tags().isEmpty() ? "" : "  #" + String.join(" #", a.tags()));
                Label m = new Label(meta);
                m.getStyleClass().add("note-meta");
                box.getChildren().addAll(target, text, m);
            } else {
                getStyleClass().add("bookmark-cell");
                Label text = new Label("\u2605 " + e.bookmark().label());
                text.getStyleClass().add("note-text");
                box.getChildren().addAll(target, text);
            }
            setText(null);
            setGraphic(box);
        }
    }
}
