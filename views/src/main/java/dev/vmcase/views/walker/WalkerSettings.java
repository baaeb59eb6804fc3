package dev.vmcase.views.walker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.prefs.Preferences;

/**
 * The walker's settings, kept in {@link Preferences}: the QEMU source tree frames are opened in.
 */
public final class WalkerSettings {
    static final String SOURCE_TREE = "qemu-source-tree";
    private final Preferences node;

    /** The user's settings ({@code dev/vmcase/views/walker} in the user preferences). */
    public WalkerSettings() {
        this(Preferences.userRoot().node("dev/vmcase/views/walker"));
    }

    public WalkerSettings(Preferences node) {
        this.node = node;
    }

    /** The QEMU source tree, when set and still a directory. */
    public Optional<Path> sourceTree() {
        String p = node.get(SOURCE_TREE, null);
        if (p == null || p.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(p);
        return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
    }

    public void setSourceTree(Path tree) {
        if (tree == null) {
            node.remove(SOURCE_TREE);
        } else {
            node.put(SOURCE_TREE, tree.toAbsolutePath().toString());
        }
    }

    /**
     * The file of a frame in the tree: {@code hw/acpi/pcihp.c} as is, {@code ../hw/acpi/pcihp.c} without the build
     * directory's {@code ../}, {@code /usr/local/src/qemu-2.1.2/memory.c} by its longest tail the tree has.
     */
    public static Optional<Path> resolve(Path tree, String file) {
        if (tree == null || file == null || file.isBlank()) {
            return Optional.empty();
        }
        String f = file.replace('\\', '/');
        while (f.startsWith("./") || f.startsWith("../")) {
            f = f.substring(f.indexOf('/') + 1);
        }
        String[] parts = f.split("/");
        for (int i = 0; i < parts.length; i++) {
            String tail = String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
            if (tail.isEmpty()) {
                continue;
            }
            Path p = tree.resolve(tail).normalize();
            if (p.startsWith(tree.normalize()) && Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
