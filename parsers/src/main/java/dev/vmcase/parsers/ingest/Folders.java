package dev.vmcase.parsers.ingest;

import dev.vmcase.parsers.ProblemTexts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/** vmcase's own temporary and working folders, and the walk of an evidence folder the user named. */
public final class Folders {
    private Folders() {
    }

    /** A path found in an evidence folder and not read, with why. */
    public record Skipped(Path path, ProblemTexts.Text reason) {
    }

    /**
     * The regular files of an evidence folder in path order, and what was found there but not read.
     *
     * @param files   regular files, and links to regular files (named by the link's path: what the user sees)
     * @param skipped folders that could not be listed (the rest of the walk goes on), links to folders, links to
     *                nothing, FIFOs, sockets and devices
     */
    public record Walk(List<Path> files, List<Skipped> skipped) {
        public Walk {
            files = List.copyOf(files);
            skipped = List.copyOf(skipped);
        }
    }

    /** Opens one folder's listing; {@link Files#newDirectoryStream(Path)} but for tests of the error path. */
    @FunctionalInterface
    interface Lister {
        DirectoryStream<Path> open(Path dir) throws IOException;
    }

    /**
     * Walks the folder {@code root} the user named. {@code root} itself may be a link to a folder: it is what the
     * user asked for, so it is followed. Inside it, links to files are read (their bytes are evidence the folder
     * holds), links to folders are not followed (they may lead out of the evidence or round in a loop) and are
     * listed as skipped, as is every folder that cannot be read: one unreadable sub-folder costs only itself.
     */
    public static Walk walk(Path root) {
        return walk(root, Files::newDirectoryStream);
    }

    static Walk walk(Path root, Lister lister) {
        List<Path> files = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Deque<Path> folders = new ArrayDeque<>();
        folders.push(root);
        while (!folders.isEmpty()) {
            Path dir = folders.pop();
            try (DirectoryStream<Path> listing = lister.open(dir)) {
                for (Path p : listing) {
                    visit(p, files, skipped, folders);
                }
            } catch (IOException e) {
                skipped.add(new Skipped(dir, ProblemTexts.text("folder.cannotRead", describe(e))));
            } catch (DirectoryIteratorException e) {
                skipped.add(new Skipped(dir, ProblemTexts.text("folder.cannotReadAll", describe(e.getCause()))));
            }
        }
        files.sort(Comparator.naturalOrder());
        skipped.sort(Comparator.comparing(Skipped::path));
        return new Walk(files, skipped);
    }

    private static void visit(Path p, List<Path> files, List<Skipped> skipped, Deque<Path> folders) {
        BasicFileAttributes own;
        try {
            own = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            skipped.add(new Skipped(p, ProblemTexts.text("folder.cannotReadEntry", describe(e))));
            return;
        }
        if (own.isDirectory()) {
            folders.push(p);
        } else if (own.isRegularFile()) {
            files.add(p);
        } else if (own.isSymbolicLink()) {
            String target;
            try {
                target = Files.readSymbolicLink(p).toString();
            } catch (IOException | UnsupportedOperationException e) {
                // the link's target cannot be read: it is listed as '?', and links are never followed anyway
                target = "?";
            }
            BasicFileAttributes to;
            try {
                to = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (IOException e) {
                skipped.add(new Skipped(p, ProblemTexts.text("folder.linkBroken", target)));
                return;
            }
            if (to.isRegularFile()) {
                files.add(p);
            } else if (to.isDirectory()) {
                skipped.add(new Skipped(p, ProblemTexts.text("folder.linkToFolder", target)));
            } else {
                skipped.add(new Skipped(p, ProblemTexts.text("folder.linkNotFile", target)));
            }
        } else {
            skipped.add(new Skipped(p, ProblemTexts.text("folder.notRegular")));
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return m == null || m.isBlank() ? kind : kind + ": " + m;
    }

    /** The start of the name of this process's spool folders: {@code vmcase-ingest-PID-}. */
    public static String spoolPrefix() {
        return pidPrefix("vmcase-ingest-");
    }

    /** {@code kind} followed by this process's id and a dash: what {@link #deleteStale} recognises. */
    public static String pidPrefix(String kind) {
        return kind + ProcessHandle.current().pid() + "-";
    }

    /**
     * Deletes what a killed vmcase left in {@code dir}: every entry named {@code kind + PID + "-…"} (and, for a
     * file, ending with {@code suffix}, which may be "") whose process is no longer running. A running vmcase's
     * entries are left alone (so are those of a process that took a dead one's id: kept, never wrongly deleted).
     *
     * @return how many were deleted
     */
    public static int deleteStale(Path dir, String kind, String suffix) {
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        int deleted = 0;
        // a filter, not a glob: the kind holds a user's file name, which may hold [ or {
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(kind))) {
            for (Path p : list) {
                String name = p.getFileName().toString();
                if (!name.endsWith(suffix)) {
                    continue;
                }
                String rest = name.substring(kind.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash > 0 ? rest.substring(0, dash) : "x");
                } catch (NumberFormatException e) {
                    continue; // not one of ours, or from a vmcase that did not name its process
                }
                if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                        .orElse(false)) {
                    continue;
                }
                deleteTree(p);
                deleted++;
            }
        } catch (IOException | DirectoryIteratorException e) {
            // best effort: what cannot be listed stays
        }
        return deleted;
    }

    /**
     * Deletes a folder tree of vmcase's own (a spool, an extracted case, a scratch folder), without following links;
     * best effort: what cannot be deleted stays, and {@code null} or a missing folder is fine.
     */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
