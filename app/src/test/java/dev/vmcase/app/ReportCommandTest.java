package dev.vmcase.app;

import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.casefile.Annotation;
import dev.vmcase.casefile.CaseAnalysis;
import dev.vmcase.casefile.CaseFile;
import dev.vmcase.casefile.CaseIO;
import dev.vmcase.casefile.CaseNotes;
import dev.vmcase.casefile.Target;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Frame;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code vmcase report}: the orphaned-disk case with three notes, and the seed case with its tour. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    /**
     * Runs the command; nothing may reach standard error (a CSS warning, "Unsupported JavaFX configuration", a
     * logger's line): a report is drawn without any GUI toolkit.
     */
    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
            code = cl.execute(args);
        } finally {
            System.setErr(before);
        }
        assertEquals(0, code, err.toString());
        assertEquals("", stderr.toString(java.nio.charset.StandardCharsets.UTF_8), "standard error stays quiet");
        return code;
    }

    @Test
    void markdownAndHtmlOfAnAnnotatedCase() throws Exception {
        System.setProperty("vmcase.work", tmp.resolve("work").toString());
        CaseFile c = CaseFile.fromInputs(List.of(Path.of("../sample-cases/orphaned-disk-qemu/evidence")));
        AnalysisResult r = CaseAnalysis.run(c, ProgressMonitor.NONE);
        Finding root = r.findings().stream().filter(f -> f.rule().equals("BACKEND_REMOVED_BEFORE_FRONTEND"))
                .findFirst().orElseThrow();
        var drive = root.evidence().get(1); // the drive_del
        c = c.withNotes(new CaseNotes(List.of(
                new Annotation("1", Target.finding(root.id()), "**Root cause**: `drive_del` before `DEVICE_DELETED`",
                        List.of("root-cause"), "alice", "t", "t"),
                new Annotation("2", Target.line(drive.artifact(), drive.line()), "libvirt sent this 0.2 s after device_del",
                        List.of("timing"), "alice", "t", "t"),
                new Annotation("3", Target.device("virtio-disk1"), "still in qtree and query-pci | not in query-block",
                        List.of(), "bob", "t", "t")), List.of(), List.of(), Map.of()));
        Path file = tmp.resolve("orphan.vmcase");
        CaseIO.save(c, file);

        Path md = tmp.resolve("orphan.md");
        run("report", file.toString(), "--format", "md", "--out", md.toString());
        String m = Files.readString(md);
        assertTrue(m.startsWith("# vmcase report: orphan.vmcase"), m);
        assertTrue(m.contains("### \\[CRITICAL\\] BACKEND\\_REMOVED\\_BEFORE\\_FRONTEND"), m);
        // the note on the finding, then its evidence; the note on the drive_del line right after that line
        int finding = m.indexOf("BACKEND\\_REMOVED\\_BEFORE\\_FRONTEND");
        int note1 = m.indexOf("> **Root cause**: `drive_del` before `DEVICE_DELETED`");
        int line = m.indexOf("\"drive_del drive-virtio-disk1\"");
        int note2 = m.indexOf("> libvirt sent this 0.2 s after device_del");
        assertTrue(finding < note1 && note1 < line && line < note2, m);
        assertTrue(m.contains("```text\nevidence/source-qmp.jsonl:8: {\"execute\": \"device_del\""), m);
        assertTrue(m.contains("| virtio-disk1 | virtio-blk-pci | 0000:00:06.0 |"), m);
        assertTrue(m.contains("> still in qtree and query-pci | not in query-block"), m);
        assertFalse(m.contains(tmp.resolve("work").toString()), "working-folder paths leak into the report");

        Path html = tmp.resolve("orphan.html");
        run("report", file.toString(), "--format", "html", "--out", html.toString());
        String h = Files.readString(html);
        assertTrue(h.contains("content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\""));
        assertTrue(h.contains("<td>virtio-disk1</td><td>virtio-blk-pci</td><td>0000:00:06.0</td>"), h);
        assertTrue(h.contains("&quot;drive_del drive-virtio-disk1&quot;"));
        assertFalse(h.toLowerCase().contains("<script"));
        // the timeline and the device diff, drawn off screen, are in the page as data: pictures
        assertEquals(2, h.split("src=\"data:image/png;base64,", -1).length - 1, "two pictures in the HTML");
        // the Markdown's pictures in one folder beside it, linked relatively
        Path images = tmp.resolve("orphan-images");
        assertTrue(m.contains("](orphan-images/devices.png)") && m.contains("](orphan-images/timeline.png)"), m);
        for (String name : List.of("devices.png", "timeline.png")) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(images.resolve(name).toFile());
            assertTrue(img.getWidth() >= 2000 && img.getHeight() > 300, name + " " + img.getWidth() + "x" + img.getHeight());
            // drawn for the page: light paper whatever theme the workbench uses
            assertEquals(0xffffff, img.getRGB(2, 2) & 0xffffff, name);
        }
        if (Files.getFileStore(md).supportsFileAttributeView("posix")) {
            Path probe = Files.createFile(tmp.resolve("probe"));
            assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(md),
                    "a report's mode is what the umask gives a new file");
            assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(html));
        }
        String shots = System.getProperty("vmcase.screenshots");
        if (shots != null) {
            Files.createDirectories(Path.of(shots));
            Files.copy(html, Path.of(shots, "report-orphan.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(md, Path.of(shots, "report-orphan.md"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theSeedCaseWithItsTourAndTheCallChain() throws Exception {
        System.setProperty("vmcase.work", tmp.resolve("work").toString());
        Path seed = Path.of("../sample-cases/seed-incident");
        CaseFile c = CaseFile.fromInputs(List.of(seed.resolve("evidence")));
        AnalysisResult r = CaseAnalysis.run(c, ProgressMonitor.NONE);
        Frame kvm = r.evidence().backtraces().get(0).threads().get(0).frames().stream()
                .filter(f -> f.function().equals("kvm_handle_io")).findFirst().orElseThrow();
        c = c.withNotes(new CaseNotes(List.of(new Annotation("f", Target.frame(kvm.source().artifact(),
                kvm.source().line()), "the guest's eject write", List.of(), "a", "t", "t")), List.of(),
                CaseIO.readTours(seed.resolve("tour.json")), Map.of()));
        Path file = tmp.resolve("seed.vmcase");
        CaseIO.save(c, file);
        Path md = tmp.resolve("seed.md");
        run("report", file.toString(), "--format", "md", "--out", md.toString());
        String m = Files.readString(md);
        assertTrue(m.contains("| \\#16 | kvm\\_handle\\_io |"), m);
        assertTrue(m.contains("0xae08"), "the call-chain walk decodes the port");
        assertTrue(m.contains("> the guest's eject write"));
        assertTrue(m.contains("## Tour: The seed author's investigation"), m);
        // the note names one device (the slot the destination rejected): no "no device" above its diagram
        assertTrue(m.contains("](seed-images/devices.png)"), m);
        assertFalse(m.contains("No device is named in the evidence"), m);
        // and it has no dated line: the report says so instead of a chart of nothing
        assertFalse(Files.exists(tmp.resolve("seed-images/timeline.png")));
        assertTrue(m.contains("No timeline: no line of this evidence carries a date and time"), m);
        Path html = tmp.resolve("seed.html");
        run("report", file.toString(), "--format", "html", "--out", html.toString());
        assertTrue(Files.readString(html).contains("热迁移虚机失败"), "CJK evidence survives");
        String shots = System.getProperty("vmcase.screenshots");
        if (shots != null) {
            Files.createDirectories(Path.of(shots));
            Files.copy(html, Path.of(shots, "report-seed.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
