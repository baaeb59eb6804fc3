package dev.vmcase.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log file: a record's time, level, logger, message (CJK kept) and stack trace; analyze keeps no log. */
class LogsTest {
    @TempDir
    Path work;

    @Test
    void aWarningWithItsExceptionReachesTheNewestFile() throws IOException {
        Path dir = Logs.folder(work);
        FileHandler file = Logs.fileHandler(dir);
        Logger logger = Logger.getLogger("dev.vmcase.test.LogsTest." + System.nanoTime());
        logger.setUseParentHandlers(false);
        logger.addHandler(file);
        try {
            logger.log(Level.WARNING, "autosave to 恢复.json failed", new IOException("No space left on device"));
            logger.log(Level.FINE, "not kept: below INFO");
        } finally {
            file.close();
        }
        String text = Files.readString(dir.resolve(Logs.CURRENT), StandardCharsets.UTF_8);
        assertTrue(text.matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} WARNING "
                + "dev\\.vmcase\\.test\\.LogsTest\\.\\d+: autosave to 恢复\\.json failed\\R"
                + "java\\.io\\.IOException: No space left on device\\R\\s+at dev\\.vmcase\\.app\\.LogsTest\\..*"), text);
        assertFalse(text.contains("not kept"), text);
    }

    @Test
    void theHeadlessCommandsMeasuredForSpeedKeepNoLog() {
        assertFalse(Main.LOGGED.contains("analyze") || Main.LOGGED.contains("bench"));
        assertTrue(Main.LOGGED.contains("open"));
    }
}
