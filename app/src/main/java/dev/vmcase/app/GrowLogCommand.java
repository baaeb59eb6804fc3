package dev.vmcase.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a big, realistic log from a real one: the file is written again and again, each copy's timestamps shifted past
 * the previous copy's end, so times keep increasing as in a long-running daemon's log. For libvirtd debug logs
 * ({@code YYYY-MM-DD HH:MM:SS.mmm+0000:}) and QEMU/libvirt domain logs; other lines are copied as they are.
 */
@Command(name = "grow-log", resourceBundle = "dev.vmcase.app.Cli", mixinStandardHelpOptions = true)
public final class GrowLogCommand implements Callable<Integer> {
    private static final Pattern TS = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2})([ T])(\\d{2}:\\d{2}:\\d{2}\\.\\d{3})");
    private static final DateTimeFormatter F = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    @Option(names = "--from", required = true, descriptionKey = "bench.grow.from")
    Path from;

    @Option(names = "--mb", defaultValue = "1024", descriptionKey = "bench.grow.mb")
    long megabytes;

    @Option(names = "--out", required = true, descriptionKey = "bench.grow.out")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<String> lines = readLines(from);
        LocalDateTime first = null;
        LocalDateTime last = null;
        for (String l : lines) {
            LocalDateTime t = time(l);
            if (t != null) {
                first = first == null ? t : first;
                last = t;
            }
        }
        long spanMillis = first == null ? 0 : java.time.Duration.between(first, last).toMillis() + 1000;
        long target = megabytes << 20;
        long written = 0;
        int copy = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            while (written < target) {
                long shift = spanMillis * copy++;
                for (String l : lines) {
                    String s = shift == 0 ? l : shifted(l, shift);
                    w.write(s);
                    w.write('\n');
                    written += s.length() + 1;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d copies of %s (%d lines each, %.1f s apart), %.1f MB%n", out, copy, from,
                lines.size(), spanMillis / 1000.0, Files.size(out) / 1048576.0);
        return 0;
    }

    /**
     * The lines of a log, or of a log compressed with xz, gzip or bzip2 (told by its first bytes: a sample case keeps
     * its big logs compressed).
     */
    static List<String> readLines(Path file) throws IOException {
        try (java.io.InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            java.io.InputStream in = raw;
            try {
                in = new org.apache.commons.compress.compressors.CompressorStreamFactory()
                        .createCompressorInputStream(org.apache.commons.compress.compressors.CompressorStreamFactory
                                .detect(raw), raw);
            } catch (org.apache.commons.compress.compressors.CompressorException e) {
                // not compressed: the log itself
            }
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                    StandardCharsets.UTF_8))) {
                return r.lines().toList();
            }
        }
    }

    private static LocalDateTime time(String line) {
        Matcher m = TS.matcher(line);
        if (!m.find()) {
            return null;
        }
        try {
            return LocalDateTime.parse(m.group(1) + "T" + m.group(3), F);
        } catch (DateTimeParseException e) {
            // shaped like a timestamp but no date: the line is copied unshifted, as a line without one
            return null;
        }
    }

    private static String shifted(String line, long millis) {
        Matcher m = TS.matcher(line);
        LocalDateTime t = time(line);
        if (t == null || !m.find()) {
            return line;
        }
        String s = F.format(t.plusNanos(millis * 1_000_000L));
        return s.substring(0, 10) + m.group(2) + s.substring(11) + line.substring(m.end());
    }
}
