package dev.vmcase.casefile;

import dev.vmcase.model.Ids;
import dev.vmcase.parsers.ingest.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * @param omitted   what was found in the inputs and is not in the case, with why (a folder that could not be read,
 *                  a link to a folder); saved with the case so whoever opens it knows
 */
public record CaseFile(String created, String modified, List<CaseArtifact> artifacts, Map<String, Path> files,
                       CaseNotes notes, List<Omitted> omitted) {
    public static final int FORMAT_VERSION = 1;
    public static final String TOOL_VERSION = "vmcase 0.1.0";
    /**
     * The one rule for the name part of an artifact's zip entry, for the writer ({@link #safeName}) and the reader
     * ({@link CaseIO}) alike: characters safe in a zip entry and in any file system, at most 100, never {@code .} or
     * {@code ..} (a dot-file such as {@code .gitignore} is fine: it stays inside its numbered folder).
     */
    static final Pattern ENTRY = Pattern.compile("artifacts/([0-9]{4,6})/(?!\\.{1,2}$)[A-Za-z0-9._+-]{1,100}");

    /** A path found in the inputs and not in the case. */
    public record Omitted(String name, String reason) {
    }

    public CaseFile {
        artifacts = List.copyOf(artifacts);
        files = Map.copyOf(files);
        notes = notes == null ? CaseNotes.EMPTY : notes;
        omitted = omitted == null ? List.of() : List.copyOf(omitted);
        for (CaseArtifact a : artifacts) {
            Objects.requireNonNull(files.get(a.entry()), () -> "no bytes for " + a.entry());
        }
    }

    public CaseFile(String created, String modified, List<CaseArtifact> artifacts, Map<String, Path> files,
                    CaseNotes notes) {
        this(created, modified, artifacts, files, notes, List.of());
    }

    /**
     * A new case holding the given files and directories (read recursively as the ingest reads them: see
     * {@link Folders#walk}; a link the user names is followed, and so are links to files inside a folder). Each file
     * is hashed now; its bytes are copied into the case when it is saved.
     */
    public static CaseFile fromInputs(List<Path> inputs) throws IOException {
        return fromInputs(inputs, Map.of());
    }

    /**
     * As {@link #fromInputs(List)}, taking the sha256 of files already hashed (by the ingest that just read them:
     * absolute normalised path → sha256) instead of reading them again. A file that cannot be read is left out of
     * the case and named in {@link #omitted()} (the ingest reports it as a problem of its own).
     */
    public static CaseFile fromInputs(List<Path> inputs, Map<Path, String> known) throws IOException {
        String now = Instant.now().toString();
        return new CaseFile(now, now, List.of(), Map.of(), CaseNotes.EMPTY).withInputs(inputs, known);
    }

    /** This case with more files and directories added after the ones it holds (a capture joining the case). */
    public CaseFile withInputs(List<Path> inputs, Map<Path, String> known) throws IOException {
        List<CaseArtifact> arts = new ArrayList<>(artifacts);
        Map<String, Path> fs = new java.util.LinkedHashMap<>(files);
        List<Omitted> left = new ArrayList<>(omitted);
        for (Path input : inputs) {
            Path in = input.toAbsolutePath().normalize();
            if (Files.isDirectory(in)) {
                Folders.Walk walk = Folders.walk(in);
                for (Path f : walk.files()) {
                    add(arts, fs, left, f, nameIn(in, f), known);
                }
                for (Folders.Skipped s : walk.skipped()) {
                    left.add(new Omitted(nameIn(in, s.path()), s.reason().english()));
                }
            } else if (Files.isRegularFile(in)) {
                add(arts, fs, left, in, in.getFileName().toString(), known);
            } else {
                throw new IOException("not a file or directory: " + input);
            }
        }
        return new CaseFile(created, Instant.now().toString(), arts, fs, notes, left);
    }

    private static String nameIn(Path folder, Path p) {
        return folder.getFileName() + "/" + folder.relativize(p).toString().replace('\\', '/');
    }

    private static void add(List<CaseArtifact> arts, Map<String, Path> files, List<Omitted> left, Path f, String name,
                            Map<Path, String> known) {
        int number = 1;
        for (CaseArtifact a : arts) {
            Matcher m = ENTRY.matcher(a.entry());
            if (m.matches()) {
                number = Math.max(number, Integer.parseInt(m.group(1)) + 1);
            }
        }
        String entry = String.format("artifacts/%04d/%s", number, safeName(f.getFileName().toString()));
        try {
            String sha = known.get(f);
            arts.add(new CaseArtifact(entry, name, Files.size(f), sha != null ? sha : Ids.sha256Of(f), null, null));
            files.put(entry, f);
        } catch (IOException unreadable) {
            // not in the case: the analysis lists the file with its problem, and the case says so
            left.add(new Omitted(name, "cannot read (" + unreadable.getMessage() + ")"));
        }
    }

    /** A file name reduced to characters that are safe in a zip entry and a file system ({@link #ENTRY}). */
    static String safeName(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._+-]", "_");
        if (s.length() > 100) {
            s = s.substring(0, 100);
        }
        if (s.isEmpty() || s.chars().allMatch(c -> c == '.')) {
            s = "file";
        }
        return s;
    }

    public CaseFile withNotes(CaseNotes n) {
        return new CaseFile(created, modified, artifacts, files, n, omitted);
    }

    public CaseFile withArtifacts(List<CaseArtifact> a) {
        return new CaseFile(created, modified, a, files, notes, omitted);
    }

    CaseFile withModified(String m) {
        return new CaseFile(created, m, artifacts, files, notes, omitted);
    }

    /** Where the bytes of an artifact are now. */
    public Path pathOf(CaseArtifact a) {
        return files.get(a.entry());
    }
}
