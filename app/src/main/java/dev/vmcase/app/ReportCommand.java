package dev.vmcase.app;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.casefile.CaseAnalysis;
import dev.vmcase.casefile.CaseFormatException;
import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.CaseReport;
import dev.vmcase.casefile.CaseSession;
import dev.vmcase.casefile.OpenedCase;
import dev.vmcase.casefile.ReportImages;
import dev.vmcase.casefile.ReportPictures;
import dev.vmcase.casefile.AtomicFiles;
import dev.vmcase.parsers.ingest.Folders;
import dev.vmcase.parsers.ProgressMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vmcase report CASE.vmcase --format md|html --out FILE}: a case as a report for a ticket. */
@Command(name = "report", resourceBundle = "dev.vmcase.app.ReportCli", mixinStandardHelpOptions = true)
public final class ReportCommand implements Callable<Integer> {
    enum Format { md, html }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CASE", descriptionKey = "report.case")
    Path caseFile;

    @Option(names = "--format", required = true, paramLabel = "md|html", descriptionKey = "report.format")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", descriptionKey = "report.out")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(caseFile)) {
            throw new ParameterException(spec.commandLine(), MessageFormat.format(
                    spec.resourceBundle().getString("error.noCase"), caseFile));
        }
        OpenedCase o;
        try {
            o = CaseIO.open(caseFile, CaseSession.defaultWorkRoot().resolve("cases"));
        } catch (CaseFormatException e) {
            System.err.println(MessageFormat.format(spec.resourceBundle().getString("error.badCase"), caseFile,
                    e.getMessage()));
            return 1;
        } catch (java.io.IOException e) {
            // an unreadable or damaged zip as a whole: said in one line, not a stack trace
            System.err.println(MessageFormat.format(spec.resourceBundle().getString("error.badCase"), caseFile,
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
            return 1;
        }
        try {
            for (String problem : o.integrity()) {
                System.err.println(MessageFormat.format(spec.resourceBundle().getString("warning.integrity"), problem));
            }
            java.util.Optional<dev.vmcase.app.audit.FleetDocument> fleet = dev.vmcase.app.audit.FleetCase.find(o);
            if (fleet.isPresent()) { // a fleet audit's case: its own report (no analysis of all its VMs together)
                Path target = out.toAbsolutePath();
                dev.vmcase.app.audit.FleetReport report = new dev.vmcase.app.audit.FleetReport(fleet.get(),
                        caseFile.getFileName().toString(), Locale.getDefault());
                AtomicFiles.writeShared(target, os -> {
                    Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                    report.write(format == Format.html ? CaseReport.htmlSink(w, Locale.getDefault())
                            : CaseReport.markdownSink(w, target.resolveSibling("images")));
                    w.flush();
                });
                System.out.println(MessageFormat.format(spec.resourceBundle().getString("written"), target));
                return 0;
            }
            AnalysisResult r = CaseAnalysis.run(o.file(), ProgressMonitor.NONE);
            String name = caseFile.getFileName().toString();
            // the device diagram and the timeline chart, drawn for the page (no GUI toolkit is started)
            ReportImages images;
            try {
                images = ReportPictures.of(r, o.file().notes().clockOffsets(), Locale.getDefault());
            } catch (RuntimeException e) {
                System.err.println(MessageFormat.format(spec.resourceBundle().getString("warning.noImages"), e));
                images = ReportImages.NONE;
            }
            CaseReport report = new CaseReport(name, o.file(), r, images, Locale.getDefault());
            Path target = out.toAbsolutePath();
            AtomicFiles.writeShared(target, os -> {
                Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
                if (format == Format.html) {
                    report.html(w);
                } else {
                    String stem = target.getFileName().toString().replaceFirst("\\.(md|markdown)$", "");
                    report.markdown(w, target.resolveSibling(stem));
                }
                w.flush();
            });
            System.out.println(MessageFormat.format(spec.resourceBundle().getString("written"), target));
            return 0;
        } finally {
            Folders.deleteTree(o.workDir());
        }
    }
}
