package dev.vmcase.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the two libvirt scenarios share, ported from {@code sample-cases/provenance/libvirt-*}/{@code capture.sh}: private
 * {@link LibvirtDaemon}s, a warm-up run that fills the QEMU capabilities cache, two empty 64 MiB qcow2 disks in the
 * scratch folder, and the nova-style domain {@code instance-0000002a} (type {@code qemu}, i440fx, ACPI, 128 MiB, no
 * guest OS). {@code --id}/{@code --slot} place the second disk (the victim of the unplug): {@code --slot N} writes its
 * {@code <address type='pci' ... slot='0xNN'/>} into the domain XML; {@code --id} must be the alias libvirt will give
 * it, {@code virtio-diskN}, which libvirt derives from the target dev, so it picks the target: {@code virtio-disk1}
 * is {@code vdb}, {@code virtio-disk25} {@code vdz}, {@code virtio-disk26} {@code vdaa}. The first disk, {@code vda}
 * ({@code virtio-disk0}), gets the first free slot, 2.
 */
public abstract class LibvirtScenario implements Scenario {
    static final String UUID = "7a3c5e1e-2f4b-4c4e-9a51-00000000002a";
    static final String HOST_A = "5d1c7a2e-8b0f-4c3a-9e61-0000000000a1";
    static final String HOST_B = "5d1c7a2e-8b0f-4c3a-9e61-0000000000b2";
    static final int HEALTHY_SLOT = 2;
    static final int MAX_INDEX = 701; // vdzz
    private static final Pattern ALIAS = Pattern.compile("virtio-disk([1-9][0-9]*)");
    /** Where a root shell finds libvirtd and mount when the JVM's PATH lacks the sbin folders. */
    private static final List<String> MORE_PATH = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    /** A step of virsh; 60 s as the scripts' {@code STEP_TIMEOUT}, less when the run's time limit is nearer. */
    static final Duration STEP = Duration.ofSeconds(60);

    @Override
    public String defaultId() {
        return "virtio-disk1";
    }

    @Override
    public int defaultSlot() {
        return 3;
    }

    @Override
    public Map<Integer, String> takenSlots() {
        return Map.of(0, "the i440FX host bridge", 1, "PIIX3 (ISA, IDE, USB)", HEALTHY_SLOT, "virtio-disk0 (vda)");
    }

    @Override
    public Set<String> takenIds() {
        return Set.of("virtio-disk0");
    }

    @Override
    public List<String> programs() {
        return List.of("libvirtd", "virsh", "unshare", "mount");
    }

    @Override
    public boolean needsRoot() {
        return true;
    }

    @Override
    public Optional<String> idProblem(String id) {
        return diskIndex(id).isPresent() ? Optional.empty() : Optional.of("lab.error.badLibvirtId");
    }

    /** {@code virtio-disk7} → 7, for 1 to {@value #MAX_INDEX}. */
    public static OptionalInt diskIndex(String id) {
        Matcher m = ALIAS.matcher(id);
        if (!m.matches() || m.group(1).length() > 4) {
            return OptionalInt.empty();
        }
        int n = Integer.parseInt(m.group(1));
        return n >= 1 && n <= MAX_INDEX ? OptionalInt.of(n) : OptionalInt.empty();
    }

    /** libvirt's {@code virIndexToDiskName} with prefix {@code vd}: 0 → vda, 25 → vdz, 26 → vdaa. */
    public static String targetDev(int index) {
        StringBuilder b = new StringBuilder();
        for (int i = index; i >= 0; i = i / 26 - 1) {
            b.insert(0, (char) ('a' + i % 26));
        }
        return "vd" + b;
    }

    static String target(LabRun run) {
        return targetDev(diskIndex(run.id()).orElseThrow());
    }

    /** libvirtd, virsh, unshare, mount: in PATH, else in the sbin/bin folders root's PATH has. */
    public static Optional<Path> locate(String program) {
        Optional<Path> p = QemuProcess.resolve(program);
        if (p.isPresent() || program.contains("/")) {
            return p;
        }
        return MORE_PATH.stream().map(d -> Path.of(d, program))
                .filter(f -> Files.isRegularFile(f) && Files.isExecutable(f)).findFirst();
    }

    /** The effective user is root: {@code /proc/self} belongs to it. */
    public static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // no /proc or no unix attributes: not root as far as the lab can tell, so it refuses the root scenarios
            return false;
        }
    }

    /** Runs the scenario's steps with the run's {@code virsh-commands.txt}; what the subclass does. */
    abstract void steps(LabRun run, VirshLog log, Images images) throws LabException, InterruptedException;

    /** The two disk images. */
    record Images(Path healthy, Path victim) {
    }

    @Override
    public final void run(LabRun run) throws LabException, InterruptedException {
        long t0 = System.nanoTime();
        VirshLog log = new VirshLog(run, run.out().resolve("virsh-commands.txt"));
        Map<String, String> versions = versions(run);
        Images images = images(run);
        run.collect(g -> writeVersions(run, versions, t0));
        steps(run, log, images);
    }

    /** A daemon in {@code SCRATCH/FOLDER} (short: its socket path must fit in 107 bytes). */
    LibvirtDaemon daemon(LabRun run, VirshLog log, String role, String folder, String hostUuid) throws LabException {
        LibvirtDaemon d = new LibvirtDaemon(run, log, role, run.scratch().resolve(folder), locate("libvirtd").orElseThrow(),
                locate("virsh").orElseThrow(), locate("unshare").orElseThrow());
        d.configure(hostUuid);
        run.atClose(d);
        return d;
    }

    /**
     * A daemon with {@code log_level=3} that answers {@code virsh capabilities} and {@code domcapabilities} and
     * stops: the QEMU capabilities cache is then warm, and the real daemon's log is what a production host writes
     * instead of ~1 MB of capability probing. Its log is deleted.
     */
    void warmUp(LabRun run, VirshLog log, LibvirtDaemon d) throws LabException, InterruptedException {
        run.progress("lab.progress.warmup", d.role());
        d.start("warmup.conf");
        for (List<String> probe : List.of(d.virsh("capabilities"), d.virsh("domcapabilities", "--virttype", "qemu"))) {
            VirshLog.Result r = log.quiet(run.budget(Duration.ofSeconds(180)), probe);
            if (!r.ok()) {
                throw new LabException("lab.error.virshFailed", VirshLog.display(probe), r.exit(), r.output().strip());
            }
        }
        d.stop(Duration.ofSeconds(10));
        try {
            Files.deleteIfExists(d.dir().resolve("log/warmup.log"));
        } catch (IOException e) {
            throw new LabException("lab.error.io", d.dir(), e.getMessage());
        }
    }

    /** Starts the real daemon; the domain is its to destroy from now on. */
    void startDaemon(LabRun run, LibvirtDaemon d) throws LabException, InterruptedException {
        run.progress("lab.progress.daemon", d.role());
        d.start("libvirtd.conf");
    }

    /** {@code virsh ...} that must succeed. */
    static VirshLog.Result must(VirshLog log, List<String> argv) throws LabException, InterruptedException {
        VirshLog.Result r = log.run(STEP, argv);
        if (!r.ok()) {
            throw new LabException("lab.error.virshFailed", VirshLog.display(argv), r.exit(), r.output().strip());
        }
        return r;
    }

    /** {@code virsh ... > FILE} that must succeed. */
    static VirshLog.Result mustSave(VirshLog log, Path file, List<String> argv) throws LabException, InterruptedException {
        VirshLog.Result r = log.save(file, STEP, argv);
        if (!r.ok()) {
            throw new LabException("lab.error.virshFailed", VirshLog.display(argv), r.exit(), r.output().strip());
        }
        return r;
    }

    static void pause(LabRun run, VirshLog log, Duration d, String why) throws LabException, InterruptedException {
        log.note("slept " + d.toSeconds() + " s: " + why);
        Thread.sleep(run.budget(d).toMillis());
    }

    /** The scratch folder readable by QEMU (it runs as libvirt-qemu), two qcow2 images, the domain XML. */
    private static Images images(LabRun run) throws LabException, InterruptedException {
        Path scratch = run.scratch();
        try {
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Path p = scratch.getParent(); p != null; p = p.getParent()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new LabException("lab.error.scratchNotSearchable", scratch, p);
                }
            }
            Path img = Files.createDirectories(scratch.resolve("img"));
            Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new LabException("lab.error.io", scratch, e.getMessage());
        }
        Images images = new Images(scratch.resolve("img/disk0.qcow2"),
                scratch.resolve("img/disk" + diskIndex(run.id()).orElseThrow() + ".qcow2"));
        for (Path p : List.of(images.healthy(), images.victim())) {
            run.tool(List.of(run.qemuImg().toString(), "create", "-q", "-f", "qcow2", p.toString(), "64M"));
        }
        writeText(run.out().resolve("domain-input.xml"), domainXml(run, images));
        return images;
    }

    /** An empty 64 MiB qcow2 image {@code SCRATCH/img/STEM.qcow2} for a domain's disk. */
    static Path image(LabRun run, String stem) throws LabException, InterruptedException {
        Path p = run.scratch().resolve("img").resolve(stem + ".qcow2");
        run.tool(List.of(run.qemuImg().toString(), "create", "-q", "-f", "qcow2", p.toString(), "64M"));
        return p;
    }

    /** The scripts' domain, with the victim's target and slot from {@code --id}/{@code --slot}. */
    static String domainXml(LabRun run, Images images) {
        return domainXml(run.guest(), uuid(run.guest()), 128, run.qemu(),
                List.of(new Disk(images.healthy(), "vda", null), new Disk(images.victim(), target(run), run.slot())));
    }

    /**
     * The domain's UUID: the scripts' one for the lab's own name, else one made from the name ({@code --guest}), so
     * that runs under different names are different VMs to libvirt and to the analysis, and the same name gives the
     * same UUID.
     */
    static String uuid(String guest) {
        byte[] name = ("vmcase-lab/" + guest).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return LabRun.GUEST.equals(guest) ? UUID : java.util.UUID.nameUUIDFromBytes(name).toString();
    }

    /** A virtio disk of a domain: its qcow2 image, target dev and PCI slot on bus 0 (null: libvirt picks one). */
    record Disk(Path image, String target, Integer slot) {
    }

    /**
     * The scripts' kind of domain (type {@code qemu}, i440fx, ACPI, no guest OS, no balloon) with these virtio disks;
     * the lab's other libvirt scenarios build theirs with it.
     */
    static String domainXml(String name, String uuid, int memoryMiB, Path qemu, List<Disk> disks) {
        StringBuilder b = new StringBuilder("<domain type='qemu'>\n")
                .append("  <name>").append(name).append("</name>\n")
                .append("  <uuid>").append(uuid).append("</uuid>\n")
                .append("  <memory unit='MiB'>").append(memoryMiB).append("</memory>\n")
                .append("  <vcpu>1</vcpu>\n")
                .append("  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>\n")
                .append("  <features><acpi/><apic/></features>\n")
                .append("  <on_poweroff>destroy</on_poweroff>\n")
                .append("  <on_reboot>restart</on_reboot>\n")
                .append("  <on_crash>destroy</on_crash>\n")
                .append("  <devices>\n")
                .append("    <emulator>").append(qemu).append("</emulator>\n");
        for (Disk d : disks) {
            b.append("    <disk type='file' device='disk'>\n")
                    .append("      <driver name='qemu' type='qcow2' cache='none'/>\n")
                    .append("      <source file='").append(d.image()).append("'/>\n")
                    .append("      <target dev='").append(d.target()).append("' bus='virtio'/>\n");
            if (d.slot() != null) {
                b.append(String.format("      <address type='pci' domain='0x0000' bus='0x00' slot='0x%02x' function='0x0'/>%n",
                        d.slot()));
            }
            b.append("    </disk>\n");
        }
        return b.append("    <memballoon model='none'/>\n")
                .append("  </devices>\n")
                .append("</domain>\n").toString();
    }

    private static Map<String, String> versions(LabRun run) throws LabException, InterruptedException {
        Map<String, String> v = new LinkedHashMap<>();
        Path libvirtd = locate("libvirtd").orElseThrow();
        v.put("libvirtd", firstLine(run.tool(List.of(libvirtd.toString(), "--version"))).replace(libvirtd.toString(), "libvirtd"));
        v.put("virsh", firstLine(run.tool(List.of(locate("virsh").orElseThrow().toString(), "--version"))));
        v.put("qemu", firstLine(run.tool(List.of(run.qemu().toString(), "--version"))));
        v.put("qemu-img", firstLine(run.tool(List.of(run.qemuImg().toString(), "--version"))));
        v.put("kernel", read(Path.of("/proc/sys/kernel/osrelease")).strip());
        String os = read(Path.of("/etc/os-release")).lines().filter(l -> l.startsWith("PRETTY_NAME="))
                .map(l -> l.substring(12).replace("\"", "")).findFirst().orElse("?");
        v.put("os", os);
        v.put("kvm", Files.exists(Path.of("/dev/kvm")) ? "present" : "absent, TCG only");
        run.fact("libvirt", v.get("libvirtd"));
        run.fact("qemu", v.get("qemu"));
        return v;
    }

    /** {@code versions.txt} as the scripts write it; the scenario's own lines come from the facts it set. */
    private void writeVersions(LabRun run, Map<String, String> v, long t0) {
        StringBuilder b = new StringBuilder();
        b.append("captured: ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        b.append("work dir (deleted afterwards): ").append(run.scratch()).append('\n');
        v.forEach((k, x) -> b.append(k).append(": ").append(x).append('\n'));
        Map<String, String> facts = run.facts();
        for (String k : versionFacts()) {
            if (facts.containsKey(k)) {
                b.append(k).append(": ").append(facts.get(k)).append('\n');
            }
        }
        b.append(String.format(java.util.Locale.ROOT, "whole capture: %.0f s%n", (System.nanoTime() - t0) / 1e9));
        try {
            Files.writeString(run.out().resolve("versions.txt"), b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the manifest has the same facts
        }
    }

    /** Facts that go into {@code versions.txt} too ({@code detach-disk exit code}). */
    abstract List<String> versionFacts();

    /** Copies a file of the daemon's folders into the bundle at the end, if it exists. */
    static void keep(LabRun run, Path from, String name) {
        run.collect(g -> {
            try {
                if (Files.exists(from)) {
                    Files.copy(from, run.out().resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                run.fact("not kept: " + name, e.getMessage());
            }
        });
    }

    static String firstLine(String s) {
        return s.lines().findFirst().orElse("?");
    }

    static String read(Path f) {
        try {
            return Files.exists(f) ? new String(Files.readAllBytes(f), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            // an optional host file (os-release, a daemon log) or a command's output file that cannot be read:
            // recorded as empty
            return "";
        }
    }

    static void writeText(Path file, String text) throws LabException {
        UnplugMigrationScenario.writeText(file, text);
    }
}
