package dev.vmcase.views.workbench;

import dev.vmcase.views.Texts;
import dev.vmcase.views.shell.HelpDialogs;
import dev.vmcase.views.shell.RecentItems;
import dev.vmcase.views.shell.Shortcut;
import dev.vmcase.views.shell.ShortcutSheet;
import dev.vmcase.views.shell.Theme;
import javafx.event.ActionEvent;
import javafx.event.EventHandler;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.prefs.Preferences;

/**
 * The workbench's menus: File (open, recent, quit; the application adds case files, reports and capture), View (the
 * four views by Ctrl+1…4, the theme), Help (rules, legend, shortcuts, about). The shortcut sheet lists the menus'
 * accelerators and the keys the views handle themselves, so it shows what really is bound.
 */
final class WorkbenchMenus {
    private final WorkbenchView view;
    private final RecentItems recent;
    private final MenuBar menuBar = new MenuBar();
    private final Menu fileMenu = new Menu(Texts.get("menu.file"));
    private final Menu recentMenu = new Menu(Texts.get("menu.recent"));
    private final Menu viewMenu = new Menu(Texts.get("menu.view"));
    private final List<Shortcut> viewShortcuts = new ArrayList<>();

    WorkbenchMenus(WorkbenchView view, WorkbenchViewModel model, RecentItems recent) {
        this.view = view;
        this.recent = recent;
        MenuItem openFiles = item("menu.openFiles", "Shortcut+O", e -> chooseFiles());
        MenuItem openFolder = item("menu.openFolder", "Shortcut+Shift+O", e -> chooseFolder());
        fileMenu.setOnShowing(e -> fillRecent());
        fillRecent();
        MenuItem quit = item("menu.quit", "Shortcut+Q", e -> javafx.application.Platform.exit());
        quit.setId("menu-quit");
        fileMenu.getItems().addAll(openFiles, openFolder, recentMenu, new SeparatorMenuItem(), quit);
        fileMenu.setId("menu-file");

        int n = 1;
        for (String key : List.of(WorkbenchView.DEVICES, WorkbenchView.CALLCHAIN, WorkbenchView.TIMELINE,
                WorkbenchView.NOTES)) {
            MenuItem show = item("tab." + key, "Shortcut+" + n++, e -> view.showPane(key));
            show.setId("menu-view-" + key);
            viewMenu.getItems().add(show);
        }
        viewMenu.getItems().add(new SeparatorMenuItem());
        viewMenu.getItems().add(themeMenu());
        viewMenu.setId("menu-view");

        Menu help = new Menu(Texts.get("menu.help"));
        help.setId("menu-help");
        MenuItem rules = item("menu.rules", null, e -> HelpDialogs.show(window(), "menu.rules", HelpDialogs.rules()));
        rules.setId("menu-rules");
        MenuItem legend = item("menu.legend", null, e -> HelpDialogs.show(window(), "menu.legend",
                HelpDialogs.legend()));
        legend.setId("menu-legend");
        MenuItem sheet = item("menu.shortcuts", "F1", e -> ShortcutSheet.show(window(), shortcuts()));
        sheet.setId("menu-shortcuts");
        MenuItem about = item("menu.about", null, e -> HelpDialogs.show(window(), "menu.about", HelpDialogs.about()));
        about.setId("menu-about");
        help.getItems().addAll(rules, legend, sheet, new SeparatorMenuItem(), about);
        menuBar.getMenus().addAll(fileMenu, viewMenu, help);

        addShortcuts(List.of(new Shortcut("Enter", Texts.get("key.finding.explain")),
                new Shortcut("Escape", Texts.get("key.escape")),
                new Shortcut("Plus", Texts.get("key.timeline.zoomIn")),
                new Shortcut("Minus", Texts.get("key.timeline.zoomOut")),
                new Shortcut("0", Texts.get("key.timeline.fit")),
                new Shortcut("Z", Texts.get("key.timeline.zoomSelection")),
                new Shortcut("Left", Texts.get("key.timeline.pan")),
                new Shortcut("Page_Down", Texts.get("key.timeline.lanes")),
                new Shortcut("Shortcut+F", Texts.get("key.log.find")),
                new Shortcut("F3", Texts.get("key.log.next")),
                new Shortcut("Shift+F3", Texts.get("key.log.previous")),
                new Shortcut("Alt+Right", Texts.get("key.tour.next"))));
    }

    private Menu themeMenu() {
        ToggleGroup themes = new ToggleGroup();
        Menu theme = new Menu(Texts.get("menu.theme"));
        for (Theme t : Theme.values()) {
            RadioMenuItem r = new RadioMenuItem(Texts.get("theme." + t.name().toLowerCase(Locale.ROOT)));
            r.setId("menu-theme-" + t.name().toLowerCase(Locale.ROOT));
            r.setToggleGroup(themes);
            r.setSelected(Theme.current() == t);
            r.setOnAction(e -> {
                t.apply();
                t.save(prefs());
            });
            theme.getItems().add(r);
        }
        MenuItem toggleTheme = item("menu.toggleTheme", "Shortcut+Shift+T", e -> {
            Theme next = Theme.current() == Theme.LIGHT ? Theme.DARK : Theme.LIGHT;
            themes.getToggles().get(next.ordinal()).setSelected(true);
            next.apply();
            next.save(prefs());
        });
        theme.getItems().addAll(new SeparatorMenuItem(), toggleTheme);
        return theme;
    }

    private static Preferences prefs() {
        return Preferences.userRoot().node("dev/vmcase/workbench");
    }

    private Window window() {
        return view.getScene() == null ? null : view.getScene().getWindow();
    }

    MenuBar menuBar() {
        return menuBar;
    }

    Menu fileMenu() {
        return fileMenu;
    }

    void addShortcuts(List<Shortcut> shortcuts) {
        viewShortcuts.addAll(shortcuts);
    }

    /** Every shortcut: the menus' accelerators, then the views' own keys. */
    List<Shortcut> shortcuts() {
        List<Shortcut> all = new ArrayList<>();
        for (Menu m : menuBar.getMenus()) {
            collect(m, all);
        }
        all.addAll(viewShortcuts);
        return all;
    }

    private static void collect(Menu menu, List<Shortcut> out) {
        for (MenuItem i : menu.getItems()) {
            if (i instanceof Menu sub) {
                collect(sub, out);
            } else if (i.getAccelerator() != null) {
                out.add(new Shortcut(i.getAccelerator().getName(), i.getText()));
            }
        }
    }

    private static MenuItem item(String key, String accelerator, EventHandler<ActionEvent> action) {
        MenuItem i = new MenuItem(Texts.get(key));
        if (accelerator != null) {
            i.setAccelerator(KeyCombination.valueOf(accelerator));
        }
        i.setOnAction(action);
        return i;
    }

    private void fillRecent() {
        recentMenu.getItems().clear();
        List<List<Path>> items = recent.list();
        for (List<Path> paths : items) {
            String label = paths.size() == 1 ? paths.get(0).toString()
                    : paths.get(0) + " " + MessageFormat.format(Texts.get("menu.recent.more"), paths.size() - 1);
            MenuItem i = new MenuItem(label);
            i.setMnemonicParsing(false);
            i.setOnAction(e -> view.open(paths));
            recentMenu.getItems().add(i);
        }
        if (items.isEmpty()) {
            MenuItem none = new MenuItem(Texts.get("menu.recent.none"));
            none.setDisable(true);
            recentMenu.getItems().add(none);
        } else {
            MenuItem clear = new MenuItem(Texts.get("menu.recent.clear"));
            clear.setOnAction(e -> recent.clear());
            recentMenu.getItems().addAll(new SeparatorMenuItem(), clear);
        }
    }

    private void chooseFiles() {
        FileChooser fc = new FileChooser();
        fc.setTitle(Texts.get("menu.openFiles"));
        List<java.io.File> files = fc.showOpenMultipleDialog(window());
        if (files != null && !files.isEmpty()) {
            view.open(files.stream().map(java.io.File::toPath).toList());
        }
    }

    private void chooseFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle(Texts.get("menu.openFolder"));
        java.io.File dir = dc.showDialog(window());
        if (dir != null) {
            view.open(List.of(dir.toPath()));
        }
    }
}
