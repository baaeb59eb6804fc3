package dev.vmcase.views;

import javafx.util.StringConverter;

import java.util.function.Function;

/** How a chooser of keys (file paths, VM keys, hosts) shows each key: by a label, never editable. */
public final class Converters {
    private Converters() {
    }

    /** Shows each key as {@code label} says; a null key (nothing chosen) as nothing. */
    public static StringConverter<String> labelled(Function<String, String> label) {
        return new StringConverter<>() {
            @Override
            public String toString(String s) {
                return s == null ? "" : label.apply(s);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        };
    }
}
