package dev.vmcase.parsers.ingest;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Ids;
import dev.vmcase.model.Problem;
import dev.vmcase.model.Role;
import dev.vmcase.model.Timeline;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.LineReader;
import dev.vmcase.parsers.ProblemTexts;
import dev.vmcase.parsers.ProgressMonitor;
import dev.vmcase.parsers.TextSource;
import dev.vmcase.parsers.text.EmbeddedEvidenceParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads files, directories (recursively, in path order) and archives into {@link Evidence}. Each file is recognised
 * by its content; a file nobody parses is listed as unrecognised; a file that cannot be read gets a problem naming
 * it, and the rest still loads. A file whose first bytes are gzip, xz, bzip2, tar or zip is read member by member by
 * {@link ArchiveReader} (nested archives too), within the limits of {@link IngestOptions}.
 */
public final class Ingest {
    private static final System.Logger LOG = System.getLogger(Ingest.class.getName());
    private static final int SNIFF_BYTES = 8192;

    private Ingest() {
    }

    public static Evidence load(List<Path> inputs, ProgressMonitor monitor) {
        return load(inputs, IngestOptions.DEFAULTS, monitor);
    }

    public static Evidence load(List<Path> inputs, IngestOptions options, ProgressMonitor monitor) {
        return load(inputs, options, monitor, Files::newDirectoryStream);
    }

    /** As {@link #load(List, IngestOptions, ProgressMonitor)}, listing folders with {@code lister} (tests). */
    static Evidence load(List<Path> inputs, IngestOptions options, ProgressMonitor monitor, Folders.Lister lister) {
        cleanStaleSpools(options);
        List<Path> files = new ArrayList<>();
        List<Artifact> artifacts = new ArrayList<>();
        java.util.Set<Path> describing = new java.util.HashSet<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                // a link the user named is followed; inside, Folders decides (and names what it leaves out)
                Folders.Walk walk = Folders.walk(p, lister);
                files.addAll(walk.files());
                walk.skipped().forEach(s -> artifacts.add(unreadable(s.path(), s.reason())));
                describing.addAll(DescribingFiles.descriptions(p, walk.files()));
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                artifacts.add(unreadable(p, ProblemTexts.text(Files.exists(p) ? "ingest.notRegularFile" : "ingest.noSuchFile")));
            }
        }
        EvidenceBuilder builder = new EvidenceBuilder();
        artifacts.forEach(builder::artifact);
        int done = 0;
        for (Path f : files) {
            if (monitor.isCancelled()) {
                break;
            }
            int index = done++;
            monitor.progress(index, files.size(), f.toString());
            if (ArchiveReader.detect(f).isPresent()) {
                ArchiveReader.read(f, options, monitor, member -> monitor.progress(index, files.size(), member),
                        builder);
            } else {
                builder.add(readFile(f, monitor, describing.contains(f)));
            }
        }
        monitor.progress(files.size(), files.size(), "");
        return builder.build();
    }

    static final java.util.Set<Path> CLEANED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Once per folder and process: the spool folders a killed vmcase left behind are deleted. */
    static void cleanStaleSpools(IngestOptions options) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        for (Path dir : options.workDir() == null ? List.of(tmp) : List.of(tmp, options.workDir())) {
            if (CLEANED.add(dir.toAbsolutePath())) {
                Folders.deleteStale(dir, "vmcase-ingest-", "");
            }
        }
    }

    /** Reads one file; never throws. */
    public static ReadResult readFile(Path file) {
        return readFile(file, ProgressMonitor.NONE);
    }

    /** Reads one file, reporting progress within it to {@code monitor} and stopping when it is cancelled. */
    public static ReadResult readFile(Path file, ProgressMonitor monitor) {
        return readFile(file, monitor, false);
    }

    /**
     * @param describing the file sits beside a sample case's evidence ({@link DescribingFiles#descriptions}): unless
     *                   a format parser reads it as evidence, it is the case's note and is not read for evidence
     */
    static ReadResult readFile(Path file, ProgressMonitor monitor, boolean describing) {
        try {
            if (Files.size(file) >= HASH_ALONGSIDE_BYTES) {
                return readBig(file, monitor, describing);
            }
        } catch (IOException e) {
            return ReadResult.of(unreadable(file, ProblemTexts.text("ingest.cannotRead", e.getMessage())));
        }
        long size;
        String sha;
        byte[] head;
        try {
            size = Files.size(file);
            MessageDigest md = Ids.sha256();
            head = new byte[(int) Math.min(SNIFF_BYTES, size)];
            int headLen = 0;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    int take = Math.min(n, head.length - headLen);
                    if (take > 0) {
                        System.arraycopy(buf, 0, head, headLen, take);
                        headLen += take;
                    }
                }
            }
            sha = HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return ReadResult.of(unreadable(file, ProblemTexts.text("ingest.cannotRead", e.getMessage())));
        }
        TextSource source = TextSource.of(file, sha).watched(monitor, size);
        return read(source, size, head, describing, monitor);
    }

    /** The start of the warning logged when the heap ran out while a file was read (benches look for it). */
    public static final String OUT_OF_MEMORY_WARNING = "the Java heap ran out";

    /** From this size on, a file is hashed on a second thread while it is parsed, not read twice in a row. */
    static final long HASH_ALONGSIDE_BYTES = 4 << 20;

    /**
     * A big file: read and hashed on its own thread (the second core, {@link ReadAhead}), which hands the parser the
     * blocks it read; the parser reads under a stand-in hash, which is then replaced in everything it found.
     */
    private static ReadResult readBig(Path file, ProgressMonitor monitor, boolean describing) throws IOException {
        long size = Files.size(file);
        byte[] head = new byte[(int) Math.min(SNIFF_BYTES, size)];
        int headLen = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while (headLen < head.length && (n = in.read(head, headLen, head.length - headLen)) > 0) {
                headLen += n;
            }
        }
        head = java.util.Arrays.copyOf(head, headLen);
        ReadAhead ahead = ReadAhead.start(file);
        String standIn = "sha256-pending:" + Ids.sha256Hex(file.toString() + System.nanoTime());
        TextSource source = new TextSource(file.toString(), standIn, () -> {
            try {
                return ahead.open();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ReadResult r;
        try {
            r = read(source.watched(monitor, size), size, head, describing, monitor);
        } finally {
            ahead.detach();
        }
        String sha;
        try {
            sha = ahead.sha256();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ahead.cancel();
            return ReadResult.of(unreadable(file, ProblemTexts.text("ingest.cannotRead", "interrupted")));
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof OutOfMemoryError)) {
                return ReadResult.of(unreadable(file, ProblemTexts.text("ingest.cannotRead", e.getCause().getMessage())));
            }
            // the heap ran out on the reading thread too, while the parser's records filled it (they were let go
            // since, and the problem says so): hashed again, on this thread
            try {
                sha = Ids.sha256Of(file);
            } catch (IOException io) {
                return ReadResult.of(unreadable(file, ProblemTexts.text("ingest.cannotRead", io.getMessage())));
            }
        }
        Artifact a = r.artifact();
        if (r.sink() != null) {
            r.sink().rebind(sha);
        }
        return new ReadResult(a.withSha256(sha), r.sink());
    }

    /** Recognises and parses a source whose first bytes are {@code head}. */
    public static ReadResult read(TextSource source, long size, byte[] head) {
        return read(source, size, head, false, ProgressMonitor.NONE);
    }

    /** @param monitor told the timeline entries as they are indexed ({@link ProgressMonitor#indexed}) */
    private static ReadResult read(TextSource source, long size, byte[] head, boolean describing,
                                   ProgressMonitor monitor) {
        String path = source.path();
        if (size == 0) {
            return ReadResult.of(new Artifact(source.sha256(), path, 0, Artifact.UNRECOGNIZED, null, Role.UNKNOWN,
                    List.of(ProblemTexts.problem(path, 0, "ingest.emptyFile"))));
        }
        Optional<Problem> binary = notRead(path, head);
        if (binary.isPresent()) {
            return ReadResult.of(new Artifact(source.sha256(), path, size, Artifact.UNRECOGNIZED, null, Role.UNKNOWN,
                    List.of(binary.get())));
        }
        Head sniff = readHead(source);
        Optional<String> describes = DescribingFiles.kind(sniff);
        // a ticket or a mail is read as pasted text even when a parser would claim it for a few lines of its form:
        // the pasted-text reader hands each region to the parser of its form
        List<Object[]> crashedDetectors = new ArrayList<>();
        Optional<EvidenceParser> parser = describes.isPresent() || EmbeddedEvidenceParser.isPastedDocument(sniff)
                ? Optional.empty()
                : ParserRegistry.detect(sniff, (p, e) -> crashedDetectors.add(new Object[] {p.format(), e}));
        if (describes.isPresent() || describing && parser.isEmpty() && crashedDetectors.isEmpty()) {
            // an answer key, a script or a case's description: listed, never read for evidence
            return ReadResult.of(new Artifact(source.sha256(), path, size,
                    describes.orElse(DescribingFiles.CASE_NOTE), null, Role.UNKNOWN, List.of()));
        }
        EvidenceParser chosen = parser.orElse(ParserRegistry.fallback());
        EvidenceSink sink = EvidenceSink.forSource(source);
        crashedDetectors.forEach(crash -> sink.problemOf(0, "ingest.detectorFailed", crash));
        if (monitor != ProgressMonitor.NONE) {
            String format = chosen.format();
            sink.watchTimeline(soFar -> monitor.indexed(path, format, soFar));
        }
        try {
            chosen.parse(source, sink);
        } catch (RuntimeException | StackOverflowError e) {
            // what the parser found before it failed stays (the sink keeps it); the failure is the file's problem
            LOG.log(System.Logger.Level.WARNING, "the " + chosen.format() + " parser failed on " + path, e);
            sink.problemOf(0, "ingest.parserFailed", chosen.format(), e);
        } catch (OutOfMemoryError e) {
            // the file holds more records than the heap: what was read of it goes, so that the rest of the evidence
            // loads, and the problem says where the reading stopped and how much memory to give instead
            int last = sink.discardRecords();
            long maxMb = Runtime.getRuntime().maxMemory() >> 20;
            String enough = Long.toString(Long.highestOneBit(Math.max(64, maxMb - 1)) << 3); // about four times
            sink.problemOf(last, "ingest.outOfMemory", maxMb, enough);
            LOG.log(System.Logger.Level.WARNING, OUT_OF_MEMORY_WARNING + " while reading " + path
                    + " (last record at line " + last + "): its records were let go");
        }
        if (source.notUtf8Lines() > 0) {
            int n = source.notUtf8Lines();
            if (n == 1) {
                sink.problemOf(source.firstNotUtf8Line(), "ingest.notUtf8Line");
            } else {
                sink.problemOf(source.firstNotUtf8Line(), "ingest.notUtf8Lines", n);
            }
        }
        if (source.cancelledAtLine() > 0) {
            sink.problemOf(source.cancelledAtLine(), "ingest.cancelled");
        }
        sink.finish();
        String format = chosen.format();
        if (parser.isEmpty() && sink.events().isEmpty() && sink.backtraces().isEmpty() && sink.qmpMessages().isEmpty()
                && sink.observations().isEmpty()) {
            format = Artifact.UNRECOGNIZED;
        }
        Artifact artifact = new Artifact(source.sha256(), path, size, format, sink.host(), sink.role(), sink.problems(),
                sink.guest());
        return new ReadResult(artifact, sink);
    }

    private static Head readHead(TextSource source) {
        List<String> lines = new ArrayList<>();
        try (LineReader r = source.lines()) {
            String l;
            while (lines.size() < Head.MAX_LINES && (l = r.next()) != null) {
                lines.add(l.length() > 4096 ? l.substring(0, 4096) : l);
            }
        } catch (RuntimeException e) {
            // a read that fails within the first lines: sniff what was read; the parser's read meets the same
            // failure inside the guard, which names it
        }
        return new Head(lines);
    }

    /** Why a file whose first bytes are {@code head} is not read at all (binary, and no binary format we read). */
    static Optional<Problem> notRead(String path, byte[] head) {
        Optional<Problem> binary = binaryProblem(path, TextSource.textHead(head));
        return binary.isPresent() && dev.vmcase.parsers.time.TzifFile.isTzif(head) ? Optional.empty() : binary;
    }

    /** NUL bytes or mostly control characters in the first bytes mean this is no text. */
    static Optional<Problem> binaryProblem(String path, byte[] head) {
        int control = 0;
        for (byte b : head) {
            if (b == 0) {
                return Optional.of(ProblemTexts.problem(path, 0, "ingest.binaryNul"));
            }
            if (b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1b) {
                control++;
            }
        }
        if (head.length > 0 && control * 10 > head.length) {
            return Optional.of(ProblemTexts.problem(path, 0, "ingest.binaryControl", control, head.length));
        }
        return Optional.empty();
    }

    private static Artifact unreadable(Path p, ProblemTexts.Text why) {
        return new Artifact(Ids.sha256Hex(p.toString()), p.toString(), 0, Artifact.UNRECOGNIZED, null, Role.UNKNOWN,
                List.of(why.at(p.toString(), 0)));
    }

    /** One file's artifact and what its parser found. */
    public record ReadResult(Artifact artifact, EvidenceSink sink) {
        static ReadResult of(Artifact a) {
            return new ReadResult(a, null);
        }
    }

    /** Accumulates read results into {@link Evidence}. */
    public static final class EvidenceBuilder {
        private final List<Artifact> artifacts = new ArrayList<>();
        private final Evidence.Builder parts = new Evidence.Builder();
        private final Timeline.Builder timeline = new Timeline.Builder();
        private final java.util.Map<String, java.util.function.IntUnaryOperator> quoteDepths = new java.util.HashMap<>();

        public void artifact(Artifact a) {
            artifacts.add(a);
        }

        public void add(ReadResult r) {
            artifacts.add(r.artifact());
            if (r.sink() != null) {
                r.sink().drainInto(parts);
                timeline.add(r.sink().timelineSegment(r.artifact().sha256()));
                timeline.add(r.sink().localSegment(r.artifact().sha256()));
                quoteDepths.put(r.artifact().sha256(), r.sink().quoteDepths());
            }
        }

        /** The evidence, each line cited once: quoted copies merged into their originals ({@link QuotedDuplicates}). */
        public Evidence build() {
            QuotedDuplicates.merge(artifacts, parts, quoteDepths);
            return new Evidence(artifacts, parts.events, parts.qmp, parts.observations, parts.backtraces,
                    timeline.build(), parts.coverage);
        }
    }
}
