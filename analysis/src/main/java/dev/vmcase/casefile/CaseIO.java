package dev.vmcase.casefile;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmcase.model.Ids;
import dev.vmcase.parsers.ingest.Folders;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes {@code .vmcase} files (docs/case-format.md): a zip of {@code manifest.json},
 * {@code annotations.json}, {@code tours.json} and {@code artifacts/NNNN/NAME} (the original bytes).
 *
 * <p>Reading treats the file as hostile: no code runs (plain JSON data binding), only entries the manifest names are
 * extracted and only into a fresh folder under the given working folder (names are checked against a strict pattern
 * and the resolved path must stay inside), entry count and decompressed sizes are bounded, and every artifact is hashed
 * while it is extracted; a mismatch is reported in {@link OpenedCase#integrity()}.
 */
public final class CaseIO {
    public static final String MANIFEST = "manifest.json";
    public static final String ANNOTATIONS = "annotations.json";
    public static final String TOURS = "tours.json";
    public static final String FORMAT = "vmcase-case";

    /** manifest.json */
    public record Manifest(String format, int formatVersion, String tool, String created, String modified,
                           List<CaseArtifact> artifacts, Map<String, Long> clockOffsets,
                           List<CaseFile.Omitted> omitted, Map<String, String> timeZones) {
    }

    /** annotations.json */
    public record AnnotationsDoc(int formatVersion, List<Annotation> annotations, List<Bookmark> bookmarks) {
    }

    /** tours.json; also the form of a tour file shipped beside a sample case. */
    public record ToursDoc(int formatVersion, List<Tour> tours) {
    }

    private CaseIO() {
    }

    /** Saves atomically: after a crash at any point {@code target} holds the old case or the new one. */
    public static CaseFile save(CaseFile c, Path target) throws IOException {
        CaseFile saved = c.withModified(Instant.now().toString());
        AtomicFiles.write(target, out -> write(saved, out));
        return saved;
    }

    public static void write(CaseFile c, OutputStream os) throws IOException {
        ObjectMapper m = CaseJson.mapper(Long.MAX_VALUE);
        if (c.artifacts().size() + 3 > CaseLimits.DEFAULT.maxEntries()) {
            // never write a case no vmcase would open
            throw new IOException("a case holds at most " + (CaseLimits.DEFAULT.maxEntries() - 3) + " files, this one "
                    + c.artifacts().size());
        }
        for (CaseArtifact a : c.artifacts()) {
            if (!CaseFile.ENTRY.matcher(a.entry()).matches()) {
                throw new IOException("refusing to write the artifact entry name " + a.entry());
            }
        }
        ZipOutputStream zip = new ZipOutputStream(os);
        Manifest manifest = new Manifest(FORMAT, CaseFile.FORMAT_VERSION, CaseFile.TOOL_VERSION, c.created(),
                c.modified(), c.artifacts(), c.notes().clockOffsets(), c.omitted(), c.notes().timeZones());
        json(zip, MANIFEST, m.writeValueAsBytes(manifest));
        json(zip, ANNOTATIONS, m.writeValueAsBytes(new AnnotationsDoc(CaseFile.FORMAT_VERSION,
                c.notes().annotations(), c.notes().bookmarks())));
        json(zip, TOURS, m.writeValueAsBytes(new ToursDoc(CaseFile.FORMAT_VERSION, c.notes().tours())));
        for (CaseArtifact a : c.artifacts()) {
            zip.putNextEntry(new ZipEntry(a.entry()));
            MessageDigest md = Ids.sha256();
            try (InputStream in = Files.newInputStream(c.pathOf(a))) {
                byte[] b = new byte[1 << 16];
                for (int n; (n = in.read(b)) > 0; ) {
                    md.update(b, 0, n);
                    zip.write(b, 0, n);
                }
            }
            String sha = HexFormat.of().formatHex(md.digest());
            if (!sha.equals(a.sha256())) {
                // the file changed on disk since it was added: never store bytes under another file's hash
                throw new IOException(a.name() + " changed since it was added to the case (" + c.pathOf(a) + ")");
            }
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    private static void json(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Opens a case, extracting its evidence into a new folder under {@code workRoot}. */
    public static OpenedCase open(Path caseFile, Path workRoot) throws IOException {
        return open(caseFile, workRoot, CaseLimits.DEFAULT);
    }

    public static OpenedCase open(Path caseFile, Path workRoot, CaseLimits limits) throws IOException {
        if (!Files.isRegularFile(caseFile)) {
            throw new CaseFormatException("not a file: " + caseFile);
        }
        Files.createDirectories(workRoot);
        // the extracted copies of cases whose vmcase was killed (a report, a session) are deleted now
        Folders.deleteStale(workRoot, "case-", "");
        Path work = Files.createTempDirectory(workRoot, Folders.pidPrefix("case-")).toRealPath();
        boolean ok = false;
        try (ZipFile zip = openZip(caseFile)) {
            if (zip.size() > limits.maxEntries()) {
                throw new CaseFormatException("the case has " + zip.size() + " entries, more than "
                        + limits.maxEntries());
            }
            Map<String, ZipEntry> entries = new HashMap<>();
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (entries.put(e.getName(), e) != null) {
                    throw new CaseFormatException("the case has two entries named " + e.getName());
                }
            }
            ZipEntry me = entries.get(MANIFEST);
            if (me == null) {
                throw new CaseFormatException("not a vmcase case: no " + MANIFEST);
            }
            ObjectMapper m = CaseJson.mapper(limits.maxJsonBytes());
            Manifest manifest = read(m, zip, me, Manifest.class, limits);
            if (!FORMAT.equals(manifest.format())) {
                throw new CaseFormatException("not a vmcase case: format " + manifest.format());
            }
            if (manifest.formatVersion() < 1 || manifest.formatVersion() > CaseFile.FORMAT_VERSION) {
                throw new CaseFormatException("case format version " + manifest.formatVersion()
                        + " (this vmcase reads 1 to " + CaseFile.FORMAT_VERSION + ")");
            }
            List<CaseArtifact> artifacts = manifest.artifacts() == null ? List.of() : manifest.artifacts();
            Map<String, Path> files = new LinkedHashMap<>();
            List<String> integrity = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            long budget = limits.maxArtifactBytes();
            for (CaseArtifact a : artifacts) {
                if (!CaseFile.ENTRY.matcher(a.entry()).matches() || !seen.add(a.entry())) {
                    throw new CaseFormatException("refusing artifact entry name " + a.entry());
                }
                Path dest = work.resolve(a.entry()).normalize();
                if (!dest.startsWith(work)) {
                    throw new CaseFormatException("refusing artifact entry name " + a.entry());
                }
                ZipEntry ze = entries.get(a.entry());
                Files.createDirectories(dest.getParent());
                if (ze == null) {
                    Files.createFile(dest);
                    integrity.add(a.name() + ": missing from the case (" + a.entry() + ")");
                } else {
                    Extracted x = extract(zip, ze, dest, budget);
                    budget -= x.bytes;
                    if (x.damage != null) {
                        // one damaged artifact costs only itself: the bytes before the damage are kept and marked
                        integrity.add(a.name() + ": damaged in the case file, only its first " + x.bytes
                                + " bytes could be read (" + x.damage + "); sha256 does not match the manifest's "
                                + a.sha256());
                    } else if (!x.sha256.equals(a.sha256())) {
                        integrity.add(a.name() + ": content changed, sha256 " + x.sha256 + " but the manifest says "
                                + a.sha256());
                    } else if (x.bytes != a.size()) {
                        integrity.add(a.name() + ": size " + x.bytes + " but the manifest says " + a.size());
                    }
                }
                files.put(a.entry(), dest);
            }
            AnnotationsDoc ann = entries.containsKey(ANNOTATIONS)
                    ? read(m, zip, entries.get(ANNOTATIONS), AnnotationsDoc.class, limits) : null;
            ToursDoc tours = entries.containsKey(TOURS) ? read(m, zip, entries.get(TOURS), ToursDoc.class, limits) : null;
            CaseNotes notes = new CaseNotes(ann == null ? List.of() : ann.annotations(),
                    ann == null ? List.of() : ann.bookmarks(), tours == null ? List.of() : tours.tours(),
                    manifest.clockOffsets(), manifest.timeZones());
            CaseFile c = new CaseFile(manifest.created(), manifest.modified(), artifacts, files, notes,
                    manifest.omitted());
            ok = true;
            return new OpenedCase(c, caseFile.toAbsolutePath(), work, integrity);
        } catch (StreamConstraintsException e) {
            throw new CaseFormatException("case JSON exceeds a limit: " + e.getOriginalMessage(), e);
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new CaseFormatException("broken case: " + e.getMessage(), e);
        } finally {
            if (!ok) {
                Folders.deleteTree(work);
            }
        }
    }

    private static ZipFile openZip(Path f) throws IOException {
        try {
            return new ZipFile(f.toFile());
        } catch (ZipException e) {
            throw new CaseFormatException("not a vmcase case (not a zip): " + e.getMessage(), e);
        }
    }

    private static <T> T read(ObjectMapper m, ZipFile zip, ZipEntry e, Class<T> type, CaseLimits limits)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(b)) > 0; ) {
                total += n;
                if (total > limits.maxJsonBytes()) {
                    throw new CaseFormatException(e.getName() + " is larger than " + limits.maxJsonBytes() + " bytes");
                }
                buf.write(b, 0, n);
            }
        }
        return m.readValue(buf.toByteArray(), type);
    }

    /** An extracted artifact: bytes written, their hash, and why reading stopped early (null: it did not). */
    private record Extracted(long bytes, String sha256, String damage) {
    }

    /**
     * Extracts one artifact. Damaged zip data (a flipped bit in its deflate stream or its local header) stops only
     * this artifact: what was read before is kept and the damage is returned, never thrown.
     */
    private static Extracted extract(ZipFile zip, ZipEntry e, Path dest, long budget) throws IOException {
        MessageDigest md = Ids.sha256();
        long total = 0;
        String damage = null;
        try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            try (InputStream in = zip.getInputStream(e)) {
                byte[] b = new byte[1 << 16];
                for (int n; (n = in.read(b)) > 0; ) {
                    total += n;
                    if (total > budget) {
                        throw new CaseFormatException("the case's evidence is larger than the limit");
                    }
                    md.update(b, 0, n);
                    out.write(b, 0, n);
                }
            } catch (ZipException | java.io.EOFException broken) {
                damage = broken.getClass().getSimpleName() + ": " + broken.getMessage();
            }
        }
        return new Extracted(total, HexFormat.of().formatHex(md.digest()), damage);
    }

    /** Reads a tours file (the {@code tours.json} form), e.g. the tour shipped with a sample case. */
    public static List<Tour> readTours(Path f) throws IOException {
        long size = Files.size(f);
        if (size > CaseLimits.DEFAULT.maxJsonBytes()) {
            throw new CaseFormatException(f + " is too large");
        }
        try {
            ToursDoc d = CaseJson.mapper(CaseLimits.DEFAULT.maxJsonBytes()).readValue(Files.readAllBytes(f), ToursDoc.class);
            return d.tours() == null ? List.of() : d.tours();
        } catch (com.fasterxml.jackson.core.JacksonException | IllegalArgumentException e) {
            throw new CaseFormatException("broken tours file " + f + ": " + e.getMessage(), e);
        }
    }

    public static void writeTours(List<Tour> tours, OutputStream out) throws IOException {
        CaseJson.mapper(Long.MAX_VALUE).writeValue(out, new ToursDoc(CaseFile.FORMAT_VERSION, tours));
    }
}
