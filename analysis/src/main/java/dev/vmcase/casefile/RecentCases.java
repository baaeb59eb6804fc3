package dev.vmcase.casefile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** File › Recent: the last case files saved or opened, one path a line in {@code recent.txt} of the working folder. */
public final class RecentCases {
    public static final int MAX = 10;

    private RecentCases() {
    }

    public static List<Path> list(Path workRoot) {
        Path f = workRoot.resolve("recent.txt");
        List<Path> out = new ArrayList<>();
        try {
            if (Files.isRegularFile(f) && Files.size(f) < 1 << 20) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && out.size() < MAX) {
                        out.add(Path.of(line));
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no recent list
        }
        return out;
    }

    public static void add(Path workRoot, Path caseFile) {
        List<Path> l = list(workRoot);
        l.remove(caseFile);
        l.add(0, caseFile);
        StringBuilder sb = new StringBuilder();
        l.stream().limit(MAX).forEach(p -> sb.append(p).append('\n'));
        try {
            AtomicFiles.write(workRoot.resolve("recent.txt"), out -> out.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // the list is a convenience: the case itself was saved
            System.getLogger(RecentCases.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot update the recent cases in " + workRoot, e);
        }
    }
}
