package dev.vmcase.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./vmcase} as a user meets it, on copies of this checkout as Maven built it (this module runs after {@code app}
 * is packaged): a copied and a moved checkout run their own jars, a missing or old Java and a missing Maven are one
 * clear line each, one build at a time, a failed build shows its end, no display is status 3. Builds are played by a
 * stand-in {@code mvn} that touches what Maven would write, so no test here runs Maven.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The modules the application is made of: what a copy of the checkout needs besides the launcher. */
    private static final List<String> MODULES = List.of("parsers", "analysis", "views", "lab", "app");
    private static final long LIMIT_SECONDS = 180;

    @TempDir
    Path tmp;

    // ---- copies of the checkout ----

    private static final FileTime SOURCES_TIME = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    /**
     * What a checkout built by Maven holds that the launcher uses, mtimes kept (they decide whether to build); its
     * sources and poms then dated before the build (they are, after {@code mvn verify}; in a developer's tree being
     * edited they may not be, and then the launcher rightly builds).
     */
    private static void copyCheckout(Path from, Path to) throws IOException {
        copyFiles(from, to);
        try (Stream<Path> all = Files.walk(to)) {
            for (Path p : all.toList()) {
                String rel = to.relativize(p).toString();
                if (rel.endsWith("pom.xml") || rel.contains("/src/") || rel.endsWith("/src")) {
                    Files.setLastModifiedTime(p, SOURCES_TIME);
                }
            }
        }
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : List.of("vmcase", "pom.xml")) {
            Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        for (String module : MODULES) {
            copyTree(from.resolve(module).resolve("src"), to.resolve(module).resolve("src"));
            Files.copy(from.resolve(module).resolve("pom.xml"), to.resolve(module).resolve("pom.xml"),
                    StandardCopyOption.COPY_ATTRIBUTES);
            Path target = from.resolve(module).resolve("target");
            Files.createDirectories(to.resolve(module).resolve("target"));
            try (Stream<Path> files = Files.list(target)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, to.resolve(module).resolve("target").resolve(f.getFileName()),
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        for (String sample : List.of("seed-incident", "libvirt-pending-unplug")) {
            copyTree(from.resolve("sample-cases").resolve(sample), to.resolve("sample-cases").resolve(sample));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                // as cp -a: a folder's time is that of the last change to its list of files, which the launcher reads
                Files.setLastModifiedTime(to.resolve(from.relativize(dir).toString()), Files.getLastModifiedTime(dir));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ---- running the launcher ----

    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** The programs the launcher (and the stand-in scripts) run, besides bash's builtins. */
    private static final List<String> TOOLS = List.of("readlink", "sed", "grep", "find", "ls", "head", "tail", "mkdir",
            "flock", "mv", "rm", "touch", "env", "stat", "cut");

    /**
     * A folder standing in for PATH: the tools the launcher needs, as scripts that run the real ones, without java
     * and mvn, plus {@code extra} (name → script).
     */
    private Path bin(String name, Map<String, String> extra) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve(name));
        for (String tool : TOOLS) {
            Path real = Stream.of("/usr/bin/" + tool, "/bin/" + tool).map(Path::of).filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new AssertionError(tool + " is not installed"));
            script(bin.resolve(tool), "#!/bin/sh\nexec '" + real + "' \"$@\"\n");
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            script(bin.resolve(e.getKey()), e.getValue());
        }
        return bin;
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The real java (this JVM's), for PATHs that keep it. */
    private static String realJava() {
        return "#!/bin/sh\nexec '" + ProcessHandle.current().info().command().orElseThrow() + "' \"$@\"\n";
    }

    private static ProcessBuilder launcher(Path checkout, Path path, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("/bin/bash", checkout.resolve("vmcase").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
        Map<String, String> e = pb.environment();
        e.remove("DISPLAY");
        e.remove("WAYLAND_DISPLAY");
        e.remove("JAVA_HOME");
        e.remove("VMCASE_JAVA_OPTS");
        if (path != null) {
            e.put("PATH", path.toString());
        }
        e.putAll(env);
        return pb;
    }

    private static Run run(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("./vmcase " + pb.command() + " did not end within " + LIMIT_SECONDS + " s");
        }
        return new Run(p.exitValue(), out.get(), err.get());
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The rules and evidence lines (file:line) of {@code analyze --json} output, as expected-findings.json has them. */
    private static Set<String> findings(JsonNode findings) {
        Set<String> out = new TreeSet<>();
        for (JsonNode f : findings) {
            List<String> lines = new ArrayList<>();
            for (JsonNode e : f.get("evidence")) {
                if (e.isTextual()) {
                    lines.add(e.asText());
                } else {
                    String artifact = e.get("artifact").asText();
                    lines.add(artifact.substring(artifact.lastIndexOf('/') + 1) + ":" + e.get("line").asInt());
                }
            }
            out.add(f.get("rule").asText() + " " + lines);
        }
        return out;
    }

    private static void assertAnalysesTheSeed(Path checkout, Run r) throws IOException {
        assertEquals(0, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        Set<String> expected = findings(json.readTree(
                ROOT.resolve("sample-cases/seed-incident/expected-findings.json").toFile()));
        assertFalse(expected.isEmpty());
        JsonNode report = json.readTree(r.out());
        assertEquals(expected, findings(report.get("findings")), r.out());
        assertTrue(report.get("artifacts").get(0).get("path").asText().startsWith(checkout.toString()), r.out());
    }

    // ---- a copied and a moved checkout ----

    @Test
    void aCopiedCheckoutRunsItsOwnJarsAndSoDoesAMovedOne() throws Exception {
        // no mvn in PATH: had the launcher wanted to build, it would have said so and stopped with status 4
        Path noMaven = bin("bin", Map.of("java", realJava()));
        Path first = tmp.resolve("first");
        copyCheckout(ROOT, first);
        Run r = run(launcher(first, noMaven, Map.of("VMCASE_NO_CDS", "1"), "analyze", "--json",
                first.resolve("sample-cases/seed-incident/evidence").toString()));
        assertAnalysesTheSeed(first, r);
        String stored = Files.readString(first.resolve("app/target/launcher-classpath.txt"));
        assertTrue(stored.contains("@ROOT@/app/target/vmcase-app-"), stored);
        for (String module : List.of("parsers", "analysis", "views", "lab")) {
            assertTrue(stored.contains("@ROOT@/" + module + "/target/vmcase-" + module + "-"), module + ": " + stored);
        }
        assertFalse(stored.contains(ROOT.toString() + "/") || stored.contains(first.toString()),
                "the checkout's own files are stored relative to it: " + stored);

        // a copy of the copy, the first one gone: whatever runs comes from the second
        Path second = tmp.resolve("second");
        copyTree(first, second);
        deleteTree(first);
        assertAnalysesTheSeed(second, run(launcher(second, noMaven, Map.of("VMCASE_NO_CDS", "1"), "analyze", "--json",
                second.resolve("sample-cases/seed-incident/evidence").toString())));

        // moved: the class-sharing archive, made for the old place, is made again for the new one, announced
        Path moved = tmp.resolve("moved");
        Files.move(second, moved);
        Run m = run(launcher(moved, noMaven, Map.of(), "analyze", "--json",
                moved.resolve("sample-cases/seed-incident/evidence").toString()));
        assertAnalysesTheSeed(moved, m);
        assertTrue(m.err().contains("class-sharing archive"), m.err());
        assertEquals(moved.toString(), Files.readString(moved.resolve("app/target/vmcase-headless.jsa.root")).trim());
        Run again = run(launcher(moved, noMaven, Map.of(), "analyze", "--json",
                moved.resolve("sample-cases/seed-incident/evidence").toString()));
        assertAnalysesTheSeed(moved, again);
        assertEquals("", again.err(), "nothing to build or record the second time");
    }

    @Test
    void theClassSharingArchiveIsMadeAgainWhenAJarChangedWhateverItsDate() throws Exception {
        Path noMaven = bin("bin", Map.of("java", realJava()));
        Path c = copiedCheckout();
        String seed = seedEvidence(c);
        Run first = run(launcher(c, noMaven, Map.of(), "analyze", "--json", seed));
        assertAnalysesTheSeed(c, first);
        assertTrue(first.err().contains("class-sharing archive"), first.err());
        Run second = run(launcher(c, noMaven, Map.of(), "analyze", "--json", seed));
        assertEquals("", second.err(), "the jars did not change: the archive is current");
        // a jar replaced by one dated before the archive (a copy kept its date, a clock set back): file dates say
        // the archive is current, the jar's fingerprint says it is not
        Path jar;
        try (Stream<Path> jars = Files.list(c.resolve("parsers/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("vmcase-parsers-.*\\.jar")
                    && !p.getFileName().toString().contains("tests")).findFirst().orElseThrow();
        }
        FileTime archived = Files.getLastModifiedTime(c.resolve("app/target/vmcase-headless.jsa"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(archived.toMillis() - 3_600_000L));
        Run third = run(launcher(c, noMaven, Map.of(), "analyze", "--json", seed));
        assertAnalysesTheSeed(c, third);
        assertTrue(third.err().contains("class-sharing archive"), "made again: " + third.err());
        assertEquals("", run(launcher(c, noMaven, Map.of(), "analyze", "--json", seed)).err());
    }

    @Test
    void theYoungGenerationIs32MbUnlessTheUsersOptionsSizeItOrCapTheHeapBelow128Mb() throws Exception {
        Path withJava = bin("bin", Map.of("java", realJava()));
        Path c = copiedCheckout();
        String seed = seedEvidence(c);
        // the JVM lists its flags on standard output before the report
        Map<String, String> printed = Map.of("VMCASE_NO_CDS", "1", "VMCASE_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        Run chosen = run(launcher(c, withJava, printed, "analyze", seed));
        assertEquals(0, chosen.code(), chosen.err());
        assertEquals(32L << 20, flag(chosen.out(), "MaxNewSize"), "the launcher's young generation");
        for (String opts : List.of("-Xmx32m", "-Xmn8m")) {
            Run own = run(launcher(c, withJava, Map.of("VMCASE_NO_CDS", "1", "VMCASE_JAVA_OPTS",
                    opts + " -XX:+PrintFlagsFinal"), "analyze", seed));
            assertEquals(0, own.code(), own.err());
            // 32 MB of a 32 MB heap would leave the old generation (the timeline index) nothing: the JVM splits it
            assertTrue(flag(own.out(), "MaxNewSize") < 32L << 20, opts + ": the JVM's own choice or the user's");
        }
    }

    /** A copy of this checkout as Maven built it, in {@code c} of the test's folder. */
    private Path copiedCheckout() throws IOException {
        Path c = tmp.resolve("c");
        copyCheckout(ROOT, c);
        return c;
    }

    private static String seedEvidence(Path checkout) {
        return checkout.resolve("sample-cases/seed-incident/evidence").toString();
    }

    /** A numeric flag's value as {@code -XX:+PrintFlagsFinal} lists it. */
    private static long flag(String out, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*\\S+\\s+" + name + "\\s+=\\s+(\\d+)")
                .matcher(out);
        assertTrue(m.find(), name + " is not listed");
        return Long.parseLong(m.group(1));
    }

    // ---- what is missing, in one line ----

    @Test
    void missingJavaIsOneClearLine() throws Exception {
        Path checkout = tmp.resolve("c");
        copyCheckout(ROOT, checkout);
        Run r = run(launcher(checkout, bin("bin", Map.of()), Map.of(), "analyze", "x"));
        assertEquals(4, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("Java 17 or later is needed") && r.err().contains("no java is in PATH"), r.err());
    }

    @Test
    void anOldJavaIsOneClearLineNamingItsVersion() throws Exception {
        Path checkout = tmp.resolve("c");
        copyCheckout(ROOT, checkout);
        // what Java 11's launcher prints; no release file beside this one, so the launcher asks it
        String java11 = "#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n";
        Run r = run(launcher(checkout, bin("bin", Map.of("java", java11)), Map.of(), "analyze", "x"));
        assertEquals(4, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("Java 17 or later is needed") && r.err().contains("Java 11.0.21"), r.err());
    }

    /** Makes the copy need a build: what Maven built is older than the sources ({@link #SOURCES_TIME}). */
    private static void ageTheBuild(Path checkout) throws IOException {
        FileTime old = FileTime.from(Instant.parse("2019-01-01T00:00:00Z"));
        for (String module : MODULES) {
            try (Stream<Path> files = Files.list(checkout.resolve(module).resolve("target"))) {
                for (Path f : files.toList()) {
                    Files.setLastModifiedTime(f, old);
                }
            }
        }
    }

    @Test
    void missingMavenIsOneClearLineWhenABuildIsNeeded() throws Exception {
        Path checkout = tmp.resolve("c");
        copyCheckout(ROOT, checkout);
        ageTheBuild(checkout);
        Run r = run(launcher(checkout, bin("bin", Map.of("java", realJava())), Map.of(), "analyze", "x"));
        assertEquals(4, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("Maven is needed") && r.err().contains("no mvn is in PATH"), r.err());
    }

    @Test
    void noDisplayIsStatusThreeBeforeAnyBuild() throws Exception {
        Path checkout = tmp.resolve("c");
        copyCheckout(ROOT, checkout);
        ageTheBuild(checkout);
        Run r = run(launcher(checkout, bin("bin", Map.of("java", realJava())), Map.of()));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().startsWith("vmcase: no display"), r.err());
    }

    // ---- builds, played by a stand-in mvn ----

    /**
     * An {@code mvn} that writes Maven's reactor lines, waits for a line on {@code gate} (a FIFO, when given), counts
     * its runs in {@code runs}, and touches the jars and classpath file a real build would rewrite; or fails.
     */
    private static String fakeMaven(Path checkout, Path runs, Path gate, boolean fail) {
        return "#!/bin/bash\n"
                + "echo run >> '" + runs + "'\n"
                + "echo '[INFO] Building vmcase parsers 0.1.0-SNAPSHOT                          [2/6]'\n"
                + (gate != null ? "read line < '" + gate + "'\n" : "")
                + (fail ? "echo '[ERROR] COMPILATION ERROR : Head.java:[12,1] class, interface, enum, or record expected'\n"
                        + "exit 1\n"
                        : "echo '[INFO] Building vmcase app 0.1.0-SNAPSHOT                              [6/6]'\n"
                        + "touch '" + checkout + "'/*/target/*.jar '" + checkout + "/app/target/classpath.txt'\n")
                + "exit 0\n";
    }

    @Test
    void aFailedBuildShowsItsLastLinesAndStatusFive() throws Exception {
        Path checkout = tmp.resolve("c");
        copyCheckout(ROOT, checkout);
        ageTheBuild(checkout);
        Path runs = tmp.resolve("runs");
        Path bin = bin("bin", Map.of("java", realJava(), "mvn", fakeMaven(checkout, runs, null, true)));
        Run r = run(launcher(checkout, bin, Map.of("VMCASE_NO_CDS", "1"), "analyze", "x"));
        assertEquals(5, r.code(), r.err());
        assertTrue(r.err().contains("vmcase:   2/6 vmcase parsers"), "progress shown: " + r.err());
        assertTrue(r.err().contains("the build failed") && r.err().contains("COMPILATION ERROR : Head.java"), r.err());
        assertTrue(r.err().contains(checkout.resolve("target/launcher/build.log").toString()), r.err());
    }

    @Test
    void oneBuildAtATimeTheSecondLauncherWaitsAndDoesNotBuildAgain() throws Exception {
        Path checkout = tmp.resolve("c");
        copyCheckout(ROOT, checkout);
        ageTheBuild(checkout);
        Path runs = tmp.resolve("runs");
        Path gate = tmp.resolve("gate");
        assertEquals(0, new ProcessBuilder("mkfifo", gate.toString()).start().waitFor());
        Path bin = bin("bin", Map.of("java", realJava(), "mvn", fakeMaven(checkout, runs, gate, false)));
        String[] args = {"analyze", "--json", checkout.resolve("sample-cases/seed-incident/evidence").toString()};
        Map<String, String> env = Map.of("VMCASE_NO_CDS", "1");

        Process first = launcher(checkout, bin, env, args).start();
        BufferedReader firstErr = new BufferedReader(new InputStreamReader(first.getErrorStream(), StandardCharsets.UTF_8));
        String line = firstErr.readLine();
        assertNotNull(line);
        assertTrue(line.startsWith("vmcase: building the application"), line); // it holds the lock now

        Process second = launcher(checkout, bin, env, args).start();
        BufferedReader secondErr = new BufferedReader(new InputStreamReader(second.getErrorStream(), StandardCharsets.UTF_8));
        String waiting = secondErr.readLine();
        assertNotNull(waiting);
        assertTrue(waiting.contains("another vmcase is building this checkout; waiting"), waiting);

        Files.writeString(gate, "go\n"); // the first build may end
        CompletableFuture<String> firstOut = CompletableFuture.supplyAsync(() -> readAll(first.getInputStream()));
        CompletableFuture<String> secondOut = CompletableFuture.supplyAsync(() -> readAll(second.getInputStream()));
        assertTrue(first.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS) && second.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS));
        assertAnalysesTheSeed(checkout, new Run(first.exitValue(), firstOut.get(), ""));
        assertAnalysesTheSeed(checkout, new Run(second.exitValue(), secondOut.get(), ""));
        assertEquals(List.of("run"), Files.readAllLines(runs), "one build for both");
    }
}
