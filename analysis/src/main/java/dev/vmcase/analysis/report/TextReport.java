package dev.vmcase.analysis.report;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.callchain.FrameHint;
import dev.vmcase.analysis.callchain.FrameHints;
import dev.vmcase.analysis.devices.DeviceRow;
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
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/** The human {@code analyze} output: findings with their evidence lines, then the device table, then backtraces. */
public final class TextReport {
    private static final List<Layer> COLUMNS = List.of(Layer.LIBVIRT_XML, Layer.COMMAND_LINE, Layer.QDEV, Layer.PCI,
            Layer.BLOCK, Layer.MIGRATION);

    private TextReport() {
    }

    public static void write(AnalysisResult r, PrintWriter out, Locale locale) {
        ResourceBundle b = ResourceBundle.getBundle("dev.vmcase.analysis.report.Report", locale);
        out.println(b.getString("artifacts") + " (" + r.evidence().artifacts().size() + ")");
        for (Artifact a : r.evidence().artifacts()) {
            out.printf("  %-22s %-11s %-14s %s%n", a.format(), a.role().jsonName(), a.host() == null ? "-" : a.host(),
                    a.path());
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
        out.println(b.getString("findings") + " (" + r.findings().size() + ")");
        if (r.findings().isEmpty()) {
            out.println("  " + b.getString("noFindings"));
        }
        for (Finding f : r.findings()) {
            out.println("  [" + f.severity() + "] " + f.rule() + "  " + String.join(", ", f.devices()));
            out.println("    " + FindingText.summary(f, locale));
            for (SourceRef s : f.evidence()) {
                out.println("      " + s.path() + ":" + s.line() + ": " + abbreviate(s.text().strip()));
            }
        }
        out.println();
        deviceTable(out, b.getString("devicesSource"), r.devices().source());
        if (!r.devices().destination().isEmpty()) {
            deviceTable(out, b.getString("devicesDestination"), r.devices().destination());
        }
        for (Backtrace bt : r.evidence().backtraces()) {
            out.println(b.getString("backtrace") + " " + bt.source().path() + ":" + bt.source().line());
            for (BacktraceThread t : bt.threads()) {
                if (t.number() != null || t.lwp() != 0 || t.signal() != null) {
                    out.println("  Thread " + (t.number() == null ? "" : t.number())
                            + (t.name() == null ? "" : " \"" + t.name() + "\"")
                            + (t.lwp() == 0 ? "" : " (LWP " + t.lwp() + ")")
                            + (t.signal() == null ? "" : "  " + t.signal()));
                }
                for (Frame f : t.frames()) {
                    out.printf("    #%-3d %s%s%n", f.index(), f.function(),
                            f.file() == null ? "" : "  " + f.file() + ":" + f.line());
                    List<FrameHint> hints = FrameHints.standard().hints(f, locale, t.frames());
                    for (FrameHint h : hints) {
                        out.println("           -> " + h.text());
                    }
                    List<String> devices = FrameHint.devicesIn(r.devices(), hints);
                    if (!devices.isEmpty()) {
                        out.println("           => " + b.getString("slotHolds") + " " + String.join(", ", devices));
                    }
                }
            }
        }
        out.flush();
    }

    private static void deviceTable(PrintWriter out, String title, List<DeviceRow> rows) {
        out.println(title + " (" + rows.size() + ")");
        StringBuilder h = new StringBuilder(String.format("  %-16s %-22s %-13s", "id", "type", "pci"));
        COLUMNS.forEach(c -> h.append(String.format(" %-9s", c.jsonName())));
        out.println(h);
        for (DeviceRow row : rows) {
            StringBuilder s = new StringBuilder(String.format("  %-16s %-22s %-13s", row.qdevId().isEmpty() ? "-" : row.qdevId(),
                    abbreviate(row.type(), 22), row.pci() == null ? "-" : row.pci().toString()));
            COLUMNS.forEach(c -> s.append(String.format(" %-9s", row.presence(c).jsonName())));
            out.println(s);
        }
        out.println();
    }

    private static String abbreviate(String s) {
        return abbreviate(s, 160);
    }

    private static String abbreviate(String s, int max) {
        return s.length() > max ? s.substring(0, max - 1) + "…" : s;
    }
}
