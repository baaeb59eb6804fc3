package dev.vmcase.lab;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sample-cases/provenance/libvirt-pending-unplug/capture.sh} in Java: a private libvirtd starts the domain with two
 * virtio disks and no guest OS; {@code virsh detach-disk instance-0000002a TARGET --live} sends {@code device_del};
 * no guest acknowledges it, no {@code DEVICE_DELETED} comes, and libvirt 9.0 reports success after its 5 s wait
 * while the disk stays in the live XML and in QEMU: a pending unplug. Evidence, under the scripts' names:
 * {@code libvirtd.log} (debug), {@code instance-0000002a.log}, {@code virsh-commands.txt}, {@code domain-input.xml},
 * {@code domain-before.xml}, {@code domain-after.xml}, {@code domain-after-5s.xml}, {@code qmp-query-pci.json},
 * {@code qmp-query-block.json}, {@code hmp-info-qtree.txt}, {@code events.txt}, {@code libvirtd-stderr.txt},
 * {@code libvirtd.conf}, {@code qemu.conf}, {@code versions.txt}.
 */
public final class LibvirtPendingUnplugScenario extends LibvirtScenario {
    static final String DETACH_EXIT = "detach-disk exit code";
    static final String DETACH_DURATION = "detach-disk duration";
    static final String IN_XML = "victim in the live XML after the detach";
    static final String IN_QEMU = "victim in query-pci after the detach";
    static final String DEVICE_DEL = "device_del in libvirtd.log";
    static final String DEVICE_DELETED = "DEVICE_DELETED in libvirtd.log";

    @Override
    public String name() {
        return "libvirt-pending-unplug";
    }

    @Override
    public Map<String, Path> logsToShow(Path out, String guest) {
        Map<String, Path> logs = new LinkedHashMap<>();
        logs.put("virsh", out.resolve("virsh-commands.txt"));
        logs.put("libvirtd", out.resolve("libvirtd-stderr.txt"));
        logs.put("domain", out.resolve(guest + ".log"));
        return logs;
    }

    @Override
    List<String> versionFacts() {
        return List.of(DETACH_EXIT, DETACH_DURATION);
    }

    @Override
    void steps(LabRun run, VirshLog log, Images images) throws LabException, InterruptedException {
        Path out = run.out();
        LibvirtDaemon d = daemon(run, log, "private", "lv", HOST_A);
        keep(run, d.debugLog(), "libvirtd.log");
        keep(run, d.domainLog(run.guest()), run.guest() + ".log");
        keep(run, d.stderrFile(), "libvirtd-stderr.txt");
        keep(run, d.config("libvirtd.conf"), "libvirtd.conf");
        keep(run, d.config("qemu.conf"), "qemu.conf");

        warmUp(run, log, d);
        startDaemon(run, d);
        log.run(STEP, d.virsh("version"));
        must(log, d.virsh("define", out.resolve("domain-input.xml").toString()));
        run.progress("lab.progress.define", run.guest(), d.role());
        d.holds(run.guest());
        must(log, d.virsh("start", run.guest()));
        pause(run, log, Duration.ofSeconds(2), "SeaBIOS runs; with nothing to boot the domain stays running");
        log.run(STEP, d.virsh("list", "--all"));
        mustSave(log, out.resolve("domain-before.xml"), d.virsh("dumpxml", run.guest()));

        QemuProcess events = log.background(out.resolve("events.txt"),
                d.virsh("event", "--domain", run.guest(), "--all", "--loop", "--timestamp", "--timeout", "20"));
        pause(run, log, Duration.ofSeconds(1), "virsh event connects");
        String target = target(run);
        run.progress("lab.progress.detach", target, run.id(), run.slot());
        VirshLog.Result detach = log.run(STEP, d.virsh("detach-disk", run.guest(), target, "--live"));
        run.fact(DETACH_EXIT, Integer.toString(detach.exit()));
        run.fact(DETACH_DURATION, String.format(java.util.Locale.ROOT, "%.3f s", detach.seconds()));
        run.fact("detach-disk " + target + " --live", detach.describe() + ": " + detach.output().strip());

        mustSave(log, out.resolve("domain-after.xml"), d.virsh("dumpxml", run.guest()));
        log.run(STEP, d.virsh("domblklist", run.guest()));
        mustSave(log, out.resolve("qmp-query-pci.json"),
                d.virsh("qemu-monitor-command", run.guest(), "--pretty", "{\"execute\":\"query-pci\"}"));
        mustSave(log, out.resolve("qmp-query-block.json"),
                d.virsh("qemu-monitor-command", run.guest(), "--pretty", "{\"execute\":\"query-block\"}"));
        mustSave(log, out.resolve("hmp-info-qtree.txt"),
                d.virsh("qemu-monitor-command", "--hmp", run.guest(), "info qtree"));
        pause(run, log, Duration.ofSeconds(5), "does the disk go later?");
        mustSave(log, out.resolve("domain-after-5s.xml"), d.virsh("dumpxml", run.guest()));
        run.running(d.uri(), d.dir().resolve("log"), run.guest());
        log.interrupt(events, run.budget(Duration.ofSeconds(5)));

        // what the evidence says, for lab.txt and the summary
        String alias = "<alias name='" + run.id() + "'/>";
        boolean inXml = read(out.resolve("domain-after.xml")).contains(alias);
        boolean inXmlLater = read(out.resolve("domain-after-5s.xml")).contains(alias);
        run.fact(IN_XML, inXml ? (inXmlLater ? "yes, also 5 s later (pending unplug)" : "yes, gone 5 s later") : "no");
        int slot = pciSlot(out.resolve("qmp-query-pci.json"), run.id());
        run.fact(IN_QEMU, slot < 0 ? "no" : "yes, slot " + slot);
        String debug = read(d.debugLog());
        String sent = "\"execute\":\"device_del\",\"arguments\":{\"id\":\"" + run.id() + "\"}";
        run.fact(DEVICE_DEL, debug.lines().anyMatch(l -> l.contains("QEMU_MONITOR_SEND_MSG") && l.contains(sent))
                ? "sent" : "not found");
        long deleted = debug.lines().filter(l -> l.contains("QEMU_MONITOR_RECV_EVENT") && l.contains("DEVICE_DELETED"))
                .count();
        run.fact(DEVICE_DELETED, deleted == 0 ? "none" : Long.toString(deleted));

        must(log, d.virsh("destroy", run.guest()));
        d.holds(null);
        log.run(STEP, d.virsh("undefine", run.guest()));
        d.stop(Duration.ofSeconds(10));
    }

    /** The slot {@code query-pci} (as virsh prints it) has {@code id} in, or -1. */
    static int pciSlot(Path queryPci, String id) {
        try {
            JsonNode root = QmpClient.MAPPER.readTree(read(queryPci));
            for (JsonNode bus : root.path("return")) {
                for (JsonNode dev : bus.path("devices")) {
                    if (id.equals(dev.path("qdev_id").asText())) {
                        return dev.path("slot").asInt(-1);
                    }
                }
            }
        } catch (IOException e) {
            // not JSON: not found
        }
        return -1;
    }

    /** The summary line's arguments: target, detach result, id, in XML, in QEMU, DEVICE_DELETED. */
    public static Object[] summary(Map<String, String> facts, String id, String target) {
        return new Object[] {target, facts.getOrDefault("detach-disk " + target + " --live", "?"), id,
                facts.getOrDefault(IN_XML, "?"), facts.getOrDefault(IN_QEMU, "?"), facts.getOrDefault(DEVICE_DELETED, "?")};
    }
}
