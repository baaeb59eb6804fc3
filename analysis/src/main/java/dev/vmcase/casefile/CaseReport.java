package dev.vmcase.casefile;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.analysis.FindingText;
import dev.vmcase.analysis.OutcomeText;
import dev.vmcase.analysis.VmResult;
import dev.vmcase.analysis.callchain.FrameHint;
import dev.vmcase.analysis.callchain.FrameHints;
import dev.vmcase.analysis.callchain.FrameKnowledge;
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
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.ProblemTexts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * A case as a report for a ticket: summary, findings with their evidence and the notes on them in place, the device
 * diff as a table, the call-chain walk, the remaining notes, bookmarks, tours and pictures. {@link #markdown} and
 * {@link #html} write the same content; every piece of evidence text is escaped by the writer.
 */
public final class CaseReport {
    private static final List<Layer> COLUMNS = List.of(Layer.LIBVIRT_XML, Layer.COMMAND_LINE, Layer.QDEV, Layer.PCI,
            Layer.BLOCK, Layer.MIGRATION);

    /**
     * What a report format knows how to write; all text arguments are plain text, escaped by the sink. Other reports
     * (the fleet audit's) write through the same sinks: {@link #markdownSink}, {@link #htmlSink}.
     */
    public interface Sink {
        void title(String text) throws IOException;

        void heading(String text) throws IOException;

        void subheading(String text) throws IOException;

        void paragraph(String text) throws IOException;

        void evidence(List<String> lines) throws IOException;

        void table(List<String> header, List<List<String>> rows) throws IOException;

        void note(String meta, String markdown) throws IOException;

        void image(String alt, byte[] png, String fileStem) throws IOException;

        void end() throws IOException;
    }

    private final CaseFile c;
    private final AnalysisResult r;
    private final ResourceBundle b;
    private final Locale locale;
    private final ReportImages images;
    private final String name;
    private final Set<String> shown = new HashSet<>();

    public CaseReport(String name, CaseFile c, AnalysisResult r, ReportImages images, Locale locale) {
        this.name = name;
        this.c = c;
        this.r = r;
        this.images = images == null ? ReportImages.NONE : images;
        this.locale = locale;
        this.b = ResourceBundle.getBundle("dev.vmcase.casefile.CaseReport", locale);
    }

    /**
     * Markdown for Jira, GitHub and GitLab: one file, its pictures in a folder beside it ({@code STEM-images/},
     * linked relatively), so the two travel together.
     */
    public void markdown(Writer out, Path imageStem) throws IOException {
        write(new MarkdownSink(out, imageStem));
    }

    /** One self-contained HTML file with no scripts (CSP {@code default-src 'none'}), pictures as data: URIs. */
    public void html(Writer out) throws IOException {
        write(new HtmlSink(out, locale));
    }

    /** The Markdown writer of this report, for another report's content. */
    public static Sink markdownSink(Writer out, Path imageStem) {
        return new MarkdownSink(out, imageStem);
    }

    /** The self-contained HTML writer of this report (no scripts, CSP), for another report's content. */
    public static Sink htmlSink(Writer out, Locale locale) {
        return new HtmlSink(out, locale);
    }

    private String t(String key, Object... args) {
        return args.length == 0 ? b.getString(key) : new MessageFormat(b.getString(key), locale).format(args);
    }

    private void write(Sink s) throws IOException {
        shown.clear();
        s.title(t("title", name));
        s.paragraph(t("summary", c.artifacts().size(), r.findings().size(), c.notes().annotations().size(),
                c.notes().bookmarks().size(), c.notes().tours().size()));
        if (c.modified() != null) {
            s.paragraph(t("saved", c.modified(), CaseFile.TOOL_VERSION));
        }

        boolean many = r.vms().size() > 1;
        s.heading(t("artifacts"));
        Map<String, String> vmOf = new HashMap<>();
        r.vms().forEach(v -> v.evidence().artifacts()
                .forEach(a -> vmOf.merge(a.path(), v.vm().key(), (x, y) -> x + ", " + y)));
        List<List<String>> rows = new ArrayList<>();
        for (Artifact a : r.evidence().artifacts()) {
            String vm = vmOf.getOrDefault(a.path(), "");
            rows.add(List.of(display(a.path()), a.format(), a.host() == null ? "-" : a.host(), a.role().jsonName(),
                    vm.isEmpty() ? "-" : vm, a.sha256().substring(0, 12)));
        }
        s.table(List.of(t("col.name"), t("col.format"), t("col.host"), t("col.role"), t("col.vm"), "sha256"), rows);
        // files read in part or not at all: where each stopped and why, for whoever reads the report without vmcase
        List<List<String>> troubles = new ArrayList<>();
        for (Artifact a : r.evidence().artifacts()) {
            for (Problem p : a.problems()) {
                troubles.add(List.of(display(a.path()), p.line() > 0 ? Integer.toString(p.line()) : "-",
                        ProblemTexts.render(p, locale)));
            }
        }
        if (!troubles.isEmpty()) {
            s.paragraph(t("problems", troubles.size()));
            s.table(List.of(t("col.name"), t("col.line"), t("col.problem")), troubles);
        }
        if (r.vms().stream().noneMatch(v -> v.vm().isUnnamed())) {
            s.paragraph(t("vms", r.vms().size(),
                    String.join(", ", r.vms().stream().map(v -> v.vm().label()).toList())));
        }

        s.heading(t("findings"));
        if (r.findings().isEmpty()) {
            s.paragraph(t("noFindings"));
        }
        for (Finding f : r.findings()) {
            s.subheading("[" + f.severity() + "] " + f.rule() + (f.devices().isEmpty() ? "" : " — "
                    + String.join(", ", f.devices())) + (many ? " — " + t("vm", f.vm()) : ""));
            s.paragraph(FindingText.summary(f, locale));
            notesOn(s, Target.finding(f.id()));
            evidence(s, f.evidence());
        }
        checks(s, many);

        s.heading(t("devices"));
        // the diagram first: which device, across layers, on both sides; the tables after it
        optionalImage(s, t("image.diff"), images.deviceDiff(), "devices");
        for (VmResult v : r.vms()) {
            DeviceTable d = v.devices();
            s.paragraph((many ? t("vm", v.vm().label()) + ": " : "") + t("devices.count", d.count()));
            if (d.count() == 0) {
                s.paragraph(t("noDevices"));
                continue;
            }
            deviceTable(s, t("devices.source"), d.source(), true);
            if (d.hasDestination()) {
                deviceTable(s, t("devices.destination"), d.destination(), true);
            } else {
                s.paragraph(t("noDestination"));
            }
        }
        if (!r.unattributed().isEmpty()) {
            s.heading(t("unattributed"));
            List<List<String>> un = new ArrayList<>();
            for (Unattributed u : r.unattributed()) {
                String why = t("unattributed." + u.reason().jsonName(), u.vms());
                un.add(List.of(display(u.artifact().path()), Integer.toString(u.records()),
                        u.folder() == null ? why : why + " (" + display(u.folder()) + ")"));
            }
            s.table(List.of(t("col.name"), t("col.records"), t("col.why")), un);
        }

        if (!r.evidence().backtraces().isEmpty()) {
            s.heading(t("callchain"));
            for (Backtrace bt : r.evidence().backtraces()) {
                callChain(s, bt);
            }
        }

        if (images.timeline().isPresent()) {
            s.heading(t("image.timeline"));
            optionalImage(s, t("image.timeline"), images.timeline(), "timeline");
        } else if (r.evidence().timeline().size() == 0) {
            s.paragraph(t("noTimeline"));
        }

        List<Annotation> rest = c.notes().annotations().stream().filter(a -> !shown.contains(a.id())).toList();
        if (!rest.isEmpty()) {
            s.heading(t("otherNotes"));
            for (Annotation a : rest) {
                s.subheading(targetText(a.target()));
                if (a.target().isLine()) {
                    lineText(a.target()).ifPresent(l -> {
                        try {
                            s.evidence(List.of(l));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                }
                note(s, a);
            }
        }
        if (!c.notes().bookmarks().isEmpty()) {
            s.heading(t("bookmarks"));
            List<List<String>> bm = new ArrayList<>();
            for (Bookmark bk : c.notes().bookmarks()) {
                bm.add(List.of(bk.label(), targetText(bk.target())));
            }
            s.table(List.of(t("col.bookmark"), t("col.target")), bm);
        }
        for (Tour tour : c.notes().tours()) {
            s.heading(t("tour", tour.title()));
            if (!tour.description().isEmpty()) {
                s.note("", tour.description());
            }
            int i = 1;
            for (Tour.Step st : tour.steps()) {
                s.subheading(i++ + ". " + st.title() + " — " + targetText(st.target()));
                s.note("", st.note());
            }
        }
        s.end();
    }

    private void optionalImage(Sink s, String alt, Optional<byte[]> png, String stem) throws IOException {
        if (png.isPresent() && png.get().length > 0) {
            s.image(alt, png.get(), stem);
        }
    }

    private void evidence(Sink s, List<SourceRef> refs) throws IOException {
        List<String> buf = new ArrayList<>();
        for (SourceRef ref : refs) {
            buf.add(display(ref.path()) + ":" + ref.line() + ": " + excerpt(ref.text()));
            List<Annotation> on = notesFor(Target.line(ref.artifact(), ref.line()));
            if (!on.isEmpty()) {
                s.evidence(buf);
                buf = new ArrayList<>();
                for (Annotation a : on) {
                    note(s, a);
                }
            }
        }
        if (!buf.isEmpty()) {
            s.evidence(buf);
        }
    }

    /**
     * What each rule concluded: fired, clear (checked and found nothing), or not checked and what it lacked, so that a
     * report without findings says what was looked at.
     */
    private void checks(Sink s, boolean many) throws IOException {
        if (r.outcomes().isEmpty()) {
            return;
        }
        s.heading(t("checks"));
        List<List<String>> rows = new ArrayList<>();
        for (VmResult v : r.vms()) {
            for (RuleOutcome o : v.outcomes()) {
                String why = o.status() == RuleOutcome.Status.FIRED ? t("checks.findings", o.findings())
                        : OutcomeText.why(o, locale);
                List<String> row = new ArrayList<>();
                if (many) {
                    row.add(v.vm().key());
                }
                row.addAll(List.of(o.rule(), OutcomeText.status(o.status(), locale), why));
                rows.add(row);
            }
        }
        List<String> header = new ArrayList<>();
        if (many) {
            header.add(t("col.vm"));
        }
        header.addAll(List.of(t("col.rule"), t("col.outcome"), t("col.detail")));
        s.table(header, rows);
    }

    /** @param anyDevice whether the VM has a device at all (a side may name none while the other does) */
    private void deviceTable(Sink s, String title, List<DeviceRow> rows, boolean anyDevice) throws IOException {
        s.subheading(title);
        if (rows.isEmpty()) {
            s.paragraph(t(anyDevice ? "noDevicesOnSide" : "noDevices"));
            return;
        }
        List<String> header = new ArrayList<>(List.of("id", t("col.type"), "PCI"));
        COLUMNS.forEach(l -> header.add(l.jsonName()));
        List<List<String>> out = new ArrayList<>();
        for (DeviceRow row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.qdevId().isEmpty() ? "-" : row.qdevId(), row.type(),
                    row.pci() == null ? "-" : row.pci().toString()));
            COLUMNS.forEach(l -> cells.add(row.presence(l).jsonName()));
            out.add(cells);
        }
        s.table(header, out);
        for (DeviceRow row : rows) {
            for (Annotation a : notesFor(Target.device(row.key()))) {
                s.paragraph(t("noteOnDevice", row.label()));
                note(s, a);
            }
        }
    }

    private void callChain(Sink s, Backtrace bt) throws IOException {
        s.subheading(t("backtrace", display(bt.source().path()), bt.source().line()));
        FrameHints hints = FrameHints.standard();
        for (BacktraceThread th : bt.threads()) {
            List<List<String>> rows = new ArrayList<>();
            List<Frame> withNotes = new ArrayList<>();
            for (Frame f : th.frames()) {
                StringBuilder what = new StringBuilder();
                FrameKnowledge k = hints.lookup(f.function(), locale);
                if (k != null) {
                    what.append(k.layer()).append(": ").append(k.description());
                    if (k.versionNote() != null) {
                        what.append(" (").append(k.versionNote()).append(')');
                    }
                }
                List<FrameHint> hs = hints.hints(f, locale, th.frames());
                for (FrameHint h : hs) {
                    what.append(what.length() == 0 ? "" : "; ").append(h.text());
                }
                List<String> devs = FrameHint.devicesIn(r.devices(), hs);
                if (!devs.isEmpty()) {
                    what.append(" → ").append(String.join(", ", devs));
                }
                rows.add(List.of("#" + f.index(), f.function(), f.file() == null ? "" : f.file() + ":" + f.line(),
                        what.toString()));
                if (f.source() != null && !notesFor(Target.frame(f.source().artifact(), f.source().line())).isEmpty()) {
                    withNotes.add(f);
                }
            }
            s.table(List.of(t("col.frame"), t("col.function"), t("col.source"), t("col.meaning")), rows);
            for (Frame f : withNotes) {
                s.paragraph(t("noteOnFrame", f.index(), f.function()));
                for (Annotation a : notesFor(Target.frame(f.source().artifact(), f.source().line()))) {
                    note(s, a);
                }
            }
        }
    }

    private List<Annotation> notesFor(Target target) {
        return c.notes().annotations().stream().filter(a -> a.target().equals(target)).toList();
    }

    private void notesOn(Sink s, Target target) throws IOException {
        for (Annotation a : notesFor(target)) {
            note(s, a);
        }
    }

    private void note(Sink s, Annotation a) throws IOException {
        shown.add(a.id());
        String meta = a.author() + ", " + a.modified() + (a.tags().isEmpty() ? "" : " — #" + String.join(" #", a.tags()));
        s.note(meta, a.text());
    }

    private String targetText(Target target) {
        return switch (target.kind()) {
            case LINE, FRAME -> {
                String p = r.evidence().artifacts().stream().filter(a -> a.sha256().equals(target.artifact()))
                        .map(a -> display(a.path())).findFirst().orElse(target.artifact().substring(0, 12));
                yield (target.kind() == Target.Kind.FRAME ? t("target.frame") : t("target.line")) + " " + p + ":"
                        + target.line();
            }
            case DEVICE -> t("target.device") + " " + target.key();
            case FINDING -> t("target.finding") + " " + target.key();
        };
    }

    /** The text of an annotated line, read from the artifact's file (top-level artifacts only). */
    private Optional<String> lineText(Target target) {
        for (Artifact a : r.evidence().artifacts()) {
            if (a.sha256().equals(target.artifact()) && !a.path().contains("!/")) {
                Path p = Path.of(a.path());
                try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                    String line = null;
                    for (int i = 0; i < target.line(); i++) {
                        line = in.readLine();
                        if (line == null) {
                            return Optional.empty();
                        }
                    }
                    if (line != null && line.length() > SourceRef.MAX_TEXT) {
                        line = line.substring(0, SourceRef.MAX_TEXT) + "…";
                    }
                    return Optional.ofNullable(line).map(l -> display(a.path()) + ":" + target.line() + ": " + excerpt(l));
                } catch (IOException | RuntimeException e) {
                    // the evidence cannot be read back here (moved, damaged): the note is reported without its line's
                    // excerpt
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private String display(String path) {
        return CaseAnalysis.displayName(c, path);
    }

    /** An evidence line for a ticket: one line (a line break in it is shown, not kept), at most 400 characters. */
    static String excerpt(String text) {
        String t = text == null ? "" : SafeText.visible(text);
        return t.length() > 400 ? t.substring(0, 399) + "…" : t;
    }
}
