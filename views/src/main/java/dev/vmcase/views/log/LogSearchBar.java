package dev.vmcase.views.log;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

import java.util.ResourceBundle;

/** The log's search bar (Ctrl+F): the text or regex, previous and next, how many lines match, close (Escape). */
final class LogSearchBar extends HBox {
    private final TextField field = new TextField();

    LogSearchBar(LogViewModel vm, ResourceBundle texts, Runnable close) {
        super(6);
        setId("logSearchBar");
        getStyleClass().add("log-search");
        setAlignment(Pos.CENTER_LEFT);
        field.setId("logSearch");
        field.setPromptText(texts.getString("log.search.prompt"));
        field.setPrefColumnCount(24);
        field.setMinWidth(120);
        field.setTooltip(new Tooltip(texts.getString("log.search.prompt")));
        HBox.setHgrow(field, Priority.SOMETIMES);
        field.textProperty().bindBidirectional(vm.searchTextProperty());
        field.setOnAction(e -> vm.search(true));
        CheckBox regexBox = new CheckBox(texts.getString("log.search.regex"));
        regexBox.setId("logRegex");
        regexBox.selectedProperty().bindBidirectional(vm.regexProperty());
        Label count = new Label();
        count.setId("logSearchCount");
        count.textProperty().bind(vm.searchCountProperty());
        count.setMinWidth(Region.USE_PREF_SIZE);
        Button prev = new Button(texts.getString("log.search.previous"));
        prev.setId("logSearchPrevious");
        prev.setOnAction(e -> vm.search(false));
        Button next = new Button(texts.getString("log.search.next"));
        next.setId("logSearchNext");
        next.setOnAction(e -> vm.search(true));
        Button closeButton = new Button(texts.getString("log.search.close"));
        closeButton.setId("logSearchClose");
        closeButton.setOnAction(e -> close.run());
        Label title = new Label(texts.getString("log.search"));
        for (Region r : new Region[] {title, regexBox, prev, next, closeButton}) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        getChildren().setAll(title, field, regexBox, prev, next, count, closeButton);
        setVisible(false);
        setManaged(false);
    }

    void open() {
        setVisible(true);
        setManaged(true);
        field.requestFocus();
        field.selectAll();
    }

    void close() {
        setVisible(false);
        setManaged(false);
    }

    boolean fieldFocused() {
        return field.isFocused();
    }
}
