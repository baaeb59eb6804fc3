package dev.vmcase.analysis.callchain;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The knowledge base of QEMU functions: data, not code. {@code qemu-functions.properties} maps a
 * function name to its {@link CallLayer} and the QEMU versions a real frame of it was seen in
 * ({@code release_drive = qom-qdev | 2.1.2}); the descriptions and version notes are in the {@code CallChain} resource
 * bundle ({@code fn.NAME}, {@code fn.NAME.versions}), English in {@code CallChain.properties}, Simplified Chinese in
 * {@code CallChain_zh_CN.properties}. Immutable and thread-safe.
 */
public final class CallChainKnowledge {
    static final String BUNDLE = "dev.vmcase.analysis.callchain.CallChain";
    private static final String FUNCTIONS = "qemu-functions.properties";
    /** Suffixes GCC gives to cloned or split functions, shown by gdb as part of the name. */
    private static final Pattern CLONE_SUFFIX = Pattern.compile("(\\.(isra|constprop|part|cold|lto_priv)(\\.\\d+)?)+$");
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
    private static final CallChainKnowledge STANDARD = load();

    private final Map<String, CallLayer> layers;
    private final Map<String, List<String>> versions;

    private CallChainKnowledge(Map<String, CallLayer> layers, Map<String, List<String>> versions) {
        this.layers = Collections.unmodifiableMap(new TreeMap<>(layers));
        this.versions = Collections.unmodifiableMap(new TreeMap<>(versions));
    }

    /** The knowledge shipped with vmcase. */
    public static CallChainKnowledge standard() {
        return STANDARD;
    }

    private static CallChainKnowledge load() {
        Properties p = new Properties();
        try (InputStream in = CallChainKnowledge.class.getResourceAsStream(FUNCTIONS)) {
            if (in == null) {
                throw new IllegalStateException(FUNCTIONS + " is missing from the classpath");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, CallLayer> m = new TreeMap<>();
        Map<String, List<String>> v = new TreeMap<>();
        for (String fn : p.stringPropertyNames()) {
            String[] parts = p.getProperty(fn).split("\\|", 2);
            m.put(fn, CallLayer.fromId(parts[0].strip()));
            v.put(fn, parts.length < 2 || parts[1].isBlank() ? List.of() : List.of(parts[1].strip().split("\\s+")));
        }
        return new CallChainKnowledge(m, v);
    }

    /** The functions known. */
    public Set<String> functions() {
        return layers.keySet();
    }

    /** English knowledge of a function, or null when it is not in the knowledge base. */
    public FrameKnowledge lookup(String function) {
        return lookup(function, Locale.ROOT);
    }

    /** Knowledge of a function with texts in {@code locale}, or null when it is not in the knowledge base. */
    public FrameKnowledge lookup(String function, Locale locale) {
        if (function == null) {
            return null;
        }
        String name = normalize(function);
        CallLayer layer = layers.get(name);
        if (layer == null) {
            return null;
        }
        ResourceBundle b = bundle(locale);
        String description = b.containsKey("fn." + name) ? b.getString("fn." + name) : null;
        String versions = b.containsKey("fn." + name + ".versions") ? b.getString("fn." + name + ".versions") : null;
        return new FrameKnowledge(name, layer, description, versions, this.versions.getOrDefault(name, List.of()));
    }

    /** The QEMU versions in which a real frame of {@code function} was seen (empty when none is recorded). */
    public List<String> versions(String function) {
        return function == null ? List.of() : versions.getOrDefault(normalize(function), List.of());
    }

    /** {@code pci_write.isra.0} → {@code pci_write}. */
    static String normalize(String function) {
        return CLONE_SUFFIX.matcher(function.strip()).replaceFirst("");
    }

    static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale == null ? Locale.ROOT : locale, NO_FALLBACK);
    }

    static String text(Locale locale, String key) {
        try {
            return bundle(locale).getString(key);
        } catch (MissingResourceException e) {
            // no text for this key: the key itself is shown rather than nothing
            return key;
        }
    }
}
