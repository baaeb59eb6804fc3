package dev.vmcase.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A small fleet on this machine, for the pre-cut-over audit (issue 21): three private {@link LibvirtDaemon}s, the
 * hosts {@code fleet-a}, {@code fleet-b} and {@code fleet-c} (own folders, sockets, host UUIDs, mount namespaces), each
 * running two nova-style domains of its own, left in these states:
 * <ul>
 * <li>{@code fleet-a/instance-0000a001} — an <b>orphaned disk</b>: behind libvirt's back (its monitor passthrough,
 * {@code virsh qemu-monitor-command}, which taints the domain {@code custom-monitor}) HMP {@code drive_add} a qcow2
 * drive, QMP {@code device_add} a virtio-blk-pci frontend on it ({@code --id}, {@code --slot}), HMP
 * {@code drive_del} the drive. QEMU keeps the frontend with an anonymous, empty block backend ({@code info qtree}
 * {@code drive = ""}) exactly as the seed's source did after {@code drive_del}; libvirt never knew the disk, so a
 * destination started from its XML lacks it and the migration stream's section for it is refused. libvirt 9.0 cannot
 * be made to reach this state itself (it waits for {@code DEVICE_DELETED}, and with {@code -blockdev} QEMU refuses
 * to delete a node a device still uses), which is why the monitor is used: the way such orphans are made in real
 * fleets (scripts, old tools, manual repairs).</li>
 * <li>{@code fleet-a/instance-0000a002} — healthy, one disk.</li>
 * <li>{@code fleet-b/instance-0000b001} — a <b>pending unplug</b>: {@code virsh detach-disk TARGET --live} of its second
 * disk ({@code --id} picks the target, {@code --slot} its slot) with no guest to acknowledge; libvirt says "Disk detached
 * successfully" after its 5 s wait and keeps the disk.</li>
 * <li>{@code fleet-b/instance-0000b002} — healthy, with a second disk of the same target, alias and slot as
 * b001's victim: the same device ids on another VM of the same host (and the same daemon log).</li>
 * <li>{@code fleet-c/instance-0000c001} — healthy, two disks.</li>
 * <li>{@code fleet-c/instance-0000c002} — healthy, but its QEMU is stopped ({@code SIGSTOP}) before the look: its
 * monitor does not answer (a hung QEMU); continued before the end.</li>
 * </ul>
 * At that point the {@link #whileRunning} hook (the audit's tests) gets every host's URI and log folder and what
 * the lab did to each domain. Then every domain is destroyed and undefined, the daemons stopped. Evidence: per host
 * {@code HOST/libvirtd.log}, {@code HOST/NAME.log}, {@code HOST/NAME-input.xml}; {@code virsh-commands.txt},
 * {@code fleet.txt} (host, domain, what was done), the configuration files and {@code versions.txt}.
 */
public final class LibvirtFleetScenario extends LibvirtScenario {
    /** What the lab left a domain in. */
    public enum State {
        HEALTHY, ORPHANED_DISK, PENDING_UNPLUG, MONITOR_STOPPED
    }

    /** A domain and what the lab did to it: the victim's alias and PCI slot where it has one. */
    public record Domain(String name, State state, String device, Integer slot) {
    }

    /** A host of the fleet while it runs: its label, a URI reaching its daemon, its {@code /var/log/libvirt}. */
    public record Host(String name, String uri, Path logDir, List<Domain> domains) {
        public Host {
            domains = List.copyOf(domains);
        }
    }

    /** Called once every host runs its domains in their states, before anything is torn down. */
    public interface Look {
        void look(List<Host> hosts) throws Exception;
    }

    /** The bundle's record of what the lab did to each domain. */
    public static final String FILE = "fleet.txt";
    private static final String[] HOST_UUIDS = {"5d1c7a2e-8b0f-4c3a-9e61-0000000000fa",
            "5d1c7a2e-8b0f-4c3a-9e61-0000000000fb", "5d1c7a2e-8b0f-4c3a-9e61-0000000000fc"};
    private static final int MEMORY_MIB = 64;
    private Look look;

    /** Sets the hook; returns this scenario. */
    public LibvirtFleetScenario whileRunning(Look l) {
        this.look = l;
        return this;
    }

    @Override
    public String name() {
        return "libvirt-fleet";
    }

    @Override
    public Map<String, Path> logsToShow(Path out, String guest) {
        Map<String, Path> logs = new LinkedHashMap<>();
        logs.put("virsh", out.resolve("virsh-commands.txt"));
        for (String h : List.of("fleet-a", "fleet-b", "fleet-c")) {
            logs.put(h, out.resolve(h).resolve("libvirtd-stderr.txt"));
        }
        return logs;
    }

    @Override
    List<String> versionFacts() {
        return List.of();
    }

    /** A domain to define: its disks and what is done to it once it runs. */
    private record Planned(LibvirtDaemon daemon, String host, String name, String uuid, List<Disk> disks, State state) {
    }

    @Override
    void steps(LabRun run, VirshLog log, Images images) throws LabException, InterruptedException {
        Path out = run.out();
        try {
            Files.deleteIfExists(out.resolve("domain-input.xml")); // the single-domain scenarios' input, not ours
        } catch (IOException e) {
            throw new LabException("lab.error.io", out, e.getMessage());
        }
        String[] names = {"fleet-a", "fleet-b", "fleet-c"};
        List<LibvirtDaemon> daemons = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            LibvirtDaemon d = daemon(run, log, names[i], "f" + (char) ('a' + i), HOST_UUIDS[i]);
            daemons.add(d);
            Path folder = out.resolve(names[i]);
            keep(run, d.debugLog(), names[i] + "/libvirtd.log");
            keep(run, d.stderrFile(), names[i] + "/libvirtd-stderr.txt");
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new LabException("lab.error.io", folder, e.getMessage());
            }
        }
        keep(run, daemons.get(0).config("libvirtd.conf"), "libvirtd.conf");
        keep(run, daemons.get(0).config("qemu.conf"), "qemu.conf");

        // one warm-up fills the QEMU capabilities cache; the others get a copy (same binary, same host: libvirt
        // accepts it), so three daemons do not probe QEMU three times
        warmUp(run, log, daemons.get(0));
        for (LibvirtDaemon d : daemons.subList(1, daemons.size())) {
            copyTree(daemons.get(0).dir().resolve("cache"), d.dir().resolve("cache"));
        }
        for (LibvirtDaemon d : daemons) {
            startDaemon(run, d);
        }

        String target = target(run);
        int slot = run.slot();
        List<Planned> plan = List.of(
                planned(run, daemons.get(0), "a001", State.ORPHANED_DISK, List.of()),
                planned(run, daemons.get(0), "a002", State.HEALTHY, List.of()),
                planned(run, daemons.get(1), "b001", State.PENDING_UNPLUG, List.of(target + "@" + slot)),
                planned(run, daemons.get(1), "b002", State.HEALTHY, List.of(target + "@" + slot)),
                planned(run, daemons.get(2), "c001", State.HEALTHY, List.of("vdb@")),
                planned(run, daemons.get(2), "c002", State.MONITOR_STOPPED, List.of()));
        Map<String, List<Domain>> states = new LinkedHashMap<>();
        for (String n : names) {
            states.put(n, new ArrayList<>());
        }
        for (Planned p : plan) {
            Path input = out.resolve(p.host()).resolve(p.name() + "-input.xml");
            writeText(input, domainXml(p.name(), p.uuid(), MEMORY_MIB, run.qemu(), p.disks()));
            must(log, p.daemon().virsh("define", input.toString()));
            run.progress("lab.progress.define", p.name(), p.host());
            must(log, p.daemon().virsh("start", p.name()));
            keep(run, p.daemon().domainLog(p.name()), p.host() + "/" + p.name() + ".log");
        }
        pause(run, log, Duration.ofSeconds(1), "SeaBIOS runs; with nothing to boot the domains stay running");

        for (Planned p : plan) {
            Domain done = switch (p.state()) {
                case ORPHANED_DISK -> orphan(run, log, p);
                case PENDING_UNPLUG -> pendingUnplug(run, log, p, target, slot);
                case MONITOR_STOPPED -> stop(run, p);
                default -> new Domain(p.name(), State.HEALTHY, null, null);
            };
            states.get(p.host()).add(done);
        }
        writeTruth(run, states);

        if (look != null) {
            List<Host> hosts = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                hosts.add(new Host(names[i], daemons.get(i).uri(), daemons.get(i).dir().resolve("log"),
                        states.get(names[i])));
            }
            try {
                look.look(hosts);
                run.fact("while running", "looked at " + names.length + " hosts");
            } catch (Exception e) {
                run.fact("while running", "failed: " + e);
            }
        }

        for (Planned p : plan) {
            if (p.state() == State.MONITOR_STOPPED) {
                signal(p, "CONT");
            }
        }
        // all at once: libvirt takes about 2 s to see each QEMU go
        List<QemuProcess> destroys = new ArrayList<>();
        for (Planned p : plan) {
            destroys.add(log.background(run.scratch().resolve("destroy-" + p.name() + ".txt"),
                    p.daemon().virsh("destroy", p.name())));
        }
        for (QemuProcess q : destroys) {
            if (!q.waitFor(run.budget(STEP))) {
                q.stop(Duration.ofSeconds(1));
            }
        }
        for (Planned p : plan) {
            p.daemon().holds(null);
        }
        for (LibvirtDaemon d : daemons) {
            d.stop(Duration.ofSeconds(10));
        }
    }

    /**
     * {@code DISKS} are {@code TARGET@SLOT} (an empty slot: libvirt picks one) besides {@code vda}; each gets its own
     * empty qcow2 image. The domain is the daemon's to destroy from now on.
     */
    private static Planned planned(LabRun run, LibvirtDaemon d, String suffix, State state, List<String> more)
            throws LabException, InterruptedException {
        String name = "instance-0000" + suffix;
        List<Disk> disks = new ArrayList<>();
        disks.add(new Disk(image(run, name + "-vda"), "vda", null));
        for (String m : more) {
            String[] ts = m.split("@", -1);
            disks.add(new Disk(image(run, name + "-" + ts[0]), ts[0], ts[1].isEmpty() ? null : Integer.valueOf(ts[1])));
        }
        String uuid = "7a3c5e1e-2f4b-4c4e-9a51-00000000" + suffix;
        d.holds(name); // the last one is enough: teardown kills every QEMU named by a pid file of the daemon
        return new Planned(d, d.role(), name, uuid, disks, state);
    }

    /**
     * The orphan: a disk added behind libvirt's back, then its drive deleted. libvirt gives QEMU access only to the
     * images it knows, so this one is handed to QEMU's user as an operator doing this would.
     */
    private static Domain orphan(LabRun run, VirshLog log, Planned p) throws LabException, InterruptedException {
        String id = run.id();
        String drive = "drive-" + id;
        Path img = image(run, p.name() + "-behind-libvirt");
        try {
            Files.setOwner(img, img.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("libvirt-qemu"));
        } catch (UserPrincipalNotFoundException e) {
            try {
                Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("rw-rw-rw-"));
            } catch (IOException io) {
                throw new LabException("lab.error.io", img, io.getMessage());
            }
        } catch (IOException e) {
            throw new LabException("lab.error.io", img, e.getMessage());
        }
        run.progress("lab.progress.behindLibvirt", id, run.slot(), p.name());
        must(log, p.daemon().virsh("qemu-monitor-command", p.name(), "--hmp",
                "drive_add 0 if=none,file=" + img + ",format=qcow2,id=" + drive));
        must(log, p.daemon().virsh("qemu-monitor-command", p.name(), "{\"execute\":\"device_add\",\"arguments\":"
                + "{\"driver\":\"virtio-blk-pci\",\"drive\":\"" + drive + "\",\"id\":\"" + id + "\",\"bus\":\"pci.0\","
                + "\"addr\":\"" + String.format("0x%x", run.slot()) + "\"}}"));
        must(log, p.daemon().virsh("qemu-monitor-command", p.name(), "--hmp", "drive_del " + drive));
        run.fact(p.host() + "/" + p.name(), "orphaned " + id + " at slot " + run.slot() + " (behind libvirt's back)");
        return new Domain(p.name(), State.ORPHANED_DISK, id, run.slot());
    }

    private static Domain pendingUnplug(LabRun run, VirshLog log, Planned p, String target, int slot)
            throws LabException, InterruptedException {
        run.progress("lab.progress.detach", target, run.id(), slot);
        VirshLog.Result detach = log.run(STEP, p.daemon().virsh("detach-disk", p.name(), target, "--live"));
        run.fact(p.host() + "/" + p.name(), "detach-disk " + target + " --live: " + detach.describe() + ": "
                + detach.output().strip());
        if (!detach.ok()) {
            throw new LabException("lab.error.virshFailed", "virsh detach-disk", detach.exit(), detach.output().strip());
        }
        return new Domain(p.name(), State.PENDING_UNPLUG, run.id(), slot);
    }

    private static Domain stop(LabRun run, Planned p) throws LabException, InterruptedException {
        long pid = signal(p, "STOP");
        run.atClose(grace -> { // continued again whatever happens, so the daemon can destroy it
            try {
                signal(p, "CONT");
            } catch (LabException | InterruptedException e) {
                // the sweep kills it
            }
        });
        run.fact(p.host() + "/" + p.name(), "QEMU pid " + pid + " stopped (SIGSTOP)");
        return new Domain(p.name(), State.MONITOR_STOPPED, null, null);
    }

    /** {@code kill -SIG} to the domain's QEMU, by the daemon's pid file; the pid. */
    private static long signal(Planned p, String sig) throws LabException, InterruptedException {
        Path pidFile = p.daemon().dir().resolve("run/libvirt/qemu/" + p.name() + ".pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (k.waitFor() != 0) {
                throw new LabException("lab.error.toolFailed", "kill -" + sig + " " + pid, "exit " + k.exitValue(), "");
            }
            return pid;
        } catch (IOException | NumberFormatException e) {
            throw new LabException("lab.error.io", pidFile, e.getMessage());
        }
    }

    private static void writeTruth(LabRun run, Map<String, List<Domain>> states) throws LabException {
        StringBuilder b = new StringBuilder("# host domain state device slot (what the lab did; not read from any output)\n");
        states.forEach((host, domains) -> domains.forEach(d -> b.append(host).append(' ').append(d.name()).append(' ')
                .append(d.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).append(' ')
                .append(d.device() == null ? "-" : d.device()).append(' ')
                .append(d.slot() == null ? "-" : d.slot()).append('\n')));
        writeText(run.out().resolve(FILE), b.toString());
    }

    /** {@link #FILE} of a finished run, indented for the lab's summary ("" when there is none). */
    public static String summary(Path out) {
        return read(out.resolve(FILE)).lines().filter(l -> !l.startsWith("#")).map(l -> "    " + l)
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static void copyTree(Path from, Path to) throws LabException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new LabException("lab.error.io", to, e.getMessage());
        }
    }
}
