package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Guest;
import dev.vmcase.model.Ids;
import dev.vmcase.model.Problem;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.ProblemTexts;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads one archive input (a <em>bundle</em>) member by member, straight from the archive stream: tar, zip, gzip, xz,
 * bzip2, nested to {@link IngestOptions#maxDepth()}, each layer recognised by its magic bytes, never its name.
 *
 * <p>Paths: an archive layer adds {@code !/} ({@code outer.zip!/inner.tar.gz!/var/log/x.log}); a compression layer
 * adds nothing ({@code instance.log.gz} is that log). Members are spooled once while the archive stream passes them
 * (in memory up to {@link IngestOptions#memoryBufferBytes()}, else into a temporary file named by a counter, never by
 * the entry's name, in the bundle's own work folder), parsed from the spool, and the spool is deleted. Nothing is
 * extracted; links and entries whose names leave the archive ({@code ../x}, {@code /etc/passwd}) are listed with a
 * problem and never followed or read.
 */
final class ArchiveReader {
    static final int XZ_MEMORY_LIMIT_KIB = 200 * 1024;
    private static final int BUFFER = 1 << 16;

    enum Layer {
        GZIP("gzip"), XZ("xz"), BZIP2("bzip2"), TAR("tar"), ZIP("zip");

        final String label;

        Layer(String label) {
            this.label = label;
        }

        boolean isArchive() {
            return this == TAR || this == ZIP;
        }
    }

    /** One artifact of the bundle, with where it sits in a sosreport (if it does). */
    private static final class Slot {
        Ingest.ReadResult result;
        final String sosRoot;
        final String rel;

        Slot(Ingest.ReadResult result, String sosRoot, String rel) {
            this.result = result;
            this.sosRoot = sosRoot;
            this.rel = rel;
        }
    }

    private final Path file;
    private final IngestOptions options;
    private final Consumer<String> onMember;
    private final Budget budget;
    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Sosreport> sosreports = new LinkedHashMap<>();
    private final ProgressMonitor monitor;
    private Path spoolDir;
    private boolean ownSpoolDir;
    /** Extraction mode ({@link #extract}): the one member wanted, where its bytes go, whether they went. */
    private String wanted;
    private Path extractTo;
    private boolean extracted;

    private ArchiveReader(Path file, IngestOptions options, ProgressMonitor monitor, Consumer<String> onMember) {
        this.file = file;
        this.options = options;
        this.monitor = monitor;
        this.onMember = onMember;
        this.budget = new Budget(options);
    }

    /** The first layer of a file when it is a compressed stream or an archive we read. */
    static Optional<Layer> detect(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1024)) {
            return detect(in);
        } catch (IOException | RuntimeException e) {
            // not readable as an archive: the file is then read as text, and that read says what is wrong with it
            return Optional.empty();
        }
    }

    /** Detects by magic bytes; {@code in} must support mark/reset and is left at its start. */
    static Optional<Layer> detect(InputStream in) throws IOException {
        try {
            switch (CompressorStreamFactory.detect(in)) {
                case CompressorStreamFactory.GZIP:
                    return Optional.of(Layer.GZIP);
                case CompressorStreamFactory.XZ:
                    return Optional.of(Layer.XZ);
                case CompressorStreamFactory.BZIP2:
                    return Optional.of(Layer.BZIP2);
                default:
                    break;
            }
        } catch (CompressorException | IllegalArgumentException e) {
            // not a compressed stream
        }
        try {
            switch (ArchiveStreamFactory.detect(in)) {
                case ArchiveStreamFactory.TAR:
                    return Optional.of(Layer.TAR);
                case ArchiveStreamFactory.ZIP:
                case ArchiveStreamFactory.JAR:
                    return Optional.of(Layer.ZIP);
                default:
                    break;
            }
        } catch (ArchiveException | IllegalArgumentException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
        }
        return Optional.empty();
    }

    /** Reads the archive {@code file}; every artifact of it goes to {@code out}, in archive order; never throws. */
    static void read(Path file, IngestOptions options, ProgressMonitor monitor, Consumer<String> onMember,
                     Ingest.EvidenceBuilder out) {
        ArchiveReader r = new ArchiveReader(file, options, monitor, onMember);
        try {
            r.readBundle();
        } finally {
            r.deleteSpoolDir();
        }
        r.applySosreports();
        r.slots.forEach(s -> out.add(s.result));
    }

    /**
     * Extracts one member ({@code memberPath} as an artifact path: {@code file!/a/b.log}, or {@code file} itself for a
     * compressed single file) into {@code dest}, with the same limits and refusals as reading; other members are
     * skipped. Throws when it is not there, refused, or the bundle's limits stop it.
     */
    static void extract(Path file, String memberPath, Path dest, IngestOptions options, ProgressMonitor monitor)
            throws IOException {
        ArchiveReader r = new ArchiveReader(file, options, monitor, m -> { });
        r.wanted = memberPath;
        r.extractTo = dest;
        r.readBundle();
        if (!r.extracted) {
            StringBuilder why = new StringBuilder("cannot extract " + memberPath);
            r.slots.stream().filter(s -> s.result != null).flatMap(s -> s.result.artifact().problems().stream())
                    .forEach(p -> why.append("; ").append(p.message()));
            throw new IOException(why.toString());
        }
    }

    private void readBundle() {
        String path = file.toString();
        try (InputStream raw = Files.newInputStream(file)) {
            readStream(budget.countRaw(raw), path, null, null, 0);
        } catch (BudgetExceeded e) {
            // already reported where it happened
        } catch (IOException e) {
            slots.add(new Slot(Ingest.ReadResult.of(listing(path, 0, ProblemTexts.text("ingest.cannotRead", e.getMessage()))), null, null));
        }
    }

    /**
     * Reads a stream that is compressed, an archive, or (inside one) a plain member. Failures are reported on the
     * artifact they hit; only an exceeded budget escapes, to stop the whole bundle.
     *
     * @return whether {@code raw} itself failed (the enclosing archive is broken, not just this member's own data)
     */
    private boolean readStream(InputStream raw, String path, String sosRoot, String rel, int depth)
            throws BudgetExceeded {
        Hashing hashed = new Hashing(raw);
        InputStream in = new BufferedInputStream(hashed, BUFFER);
        List<String> compression = new ArrayList<>();
        while (true) {
            Optional<Layer> layer;
            try {
                layer = detect(in);
            } catch (IOException e) {
                budget.rethrowIfExceeded(e);
                layer = Optional.empty();
            }
            if (layer.isPresent() && depth + compression.size() >= options.maxDepth()) {
                slots.add(new Slot(Ingest.ReadResult.of(listing(path, 0, ProblemTexts.text("archive.tooDeep", options.maxDepth()))), sosRoot, rel));
                return false;
            }
            if (layer.isEmpty()) {
                readLeaf(in, hashed, path, sosRoot, rel, compression);
                return hashed.failure != null;
            }
            if (layer.get().isArchive()) {
                readArchive(in, hashed, path, layer.get(), compression, sosRoot, depth + compression.size());
                return hashed.failure != null;
            }
            try {
                in = new BufferedInputStream(budget.countDecoded(new ShortReads(decompressor(layer.get(), in,
                        depth + compression.size() == 0))),
                        BUFFER);
            } catch (IOException e) {
                budget.rethrowIfExceeded(e);
                slots.add(new Slot(Ingest.ReadResult.of(listing(path, 0, ProblemTexts.text("archive.unreadableData", layer.get().label,
                        e.getMessage()))), sosRoot, rel));
                return hashed.failure != null;
            }
            compression.add(layer.get().label);
        }
    }

    /** @param outermost whether {@code in} is the file's own bytes (not a member's, nor a layer inside another) */
    private InputStream decompressor(Layer layer, InputStream in, boolean outermost) throws IOException {
        return switch (layer) {
            case GZIP -> new GzipCompressorInputStream(in, true);
            case XZ -> outermost && CutXzInputStream.isCut(file) ? new CutXzInputStream(in, file, XZ_MEMORY_LIMIT_KIB)
                    : new XZCompressorInputStream(in, true, XZ_MEMORY_LIMIT_KIB);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            default -> throw new IllegalArgumentException(layer.toString());
        };
    }

    private void readArchive(InputStream in, Hashing raw, String path, Layer layer, List<String> compression,
                             String inheritedRoot, int depth) throws BudgetExceeded {
        int archiveSlot = slots.size();
        slots.add(new Slot(null, inheritedRoot, null));
        List<Problem> problems = new ArrayList<>();
        String kind = layer.label + (compression.isEmpty() ? "" : "." + String.join(".", compression));
        int read = 0;
        String last = null;
        BudgetExceeded stop = null;
        /* a zip member's CRC is known only once its data (and data descriptor) have been read: checked on the next */
        ZipArchiveEntry crcEntry = null;
        java.util.zip.CRC32 crc = null;
        int crcSlot = -1;
        ArchiveInputStream<? extends ArchiveEntry> archive = null;
        try {
            // what the tar reads from its stream, to tell a sparse member's expansion from its stored bytes
            Counted tarInput = layer == Layer.TAR ? new Counted(in) : null;
            archive = layer == Layer.TAR ? new CheckedTarInputStream(tarInput)
                    : new ZipArchiveInputStream(in, "UTF-8", true, true);
            while (true) {
                if (monitor.isCancelled()) {
                    problems.add(ProblemTexts.text("archive.cancelled", read).at(path, 0));
                    break;
                }
                ArchiveEntry entry;
                try {
                    entry = archive.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    budget.rethrowIfExceeded(e);
                    checkCrc(crcEntry, crc, crcSlot);
                    problems.add((last == null
                            ? ProblemTexts.text("archive.cutBeforeFirst", kind, read, archive.getBytesRead(), budget.compressed(), file,
                                    message(e))
                            : ProblemTexts.text("archive.cutAfter", kind, last, read, archive.getBytesRead(), budget.compressed(), file,
                                    message(e))).at(path, 0));
                    break;
                }
                checkCrc(crcEntry, crc, crcSlot);
                crcEntry = null;
                if (entry == null) {
                    break;
                }
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                String memberPath = path + "!/" + name;
                if (wanted != null && !wanted.equals(memberPath) && !wanted.startsWith(memberPath + "!/")) {
                    continue;
                }
                onMember.accept(memberPath);
                String root = inheritedRoot;
                String rel = null;
                String top = topFolder(name);
                if (top != null && Sosreport.isRootFolder(top)) {
                    root = path + "!/" + top;
                    sosreports.computeIfAbsent(root, k -> new Sosreport(k, top));
                    rel = name.substring(name.indexOf(top) + top.length()).replaceFirst("^/+", "");
                }
                Optional<ProblemTexts.Text> refused = refusal(entry, name, archive);
                if (refused.isPresent()) {
                    slots.add(new Slot(Ingest.ReadResult.of(listing(memberPath, Math.max(entry.getSize(), 0),
                            refused.get())), root, rel));
                    continue;
                }
                InputStream member = new NoClose(archive);
                if (layer == Layer.TAR) {
                    member = budget.countExpansion(member, tarInput);
                }
                if (layer == Layer.ZIP) {
                    member = budget.countDecoded(member);
                    crc = new java.util.zip.CRC32();
                    member = new java.util.zip.CheckedInputStream(member, crc);
                    crcEntry = (ZipArchiveEntry) entry;
                    crcSlot = slots.size();
                }
                boolean broke = readStream(member, memberPath, root, rel, depth + 1);
                if (broke) {
                    crcEntry = null;
                    problems.add(ProblemTexts.text("archive.cutInsideMember", kind, name, read, archive.getBytesRead(),
                            budget.compressed(), file).at(path, 0));
                    break;
                }
                last = name;
                read++;
                if (extracted) {
                    break;
                }
            }
        } catch (BudgetExceeded e) {
            problems.add(e.why().at(path, 0));
            problems.add((last == null ? ProblemTexts.text("archive.budgetStop", read)
                    : ProblemTexts.text("archive.budgetStopAfter", last, read)).at(path, 0));
            stop = e;
        } catch (IOException | RuntimeException e) {
            problems.add(ProblemTexts.text("archive.unreadable", kind, message(e)).at(path, 0));
        }
        if (stop == null && extractTo == null) {
            try {
                raw.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                if (budget.exceeded() != null) {
                    stop = budget.exceeded();
                }
                // the hash then covers what could be read; the break is already reported
            }
        }
        Artifact a = new Artifact(raw.sha256(), path, raw.count(), Artifact.ARCHIVE, null, Role.UNKNOWN, problems);
        slots.get(archiveSlot).result = Ingest.ReadResult.of(a);
        if (stop != null) {
            throw stop;
        }
    }

    /** Where in an archive reading broke: its own (uncompressed) offset, and how far into the bundle's file. */
    /** A zip member whose bytes do not have the CRC its archive gives: a problem on that member. */
    private void checkCrc(ZipArchiveEntry entry, java.util.zip.CRC32 crc, int slot) {
        if (entry == null || crc == null || slot < 0 || slot >= slots.size() || entry.getCrc() == -1) {
            return;
        }
        if (entry.getSize() >= 0 && crc.getValue() != entry.getCrc()) {
            Slot s = slots.get(slot);
            if (s.result != null) {
                s.result = new Ingest.ReadResult(withProblems(s.result.artifact(), List.of(ProblemTexts.text("archive.crcMismatch",
                        String.format(java.util.Locale.ROOT, "%08x", crc.getValue()),
                        String.format(java.util.Locale.ROOT, "%08x", entry.getCrc())).at(s.result.artifact().path(), 0))),
                        s.result.sink());
            }
        }
    }

    private static String topFolder(String name) {
        String n = name.replaceFirst("^(?:\\./)++", "");
        int slash = n.indexOf('/');
        return slash > 0 ? n.substring(0, slash) : null;
    }

    /** Why a member is listed and not read: a link, a special file, a name leaving the archive, unreadable data. */
    private static Optional<ProblemTexts.Text> refusal(ArchiveEntry entry, String name, ArchiveInputStream<?> archive) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            return Optional.of(ProblemTexts.text("archive.badName"));
        }
        if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
            return Optional.of(ProblemTexts.text("archive.absolutePath", name));
        }
        for (String part : name.split("[/\\\\]")) {
            if (part.equals("..")) {
                return Optional.of(ProblemTexts.text("archive.climbsOut", name));
            }
        }
        if (entry instanceof TarArchiveEntry t) {
            if (t.isSymbolicLink()) {
                return Optional.of(ProblemTexts.text("archive.symlinkTo", t.getLinkName()));
            }
            if (t.isLink()) {
                return Optional.of(ProblemTexts.text("archive.hardLinkTo", t.getLinkName()));
            }
            if (t.isCharacterDevice() || t.isBlockDevice() || t.isFIFO()) {
                return Optional.of(ProblemTexts.text("archive.special"));
            }
        }
        if (entry instanceof ZipArchiveEntry z && z.isUnixSymlink()) {
            return Optional.of(ProblemTexts.text("archive.symlink"));
        }
        if (!archive.canReadEntryData(entry)) {
            return Optional.of(ProblemTexts.text("archive.encrypted"));
        }
        return Optional.empty();
    }

    /** A plain member (or a compressed single file): spooled, parsed, the spool deleted. */
    private void readLeaf(InputStream in, Hashing raw, String path, String sosRoot, String rel,
                          List<String> compression) throws BudgetExceeded {
        if (extractTo != null) {
            if (path.equals(wanted)) {
                try (OutputStream out = Files.newOutputStream(extractTo)) {
                    in.transferTo(out);
                    extracted = true;
                } catch (IOException e) {
                    budget.rethrowIfExceeded(e);
                    slots.add(new Slot(Ingest.ReadResult.of(listing(path, 0, ProblemTexts.text("archive.cannotExtract", message(e)))),
                            sosRoot, rel));
                }
            }
            return;
        }
        try (Spool spool = new Spool()) {
            IOException broke = null;
            try {
                spool.fill(in);
            } catch (IOException | RuntimeException e) {
                budget.rethrowIfExceeded(e, () -> slots.add(new Slot(Ingest.ReadResult.of(listing(path, spool.size,
                        budget.exceeded().notRead())), sosRoot, rel)));
                broke = e instanceof IOException io ? io : new IOException(e);
            }
            if (broke instanceof SpoolFailure) {
                slots.add(new Slot(Ingest.ReadResult.of(listing(path, spool.size, ProblemTexts.text("archive.cannotSpoolBig",
                        message(broke.getCause()), human(options.memoryBufferBytes())))), sosRoot, rel));
                return;
            }
            TextSource source = spool.source(path);
            // what broke: the enclosing archive (named), or this file's own compression (its layers named)
            boolean archiveCut = raw.failure != null && path.contains("!/");
            String cut = archiveCut ? path.substring(0, path.lastIndexOf("!/")) : String.join("/", compression);
            String brokeKey = archiveCut ? "member.archiveCut." : "member.dataCut.";
            if (broke != null && spool.size == 0) {
                // not an empty file: nothing before the break could be decoded
                slots.add(new Slot(Ingest.ReadResult.of(listing(path, 0, ProblemTexts.text(brokeKey + "nothing", cut,
                        message(broke), budget.compressed(), file))), sosRoot, rel));
                return;
            }
            Ingest.ReadResult r = Ingest.read(source, spool.size, spool.head());
            List<Problem> extra = new ArrayList<>();
            if (broke != null) {
                extra.add(ProblemTexts.text(brokeKey + "stopped", cut, message(broke), budget.compressed(), file,
                        spool.size).at(path, 0));
            }
            Sosreport sos = sosRoot == null ? null : sosreports.get(sosRoot);
            if (sos != null) {
                sosHooks(sos, rel, source, spool.size, extra, path);
            }
            if (!extra.isEmpty()) {
                r = new Ingest.ReadResult(withProblems(r.artifact(), extra), r.sink());
            }
            slots.add(new Slot(r, sosRoot, rel));
        } catch (IOException e) {
            budget.rethrowIfExceeded(e);
            slots.add(new Slot(Ingest.ReadResult.of(listing(path, 0, ProblemTexts.text("archive.cannotSpool", message(e)))),
                    sosRoot, rel));
        }
    }

    private void sosHooks(Sosreport sos, String rel, TextSource source, long size, List<Problem> extra, String path) {
        if (options.sosLogLimits().contains(size)) {
            extra.add(ProblemTexts.text("sos.sizeLimit", size, human(size)).at(path, 0));
        }
        if (rel == null) {
            return;
        }
        if (Sosreport.isTailedCopy(rel)) {
            extra.add(ProblemTexts.text("sos.tailed").at(path, 0));
        }
        boolean hostFile = Sosreport.isHostnameFile(rel) || Sosreport.isHostnameCommand(rel);
        if (!(hostFile && size <= 4096) && !Sosreport.isSosLog(rel)) {
            return;
        }
        try (LineReader lines = source.lines()) {
            if (Sosreport.isHostnameFile(rel)) {
                sos.hostnameFile = firstLine(lines).flatMap(Sosreport::valid).orElse(sos.hostnameFile);
            } else if (Sosreport.isHostnameCommand(rel)) {
                sos.hostnameCommand = firstLine(lines).flatMap(Sosreport::valid).orElse(sos.hostnameCommand);
            } else if (Sosreport.isSosLog(rel)) {
                String l;
                while ((l = lines.next()) != null) {
                    java.util.regex.Matcher m = Sosreport.TAILED.matcher(l);
                    if (m.find()) {
                        sos.tailed.add(m.group(1));
                    }
                }
            }
        } catch (UncheckedIOException e) {
            // the spool went away; nothing to learn from it
        }
    }

    private static Optional<String> firstLine(LineReader lines) {
        String l;
        while ((l = lines.next()) != null) {
            if (!l.isBlank()) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** Hosts from each sosreport on members whose own content names none; sos's cut logs. */
    private void applySosreports() {
        for (Slot s : slots) {
            if (s.sosRoot == null || s.result == null) {
                continue;
            }
            Sosreport sos = sosreports.get(s.sosRoot);
            if (sos == null) {
                continue;
            }
            Artifact a = s.result.artifact();
            if (a.host() == null && sos.host() != null) {
                a = a.withHost(sos.host());
            }
            if (s.rel != null && a.guest() == null && DomainLogParser.FORMAT.equals(a.format())) {
                // Content first: a domain log names its VM on its command line (-name guest=…). sos keeps only the
                // tail of a big log, and a rotated log holds no start at all, so what is left may name no VM; the place
                // sos copied it from, /var/log/libvirt/qemu/NAME.log, is then the only name left. A path hint is sound
                // here and nowhere else: the file's format was recognised by its content, and libvirt itself names
                // that file after the domain (LOGDIR/qemu/NAME.log, libvirt's qemu driver), in a layout sos fixes.
                Optional<String> named = Sosreport.domainOfLog(sos.tailedOriginal(s.rel)
                        .map(o -> o.replaceFirst("^/+", "")).orElse(s.rel));
                if (named.isPresent()) {
                    a = a.withGuest(Guest.named(named.get()));
                }
            }
            if (s.rel != null) {
                Optional<String> cut = sos.tailedOriginal(s.rel);
                if (cut.isPresent() && a.problems().stream().noneMatch(p -> "sos.logsSayTail".equals(p.key()))) {
                    a = withProblems(a, List.of(ProblemTexts.text("sos.logsSayTail", cut.get()).at(a.path(), 0)));
                }
            }
            s.result = new Ingest.ReadResult(a, s.result.sink());
        }
    }

    private static Artifact withProblems(Artifact a, List<Problem> extra) {
        List<Problem> all = new ArrayList<>(a.problems());
        all.addAll(extra);
        return a.withProblems(all);
    }

    private static Artifact listing(String path, long size, ProblemTexts.Text problem) {
        return new Artifact(Ids.sha256Hex(path), path, size, Artifact.UNRECOGNIZED, null, Role.UNKNOWN,
                List.of(problem.at(path, 0)));
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    private Path spoolDir() throws IOException {
        if (spoolDir == null) {
            if (options.workDir() != null) {
                Files.createDirectories(options.workDir());
                spoolDir = Files.createTempDirectory(options.workDir(), Folders.spoolPrefix());
            } else {
                spoolDir = Files.createTempDirectory(Folders.spoolPrefix());
            }
            ownSpoolDir = true;
        }
        return spoolDir;
    }

    private void deleteSpoolDir() {
        if (spoolDir == null || !ownSpoolDir) {
            return;
        }
        Folders.deleteTree(spoolDir);
    }

    /** One member's bytes: hashed, its first bytes kept for sniffing, in memory or in a temporary file. */
    private final class Spool implements AutoCloseable {
        private final MessageDigest md = Ids.sha256();
        private final byte[] head = new byte[8192];
        private int headLen;
        private ByteArrayOutputStream memory = new ByteArrayOutputStream();
        private Path tmp;
        private OutputStream tmpOut;
        long size;
        private String sha;

        void fill(InputStream in) throws IOException {
            byte[] buf = new byte[BUFFER];
            int n;
            boolean kept = true;
            try {
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    int take = Math.min(n, head.length - headLen);
                    if (take > 0) {
                        System.arraycopy(buf, 0, head, headLen, take);
                        headLen += take;
                        if (headLen == head.length && Ingest.notRead("", head).isPresent()) {
                            // binary: it will not be read, so its bytes are only hashed and counted, never spooled
                            kept = false;
                            memory = new ByteArrayOutputStream();
                        }
                    }
                    if (!kept) {
                        size += n;
                        continue;
                    }
                    try {
                        if (tmpOut == null && memory.size() + (long) n > options.memoryBufferBytes()) {
                            tmp = Files.createTempFile(spoolDir(), "member-", ".spool");
                            tmpOut = Files.newOutputStream(tmp);
                            memory.writeTo(tmpOut);
                            memory = null;
                        }
                        if (tmpOut != null) {
                            tmpOut.write(buf, 0, n);
                        }
                    } catch (IOException e) {
                        throw new SpoolFailure(e); // our disk, not the archive: said so, not "corrupt"
                    }
                    if (tmpOut == null) {
                        memory.write(buf, 0, n);
                    }
                    size += n;
                }
            } finally {
                if (tmpOut != null) {
                    tmpOut.close();
                }
            }
        }

        byte[] head() {
            return java.util.Arrays.copyOf(head, headLen);
        }

        TextSource source(String path) {
            if (sha == null) {
                sha = HexFormat.of().formatHex(md.digest());
            }
            if (tmp != null) {
                Path file = tmp;
                return new TextSource(path, sha, () -> {
                    try {
                        return Files.newInputStream(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            byte[] bytes = memory.toByteArray();
            return new TextSource(path, sha, () -> new ByteArrayInputStream(bytes));
        }

        @Override
        public void close() throws IOException {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Asks a decompressor for at most {@link #MAX} bytes a call. Gzip and xz streams fill the whole buffer they are
     * given before returning, so a truncated stream used to lose everything decoded in the call that hit the end
     * (a small truncated {@code .tar.gz} loaded none of its members); in small calls only the last few KiB are lost.
     */
    static final class ShortReads extends FilterInputStream {
        static final int MAX = 4096;

        ShortReads(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, MAX));
        }

        @Override
        public long skip(long n) throws IOException {
            return skipByReading(this, n);
        }
    }

    /**
     * A tar reader that checks each header's checksum (commons-compress does not): a corrupt header is a break in
     * the archive, reported where it is, not a member with a garbled name or size.
     */
    static final class CheckedTarInputStream extends TarArchiveInputStream {
        private boolean pastEnd;

        CheckedTarInputStream(InputStream in) {
            super(in, "UTF-8");
        }

        @Override
        protected boolean isEOFRecord(byte[] record) {
            boolean eof = super.isEOFRecord(record);
            if (eof || pastEnd) {
                pastEnd = true;
                return eof;
            }
            if (!org.apache.commons.compress.archivers.tar.TarUtils.verifyCheckSum(record)) {
                throw new CorruptHeader("tar header checksum mismatch in the header ending at byte "
                        + getBytesRead() + " of the tar stream");
            }
            return false;
        }
    }

    /** A tar header whose checksum does not match (thrown from a method that cannot throw IOException). */
    static final class CorruptHeader extends RuntimeException {
        CorruptHeader(String message) {
            super(message);
        }
    }

    /** Writing a member's spool failed: vmcase's disk or work folder, not the archive. */
    static final class SpoolFailure extends IOException {
        SpoolFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Counts the bytes read through it. */
    static final class Counted extends FilterInputStream {
        long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return skipByReading(this, n);
        }
    }

    /** A member's stream that leaves the archive open when a reader closes it. */
    private static final class NoClose extends FilterInputStream {
        NoClose(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }

    /** Hashes and counts what passes; skipping reads through so nothing escapes the hash. */
    static class Hashing extends FilterInputStream {
        private final MessageDigest md = Ids.sha256();
        private long count;
        /** The first failure of the stream underneath, if it failed. */
        IOException failure;

        Hashing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
            if (n > 0) {
                md.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return skipByReading(this, n);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        long count() {
            return count;
        }

        String sha256() {
            return HexFormat.of().formatHex(md.digest());
        }
    }

    static long skipByReading(InputStream in, long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(BUFFER, Math.max(n, 1))];
        long left = n;
        while (left > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    /** The bundle's limits: bytes decompressors produce, and their ratio to the bytes read from its file. */
    static final class Budget {
        private final IngestOptions options;
        /** The bytes read from the bundle's file. */
        private Counted raw;
        private long uncompressed;
        private BudgetExceeded exceeded;

        Budget(IngestOptions options) {
            this.options = options;
        }

        InputStream countRaw(InputStream in) {
            raw = new Counted(in);
            return raw;
        }

        /** How many bytes of the bundle's file were read so far. */
        long compressed() {
            return raw == null ? 0 : raw.count;
        }

        /**
         * A tar member whose bytes outgrow what its tar read from its stream: a sparse member's holes, zeros that
         * take no room in the archive (a 70 KB sparse tar made 6 GiB), counted as decompressed bytes.
         */
        InputStream countExpansion(InputStream member, Counted tarInput) {
            long start = tarInput.count;
            return new FilterInputStream(member) {
                private long read;
                private long counted;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n <= 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    check(0);
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        read += n;
                        long expansion = read - (tarInput.count - start);
                        if (expansion > counted) {
                            check(expansion - counted);
                            counted = expansion;
                        }
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    return skipByReading(this, n);
                }
            };
        }

        InputStream countDecoded(InputStream decoded) {
            return new FilterInputStream(decoded) {
                @Override
                public int read() throws IOException {
                    check(0);
                    int b = super.read();
                    if (b >= 0) {
                        check(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    check(0);
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        check(n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    return skipByReading(this, n);
                }
            };
        }

        private void check(long more) throws BudgetExceeded {
            if (exceeded != null) {
                throw exceeded;
            }
            uncompressed += more;
            if (uncompressed > options.maxBundleBytes()) {
                exceeded = new BudgetExceeded("total", human(options.maxBundleBytes()));
            } else if (uncompressed > options.ratioFloorBytes()
                    && uncompressed > (double) options.maxRatio() * Math.max(compressed(), 1)) {
                exceeded = new BudgetExceeded("ratio", human(compressed()), human(uncompressed), options.maxRatio());
            }
            if (exceeded != null) {
                throw exceeded;
            }
        }

        BudgetExceeded exceeded() {
            return exceeded;
        }

        void rethrowIfExceeded(Throwable e) throws BudgetExceeded {
            rethrowIfExceeded(e, () -> { });
        }

        void rethrowIfExceeded(Throwable e, Runnable first) throws BudgetExceeded {
            if (exceeded != null) {
                first.run();
                throw exceeded;
            }
        }
    }

    static String human(long bytes) {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= IngestOptions.MIB) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) IngestOptions.MIB);
        }
        return bytes + " bytes";
    }

    /** The bundle's budget is spent: reading the bundle stops. */
    static final class BudgetExceeded extends IOException {
        /** {@code total} (the bundle's uncompressed bytes) or {@code ratio} (a member's expansion). */
        private final String limit;
        /** Which budget was spent, said on the archive. */
        private final ProblemTexts.Text why;

        BudgetExceeded(String limit, Object... args) {
            this(limit, ProblemTexts.text("budget." + limit, args));
        }

        private BudgetExceeded(String limit, ProblemTexts.Text why) {
            super(why.english());
            this.limit = limit;
            this.why = why;
        }

        ProblemTexts.Text why() {
            return why;
        }

        /** Said on the member that was not read because of it. */
        ProblemTexts.Text notRead() {
            return ProblemTexts.text("budget.notRead." + limit, why.args().toArray());
        }
    }
}
