package dev.vmcase.views.log;

import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Style classes for one log line: timestamp, level, QMP JSON (keys, strings), device ids (the analysis' names), PCI
 * addresses and search hits. Only the first {@link #MAX_CHARS} characters are looked at.
 */
final class LogHighlighter {
    static final int MAX_CHARS = 1500;
    private static final Pattern TIMESTAMP = dev.vmcase.parsers.lines.LogLines.TIMESTAMP;
    private static final Pattern LEVEL = Pattern.compile(
            "(?<![\\w.-])(?:(debug|trace)|(info|notice)|(warn|warning)|(error|err|critical|crit|fatal))(?=\\s|:|\\]|$)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PCI = Pattern.compile(
            "(?<![\\w:])(?:[0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7](?![\\w])");
    private static final Pattern QMP = Pattern.compile("\\{\\s*\"(?:execute|exec-oob|event|return|error|QMP|id|timestamp)\"");
    // "unrolled" with possessive runs: (?:a|b)* recursed once per character and overflowed the FX thread's stack on
    // a long JSON line (a query-pci answer, several KB on one line)
    private static final Pattern JSON_TOKEN = Pattern.compile("\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"(\\s*:)?");

    private Pattern devices;

    /** The device names to mark (qdev ids, backends); empty for none. */
    void devices(Collection<String> names) {
        List<String> sorted = names.stream().filter(n -> n != null && n.length() > 1).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote).toList();
        devices = sorted.isEmpty() ? null : Pattern.compile("(?<![\\w-])(?:" + String.join("|", sorted) + ")(?![\\w-])");
    }

    private record Span(int start, int end, String cls, int prio) {
    }

    StyleSpans<Collection<String>> spans(String line, Pattern search) {
        int len = line.length();
        int limit = Math.min(len, MAX_CHARS);
        List<Span> spans = new ArrayList<>();
        Matcher ts = TIMESTAMP.matcher(line).region(0, limit);
        int afterTs = 0;
        if (ts.lookingAt()) {
            spans.add(new Span(0, ts.end(), "ts", 1));
            afterTs = ts.end();
        }
        Matcher lv = LEVEL.matcher(line).region(afterTs, Math.min(limit, afterTs + 160));
        if (lv.find()) {
            String cls = lv.group(1) != null ? "level-debug" : lv.group(2) != null ? "level-info"
                    : lv.group(3) != null ? "level-warning" : "level-error";
            spans.add(new Span(lv.start(), lv.end(), cls, 1));
        }
        Matcher q = QMP.matcher(line).region(0, limit);
        if (q.find()) {
            int start = q.start();
            int end = line.lastIndexOf('}', limit - 1);
            end = end < start ? limit : end + 1;
            spans.add(new Span(start, end, "qmp-json", 0));
            Matcher t = JSON_TOKEN.matcher(line).region(start, end);
            while (t.find()) {
                spans.add(new Span(t.start(), t.end(1) + 1, t.group(2) != null ? "json-key" : "json-string", 1));
            }
        }
        Matcher pci = PCI.matcher(line).region(0, limit);
        while (pci.find()) {
            if (afterTs > 0 && pci.start() < afterTs) {
                continue;
            }
            spans.add(new Span(pci.start(), pci.end(), "pci", 2));
        }
        if (devices != null) {
            Matcher d = devices.matcher(line).region(0, limit);
            while (d.find()) {
                spans.add(new Span(d.start(), d.end(), "device", 2));
            }
        }
        if (search != null) {
            Matcher s = search.matcher(line).region(0, limit);
            while (s.find()) {
                if (s.end() > s.start()) {
                    spans.add(new Span(s.start(), s.end(), "search-hit", 3));
                }
            }
        }
        return build(spans, len);
    }

    /** Merges overlapping spans: each character gets the classes of every span over it (by priority order). */
    private static StyleSpans<Collection<String>> build(List<Span> spans, int len) {
        StyleSpansBuilder<Collection<String>> b = new StyleSpansBuilder<>();
        if (spans.isEmpty() || len == 0) {
            b.add(Collections.emptyList(), len);
            return b.create();
        }
        java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
        cuts.add(0);
        cuts.add(len);
        for (Span s : spans) {
            cuts.add(Math.min(len, s.start));
            cuts.add(Math.min(len, s.end));
        }
        spans.sort(Comparator.comparingInt(Span::prio));
        Integer prev = null;
        for (int c : cuts) {
            if (prev != null && c > prev) {
                List<String> cls = new ArrayList<>(3);
                for (Span s : spans) {
                    if (s.start <= prev && s.end >= c && !cls.contains(s.cls)) {
                        cls.add(s.cls);
                    }
                }
                b.add(cls, c - prev);
            }
            prev = c;
        }
        return b.create();
    }

    static Set<String> allClasses() {
        return Set.of("ts", "level-debug", "level-info", "level-warning", "level-error", "qmp-json", "json-key",
                "json-string", "pci", "device", "search-hit");
    }
}
