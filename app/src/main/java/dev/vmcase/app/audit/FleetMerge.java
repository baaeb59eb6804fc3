package dev.vmcase.app.audit;

import dev.vmcase.casefile.CaseArtifact;
import dev.vmcase.casefile.CaseFile;
import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.CaseLimits;
import dev.vmcase.casefile.CaseNotes;
import dev.vmcase.model.Ids;
import dev.vmcase.parsers.ingest.Folders;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code vmcase audit merge}: the hosts' audits (folders holding {@code audit.json} and the bundles the host sent, or
 * {@code .tar.gz} archives of them, recognised by their bytes; a folder of those, one level down) and the hosts that
 * sent nothing become one fleet case: a {@code .vmcase} file (docs/case-format.md) whose first artifact is
 * {@code fleet.json} ({@link FleetDocument}) and whose other artifacts are the bundles of the VMs that need a look
 * (blocked and unknown first), each file under {@code HOST/BUNDLE/…} with its host assigned, so the workbench opens
 * any of them as evidence.
 * <p>
 * The merge never analyses again: each host's verdicts are its own audit's. It never trusts a host's paths either: a
 * bundle named outside its host folder, a link, an archive member leaving its folder are left out. A case holds at
 * most {@link #MAX_FILES} evidence files and {@link #MAX_BYTES} bytes (below what vmcase opens: {@link CaseLimits});
 * the VMs whose bundles do not fit are listed in fleet.json ({@code left-out}) and in the case's {@code omitted}.
 */
public final class FleetMerge {
    /** Evidence files a fleet case holds at most, leaving room below {@link CaseLimits#DEFAULT}'s entries. */
    static final int MAX_FILES = CaseLimits.DEFAULT.maxEntries() - 1000;
    static final long MAX_BYTES = 2L << 30;
    /** An archive from a host may hold no more than this (uncompressed). */
    static final long MAX_ARCHIVE_BYTES = 8L << 30;

    /** Which VMs' bundles go into the case. */
    public enum Evidence {
        /** Blocked and unknown VMs. */
        PROBLEMS,
        /** Every VM whose bundle reached the controller. */
        ALL,
        /** None: the verdicts and their evidence lines only. */
        NONE
    }

    /** A host that sent nothing: its name and the reason the playbook gives. */
    public record Missing(String host, String reason) {
    }

    /** What came of a merge: the document and the case written. */
    public record Result(FleetDocument fleet, Path caseFile, int files, long bytes) {
    }

    private FleetMerge() {
    }

    public static Result merge(List<Path> inputs, List<Missing> missing, Evidence evidence, Path caseFile,
                               Consumer<String> progress) throws IOException {
        return merge(inputs, missing, evidence, caseFile, progress, MAX_FILES, MAX_BYTES);
    }

    /** As {@link #merge(List, List, Evidence, Path, Consumer)}, with the case's evidence bounded by these. */
    static Result merge(List<Path> inputs, List<Missing> missing, Evidence evidence, Path caseFile,
                        Consumer<String> progress, int maxFiles, long maxBytes) throws IOException {
        Path target = caseFile.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempDirectory(target.getParent(), ".vmcase-merge-");
        try {
            List<Loaded> loaded = new ArrayList<>();
            Map<Path, String> hashes = new HashMap<>();
            int n = 0;
            for (Path in : expand(inputs)) {
                progress.accept(AuditTexts.text("merge.progress.read", in, ++n));
                loaded.add(load(in, staging.resolve("in-" + n), evidence, hashes));
            }
            return write(loaded, missing, evidence, target, staging, maxFiles, maxBytes, hashes);
        } finally {
            Folders.deleteTree(staging);
        }
    }

    /** A folder holding no audit.json stands for the host folders and archives in it. */
    public static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in) && !Files.exists(in.resolve(HostAudit.FILE))) {
                try (Stream<Path> s = Files.list(in)) {
                    s.filter(p -> Files.isDirectory(p) ? Files.exists(p.resolve(HostAudit.FILE)) : isGzip(p))
                            .sorted().forEach(out::add);
                }
            } else {
                out.add(in);
            }
        }
        return out;
    }

    /** An input read: where its host folder is now, its audit, or why it could not be read. */
    private record Loaded(Path source, Path folder, HostAudit audit, String problem, Set<String> sent) {
    }

    private static Loaded load(Path in, Path scratch, Evidence evidence, Map<Path, String> hashes) {
        Set<String> sent = new HashSet<>();
        try {
            Path folder;
            if (Files.isDirectory(in)) {
                folder = in;
            } else if (isGzip(in)) {
                folder = untar(in, scratch, evidence, hashes, sent);
            } else {
                return new Loaded(in, null, null, AuditTexts.text("merge.problem.notAudit"), Set.of());
            }
            Path json = folder.resolve(HostAudit.FILE);
            if (!Files.isRegularFile(json)) {
                return new Loaded(in, folder, null, AuditTexts.text("merge.problem.noAuditJson"), sent);
            }
            return new Loaded(in, folder, AuditJson.readHost(json), null, sent);
        } catch (IOException e) {
            // the host's archive is unreadable: the host is listed in the fleet case with this reason, not dropped
            return new Loaded(in, null, null, e.getMessage(), Set.of());
        }
    }

    private static boolean isGzip(Path p) {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            // unreadable: not taken for a host archive; the merge reports it as not an audit
            return false;
        }
    }

    /**
     * Extracts a host's archive: regular files only, each inside {@code into} (a member named outside it, a link, a
     * device is skipped), at most {@link #MAX_ARCHIVE_BYTES} in all.
     */
    public static Path untar(Path archive, Path into) throws IOException {
        return untar(archive, into, null, new HashMap<>(), new HashSet<>());
    }

    /**
     * As {@link #untar(Path, Path)}; when {@code audit.json} comes first (as {@code vmcase audit --archive} writes
     * it), only the bundles {@code evidence} can use are extracted (every member when {@code evidence} is null);
     * {@code sent} gets every bundle the archive holds, extracted or not. Each file's sha256 is taken while it is
     * written ({@code hashes}), so the case does not read it again to name it.
     */
    static Path untar(Path archive, Path into, Evidence evidence, Map<Path, String> hashes, Set<String> sent)
            throws IOException {
        Files.createDirectories(into);
        Path root = into.toRealPath();
        long total = 0;
        Set<String> wanted = null; // bundle folders worth extracting, once audit.json is known
        Set<String> all = Set.of();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            boolean first = true;
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; first = false) {
                if (!e.isFile()) {
                    continue;
                }
                Path to = root.resolve(e.getName()).normalize();
                if (!to.startsWith(root) || to.equals(root)) {
                    continue;
                }
                String rel = root.relativize(to).toString().replace('\\', '/');
                all.stream().filter(b -> rel.startsWith(b + "/")).findFirst().ifPresent(sent::add);
                if (wanted != null && !rel.equals(HostAudit.FILE) && wanted.stream().noneMatch(b -> rel.startsWith(b + "/"))) {
                    continue;
                }
                total += e.getSize();
                if (total > MAX_ARCHIVE_BYTES) {
                    throw new IOException(archive + ": more than " + (MAX_ARCHIVE_BYTES >> 30) + " GiB unpacked");
                }
                Files.createDirectories(to.getParent());
                MessageDigest md = Ids.sha256();
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(to), md)) {
                    tar.transferTo(out);
                }
                hashes.put(to, HexFormat.of().formatHex(md.digest()));
                if (first && rel.equals(HostAudit.FILE)) {
                    HostAudit h = AuditJson.readHost(to);
                    wanted = evidence == null ? null : wanted(h, evidence);
                    all = wanted(h, Evidence.ALL);
                }
            }
        } catch (IOException e) {
            throw new IOException(archive + ": " + e.getMessage(), e);
        }
        return root;
    }

    /** The bundle folders of a host's audit the case can use. */
    private static Set<String> wanted(HostAudit h, Evidence evidence) {
        Set<String> out = new HashSet<>();
        for (VmAudit vm : h.vms()) {
            if (vm.bundle() != null && (evidence == Evidence.ALL
                    || (evidence == Evidence.PROBLEMS && vm.verdict() != Verdict.READY))) {
                out.add(vm.bundle());
            }
        }
        return out;
    }

    private static Result write(List<Loaded> loaded, List<Missing> missing, Evidence evidence, Path target,
                                Path staging, int maxFiles, long maxBytes, Map<Path, String> hashes)
            throws IOException {
        // one audit per host: a host audited twice (a re-run) keeps its latest
        Map<String, Loaded> byHost = new LinkedHashMap<>();
        List<FleetHost> hosts = new ArrayList<>();
        for (Loaded l : loaded) {
            if (l.audit() == null) {
                hosts.add(new FleetHost(l.source().getFileName().toString(), FleetHost.UNREADABLE, l.problem(),
                        l.source().toString(), null, Map.of()));
                continue;
            }
            Loaded was = byHost.get(l.audit().host());
            if (was == null || String.valueOf(was.audit().finished()).compareTo(String.valueOf(l.audit().finished())) < 0) {
                byHost.put(l.audit().host(), l);
            }
        }
        // the case's evidence: the VMs that need a look first, as long as it fits
        List<Candidate> candidates = new ArrayList<>();
        for (Loaded l : byHost.values()) {
            for (VmAudit vm : l.audit().vms()) {
                candidates.add(new Candidate(l, vm));
            }
        }
        candidates.sort(Comparator.comparing((Candidate c) -> c.vm().verdict()).thenComparing(c -> c.loaded().audit().host())
                .thenComparing(c -> c.vm().name()));
        Map<String, Map<String, String>> where = new LinkedHashMap<>();
        Map<Path, Included> included = new LinkedHashMap<>(); // bundle folder -> its host and name, in the case's order
        List<CaseFile.Omitted> omitted = new ArrayList<>();
        long bytes = 0;
        int count = 0;
        for (Candidate c : candidates) {
            String host = c.loaded().audit().host();
            Map<String, String> w = where.computeIfAbsent(host, k -> new LinkedHashMap<>());
            Path bundle = bundle(c.loaded().folder(), c.vm().bundle());
            boolean wanted = evidence == Evidence.ALL
                    || (evidence == Evidence.PROBLEMS && c.vm().verdict() != Verdict.READY);
            if (!wanted) {
                boolean there = bundle != null || c.loaded().sent().contains(c.vm().bundle());
                w.put(c.vm().name(), there ? FleetHost.NOT_INCLUDED : FleetHost.NOT_FETCHED);
                continue;
            }
            if (bundle == null) {
                w.put(c.vm().name(), FleetHost.NOT_FETCHED);
                continue;
            }
            List<Path> bundleFiles = Folders.walk(bundle).files();
            long size = 0;
            for (Path f : bundleFiles) {
                size += Files.size(f);
            }
            if (count + bundleFiles.size() > maxFiles || bytes + size > maxBytes) {
                w.put(c.vm().name(), FleetHost.LEFT_OUT);
                omitted.add(new CaseFile.Omitted(host + "/" + c.vm().bundle(),
                        AuditTexts.text(Locale.ROOT, "merge.omitted.full", maxFiles, maxBytes >> 20)));
                continue;
            }
            count += bundleFiles.size();
            bytes += size;
            included.put(bundle, new Included(host, host + "/" + c.vm().bundle()));
            w.put(c.vm().name(), FleetHost.IN_CASE);
        }
        for (Loaded l : byHost.values()) {
            HostAudit a = l.audit();
            String status = a.error() == null ? FleetHost.AUDITED : FleetHost.NOT_AUDITED;
            hosts.add(new FleetHost(a.host(), status, a.error(), l.source().toString(), a,
                    where.getOrDefault(a.host(), Map.of())));
        }
        for (Missing m : missing) {
            if (!byHost.containsKey(m.host())) {
                hosts.add(new FleetHost(m.host(), FleetHost.MISSING, m.reason(), null, null, Map.of()));
            }
        }
        hosts.sort(Comparator.comparing(FleetHost::host));
        FleetDocument doc = new FleetDocument(FleetDocument.FORMAT, FleetDocument.FORMAT_VERSION, CaseFile.TOOL_VERSION,
                Instant.now().toString(), hosts);
        Path json = staging.resolve(FleetDocument.FILE);
        AuditJson.write(doc, json);
        // CaseFile names, numbers and hashes the files; each bundle file is then named HOST/BUNDLE/FILE and given its host
        List<Path> inputs = new ArrayList<>();
        inputs.add(json);
        inputs.addAll(included.keySet());
        CaseFile c = CaseFile.fromInputs(inputs, hashes);
        List<CaseArtifact> named = new ArrayList<>();
        for (CaseArtifact a : c.artifacts()) {
            Path p = c.pathOf(a).toAbsolutePath().normalize();
            CaseArtifact n = a;
            for (Path b = p.getParent(); b != null; b = b.getParent()) {
                Included in = included.get(b);
                if (in != null) {
                    n = new CaseArtifact(a.entry(), in.name() + "/" + b.relativize(p).toString().replace('\\', '/'),
                            a.size(), a.sha256(), safeHost(in.host()), null);
                    break;
                }
            }
            named.add(n);
        }
        List<CaseFile.Omitted> left = new ArrayList<>(c.omitted());
        left.addAll(omitted);
        CaseFile fleet = new CaseFile(c.created(), c.modified(), named, c.files(), CaseNotes.EMPTY, left);
        CaseIO.save(fleet, target);
        return new Result(doc, target, named.size(), bytes + Files.size(json));
    }

    private record Candidate(Loaded loaded, VmAudit vm) {
    }

    /** A bundle in the case: its host, and its name there ({@code HOST/vms/NAME}). */
    private record Included(String host, String name) {
    }

    /** The VM's bundle folder inside the host's folder, or null when absent or named outside it. */
    private static Path bundle(Path folder, String bundle) {
        if (folder == null || bundle == null || bundle.isBlank()) {
            return null;
        }
        try {
            Path root = folder.toRealPath();
            Path p = root.resolve(bundle).normalize();
            if (!p.startsWith(root) || p.equals(root) || !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            return p;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            // a bundle path that does not resolve inside the host's folder is refused like one that escapes it
            return null;
        }
    }

    /** A case's host has no '=' nor control characters. */
    private static String safeHost(String host) {
        String h = host.replace('=', '_').codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return h.isBlank() ? null : h;
    }
}
