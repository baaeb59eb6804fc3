package dev.vmcase.checks;

import dev.vmcase.analysis.rules.Rule;
import dev.vmcase.analysis.rules.RuleRegistry;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.ingest.ParserRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docs say what the code has: the README's "What it reads" table names every parser of the registry and no other,
 * its rule list and {@code docs/architecture.md}'s rule table every rule, its sample-case list every case folder;
 * every relative link of the README and {@code docs/} leads to a file; no comment or doc cites a document that is not
 * in the repository.
 */
class DocsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    }

    /** The text from the heading {@code title} to the next heading of its level or above. */
    private static String section(String markdown, String title) {
        int start = markdown.indexOf("\n" + title + "\n");
        assertTrue(start >= 0, "no heading '" + title + "'");
        int end = markdown.indexOf("\n## ", start + title.length() + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** The code spans of the first column of a Markdown table's rows. */
    private static Set<String> firstColumn(String text) {
        Set<String> out = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("|---")) {
                String cell = line.substring(1, line.indexOf('|', 1));
                Matcher m = CODE.matcher(cell);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    @Test
    void theReadmeTableNamesEveryParserOfTheRegistry() throws IOException {
        Set<String> documented = firstColumn(section(readme(), "## What it reads today"));
        Set<String> registered = ParserRegistry.all().stream().map(EvidenceParser::format)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(registered, documented, "README.md, 'What it reads today' against ParserRegistry");
    }

    private static Set<String> ruleIds() {
        return RuleRegistry.all().stream().map(Rule::id).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theReadmeAndTheArchitectureDocNameEveryRule() throws IOException {
        String readme = section(readme(), "## What it reads today");
        int rules = readme.indexOf("\nRules: ");
        assertTrue(rules >= 0, "no 'Rules:' paragraph in 'What it reads today'");
        String paragraph = readme.substring(rules, readme.indexOf("\n\n", rules + 1) < 0 ? readme.length()
                : readme.indexOf("\n\n", rules + 1));
        Set<String> listed = new TreeSet<>();
        Matcher m = CODE.matcher(paragraph);
        while (m.find()) {
            if (m.group(1).matches("[A-Z_]+")) {
                listed.add(m.group(1));
            }
        }
        assertEquals(ruleIds(), listed, "README.md's rule list against RuleRegistry");

        String architecture = Files.readString(ROOT.resolve("docs/architecture.md"), StandardCharsets.UTF_8);
        Set<String> table = firstColumn(section(architecture, "## Rules: what each needs, what it cannot yet see"));
        table.remove("rule");
        assertEquals(ruleIds(), table, "docs/architecture.md's rule table against RuleRegistry");
    }

    @Test
    void theReadmeListsEverySampleCase() throws IOException {
        Set<String> folders;
        try (Stream<Path> dirs = Files.list(ROOT.resolve("sample-cases"))) {
            folders = dirs.filter(Files::isDirectory)
                    .filter(d -> Files.isDirectory(d.resolve("evidence")) || Files.exists(d.resolve("README.md"))
                            && !d.getFileName().toString().equals("provenance"))
                    .map(d -> d.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = new TreeSet<>();
        for (String line : section(readme(), "## Sample cases").split("\n")) {
            if (line.startsWith("- ")) {
                String names = line.substring(2, line.contains(" — ") ? line.indexOf(" — ") : line.length());
                Matcher m = CODE.matcher(names);
                while (m.find()) {
                    listed.add(m.group(1).replaceAll("/$", ""));
                }
            }
        }
        assertTrue(folders.size() >= 8, folders.toString());
        assertEquals(folders, listed, "README.md's sample-case list against the folders of sample-cases/");
    }

    /** README.md and docs/*.md. */
    private static List<Path> docs() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void everyRelativeLinkOfTheDocsLeadsToAFile() throws IOException {
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
        List<String> broken = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher m = link.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            while (m.find()) {
                String target = m.group(1);
                if (!target.matches("[a-z]+:.*") && !Files.exists(doc.getParent().resolve(target))) {
                    broken.add(ROOT.relativize(doc) + ": " + target);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    /**
     * Comments and docs cite what a reader of the repository can open: the project's working notes outside it
     * (design, formats, anchors, house style) are not, so a citation of them must point at {@code docs/} or go.
     */
    @Test
    void nothingCitesADocumentOutsideTheRepository() throws IOException {
        Pattern outside = Pattern.compile("formats\\.md|design\\.md|design §|anchors\\.md|house-style\\.md"
                + "|/work/shared|shared/docs|shared/seed");
        List<String> found = new ArrayList<>();
        List<Path> roots = new ArrayList<>(docs());
        for (String module : List.of("parsers", "analysis", "views", "lab", "app", "sample-cases", "checks")) {
            roots.add(ROOT.resolve(module).resolve("src"));
        }
        roots.add(ROOT.resolve("vmcase"));
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile)
                        .filter(f -> f.toString().matches(".*\\.(java|properties|md|json)$") || f.endsWith("vmcase"))
                        .filter(f -> !f.equals(ROOT.resolve("checks/src/test/java/dev/vmcase/checks/DocsTest.java")))
                        .toList()) {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        if (outside.matcher(lines.get(i)).find()) {
                            found.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
