package dev.vmcase.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's JIT directives name code that exists: a renamed method would leave them doing nothing, silently. */
class LauncherTest {
    private static List<String> lukewarm() throws IOException {
        String launcher = Files.readString(Path.of("../vmcase"));
        Matcher m = Pattern.compile("(?s)\\nLUKEWARM=\\((.*?)\\)").matcher(launcher);
        assertTrue(m.find(), "LUKEWARM=( … ) in the launcher");
        return Arrays.stream(m.group(1).trim().split("\\s+")).map(s -> s.replace("'", "")).toList();
    }

    @Test
    void everyLukewarmPatternNamesAClassAndMethodOfTheCode() throws Exception {
        List<String> patterns = lukewarm();
        assertFalse(patterns.isEmpty());
        for (String pattern : patterns) {
            int dot = pattern.lastIndexOf('.');
            String type = pattern.substring(0, dot);
            String method = pattern.substring(dot + 1);
            if (type.endsWith("/*")) { // every class of a package
                String pkg = type.substring(0, type.length() - 2);
                assertNotNull(getClass().getClassLoader().getResource(pkg + "/"), pattern + ": no package " + pkg);
                assertTrue(method.equals("*"), pattern);
                continue;
            }
            Class<?> c = Class.forName(type.replace('/', '.'));
            if (!method.equals("*")) {
                assertTrue(Arrays.stream(c.getDeclaredMethods()).map(Method::getName).anyMatch(method::equals),
                        pattern + ": no method " + method + " in " + c.getName());
            }
        }
    }
}
