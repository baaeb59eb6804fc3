package dev.vmcase.app;

import dev.vmcase.lab.LabException;
import dev.vmcase.lab.LabRun;
import dev.vmcase.lab.LabTexts;
import dev.vmcase.lab.LibvirtFleetScenario;
import dev.vmcase.lab.LibvirtProbeScenario;
import dev.vmcase.lab.LibvirtMigrationScenario;
import dev.vmcase.lab.LibvirtPendingUnplugScenario;
import dev.vmcase.lab.LibvirtScenario;
import dev.vmcase.lab.QemuProcess;
import dev.vmcase.lab.Scenario;
import dev.vmcase.lab.Scenarios;
import dev.vmcase.model.PciAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code vmcase lab SCENARIO --out DIR [--open] [--id ID] [--slot N] [--guest NAME] [--timeout S]} and
 * {@code vmcase lab --list}.
 * Exit status: 0 when the scenario ran to its end (whatever the migration did), 1 when it could not (QEMU died, a
 * step hung, the time limit), 2 for unusable arguments, missing QEMU (or, for the libvirt-* scenarios, missing
 * libvirtd/virsh/unshare/mount or not root), 3 when {@code --open} has no display.
 */
@Command(name = "lab", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true)
public final class LabCommand implements Callable<Integer> {
    /** What QEMU accepts as an id ({@code util/id.c: id_wellformed}). */
    private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    /** A guest name the lab passes to QEMU ({@code -name guest=}) and libvirt ({@code <name>}) unquoted. */
    private static final Pattern GUEST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SCENARIO", descriptionKey = "lab.scenario")
    String scenarioName;

    @Option(names = "--list", descriptionKey = "lab.list")
    boolean list;

    @Option(names = "--out", paramLabel = "DIR", descriptionKey = "lab.out")
    Path out;

    @Option(names = "--open", descriptionKey = "lab.open")
    boolean open;

    @Option(names = "--id", paramLabel = "ID", descriptionKey = "lab.id")
    String id;

    @Option(names = "--slot", paramLabel = "N", descriptionKey = "lab.slot")
    String slot;

    @Option(names = "--guest", paramLabel = "NAME", descriptionKey = "lab.guest")
    String guest;

    @Option(names = "--timeout", paramLabel = "SECONDS", descriptionKey = "lab.timeout", defaultValue = "60")
    int timeoutSeconds;

    @Option(names = "--qemu", paramLabel = "PATH", descriptionKey = "lab.qemu", defaultValue = "qemu-system-x86_64")
    String qemu;

    @Option(names = "--qemu-img", paramLabel = "PATH", descriptionKey = "lab.qemuImg", defaultValue = "qemu-img")
    String qemuImg;

    @Option(names = "--scratch", paramLabel = "DIR", descriptionKey = "lab.scratch")
    Path scratch;

    @Override
    public Integer call() {
        ResourceBundle texts = spec.resourceBundle();
        ResourceBundle labTexts = LabTexts.bundle();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (list) {
            int width = Scenarios.ALL.stream().mapToInt(s -> s.name().length()).max().orElse(0);
            for (Scenario s : Scenarios.ALL) {
                stdout.printf("%-" + width + "s %s%n", s.name(), texts.getString("lab.scenario." + s.name()));
            }
            stdout.flush();
            return 0;
        }
        LabRun.Options options = validate(labTexts);
        Map<String, String> facts;
        long t0 = System.nanoTime();
        int code;
        try (LabRun run = new LabRun(options, m -> {
            stderr.println("lab: " + m);
            stderr.flush();
        })) {
            try {
                options.scenario().run(run);
                run.succeeded();
                code = 0;
            } catch (LabException e) {
                String why = e.message(labTexts);
                String english = e.getMessage();
                if (run.timeUp() && !e.key().equals("lab.error.timeLimit") && !e.key().equals("lab.error.migrationHung")) {
                    LabException limit = new LabException("lab.error.timeLimit", run.timeout().toSeconds());
                    why = limit.message(labTexts) + " " + why;
                    english = limit.getMessage() + " " + english;
                }
                run.failed(english);
                stderr.println(String.format(texts.getString("lab.failed"), options.scenario().name(), why));
                code = 1;
            } catch (InterruptedException e) {
                run.failed("interrupted");
                Thread.currentThread().interrupt();
                code = 130;
            }
        } catch (LabException e) {
            stderr.println(String.format(texts.getString("lab.failed"), options.scenario().name(), e.message(labTexts)));
            stderr.flush();
            return 1;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            stderr.println(String.format(texts.getString("lab.kept"), options.out(), LabRun.MANIFEST));
            Map<String, Path> logs = options.scenario().logsToShow(options.out(), options.guest());
            for (Map.Entry<String, Path> shown : logs.entrySet()) {
                String role = shown.getKey();
                List<String> lines = tail(shown.getValue(), Integer.MAX_VALUE);
                for (String line : lines.subList(Math.min(lines.size(), Math.max(1, lines.size() - 5)), lines.size())) {
                    stderr.println("  " + role + ": " + line);
                }
            }
            stderr.flush();
            return code;
        }
        stdout.println(String.format(Locale.ROOT, texts.getString("lab.done"), options.scenario().name(),
                options.out(), seconds));
        facts = readFacts(options.out().resolve(LabRun.MANIFEST));
        if (options.scenario() instanceof LibvirtScenario) {
            String target = LibvirtScenario.targetDev(LibvirtScenario.diskIndex(options.id()).orElseThrow());
            String label = options.scenario() instanceof LibvirtMigrationScenario ? "lab.secondDisk" : "lab.victimDisk";
            stdout.println(String.format(texts.getString(label), options.id(), target, options.slot(),
                    PciAddress.of(0, options.slot(), 0)));
            if (options.scenario() instanceof LibvirtFleetScenario) {
                stdout.println(String.format(texts.getString("lab.summary.fleet"), LibvirtFleetScenario.FILE,
                        LibvirtFleetScenario.summary(options.out())));
            } else if (options.scenario() instanceof LibvirtProbeScenario) {
                stdout.println(String.format(texts.getString("lab.summary.probe"),
                        facts.getOrDefault(LibvirtProbeScenario.LOG_BYTES, "?"), options.out().resolve("libvirtd.log")));
            } else if (options.scenario() instanceof LibvirtPendingUnplugScenario) {
                stdout.println(String.format(texts.getString("lab.summary.pendingUnplug"),
                        LibvirtPendingUnplugScenario.summary(facts, options.id(), target)));
            } else {
                stdout.println(String.format(texts.getString("lab.summary.migration"),
                        LibvirtMigrationScenario.summary(facts)));
            }
            stdout.println(String.format(texts.getString("lab.next"), options.out()));
            stdout.flush();
            return open ? openWorkbench(options, stderr, texts) : 0;
        }
        stdout.println(String.format(texts.getString("lab.victim"), options.id(), options.slot(),
                options.scenario().victimPlace(options.slot())));
        stdout.println(String.format(texts.getString("lab.sourceMigration"), facts.getOrDefault("source migration", "?"),
                facts.getOrDefault("source run state", "?")));
        stdout.println(String.format(texts.getString("lab.destinationMigration"),
                facts.getOrDefault("destination migration", "?")));
        List<String> dstLog = tail(options.out().resolve("destination").resolve(options.guest() + ".log"),
                Integer.MAX_VALUE);
        List<String> dstErr = dstLog.isEmpty() ? dstLog : dstLog.subList(1, dstLog.size()); // line 1: the command line
        stdout.println(texts.getString("lab.destinationStderr"));
        for (String line : dstErr.subList(Math.max(0, dstErr.size() - 20), dstErr.size())) {
            stdout.println("    " + line);
        }
        stdout.println(String.format(texts.getString("lab.next"), options.out()));
        stdout.flush();
        return open ? openWorkbench(options, stderr, texts) : 0;
    }

    private static int openWorkbench(LabRun.Options options, PrintWriter stderr, ResourceBundle texts) {
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            stderr.println(texts.getString("lab.noDisplay"));
            stderr.flush();
            return 3;
        }
        WorkbenchApp.launchOn(List.of(options.out()), null, null);
        return 0;
    }

    /** The options as a run of the lab takes them; unusable ones are reported in the {@code Lab} bundle's words. */
    private LabRun.Options validate(ResourceBundle texts) {
        if (scenarioName == null) {
            throw error(texts, "lab.error.noScenario");
        }
        Scenario scenario = Scenarios.byName(scenarioName).orElseThrow(() -> error(texts, "lab.error.unknownScenario",
                scenarioName, String.join(", ", Scenarios.ALL.stream().map(Scenario::name).toList())));
        if (out == null) {
            throw error(texts, "lab.error.noOut");
        }
        String victim = id == null ? scenario.defaultId() : id;
        if (!ID.matcher(victim).matches() || scenario.takenIds().contains(victim)) {
            throw error(texts, "lab.error.badId", victim, String.join(", ", scenario.takenIds()));
        }
        scenario.idProblem(victim).ifPresent(key -> {
            throw error(texts, key, victim, scenario.name());
        });
        int n;
        try {
            n = slot == null ? scenario.defaultSlot() : Integer.decode(slot);
        } catch (NumberFormatException e) {
            throw error(texts, "lab.error.badSlot", slot);
        }
        if (n < 2 || n > 31) {
            throw error(texts, "lab.error.badSlot", slot);
        }
        if (scenario.takenSlots().containsKey(n)) {
            throw error(texts, "lab.error.slotTaken", n, scenario.takenSlots().get(n));
        }
        if (timeoutSeconds <= 0) {
            throw error(texts, "lab.error.badTimeout", timeoutSeconds);
        }
        Path qemuPath = QemuProcess.resolve(qemu).orElseThrow(() -> error(texts, "lab.error.noQemu", qemu));
        Path imgPath = QemuProcess.resolve(qemuImg).orElseThrow(() -> error(texts, "lab.error.noQemuImg", qemuImg));
        for (String program : scenario.programs()) {
            if (LibvirtScenario.locate(program).isEmpty()) {
                throw error(texts, "lab.error.noProgram", scenario.name(), program);
            }
        }
        if (scenario.needsRoot() && !LibvirtScenario.isRoot()) {
            throw error(texts, "lab.error.notRoot", scenario.name());
        }
        // a domain name libvirt and QEMU's -name both take as it is: no ',' (QEMU's option separator), no '/'
        if (guest != null && !GUEST.matcher(guest).matches()) {
            throw error(texts, "lab.error.badGuest", guest);
        }
        Path scratchParent = scratch != null ? scratch : Path.of(System.getProperty("java.io.tmpdir"));
        return new LabRun.Options(scenario, victim, n, Duration.ofSeconds(timeoutSeconds), qemuPath, imgPath,
                out.toAbsolutePath().normalize(), scratchParent.toAbsolutePath(), guest);
    }

    private ParameterException error(ResourceBundle texts, String key, Object... args) {
        return new ParameterException(spec.commandLine(), String.format(texts.getString(key), args));
    }

    private static List<String> tail(Path file, int n) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)
                    .stream().filter(l -> !l.isBlank()).toList();
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (java.io.IOException e) {
            // a log the run never wrote (it failed before): nothing of it to show
            return List.of();
        }
    }

    private static Map<String, String> readFacts(Path manifest) {
        Map<String, String> facts = new java.util.LinkedHashMap<>();
        for (String line : tail(manifest, Integer.MAX_VALUE)) {
            int colon = line.indexOf(": ");
            if (colon > 0 && !line.startsWith(" ")) {
                facts.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return facts;
    }
}
