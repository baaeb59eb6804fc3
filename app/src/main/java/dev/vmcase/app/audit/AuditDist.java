package dev.vmcase.app.audit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * What the Ansible role copies to each host: this vmcase as one {@code .tar.gz} — {@code vmcase/lib/} (every jar of
 * the class path it runs from; a folder of classes, as in a build tree, is packed into a jar), {@code vmcase/bin/vmcase}
 * (a POSIX sh launcher: {@code java -cp LIB… dev.vmcase.app.Main "$@"}, {@code VMCASE_JAVA} and
 * {@code VMCASE_JAVA_OPTS} honoured) and {@code vmcase/VERSION}. Needs Java 17 on the host, nothing else.
 */
public final class AuditDist {
    static final String TOP = "vmcase";
    static final String LAUNCHER = """
            #!/bin/sh
            # vmcase as `vmcase audit dist` packed it: the command line without the source tree (Java 17 or later).
            here=$(cd "$(dirname "$0")/.." && pwd)
            cp=""
            while IFS= read -r jar; do
                cp="$cp${cp:+:}$here/lib/$jar"
            done < "$here/lib/order"
            exec "${VMCASE_JAVA:-java}" ${VMCASE_JAVA_OPTS:-} -cp "$cp" dev.vmcase.app.Main "$@"
            """;

    private AuditDist() {
    }

    /** Writes the distribution of the class path {@code classPath} (entries as {@code java.class.path} lists them). */
    public static long write(List<Path> classPath, Path target) throws IOException {
        List<String> order = new ArrayList<>();
        AuditArchive.tarGz(target, tar -> {
            int n = 0;
            for (Path p : classPath) {
                if (!Files.exists(p)) {
                    continue; // a class path may name what is not there
                }
                n++;
                String base = p.getFileName().toString().replaceAll("[^A-Za-z0-9._+-]", "_");
                String name = String.format("%02d-%s", n, Files.isDirectory(p) ? base + ".jar" : base);
                add(tar, TOP + "/lib/" + name, Files.isDirectory(p) ? jar(p) : Files.readAllBytes(p), 0644);
                order.add(name);
            }
            add(tar, TOP + "/lib/order", (String.join("\n", order) + "\n").getBytes(StandardCharsets.UTF_8), 0644);
            add(tar, TOP + "/bin/vmcase", LAUNCHER.getBytes(StandardCharsets.UTF_8), 0755);
            add(tar, TOP + "/VERSION", (dev.vmcase.casefile.CaseFile.TOOL_VERSION + "\n")
                    .getBytes(StandardCharsets.UTF_8), 0644);
        });
        return Files.size(target.toAbsolutePath());
    }

    /** The class path this JVM runs from. */
    public static List<Path> currentClassPath() {
        List<Path> out = new ArrayList<>();
        for (String s : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!s.isBlank()) {
                out.add(Path.of(s));
            }
        }
        return out;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] bytes, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** A folder of classes and resources as a jar's bytes. */
    private static byte[] jar(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                try (InputStream in = Files.newInputStream(f)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
