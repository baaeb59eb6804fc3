package dev.vmcase.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The debug log of a libvirtd that has just been installed or upgraded, whose monitor traffic is logged in full: the
 * "large replies" shape of a real libvirtd log, where most bytes are a few huge QEMU answers. A private
 * {@link LibvirtDaemon} with an <b>empty</b> QEMU capabilities cache (no warm-up) and
 * {@code log_filters="1:qemu 1:libvirt 1:json 1:util"} answers {@code virsh capabilities} and
 * {@code domcapabilities}: it probes each QEMU binary over QMP ({@code query-qmp-schema},
 * {@code query-cpu-definitions}, {@code query-command-line-options}, {@code qom-list-properties}, … each answer tens
 * to hundreds of KB, logged as {@code Line [...]} and as {@code QEMU_MONITOR_RECV_REPLY}). Then two domains run and
 * are asked, as an operator or a monitoring script would through {@code virsh qemu-monitor-command}, for
 * {@code query-pci}, {@code query-named-block-nodes} and {@code query-block} a few rounds over, with {@code virsh
 * domstats} between rounds; then they are destroyed and the daemon stopped. Nothing fails: this is the corpus of
 * {@code vmcase bench grow-log} for the second shape of {@code bench ingest --vs-lnav} (docs/cli.md), and a healthy
 * reference for the analysis. Evidence: {@code libvirtd.log}, the domain logs, {@code virsh-commands.txt}, what
 * {@code capabilities}/{@code domcapabilities} printed, {@code libvirtd.conf}, {@code qemu.conf},
 * {@code libvirtd-stderr.txt}, {@code versions.txt}. {@code --slot}/{@code --id} place the first domain's second disk.
 */
public final class LibvirtProbeScenario extends LibvirtScenario {
    /** libvirt's filters for debugging its QEMU driver with the JSON layer and utilities in full. */
    static final String FILTERS = "1:qemu 1:libvirt 1:json 1:util";
    /** The second domain: one disk, asked the same questions. */
    static final String OTHER = "instance-0000002b";
    static final String OTHER_UUID = "7a3c5e1e-2f4b-4c4e-9a51-00000000002b";
    /** Rounds of questions to each running domain. */
    static final int ROUNDS = 3;
    /** The fact giving the debug log's size. */
    public static final String LOG_BYTES = "libvirtd.log size";

    @Override
    public String name() {
        return "libvirt-probe";
    }

    @Override
    public Map<String, Path> logsToShow(Path out, String guest) {
        Map<String, Path> logs = new LinkedHashMap<>();
        logs.put("virsh", out.resolve("virsh-commands.txt"));
        logs.put("libvirtd", out.resolve("libvirtd-stderr.txt"));
        return logs;
    }

    @Override
    List<String> versionFacts() {
        return List.of(LOG_BYTES);
    }

    @Override
    void steps(LabRun run, VirshLog log, Images images) throws LabException, InterruptedException {
        Path out = run.out();
        LibvirtDaemon d = daemon(run, log, "private", "lv", HOST_A);
        d.logFilters(FILTERS);
        keep(run, d.debugLog(), "libvirtd.log");
        keep(run, d.stderrFile(), "libvirtd-stderr.txt");
        keep(run, d.config("libvirtd.conf"), "libvirtd.conf");
        keep(run, d.config("qemu.conf"), "qemu.conf");

        startDaemon(run, d); // no warm-up: the first question that needs QEMU's capabilities makes it probe them
        run.progress("lab.progress.probe", d.role());
        List<List<String>> probes = new ArrayList<>(List.of(d.virsh("capabilities"),
                d.virsh("domcapabilities", "--virttype", "qemu")));
        if (Files.exists(Path.of("/dev/kvm"))) {
            probes.add(d.virsh("domcapabilities", "--virttype", "kvm"));
        }
        for (List<String> probe : probes) {
            // capabilities.xml, domcapabilities-qemu.xml, domcapabilities-kvm.xml
            String file = String.join("-", probe.subList(3, probe.size())).replace("--virttype-", "") + ".xml";
            VirshLog.Result r = log.save(out.resolve(file), Duration.ofSeconds(180), probe);
            if (!r.ok() && !probe.contains("kvm")) { // KVM may be unusable here (a VM without nested virtualisation)
                throw new LabException("lab.error.virshFailed", VirshLog.display(probe), r.exit(), r.output().strip());
            }
        }

        // the domains' definitions go to the scratch folder: the bundle holds what the host's logs hold (the daemon
        // log, virsh's answers), not two inactive definitions without libvirt's aliases
        String first = run.guest();
        List<String> domains = List.of(first, OTHER);
        Path scratch = run.scratch();
        try {
            Files.move(out.resolve("domain-input.xml"), scratch.resolve(first + "-input.xml"));
        } catch (IOException e) {
            throw new LabException("lab.error.io", out, e.getMessage());
        }
        writeText(scratch.resolve(OTHER + "-input.xml"), domainXml(OTHER, OTHER_UUID, 64, run.qemu(),
                List.of(new Disk(image(run, OTHER + "-vda"), "vda", null))));
        for (String name : domains) {
            Path input = scratch.resolve(name + "-input.xml");
            must(log, d.virsh("define", input.toString()));
            run.progress("lab.progress.define", name, d.role());
            d.holds(name); // the last one is enough: teardown kills every QEMU named by a pid file of the daemon
            must(log, d.virsh("start", name));
            keep(run, d.domainLog(name), name + ".log");
        }
        pause(run, log, Duration.ofSeconds(1), "SeaBIOS runs; with nothing to boot the domains stay running");
        for (int round = 1; round <= ROUNDS; round++) {
            run.progress("lab.progress.ask", round, ROUNDS);
            for (String name : domains) {
                for (String query : List.of("query-pci", "query-named-block-nodes", "query-block")) {
                    must(log, d.virsh("qemu-monitor-command", name, "{\"execute\":\"" + query + "\"}"));
                }
            }
            must(log, d.virsh("domstats"));
        }
        for (String name : domains) {
            must(log, d.virsh("destroy", name));
            log.run(STEP, d.virsh("undefine", name));
        }
        d.holds(null);
        d.stop(Duration.ofSeconds(10));
        try {
            run.fact(LOG_BYTES, Files.size(d.debugLog()) + " bytes");
        } catch (IOException e) {
            run.fact(LOG_BYTES, "unknown: " + e.getMessage());
        }
    }
}
