package dev.vmcase.app.audit;

import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.CaseSession;
import dev.vmcase.casefile.OpenedCase;
import dev.vmcase.parsers.ingest.Folders;
import dev.vmcase.views.fleet.FleetRows;
import dev.vmcase.views.fleet.FleetView;
import javafx.concurrent.Task;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Opens a fleet case ({@code vmcase audit merge}) in a window of its own beside the workbench: the {@link FleetView}
 * of its hosts and VMs; a VM opened there becomes the workbench's evidence (its bundle, extracted from the case).
 * The case is opened on a worker thread; its extracted evidence is removed when the workbench closes.
 */
public final class FleetWindow {
    /** Evidence lines are cut here in the details pane; "Open evidence" shows them whole. */
    static final int DETAIL_LINE = 240;

    private FleetWindow() {
    }

    /**
     * Whether {@code caseFile} is a fleet case, read cheaply: its manifest's first artifact is a fleet document. Not
     * a case, or not readable: false (the workbench's own opening says what is wrong with it).
     */
    public static boolean isFleetCase(Path caseFile) {
        try (ZipFile zip = new ZipFile(caseFile.toFile())) {
            ZipEntry manifest = zip.getEntry(CaseIO.MANIFEST);
            if (manifest == null) {
                return false;
            }
            var root = AuditJson.mapper(32L << 20).readTree(zip.getInputStream(manifest));
            String first = root.path("artifacts").path(0).path("entry").asText("");
            ZipEntry e = first.isEmpty() ? null : zip.getEntry(first);
            if (e == null) {
                return false;
            }
            try (InputStream in = zip.getInputStream(e)) {
                return FleetCase.isFleet(in);
            }
        } catch (IOException | RuntimeException e) {
            // not a readable fleet case: the ordinary case reader opens it and reports what is wrong with it
            return false;
        }
    }

    /** Opens the fleet window for {@code caseFile}; {@code openEvidence} gets a VM's files when one is opened. */
    public static void show(Stage owner, Path caseFile, Consumer<List<Path>> openEvidence) {
        Task<Opened> task = new Task<>() {
            @Override
            protected Opened call() throws Exception {
                OpenedCase o = CaseIO.open(caseFile, CaseSession.defaultWorkRoot().resolve("cases"));
                try {
                    FleetDocument doc = FleetCase.find(o).orElseThrow(() -> new IOException(
                            AuditTexts.text("fleet.notFleet", caseFile)));
                    return new Opened(o, doc);
                } catch (IOException | RuntimeException e) {
                    Folders.deleteTree(o.workDir());
                    throw e;
                }
            }
        };
        task.setOnSucceeded(e -> window(owner, caseFile, task.getValue(), openEvidence));
        task.setOnFailed(e -> {
            Alert a = new Alert(Alert.AlertType.ERROR, String.valueOf(task.getException().getMessage()));
            a.initOwner(owner);
            a.show();
        });
        Thread t = new Thread(task, "vmcase-fleet-open");
        t.setDaemon(true);
        t.start();
    }

    private record Opened(OpenedCase opened, FleetDocument fleet) {
    }

    private static void window(Stage owner, Path caseFile, Opened o, Consumer<List<Path>> openEvidence) {
        FleetView view = new FleetView();
        view.show(rows(o.fleet(), caseFile.getFileName().toString(), Locale.getDefault()));
        view.setOnOpen(vm -> o.fleet().hosts().stream().filter(h -> h.host().equals(vm.host())).findFirst()
                .ifPresent(h -> h.audit().vms().stream().filter(a -> a.name().equals(vm.name())).findFirst()
                        .ifPresent(a -> openEvidence.accept(FleetCase.evidenceOf(o.opened(), h, a)))));
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle(AuditTexts.text("fleet.window", caseFile.getFileName()));
        // 1366×768, or the screen when it is smaller
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        stage.setScene(new Scene(view, Math.min(1366, screen.getWidth()), Math.min(768, screen.getHeight())));
        // the workbench may show a VM's files from the extracted case until it closes
        owner.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> Folders.deleteTree(o.opened().workDir()));
        stage.show();
    }

    /** The view's rows of a fleet document, in {@code locale}. */
    public static FleetRows rows(FleetDocument f, String title, Locale locale) {
        List<FleetRows.Host> hosts = new ArrayList<>();
        for (FleetHost h : f.hosts()) {
            HostAudit a = h.audit();
            if (a == null || a.error() != null) {
                // the badge says the status; the line says why
                String why = h.reason() == null ? AuditTexts.text(locale, "host." + h.status()) : h.reason();
                hosts.add(new FleetRows.Host(h.host(), FleetRows.Status.NO_RESULT, why, List.of()));
                continue;
            }
            List<FleetRows.Vm> vms = new ArrayList<>();
            for (VmAudit vm : a.vms()) {
                String where = h.evidence().getOrDefault(vm.name(), FleetHost.NOT_FETCHED);
                vms.add(new FleetRows.Vm(h.host(), vm.name(), status(vm), AuditTable.verdict(vm, locale),
                        AuditTable.why(vm, locale), details(vm, locale), FleetHost.IN_CASE.equals(where),
                        AuditTexts.text(locale, "report.bundle." + where, h.host() + "/" + vm.bundle())));
            }
            FleetRows.Status worst = vms.stream().map(FleetRows.Vm::status).min(Enum::compareTo)
                    .orElse(FleetRows.Status.READY);
            String note = AuditTexts.text(locale, "fleet.hostNote", a.facts().getOrDefault("libvirt library", "?"),
                    a.facts().getOrDefault("hypervisor", "?"), a.uri(), a.hostname(),
                    a.daemonLog() == null ? "-" : a.daemonLog().status(),
                    a.notRunning().isEmpty() ? "-" : String.join(", ", a.notRunning()), a.finished());
            hosts.add(new FleetRows.Host(h.host(), worst, note, vms));
        }
        long vms = hosts.stream().mapToLong(x -> x.vms().size()).sum();
        String summary = AuditTexts.text(locale, "merge.fleet", f.hosts().size(), vms, f.count(Verdict.BLOCKED),
                f.count(Verdict.UNKNOWN), f.count(Verdict.READY), f.unaudited().size());
        return new FleetRows(AuditTexts.text(locale, "report.title", title), summary, hosts);
    }

    static FleetRows.Status status(VmAudit vm) {
        return switch (vm.verdict()) {
            case BLOCKED -> FleetRows.Status.BLOCKED;
            case UNKNOWN -> FleetRows.Status.UNKNOWN;
            default -> vm.caveats().isEmpty() ? FleetRows.Status.READY : FleetRows.Status.READY_CAVEATS;
        };
    }

    /** What the details pane shows: each finding with its evidence, what could not be read, the caveats. */
    static List<String> details(VmAudit vm, Locale locale) {
        List<String> out = new ArrayList<>();
        for (AuditFinding f : vm.findings()) {
            out.add(AuditTexts.text(locale, "fleet.finding", AuditTexts.text(locale, "effect." + f.effect()),
                    AuditTable.reason(f, locale), f.rule(), String.join(" ", f.devices())));
            out.add(FleetReport.summary(f, locale));
            for (EvidenceLine e : f.evidence()) {
                String text = e.text() == null ? "" : e.text();
                out.add("  " + e.file() + ":" + e.line() + ": "
                        + (text.length() > DETAIL_LINE ? text.substring(0, DETAIL_LINE) + "…" : text));
            }
            out.add("");
        }
        for (Gap g : vm.unknowns()) {
            out.add(AuditTexts.text(locale, "table.unknown", AuditTable.gap(g, locale)));
        }
        for (Gap g : vm.caveats()) {
            out.add(AuditTexts.text(locale, "table.caveat", AuditTable.gap(g, locale)));
        }
        out.add(AuditTexts.text(locale, "fleet.vmNote", vm.capture(), String.format(Locale.ROOT, "%.1f", vm.seconds()),
                vm.started() == null ? "?" : vm.started(), vm.uuid() == null ? "?" : vm.uuid()));
        return out;
    }
}
