package dev.vmcase.app;

import dev.vmcase.app.audit.AuditArchive;
import dev.vmcase.app.audit.AuditJson;
import dev.vmcase.app.audit.AuditTexts;
import dev.vmcase.app.audit.FleetMerge;
import dev.vmcase.app.audit.FleetReport;
import dev.vmcase.app.audit.FleetWindow;
import dev.vmcase.app.audit.HostAudit;
import dev.vmcase.app.audit.Verdict;
import dev.vmcase.app.audit.VmAudit;

import dev.vmcase.parsers.ingest.Folders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code vmcase bench fleet --from HOSTS --hosts 500 --vms 40}: a big fleet made of replicas of real host audits (the
 * VMs of {@code --from}, folders or archives as the playbook fetches them, each copied under a name of its own: host
 * {@code bench-NNNN}, VM {@code instance-NNNNNNNN}, its bundle's files hard-linked), written as one archive per host
 * with audit.json and the blocked and unknown VMs' bundles, as the playbook fetches them by default; then
 * {@code vmcase audit merge} of them in this JVM, timed, with the peak heap; the fleet view's rows and the Markdown
 * report timed too. {@code --blocked} and {@code --unknown} are the shares of VMs that are replicas of a blocked or an
 * unknown VM (the rest of a ready one). Prints figures; asserts nothing.
 */
@Command(name = "fleet", resourceBundle = AuditTexts.BUNDLE, mixinStandardHelpOptions = true)
public final class BenchFleetCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "HOSTS", descriptionKey = "bench.fleet.from")
    Path from;

    @Option(names = "--hosts", defaultValue = "500", descriptionKey = "bench.fleet.hosts")
    int hosts;

    @Option(names = "--vms", defaultValue = "40", descriptionKey = "bench.fleet.vms")
    int vms;

    @Option(names = "--blocked", defaultValue = "0.02", descriptionKey = "bench.fleet.blocked")
    double blocked;

    @Option(names = "--unknown", defaultValue = "0.01", descriptionKey = "bench.fleet.unknown")
    double unknown;

    @Option(names = "--work", paramLabel = "DIR", descriptionKey = "bench.fleet.work")
    Path work;

    /** A real VM to copy: its audit and where its bundle is. */
    private record Source(VmAudit vm, Path bundle) {
    }

    @Override
    public Integer call() throws Exception {
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("vmcase-bench-fleet");
        try {
            List<Source> sources = sources(dir.resolve("sources"));
            List<Source> bad = sources.stream().filter(s -> s.vm().verdict() == Verdict.BLOCKED).toList();
            List<Source> odd = sources.stream().filter(s -> s.vm().verdict() == Verdict.UNKNOWN).toList();
            List<Source> good = sources.stream().filter(s -> s.vm().verdict() == Verdict.READY).toList();
            if (bad.isEmpty() || odd.isEmpty() || good.isEmpty()) {
                System.err.println(AuditTexts.text("bench.fleet.needs", from));
                return 2;
            }
            long t0 = System.nanoTime();
            Path archives = Files.createDirectories(dir.resolve("hosts"));
            Random random = new Random(21);
            HostAudit template = AuditJson.readHost(sources.get(0).bundle().getParent().getParent().resolve(HostAudit.FILE));
            int n = 0;
            for (int h = 0; h < hosts; h++) {
                String host = String.format("bench-%04d", h);
                Path hostDir = Files.createDirectories(dir.resolve("build").resolve(host));
                List<VmAudit> list = new ArrayList<>();
                for (int v = 0; v < vms; v++) {
                    double x = random.nextDouble();
                    List<Source> pool = x < blocked ? bad : x < blocked + unknown ? odd : good;
                    Source s = pool.get(random.nextInt(pool.size()));
                    String name = String.format("instance-%08x", n++);
                    String bundle = "vms/" + name;
                    link(s.bundle(), hostDir.resolve(bundle));
                    VmAudit a = s.vm();
                    list.add(new VmAudit(name, a.uuid(), a.verdict(), bundle, a.capture(), a.started(), a.seconds(),
                            a.findings(), a.gaps()));
                }
                HostAudit audit = new HostAudit(template.format(), template.formatVersion(), template.tool(), host,
                        host, template.uri(), template.connection(), template.strict(), template.started(),
                        template.finished(), template.facts(), template.daemonLog(), null, List.of(), List.of(), list);
                AuditJson.write(audit, hostDir.resolve(HostAudit.FILE));
                AuditArchive.write(audit, hostDir, archives.resolve(host + ".tar.gz"), AuditArchive.Bundles.PROBLEMS,
                        false);
                Folders.deleteTree(hostDir);
            }
            double built = (System.nanoTime() - t0) / 1e9;
            long input = 0;
            try (var s = Files.list(archives)) {
                for (Path p : s.toList()) {
                    input += Files.size(p);
                }
            }
            System.gc();
            BenchCommand.resetPeaks();
            long cpu0 = cpu();
            long m0 = System.nanoTime();
            FleetMerge.Result r = FleetMerge.merge(List.of(archives), List.of(), FleetMerge.Evidence.PROBLEMS,
                    dir.resolve("fleet.vmcase"), line -> { });
            double merge = (System.nanoTime() - m0) / 1e9;
            double cpu = (cpu() - cpu0) / 1e9;
            long peak = BenchCommand.peakHeap();
            long r0 = System.nanoTime();
            FleetWindow.rows(r.fleet(), "fleet.vmcase", Locale.ENGLISH);
            double rows = (System.nanoTime() - r0) / 1e9;
            long p0 = System.nanoTime();
            java.io.StringWriter md = new java.io.StringWriter();
            new FleetReport(r.fleet(), "fleet.vmcase", Locale.ENGLISH)
                    .write(dev.vmcase.casefile.CaseReport.markdownSink(md, dir.resolve("img")));
            double report = (System.nanoTime() - p0) / 1e9;
            long vmsTotal = (long) hosts * vms;
            System.out.println(AuditTexts.text(Locale.ROOT, "bench.fleet.result", hosts, vms, vmsTotal,
                    r.fleet().count(Verdict.BLOCKED), r.fleet().count(Verdict.UNKNOWN), sources.size(),
                    String.format(Locale.ROOT, "%.1f", built), input >> 20,
                    String.format(Locale.ROOT, "%.1f", merge), String.format(Locale.ROOT, "%.1f", cpu), peak >> 20,
                    Runtime.getRuntime().maxMemory() >> 20, r.files(), Files.size(r.caseFile()) >> 20,
                    String.format(Locale.ROOT, "%.2f", rows), String.format(Locale.ROOT, "%.2f", report),
                    md.getBuffer().length() >> 10));
            return 0;
        } finally {
            if (work == null) {
                Folders.deleteTree(dir);
            }
        }
    }

    /** The VMs of every host audit of {@code --from}, unpacked into {@code into}. */
    private List<Source> sources(Path into) throws IOException {
        List<Source> out = new ArrayList<>();
        int i = 0;
        for (Path in : FleetMerge.expand(List.of(from))) {
            Path folder = Files.isDirectory(in) ? in : FleetMerge.untar(in, into.resolve("h" + i++));
            HostAudit h = AuditJson.readHost(folder.resolve(HostAudit.FILE));
            for (VmAudit vm : h.vms()) {
                Path b = folder.resolve(vm.bundle()).normalize();
                if (b.startsWith(folder) && Files.isDirectory(b)) {
                    out.add(new Source(vm, b));
                }
            }
        }
        return out;
    }

    /** The bundle's files hard-linked (copied where links are not possible). */
    private static void link(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                Path t = to.resolve(f.getFileName().toString());
                try {
                    Files.createLink(t, f);
                } catch (UnsupportedOperationException | IOException e) {
                    Files.copy(f, t);
                }
            }
        }
    }

    private static long cpu() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
    }
}
