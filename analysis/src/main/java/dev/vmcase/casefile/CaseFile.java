package dev.vmcase.casefile;

import dev.vmcase.model.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A case in memory: its evidence files (with where their bytes are now: the user's files for a new case, the working
 * folder for an opened one), the user's host/role assignments and the notes. Immutable; the {@code with…} methods
 * return changed copies. {@link CaseIO} reads and writes it as a {@code .vmcase} file (docs/case-format.md).
 *
 * @param created   ISO-8601
 * @param modified  ISO-8601, set when saved
 * @param artifacts the evidence files, in order
 * @param files     where each artifact's bytes are, by {@link CaseArtifact#entry()}
 * @param notes     annotations, bookmarks, tours, clock offsets
 */
public record CaseFile(String created, String modified, List<CaseArtifact> artifacts, Map<String, Path> files,
                       CaseNotes notes) {
    public static final int FORMAT_VERSION = 1;
    public static final String TOOL_VERSION = "vmcase 0.1.0";

    public CaseFile {
        artifacts = List.copyOf(artifacts);
        files = Map.copyOf(files);
        notes = notes == null ? CaseNotes.EMPTY : notes;
        for (CaseArtifact a : artifacts) {
            Objects.requireNonNull(files.get(a.entry()), () -> "no bytes for " + a.entry());
        }
    }

    /**
     * A new case holding the given files and directories (read recursively, regular files only, links not
     * followed). Each file is hashed now; its bytes are copied into the case when it is saved.
     */
    public static CaseFile fromInputs(List<Path> inputs) throws IOException {
        return fromInputs(inputs, Map.of());
    }

    /**
     * As {@link #fromInputs(List)}, taking the sha256 of files already hashed (by the ingest that just read them:
     * absolute normalised path → sha256) instead of reading them again. A file that cannot be read is left out of
     * the case (the ingest reports it as a problem of its own).
     */
    public static CaseFile fromInputs(List<Path> inputs, Map<Path, String> known) throws IOException {
        String now = Instant.now().toString();
        return new CaseFile(now, now, List.of(), Map.of(), CaseNotes.EMPTY).withInputs(inputs, known);
    }

    /** This case with more files and directories added after the ones it holds (a capture joining the case). */
    public CaseFile withInputs(List<Path> inputs, Map<Path, String> known) throws IOException {
        List<CaseArtifact> arts = new ArrayList<>(artifacts);
        Map<String, Path> fs = new java.util.LinkedHashMap<>(files);
        for (Path input : inputs) {
            Path in = input.toAbsolutePath().normalize();
            if (Files.isDirectory(in, LinkOption.NOFOLLOW_LINKS)) {
                List<Path> found;
                try (Stream<Path> s = Files.walk(in)) {
                    found = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
                }
                for (Path f : found) {
                    String name = in.getFileName() + "/" + in.relativize(f).toString().replace('\\', '/');
                    add(arts, fs, f, name, known);
                }
            } else if (Files.isRegularFile(in, LinkOption.NOFOLLOW_LINKS)) {
                add(arts, fs, in, in.getFileName().toString(), known);
            } else {
                throw new IOException("not a file or directory: " + input);
            }
        }
        return new CaseFile(created, Instant.now().toString(), arts, fs, notes);
    }

    private static void add(List<CaseArtifact> arts, Map<String, Path> files, Path f, String name,
                            Map<Path, String> known) {
        String entry = String.format("artifacts/%04d/%s", arts.size() + 1, safeName(f.getFileName().toString()));
        try {
            String sha = known.get(f);
            arts.add(new CaseArtifact(entry, name, Files.size(f), sha != null ? sha : Ids.sha256Of(f), null, null));
            files.put(entry, f);
        } catch (IOException unreadable) {
            // not in the case: the analysis lists the file with its problem
        }
    }

    /** A file name reduced to characters that are safe in a zip entry and a file system. */
    static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._+-]", "_");
        if (s.isEmpty() || s.chars().allMatch(c -> c == '.')) {
            s = "file";
        }
        return s.length() > 100 ? s.substring(0, 100) : s;
    }

    public CaseFile withNotes(CaseNotes n) {
        return new CaseFile(created, modified, artifacts, files, n);
    }

    public CaseFile withArtifacts(List<CaseArtifact> a) {
        return new CaseFile(created, modified, a, files, notes);
    }

    CaseFile withModified(String m) {
        return new CaseFile(created, m, artifacts, files, notes);
    }

    /** Where the bytes of an artifact are now. */
    public Path pathOf(CaseArtifact a) {
        return files.get(a.entry());
    }
}
