package dev.vmcase.casefile;

import com.sun.net.httpserver.HttpServer;
import dev.vmcase.analysis.AnalysisResult;
import dev.vmcase.model.Finding;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.ProgressMonitor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Hostile log content goes through a real analysis into the HTML report, which headless Chromium then loads: no
 * script runs and nothing is fetched (a local HTTP server records every request). A control page with the same
 * payload unescaped shows that the harness does see scripts and fetches.
 */
class HostileHtmlTest {
    /** What a script that ran leaves behind: the attribute on the body (the payload's own text only mentions it). */
    static final java.util.regex.Pattern PWNED = java.util.regex.Pattern.compile("<body[^>]*\\bdata-pwned=");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;
    HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    String base;

    @BeforeEach
    void server() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            byte[] b = "body{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String payload(String where) {
        return "<script>document.body.setAttribute('data-pwned','" + where + "');fetch('" + base + "/script-" + where
                + "')</script></style><style>body{background:url(" + base + "/css-" + where + ")}</style>"
                + "<img src=" + base + "/img-" + where + " onerror=\"document.body.setAttribute('data-pwned','img')\">"
                + "<a href=\"javascript:document.body.setAttribute('data-pwned','link')\">click</a>"
                + "<link rel=stylesheet href=" + base + "/link-" + where + ">"
                + "<iframe src=" + base + "/frame-" + where + "></iframe>"
                + "\u001b[31mRED\u001b[0m\u001b]8;;http://evil.example/\u0007osc8\u001b]8;;\u0007 \u202eevil";
    }

    @Test
    void hostileEvidenceRunsNothingAndFetchesNothing() throws Exception {
        if (!Files.isExecutable(CHROMIUM) && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the hostile-HTML test: chromium is not installed (.ci/run installs it)");
        }
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (Debian package chromium; .ci/run installs it)");
        // a real capture, with the payload in the destination's failure line and appended as lines of its own
        Path ev = tmp.resolve("evidence");
        Files.createDirectories(ev);
        try (var s = Files.list(Path.of("../sample-cases/orphaned-disk-qemu/evidence"))) {
            for (Path f : s.toList()) {
                Files.copy(f, ev.resolve(f.getFileName()));
            }
        }
        Path log = ev.resolve("destination-qemu.log");
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.set(1, lines.get(1) + " " + payload("finding"));
        lines.add("2026-11-27T22:57:23.000000Z qemu-system-x86_64: " + payload("line"));
        Files.write(log, lines);

        CaseFile c = CaseFile.fromInputs(List.of(ev));
        c = c.withArtifacts(c.artifacts().stream().map(a -> a.name().endsWith("destination-qemu.log")
                ? a.withHost("<script>fetch('" + base + "/script-host')</script>").withRole("destination") : a).toList());
        AnalysisResult r0 = CaseAnalysis.run(c, ProgressMonitor.NONE);
        Finding failed = r0.findings().stream().filter(f -> f.rule().equals("MIGRATION_FAILED")).findFirst().orElseThrow();
        SourceRef hostileRef = failed.evidence().stream().filter(s -> s.text().contains("<script>")).findFirst()
                .orElseThrow(() -> new AssertionError("the payload did not reach a finding's evidence"));
        String sha = hostileRef.artifact();
        c = c.withNotes(new CaseNotes(List.of(
                new Annotation("n1", Target.line(sha, hostileRef.line()), payload("note") + "\n**markdown**",
                        List.of(payload("tag")), payload("author"), "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"),
                new Annotation("n2", Target.line(sha, lines.size()), "the appended line", List.of(), "a",
                        "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")),
                List.of(new Bookmark("b", Target.device(payload("device")), payload("bookmark"), "x")),
                List.of(new Tour("t", payload("tour"), payload("desc"), List.of(new Tour.Step(Target.line(sha, 1),
                        payload("step"), payload("stepnote"))))), java.util.Map.of()));
        Path file = tmp.resolve("hostile.vmcase");
        CaseIO.save(c, file);
        OpenedCase o = CaseIO.open(file, tmp.resolve("work"));
        AnalysisResult r = CaseAnalysis.run(o.file(), ProgressMonitor.NONE);
        byte[] png = Files.readAllBytes(Path.of("../docs/images/report-devices-orphaned-disk.png"));
        ReportImages images = new ReportImages() {
            @Override
            public Optional<byte[]> timeline() {
                return Optional.of(png);
            }

            @Override
            public Optional<byte[]> deviceDiff() {
                return Optional.empty();
            }
        };
        StringWriter html = new StringWriter();
        new CaseReport(payload("name"), o.file(), r, images, Locale.ENGLISH).html(html);
        String page = html.toString();
        assertTrue(page.contains("&lt;script&gt;document.body.setAttribute"), "the payload is in the report, escaped");
        assertTrue(page.contains("␛[31mRED"), "ANSI escapes are shown, not passed on");
        assertFalse(page.contains("\u001b"));
        assertFalse(page.toLowerCase(Locale.ROOT).contains("<script"));
        assertTrue(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"));
        assertTrue(page.contains("src=\"data:image/png;base64,"), "the picture is embedded");

        Path report = tmp.resolve("report.html");
        Files.writeString(report, page);
        String dom = chromium(report);
        assertTrue(dom.contains("&lt;script&gt;document.body.setAttribute"), "Chromium rendered the report: " + dom.length());
        assertFalse(PWNED.matcher(dom).find(), "a script ran");
        assertFalse(dom.toLowerCase(Locale.ROOT).contains("<script"), "a script element was created");
        assertFalse(dom.toLowerCase(Locale.ROOT).contains("<iframe"), "an iframe was created");
        Thread.sleep(500);
        assertEquals(List.of(), requests, "the report fetched something");

        // the control: the same payload unescaped, without the CSP: the harness sees the script and the fetches
        Path control = tmp.resolve("control.html");
        Files.writeString(control, "<!DOCTYPE html><html><head><title>c</title></head><body>" + payload("control")
                + "</body></html>");
        String controlDom = chromium(control);
        assertTrue(PWNED.matcher(controlDom).find(), "the control's script did not run: the harness is blind");
        Thread.sleep(500);
        assertTrue(requests.stream().anyMatch(q -> q.contains("-control")), "the control fetched nothing: " + requests);
    }

    private String chromium(Path html) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile-");
        Path out = tmp.resolve(html.getFileName() + ".dom");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=3000", "--dump-dom",
                html.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(tmp.resolve(html.getFileName() + ".err").toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish");
        }
        return Files.readString(out);
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        server.stop(0);
    }

    static void write(Writer w, String s) throws IOException {
        w.write(s);
    }
}
