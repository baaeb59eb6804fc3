package dev.vmcase.views.shell;

import javafx.scene.input.KeyCombination;

/**
 * A keyboard shortcut as the Help › Shortcuts sheet lists it: the keys, and the bundle key of what it does. Menu
 * items take their accelerators from here, and views register the keys they handle themselves, so the sheet shows
 * what really is bound.
 */
public record Shortcut(String keys, String what) {
    public KeyCombination combination() {
        return KeyCombination.valueOf(keys);
    }

    /** The keys as the user reads them on this platform ("Ctrl+O"). */
    public String display() {
        try {
            return combination().getDisplayText();
        } catch (IllegalArgumentException e) {
            // a combination this platform cannot print: shown as written
            return keys;
        }
    }
}
