package dev.vmcase.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * vmcase's log. Code everywhere logs through the JDK's {@link System.Logger} (no dependency below {@code app}; the
 * parsers and the analysis stay free of any logging library); this class points it at a rotating file in the user's
 * vmcase folder ({@code CaseSession.defaultWorkRoot()}, beside the recovery files): {@code logs/vmcase-0.log} is the
 * newest, five files of 1 MiB at most are kept, each record with its time, level, logger and stack trace. Warnings
 * and errors also go to standard error, where a command-line user sees them. {@code System.Logger} is backed by
 * {@code java.util.logging} here; SLF4J would add a jar and a binding for no gain in a desktop application that
 * has no other library logging through it.
 */
public final class Logs {
    /** The newest log file's name: {@code vmcase-%g.log} numbers the rotation, 0 being the current file. */
    static final String CURRENT = "vmcase-0.log";
    private static final int LIMIT_BYTES = 1 << 20;
    private static final int FILES = 5;
    private static Path folder;

    private Logs() {
    }

    /** Where the log files go under vmcase's folder {@code workRoot}. */
    public static Path folder(Path workRoot) {
        return workRoot.resolve("logs");
    }

    /** The file being written, once {@link #install} has run. */
    public static synchronized Optional<Path> current() {
        return Optional.ofNullable(folder).map(f -> f.resolve(CURRENT));
    }

    /**
     * Sends every record of level INFO and above to the log files under {@code workRoot}, warnings and errors also to
     * standard error. Idempotent. When the folder cannot be written, the log stays on standard error only and the
     * reason is said there once: the application runs on without a file.
     */
    public static synchronized Optional<Path> install(Path workRoot) {
        if (folder != null) {
            return current();
        }
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                h.setLevel(Level.WARNING);
                h.setFormatter(new LineFormatter());
            }
        }
        root.setLevel(Level.INFO);
        Path dir = folder(workRoot);
        try {
            root.addHandler(fileHandler(dir));
            folder = dir;
        } catch (IOException | RuntimeException e) {
            Logger.getLogger(Logs.class.getName()).log(Level.WARNING,
                    "vmcase cannot write its log in " + dir + "; logging to standard error only", e);
            return Optional.empty();
        }
        return current();
    }

    /** The rotating files in {@code dir} (made if missing): INFO and above, UTF-8, one line a record. */
    static FileHandler fileHandler(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileHandler file = new FileHandler(dir.resolve("vmcase-%g.log").toString(), LIMIT_BYTES, FILES, true);
        file.setEncoding("UTF-8");
        file.setFormatter(new LineFormatter());
        file.setLevel(Level.INFO);
        return file;
    }

    /** {@code 2026-12-04T17:36:34.356+0000 WARNING dev.vmcase.casefile.CaseSession: message}, then the stack trace. */
    static final class LineFormatter extends Formatter {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneId.systemDefault());

        @Override
        public String format(LogRecord r) {
            StringBuilder out = new StringBuilder()
                    .append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
                    .append(r.getLevel().getName()).append(' ')
                    .append(r.getLoggerName()).append(": ")
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                out.append(trace);
            }
            return out.toString();
        }
    }
}
