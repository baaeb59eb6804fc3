package dev.vmcase.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every user-visible bundle has its Simplified Chinese twin with the same keys, and the Chinese is really there. */
class BundlesTest {
    private static Properties load(String resource) throws IOException {
        try (InputStream in = BundlesTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing");
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/vmcase/app/Cli", "/dev/vmcase/views/Views", "/dev/vmcase/analysis/Findings",
            "/dev/vmcase/analysis/report/Report", "/dev/vmcase/analysis/callchain/CallChain"})
    void theChineseBundleHasEveryKeyOfTheEnglishOne(String base) throws IOException {
        Properties en = load(base + ".properties");
        Properties zh = load(base + "_zh_CN.properties");
        assertEquals(new TreeSet<>(en.stringPropertyNames()), new TreeSet<>(zh.stringPropertyNames()), base);
        assertFalse(en.isEmpty());
        long cjk = zh.values().stream().map(Object::toString)
                .filter(v -> v.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN))
                .count();
        assertTrue(cjk * 2 >= zh.size(), base + ": fewer than half of the Chinese texts hold Chinese");
    }
}
