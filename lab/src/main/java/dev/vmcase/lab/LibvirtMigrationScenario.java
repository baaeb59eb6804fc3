package dev.vmcase.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sample-cases/provenance/libvirt-migration/capture.sh} in Java, the healthy reference: two private libvirtd on this
 * machine, {@code src} and {@code dst} (own folders, own host UUID), the domain started on src and moved with
 * {@code virsh migrate --live --persistent --undefinesource --unsafe --verbose instance-0000002a DST-URI
 * --migrateuri tcp://127.0.0.1 --listen-address 127.0.0.1} (a managed direct migration: Begin3, Prepare3, Perform3,
 * Finish3, Confirm3). {@code --unsafe} because libvirt cannot know the scratch folder is shared storage.
 * {@code --id}/{@code --slot} place the second disk as in {@link LibvirtPendingUnplugScenario}; nothing is unplugged.
 * Evidence, under the script's names: {@code src-}/{@code dst-libvirtd.log}, {@code src-}/{@code
 * dst-instance-0000002a.log}, {@code src-}/{@code dst-events.txt}, {@code virsh-commands.txt}, {@code
 * domain-input.xml}, {@code src-domain-before.xml}, {@code dst-domain-after.xml}, {@code dst-qmp-query-migrate.json},
 * the configuration files and {@code versions.txt}.
 */
public final class LibvirtMigrationScenario extends LibvirtScenario {
    static final String MIGRATE_EXIT = "migrate exit code";
    static final String MIGRATE_DURATION = "migrate duration";
    static final String SOURCE_END = "source domain log ends";
    static final String DESTINATION_STATUS = "destination query-migrate";
    static final String DESTINATION_STATE = "destination domstate";

    @Override
    public String name() {
        return "libvirt-migration";
    }

    @Override
    public Map<String, Path> logsToShow(Path out, String guest) {
        Map<String, Path> logs = new LinkedHashMap<>();
        logs.put("virsh", out.resolve("virsh-commands.txt"));
        logs.put("src", out.resolve("src-" + guest + ".log"));
        logs.put("dst", out.resolve("dst-" + guest + ".log"));
        return logs;
    }

    @Override
    List<String> versionFacts() {
        return List.of(MIGRATE_EXIT, MIGRATE_DURATION);
    }

    @Override
    void steps(LabRun run, VirshLog log, Images images) throws LabException, InterruptedException {
        Path out = run.out();
        LibvirtDaemon src = daemon(run, log, "src", "src", HOST_A);
        LibvirtDaemon dst = daemon(run, log, "dst", "dst", HOST_B);
        for (LibvirtDaemon d : List.of(src, dst)) {
            String side = d.role();
            keep(run, d.debugLog(), side + "-libvirtd.log");
            keep(run, d.domainLog(run.guest()), side + "-" + run.guest() + ".log");
            keep(run, d.stderrFile(), side + "-libvirtd-stderr.txt");
            keep(run, d.config("libvirtd.conf"), side + "-libvirtd.conf");
        }
        keep(run, src.config("qemu.conf"), "qemu.conf");

        warmUp(run, log, src);
        warmUp(run, log, dst);
        startDaemon(run, src);
        startDaemon(run, dst);
        log.run(STEP, src.virsh("version"));
        for (LibvirtDaemon d : List.of(src, dst)) { // each daemon reports its own host UUID
            hostUuid(run, log, d);
        }
        must(log, src.virsh("define", out.resolve("domain-input.xml").toString()));
        run.progress("lab.progress.define", run.guest(), src.role());
        src.holds(run.guest());
        must(log, src.virsh("start", run.guest()));
        pause(run, log, Duration.ofSeconds(2), "SeaBIOS runs; with nothing to boot the domain stays running");
        mustSave(log, out.resolve("src-domain-before.xml"), src.virsh("dumpxml", run.guest()));

        Map<LibvirtDaemon, QemuProcess> events = new LinkedHashMap<>();
        for (LibvirtDaemon d : List.of(src, dst)) {
            events.put(d, log.background(out.resolve(d.role() + "-events.txt"),
                    d.virsh("event", "--all", "--loop", "--timestamp", "--timeout", "25")));
        }
        pause(run, log, Duration.ofSeconds(1), "virsh event connects");
        run.progress("lab.progress.libvirtMigrate");
        // the destination holds the domain from the moment the migration may have moved it
        dst.holds(run.guest());
        VirshLog.Result migrate = log.run(Duration.ofSeconds(180), src.virsh("migrate", "--live", "--persistent",
                "--undefinesource", "--unsafe", "--verbose", run.guest(), dst.uri(), "--migrateuri", "tcp://127.0.0.1",
                "--listen-address", "127.0.0.1"));
        run.fact(MIGRATE_EXIT, Integer.toString(migrate.exit()));
        run.fact(MIGRATE_DURATION, String.format(java.util.Locale.ROOT, "%.3f s", migrate.seconds()));
        run.fact("virsh migrate", migrate.describe());

        log.run(STEP, src.virsh("list", "--all"));
        log.run(STEP, dst.virsh("list", "--all"));
        if (migrate.ok()) {
            mustSave(log, out.resolve("dst-domain-after.xml"), dst.virsh("dumpxml", run.guest()));
            mustSave(log, out.resolve("dst-qmp-query-migrate.json"),
                    dst.virsh("qemu-monitor-command", run.guest(), "--pretty", "{\"execute\":\"query-migrate\"}"));
            VirshLog.Result state = log.run(STEP, dst.virsh("domstate", "--reason", run.guest()));
            run.fact(DESTINATION_STATE, state.output().strip());
            String status = read(out.resolve("dst-qmp-query-migrate.json")).lines()
                    .filter(l -> l.contains("\"status\"")).map(String::strip).findFirst().orElse("?");
            run.fact(DESTINATION_STATUS, status);
        }
        for (Map.Entry<LibvirtDaemon, QemuProcess> e : events.entrySet()) {
            log.interrupt(e.getValue(), run.budget(Duration.ofSeconds(5)));
        }

        LibvirtDaemon holder = migrate.ok() ? dst : src;
        must(log, holder.virsh("destroy", run.guest()));
        src.holds(null);
        dst.holds(null);
        log.run(STEP, holder.virsh("undefine", run.guest()));
        src.stop(Duration.ofSeconds(10));
        dst.stop(Duration.ofSeconds(10));
        String srcLog = read(src.domainLog(run.guest()));
        run.fact(SOURCE_END, srcLog.lines().filter(l -> l.contains("shutting down, reason="))
                .map(l -> l.substring(l.indexOf("shutting down"))).reduce((a, b) -> b).orElse("no shutdown line"));
        if (!migrate.ok()) {
            throw new LabException("lab.error.virshFailed", "virsh migrate", migrate.exit(), migrate.output().strip());
        }
    }

    /** {@code virsh capabilities | grep -m1 '<uuid>'} as the script runs it (virsh 9.0 has no --xpath). */
    private static void hostUuid(LabRun run, VirshLog log, LibvirtDaemon d) throws LabException, InterruptedException {
        List<String> v = d.virsh("capabilities");
        String pipe = v.get(0) + " " + v.get(1) + " '" + v.get(2) + "' " + v.get(3) + " | grep -m1 '<uuid>'";
        VirshLog.Result r = log.run(STEP, List.of("sh", "-c", pipe));
        run.fact("host uuid " + d.role(), r.ok() ? r.output().strip() : r.describe());
    }

    /** The summary line's arguments: migrate result, the source's last shutdown line, the destination's status. */
    public static Object[] summary(Map<String, String> facts) {
        return new Object[] {facts.getOrDefault("virsh migrate", "?"), facts.getOrDefault(SOURCE_END, "?"),
                facts.getOrDefault(DESTINATION_STATUS, "?") + ", " + facts.getOrDefault(DESTINATION_STATE, "?")};
    }
}
