package dev.vmcase.analysis.rules;

import dev.vmcase.model.MessageClass;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every class the message catalogue gives a message is handled by a rule: a rule's source (the package
 * {@code dev.vmcase.analysis.rules}) names it ({@code MessageClass.X}), or a parser turns its lines into evidence a rule
 * reads by another name, which {@code classes-read-elsewhere.txt} says and this test checks (the rule's source holds
 * that name). A class no rule reads yet is listed there as {@code unhandled} with why, like the public corpus's
 * known gaps: a new catalogue class that no rule reads fails this test, and so does a listed class a rule now reads.
 */
class CatalogueClassesHandledTest {
    private static final Path RULES = Path.of("src/main/java/dev/vmcase/analysis/rules");
    private static final Path LIST = Path.of("src/test/resources/dev/vmcase/analysis/rules/classes-read-elsewhere.txt");
    private static final Pattern LINE = Pattern.compile("^([a-z-]+/[a-z-]+|noise): (via (\\S+)|unhandled) — .+$");

    /** The rules' sources, as one text. */
    static String ruleSources() throws IOException {
        try (Stream<Path> files = Files.list(RULES)) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                all.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
            }
            return all.toString();
        }
    }

    /** The classes the catalogue's entries use. */
    static Set<MessageClass> catalogueClasses() {
        return MessageCatalogue.get().messages().stream().map(Message::messageClass)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The problems of a catalogue's classes against the rules' sources and the list; empty when all is handled. */
    static List<String> problems(Set<MessageClass> classes, String sources, Map<String, String> listed) {
        List<String> out = new ArrayList<>();
        for (MessageClass c : classes) {
            boolean named = Pattern.compile("\\bMessageClass\\." + c.name() + "\\b").matcher(sources).find();
            String how = listed.get(c.value());
            if (named && how != null) {
                out.add(c.value() + ": a rule names MessageClass." + c.name() + " now; remove its line from the list");
            } else if (!named && how == null) {
                out.add(c.value() + ": no rule reads this class (MessageClass." + c.name()
                        + "); make a rule act on it, or list it with why");
            } else if (!named && how.startsWith("via ") && !sources.contains(how.substring(4))) {
                out.add(c.value() + ": listed as read via " + how.substring(4) + ", which no rule's source names");
            }
        }
        for (String v : listed.keySet()) {
            if (classes.stream().noneMatch(c -> c.value().equals(v))) {
                out.add(v + ": listed, but no catalogue entry has this class; remove its line");
            }
        }
        return out;
    }

    static Map<String, String> listed() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String l : Files.readAllLines(LIST, StandardCharsets.UTF_8)) {
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                throw new AssertionError(LIST + ": unreadable line: " + l);
            }
            out.put(m.group(1), m.group(3) != null ? "via " + m.group(3) : "unhandled");
        }
        return out;
    }

    @Test
    void everyCatalogueClassIsReadByARule() throws IOException {
        assertEquals(List.of(), problems(catalogueClasses(), ruleSources(), listed()));
    }

    @Test
    void aClassNoRuleReadsFailsTheCheck() throws IOException {
        // the check itself: LOAD_VERSION has no catalogue entry today; were one added, no rule names it
        Set<MessageClass> withNew = new TreeSet<>(catalogueClasses());
        withNew.add(MessageClass.LOAD_VERSION);
        List<String> problems = problems(withNew, ruleSources(), listed());
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(true, problems.get(0).startsWith("load/version: no rule reads this class"), problems.get(0));
    }
}
