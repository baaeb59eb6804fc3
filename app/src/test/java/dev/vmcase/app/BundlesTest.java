package dev.vmcase.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every user-visible bundle has its Simplified Chinese twin with the same keys, and the Chinese is really there. The
 * bundles are found in the modules' source trees: every {@code .properties} file under {@code src/main/resources} is a
 * bundle unless it is one of the data files named here.
 */
class BundlesTest {
    /** Properties files that hold data, not user-visible text. */
    private static final Set<String> DATA = Set.of("/dev/vmcase/analysis/callchain/qemu-functions",
            "/dev/vmcase/parsers/time/zone-abbreviations", "/dev/vmcase/parsers/time/month-abbreviations",
            "/dev/vmcase/analysis/callchain/io-blocks",
            "/dev/vmcase/analysis/callchain/io-decoders", "/dev/vmcase/analysis/devices/device-classes");

    static List<String> bundles() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // tests run in the app module's folder
        List<String> found = new java.util.ArrayList<>();
        for (String module : List.of("parsers", "analysis", "views", "lab", "app")) {
            Path res = root.resolve(module).resolve("src/main/resources");
            if (!Files.isDirectory(res)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(res)) {
                files.map(f -> "/" + res.relativize(f).toString().replace('\\', '/'))
                        .filter(n -> n.endsWith(".properties") && !n.endsWith("_zh_CN.properties"))
                        .map(n -> n.substring(0, n.length() - ".properties".length()))
                        .filter(n -> !DATA.contains(n))
                        .forEach(found::add);
            }
        }
        return found;
    }

    @Test
    void theKnownBundlesAreFound() throws IOException {
        assertTrue(bundles().containsAll(List.of("/dev/vmcase/app/Cli", "/dev/vmcase/views/Views",
                "/dev/vmcase/analysis/Findings", "/dev/vmcase/lab/Lab")), bundles().toString());
    }

    private static Properties load(String resource) throws IOException {
        try (InputStream in = BundlesTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is missing");
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        }
    }

    @ParameterizedTest
    @MethodSource("bundles")
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
