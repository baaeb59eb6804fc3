package dev.vmcase.views.shell;

import dev.vmcase.analysis.rules.Rule;
import dev.vmcase.analysis.rules.RuleRegistry;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.ResourceBundle;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Help › Rules says in both languages what every registered rule detects: a new rule must add its text. */
class HelpTextsTest {
    @Test
    void everyRegisteredRuleSaysWhatItDetectsInEnglishAndChinese() {
        for (Locale l : new Locale[] {Locale.ROOT, Locale.SIMPLIFIED_CHINESE}) {
            ResourceBundle b = ResourceBundle.getBundle("dev.vmcase.views.Views", l,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            for (Rule r : RuleRegistry.all()) {
                String key = "help.rule." + r.id() + ".what";
                assertTrue(b.containsKey(key) && !b.getString(key).isBlank(), l + ": " + key);
            }
        }
    }
}
