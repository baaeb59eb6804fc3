package dev.vmcase.analysis.report;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.OutcomeText;
import dev.vmcase.analysis.VmResult;
import dev.vmcase.analysis.callchain.FrameHint;
import dev.vmcase.analysis.callchain.FrameHints;
import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.rules.RuleOutcome;
import dev.vmcase.analysis.vms.Unattributed;
import dev.vmcase.model.Artifact;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Frame;
import dev.vmcase.model.Layer;
import dev.vmcase.model.Problem;
import dev.vmcase.parsers.ProblemTexts;
import dev.vmcase.model.SourceRef;

import java.io.PrintWriter;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The human {@code analyze} output: the artifacts (with the VM each speaks for), then VM by VM its findings with their
 * evidence lines, what each rule concluded (fired, clear, not checked and why), its devices and its backtraces; then
 * the evidence that belongs to no VM.
 */
public final class TextReport {
    private static final List<Layer> COLUMNS = List.of(Layer.LIBVIRT_XML, Layer.COMMAND_LINE, Layer.QDEV, Layer.PCI,
            Layer.BLOCK, Layer.MIGRATION);

    private TextReport() {
    }

    /**
     * Writes the report. Every character goes through {@link Visible#terminal}: evidence may carry ANSI or OSC escape
     * sequences and other controls (a hostile log), which are shown, never passed to the terminal.
     */
    public static void write(AnalysisResult r, PrintWriter terminal, Locale locale) {
        PrintWriter out = new PrintWriter(Visible.terminal(terminal));
        ResourceBundle b = ResourceBundle.getBundle("dev.vmcase.analysis.report.Report", locale);
        Map<String, String> vmOfArtifact = vmOfArtifact(r);
        out.println(b.getString("artifacts") + " (" + r.evidence().artifacts().size() + ")");
        for (Artifact a : r.evidence().artifacts()) {
            String vm = vmOfArtifact.get(a.path());
            out.printf("  %-22s %-11s %-14s %-20s %s%n", a.format(), a.role().jsonName(),
                    a.host() == null ? "-" : a.host(), vm == null || vm.isEmpty() ? "-" : vm, a.path());
            for (Problem p : a.problems()) {
                out.println("      ! " + ProblemTexts.renderWithPlace(p, locale));
            }
        }
        out.println();
        List<LocalTimeLines.Entry> locals = LocalTimeLines.of(r.evidence());
        if (!locals.isEmpty()) {
            out.println(b.getString("localTimes") + " (" + locals.size() + ")");
            for (LocalTimeLines.Entry x : locals) {
                out.println("  " + LocalTimeLines.sentence(x, b));
            }
            out.println();
        }
        boolean named = r.vms().stream().noneMatch(v -> v.vm().isUnnamed());
        if (named) {
            out.println(MessageFormat.format(b.getString("vms"), r.vms().size(),
                    String.join(", ", r.vms().stream().map(v -> v.vm().key()).toList())));
            out.println();
        }
        for (VmResult v : r.vms()) {
            vm(v, b, out, locale, named);
        }
        if (!r.unattributed().isEmpty()) {
            out.println(b.getString("unattributed") + " (" + r.unattributed().size() + ")");
            for (Unattributed u : r.unattributed()) {
                out.println("  " + u.artifact().path() + ": " + unattributed(u, b));
            }
            out.println();
        }
        out.flush();
    }

    /** The VM each artifact speaks for as a whole; several for a file shared by VMs. */
    private static Map<String, String> vmOfArtifact(AnalysisResult r) {
        Map<String, String> out = new HashMap<>();
        for (VmResult v : r.vms()) {
            for (Artifact a : v.evidence().artifacts()) {
                out.merge(a.path(), v.vm().key(), (x, y) -> x + "," + y);
            }
        }
        return out;
    }

    static String unattributed(Unattributed u, ResourceBundle b) {
        switch (u.reason()) {
            case NEIGHBOURS_NAME_SEVERAL:
                return MessageFormat.format(b.getString("unattributed.neighbours"), u.records(), u.folder(), u.vms());
            case FILE_NAMES_SEVERAL:
                return MessageFormat.format(b.getString("unattributed.file"), u.records(), u.vms());
            default:
                return MessageFormat.format(b.getString("unattributed.none"), u.records());
        }
    }

    /** Why a file's evidence belongs to no VM, in the report's words ("3 records: names no VM, and …"). */
    public static String unattributed(Unattributed u, Locale locale) {
        return unattributed(u, ResourceBundle.getBundle("dev.vmcase.analysis.report.Report", locale));
    }

    private static void vm(VmResult v, ResourceBundle b, PrintWriter out, Locale locale, boolean named) {
        if (named) {
            out.println("== " + MessageFormat.format(b.getString("vm"), v.vm().label()) + " ==");
        }
        out.println(b.getString("findings") + " (" + v.findings().size() + ")");
        if (v.findings().isEmpty()) {
            out.println("  " + b.getString("noFindings"));
        }
        for (Finding f : v.findings()) {
            out.println("  [" + f.severity() + "] " + f.rule() + "  " + String.join(", ", f.devices()));
            out.println("    " + FindingText.summary(f, locale));
            for (SourceRef s : f.evidence()) {
                out.println("      " + s.path() + ":" + s.line() + ": " + excerpt(s.text().strip(), f));
            }
        }
        if (!v.outcomes().isEmpty()) {
            out.println(b.getString("checks"));
            for (RuleOutcome o : v.outcomes()) {
                out.println("  " + OutcomeText.line(o, locale));
            }
        }
        out.println();
        DeviceTable t = v.devices();
        out.println(MessageFormat.format(b.getString("devices"), t.count()));
        deviceTable(out, b.getString("devicesSource"), t.source());
        if (t.hasDestination()) {
            deviceTable(out, b.getString("devicesDestination"), t.destination());
        } else {
            out.println("  " + b.getString("noDestination"));
            out.println();
        }
        for (Backtrace bt : v.evidence().backtraces()) {
            backtrace(bt, t, b, out, locale);
        }
    }

    private static void backtrace(Backtrace bt, DeviceTable t, ResourceBundle b, PrintWriter out, Locale locale) {
        out.println(b.getString("backtrace") + " " + bt.source().path() + ":" + bt.source().line());
        for (BacktraceThread th : bt.threads()) {
            if (th.number() != null || th.lwp() != 0 || th.signal() != null) {
                out.println("  Thread " + (th.number() == null ? "" : th.number())
                        + (th.name() == null ? "" : " \"" + th.name() + "\"")
                        + (th.lwp() == 0 ? "" : " (LWP " + th.lwp() + ")")
                        + (th.signal() == null ? "" : "  " + th.signal()));
            }
            for (Frame f : th.frames()) {
                out.printf("    #%-3d %s%s%n", f.index(), f.function(),
                        f.file() == null ? "" : "  " + f.file() + ":" + f.line());
                List<FrameHint> hints = FrameHints.standard().hints(f, locale, th.frames());
                for (FrameHint h : hints) {
                    out.println("           -> " + h.text());
                }
                List<String> devices = FrameHint.devicesIn(t, hints);
                if (!devices.isEmpty()) {
                    out.println("           => " + b.getString("slotHolds") + " " + String.join(", ", devices));
                }
            }
        }
    }

    private static void deviceTable(PrintWriter out, String title, List<DeviceRow> rows) {
        out.println("  " + title + " (" + rows.size() + ")");
        StringBuilder h = new StringBuilder(String.format("    %-16s %-22s %-13s", "id", "type", "pci"));
        COLUMNS.forEach(c -> h.append(String.format(" %-11s", c.jsonName())));
        out.println(h);
        for (DeviceRow row : rows) {
            StringBuilder s = new StringBuilder(String.format("    %-16s %-22s %-13s", row.qdevId().isEmpty() ? "-" : row.qdevId(),
                    abbreviate(row.type(), 22), row.pci() == null ? "-" : row.pci().toString()));
            COLUMNS.forEach(c -> s.append(String.format(" %-11s", row.presence(c).jsonName())));
            out.println(s);
        }
        out.println();
    }

    /**
     * A cited line as the terminal shows it: whole up to 160 characters; a longer one (a pasted paragraph) around the
     * longest thing the finding names in it (its section, device, reason, cause), so the words that made the finding are
     * on screen and not cut away after the paragraph's first 160 characters.
     */
    static String excerpt(String line, Finding f) {
        if (line.length() <= EXCERPT) {
            return line;
        }
        int at = -1;
        int longest = 3;
        for (Map.Entry<String, String> d : f.details().entrySet()) {
            String v = d.getValue();
            if (d.getKey().equals(Finding.NOTES) || v == null || v.length() <= longest) {
                continue;
            }
            // the most specific thing named (a section's whole path before the device kind it ends with)
            int i = line.indexOf(v);
            if (i >= 0) {
                at = i;
                longest = v.length();
            }
        }
        if (at < 0 || at + 40 < EXCERPT) {
            return abbreviate(line);
        }
        int from = Math.min(at - 40, line.length() - (EXCERPT - 1));
        String window = line.substring(from, Math.min(line.length(), from + EXCERPT - 2));
        return "…" + window + (from + EXCERPT - 2 < line.length() ? "…" : "");
    }

    private static final int EXCERPT = 160;

    private static String abbreviate(String s) {
        return abbreviate(s, EXCERPT);
    }

    private static String abbreviate(String s, int max) {
        return s.length() > max ? s.substring(0, max - 1) + "…" : s;
    }
}
