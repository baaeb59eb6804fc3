package dev.vmcase.analysis;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The findings' sentences are MessageFormat patterns ({@link FindingText}): a lone apostrophe ({@code source's})
 * quotes the rest of the sentence, so its {@code {0}} is printed as such instead of the cited line. Every placeholder of
 * every sentence, in both languages, is filled when the sentence is formatted.
 */
class FindingsBundleQuotesTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d)[^}]*}");

    @Test
    void everyPlaceholderIsFilledInBothLanguages() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String name : List.of("Findings.properties", "Findings_zh_CN.properties")) {
            Properties p = new Properties();
            try (InputStream in = FindingText.class.getResourceAsStream(name)) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            for (String key : p.stringPropertyNames()) {
                String pattern = p.getProperty(key);
                Matcher m = PLACEHOLDER.matcher(pattern);
                Object[] args = new Object[10];
                for (int i = 0; i < args.length; i++) {
                    args[i] = "ARG" + i;
                }
                String out = new MessageFormat(pattern, Locale.ROOT).format(args);
                if (m.find() && pattern.replace("''", "").indexOf('\'') >= 0) {
                    // with arguments, a lone apostrophe is never what was meant: it drops itself and quotes text
                    wrong.add(name + " " + key + ": a lone apostrophe (write '' for one): " + pattern);
                }
                m.reset();
                while (m.find()) {
                    if (!out.contains("ARG" + m.group(1))) {
                        wrong.add(name + " " + key + ": {" + m.group(1) + "} is not filled (a lone apostrophe?): " + out);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }
}
