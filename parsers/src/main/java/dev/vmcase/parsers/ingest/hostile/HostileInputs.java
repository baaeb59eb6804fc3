package dev.vmcase.parsers.ingest.hostile;

import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.Frame;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.parsers.EvidenceParser;
import dev.vmcase.parsers.EvidenceSink;
import dev.vmcase.parsers.ingest.ParserRegistry;
import dev.vmcase.parsers.TextSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;

/**
 * Generated hostile inputs for every parser of {@link ParserRegistry#all()} (a parser added later is covered without
 * an edit): its sample and any seed evidence, mutated (flipped bytes, cuts, spliced lines, numbers too long or not
 * numbers at all, odd encodings and control characters), runaway lines of 1 MiB made of each seed line's start and
 * one repeated character class (the worst case of a backtracking pattern), random lines from every sample's tokens,
 * and each seed with junk appended (what was read before the junk must still be read: "evidence lost").
 *
 * <p>The generator is deterministic for a seed. Used by the hostile-input tests (a bounded number of cases in
 * {@code mvn verify}) and by {@code vmcase bench hostile} (a longer run whose figures go in a report).
 */
public final class HostileInputs {
    /** What a case exercises. */
    public enum Category {
        MUTATED, TRUNCATED, SPLICED, NUMBERS, ENCODINGS, LONG_LINES, RANDOM, APPENDED_JUNK
    }

    /**
     * One generated input.
     *
     * @param owner  the parser whose sample or seed it grew from (parsed with it, whatever sniffing says)
     * @param intact for {@link Category#APPENDED_JUNK}: the seed alone, whose records must all survive; else null
     */
    public record Case(Category category, String name, EvidenceParser owner, byte[] bytes, String intact) {
    }

    /** One seed text and the parser it belongs to. */
    public record Seed(EvidenceParser owner, String name, String text) {
    }

    /** Characters whose runs make backtracking patterns slow: spaces, words, digits, separators, quotes, brackets. */
    static final String[] FILLERS = {" ", "a", "0", "=", ",", "\"", "'", "(", ")", "[", "{", "\\", "-", ":", "x=",
            "a,", "(a", "0x", ".", "/", "\t", "…", "迁", "a b", "\"a\",", "{\"a\":", "=a,", "#0 ", "0:", "<a "};

    private static final String[] ODD = {"\u001b[31m", "\u001b]8;;http://x\u0007", "\u0000", "\u009b", "\r", "\u2028",
            "\uFEFF", "…", "迁移", "\uD83D\uDE00", "\u202e", "&lt;", "<script>", "%s%n", "${x}", "NaN", "-0", "1e999",
            "0x", "99999999999999999999999", "-2147483649", "\t\t", "\\", "\"", "'", "`"};

    private HostileInputs() {
    }

    /** How many fillers a runaway line can be made of: that many long-line cases cover them all once. */
    public static int fillers() {
        return FILLERS.length;
    }

    /** The samples of every registered parser, as seeds. */
    public static List<Seed> sampleSeeds() {
        List<Seed> out = new ArrayList<>();
        for (EvidenceParser p : ParserRegistry.all()) {
            out.add(new Seed(p, "sample-" + p.format(), p.sample()));
        }
        return out;
    }

    /**
     * The evidence files under {@code root} (in {@code evidence} folders, up to {@code maxBytes} each) as seeds, each
     * owned by the parser sniffing picks for it (the fallback when none does).
     */
    public static List<Seed> fileSeeds(java.nio.file.Path root, long maxBytes) throws java.io.IOException {
        List<Seed> seeds = new ArrayList<>();
        List<java.nio.file.Path> files;
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(root)) {
            files = s.filter(p -> p.toString().contains("/evidence/") && java.nio.file.Files.isRegularFile(p))
                    .sorted().toList();
        }
        for (java.nio.file.Path f : files) {
            if (java.nio.file.Files.size(f) > maxBytes) {
                continue;
            }
            String text = java.nio.file.Files.readString(f, StandardCharsets.UTF_8);
            EvidenceParser owner = ParserRegistry.detect(dev.vmcase.parsers.Head.of(text))
                    .orElse(ParserRegistry.fallback());
            seeds.add(new Seed(owner, root.relativize(f).toString(), text));
        }
        return seeds;
    }

    /**
     * Cases for each seed: {@code perSeed} of each mutation category, {@code longLines} runaway-line cases, and
     * {@code randoms} random inputs per parser. Generated one at a time (a runaway line is 1 MiB).
     */
    public static Iterator<Case> cases(List<Seed> seeds, long seed, int perSeed, int longLines, int randoms) {
        List<String> tokens = tokens(seeds);
        return new Iterator<>() {
            final Random random = new Random(seed);
            int seedIndex;
            int step;
            Case next;

            @Override
            public boolean hasNext() {
                while (next == null && seedIndex < seeds.size()) {
                    Seed s = seeds.get(seedIndex);
                    int perCategory = perSeed;
                    int total = 6 * perCategory + longLines + randoms + 1;
                    if (step >= total) {
                        seedIndex++;
                        step = 0;
                        continue;
                    }
                    next = make(s, step++, perCategory, longLines, tokens, random);
                }
                return next != null;
            }

            @Override
            public Case next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Case c = next;
                next = null;
                return c;
            }
        };
    }

    private static Case make(Seed s, int step, int per, int longLines, List<String> tokens, Random random) {
        byte[] bytes = s.text().getBytes(StandardCharsets.UTF_8);
        String id = s.name() + "#" + step;
        if (step < per) {
            return new Case(Category.MUTATED, id, s.owner(), flip(bytes, random), null);
        }
        if (step < 2 * per) {
            int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            return new Case(Category.TRUNCATED, id, s.owner(), java.util.Arrays.copyOf(bytes, at), null);
        }
        if (step < 3 * per) {
            return new Case(Category.SPLICED, id, s.owner(), utf8(splice(s.text(), tokens, random)), null);
        }
        if (step < 4 * per) {
            return new Case(Category.NUMBERS, id, s.owner(), utf8(numbers(s.text(), random)), null);
        }
        if (step < 5 * per) {
            return new Case(Category.ENCODINGS, id, s.owner(), encoding(s.text(), random), null);
        }
        if (step < 6 * per) {
            return new Case(Category.RANDOM, id, s.owner(), utf8(randomText(tokens, random)), null);
        }
        if (step < 6 * per + longLines) {
            int k = step - 6 * per;
            return new Case(Category.LONG_LINES, id, s.owner(), longLine(s.text(), k, random), null);
        }
        if (step < 6 * per + longLines + 1) {
            // a binary format (NUL bytes: a TZif file) has no lines for junk to follow: only checked not to crash
            return new Case(Category.APPENDED_JUNK, id, s.owner(), utf8(s.text() + (s.text().endsWith("\n") ? "" : "\n")
                    + junk(tokens, random)), s.text().indexOf('\u0000') >= 0 ? null : s.text());
        }
        return new Case(Category.RANDOM, id, s.owner(), utf8(randomText(tokens, random)), null);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> tokens(List<Seed> seeds) {
        Set<String> t = new LinkedHashSet<>();
        for (Seed s : seeds) {
            for (String w : s.text().split("[\\s]+")) {
                if (!w.isEmpty() && w.length() < 200) {
                    t.add(w);
                }
            }
        }
        t.addAll(List.of(ODD));
        return new ArrayList<>(t);
    }

    private static byte[] flip(byte[] b, Random r) {
        byte[] out = b.clone();
        int flips = 1 + r.nextInt(8);
        for (int i = 0; i < flips && out.length > 0; i++) {
            int at = r.nextInt(out.length);
            out[at] = r.nextBoolean() ? (byte) (out[at] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
        }
        return out;
    }

    private static String splice(String text, List<String> tokens, Random r) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int ops = 1 + r.nextInt(6);
        for (int i = 0; i < ops && !lines.isEmpty(); i++) {
            int at = r.nextInt(lines.size());
            switch (r.nextInt(5)) {
                case 0 -> lines.add(at, lines.get(r.nextInt(lines.size())));
                case 1 -> lines.remove(at);
                case 2 -> lines.add(at, randomLine(tokens, r));
                case 3 -> java.util.Collections.swap(lines, at, r.nextInt(lines.size()));
                default -> {
                    String l = lines.get(at);
                    int cut = l.isEmpty() ? 0 : r.nextInt(l.length());
                    lines.set(at, l.substring(0, cut) + tokens.get(r.nextInt(tokens.size())) + l.substring(cut));
                }
            }
        }
        return String.join("\n", lines);
    }

    /** Every digit run replaced, in places, by a number too long for any int, a sign, an ellipsis or nothing. */
    private static String numbers(String text, Random r) {
        String[] odd = {"99999999999999999999", "…", "", "-1", "0x", "1e400", "-", "٣", "０", "4294967296", "NaN"};
        StringBuilder sb = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9]+").matcher(text);
        int last = 0;
        while (m.find()) {
            sb.append(text, last, m.start());
            sb.append(r.nextInt(3) == 0 ? odd[r.nextInt(odd.length)] : m.group());
            last = m.end();
        }
        sb.append(text.substring(last));
        return sb.toString();
    }

    private static byte[] encoding(String text, Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (r.nextInt(5)) {
            case 0 -> {
                out.writeBytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
                out.writeBytes(utf8(text));
            }
            case 1 -> {
                out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe});
                out.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
            }
            case 2 -> {
                out.writeBytes(new byte[] {(byte) 0xfe, (byte) 0xff});
                out.writeBytes(text.getBytes(StandardCharsets.UTF_16BE));
            }
            case 3 -> out.writeBytes(text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            default -> {
                StringBuilder sb = new StringBuilder();
                for (String l : text.split("\n", -1)) {
                    sb.append(r.nextInt(4) == 0 ? ODD[r.nextInt(ODD.length)] : "").append(l).append('\n');
                }
                out.writeBytes(utf8(sb.toString()));
            }
        }
        return out.toByteArray();
    }

    private static String randomLine(List<String> tokens, Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(30);
        for (int i = 0; i < n; i++) {
            sb.append(tokens.get(r.nextInt(tokens.size()))).append(r.nextInt(5) == 0 ? "" : " ");
        }
        return sb.toString();
    }

    private static String randomText(List<String> tokens, Random r) {
        StringBuilder sb = new StringBuilder();
        int lines = 1 + r.nextInt(200);
        for (int i = 0; i < lines; i++) {
            sb.append(randomLine(tokens, r)).append(r.nextInt(10) == 0 ? "\r\n" : "\n");
        }
        return sb.toString();
    }

    /**
     * Lines of random tokens, each after a neutral "· ": a line that starts like a format's own statement
     * ({@code error: …} after a virsh command) may rightly change what the lines before it mean, which is no loss.
     */
    private static String junk(List<String> tokens, Random r) {
        StringBuilder sb = new StringBuilder();
        int lines = 1 + r.nextInt(50);
        for (int i = 0; i < lines; i++) {
            sb.append("\u00b7 ").append(randomLine(tokens, r)).append('\n');
        }
        return sb.toString();
    }

    /**
     * A 1 MiB line: the start of one of the seed's lines (its recognisable prefix), then one filler repeated; the
     * seed's other lines around it so the parser is in the state where that line matters.
     */
    private static byte[] longLine(String text, int k, Random r) {
        String[] lines = text.split("\n", -1);
        List<String> candidates = new ArrayList<>();
        for (String l : lines) {
            if (!l.isBlank()) {
                candidates.add(l);
            }
        }
        if (candidates.isEmpty()) {
            candidates.add("");
        }
        String line = candidates.get((k / FILLERS.length + k * 7) % candidates.size());
        String filler = FILLERS[k % FILLERS.length];
        int cut = line.isEmpty() ? 0 : Math.min(line.length(), 1 + r.nextInt(Math.max(1, Math.min(line.length(), 60))));
        StringBuilder sb = new StringBuilder((1 << 20) + 64);
        for (String l : lines) {
            if (l.equals(line)) {
                sb.append(line, 0, cut);
                while (sb.length() < (1 << 20)) {
                    sb.append(filler);
                }
                sb.append(line.substring(cut));
                line = "\u0000never";
            } else {
                sb.append(l);
            }
            sb.append('\n');
        }
        return utf8(sb.toString());
    }

    /** A command id as libvirt and QEMU tools number them ({@code libvirt-12}), not a device id ({@code virtio-disk1}). */
    private static final java.util.regex.Pattern QMP_ID = java.util.regex.Pattern.compile("\"id\": ?\"([A-Za-z]{1,40}-\\d{1,9})\"");
    private static final java.util.regex.Pattern QMP_SECONDS = java.util.regex.Pattern.compile("\"seconds\": ?(\\d{1,12})");

    /**
     * A big QMP transcript from a real one: {@code copies} copies, each with its own command ids ({@code id-k}) and
     * its timestamps moved past the previous copy's, as a monitor that ran the same work again and again would write.
     */
    public static void growQmpTranscript(String transcript, int copies, java.io.Writer out) throws java.io.IOException {
        long first = Long.MAX_VALUE;
        long last = 0;
        java.util.regex.Matcher s = QMP_SECONDS.matcher(transcript);
        while (s.find()) {
            long v = Long.parseLong(s.group(1));
            first = Math.min(first, v);
            last = Math.max(last, v);
        }
        long span = first == Long.MAX_VALUE ? 1 : last - first + 1;
        for (int k = 0; k < copies; k++) {
            String suffix = "-" + k;
            long shift = k * span;
            for (String line : transcript.split("\n")) {
                String l = QMP_ID.matcher(line).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                        "\"id\": \"" + m.group(1) + suffix + "\""));
                l = QMP_SECONDS.matcher(l).replaceAll(m -> "\"seconds\": " + (Long.parseLong(m.group(1)) + shift));
                out.write(l);
                out.write('\n');
            }
        }
    }

    /** The records a parser found, as comparable keys (kind, line, the record's identity); frames one by one. */
    public static Set<String> records(EvidenceSink sink) {
        Set<String> out = new LinkedHashSet<>();
        for (Event e : sink.events()) {
            // not the message: a multi-line message may take the junk after it as its continuation
            out.add("event " + e.source().line() + " " + e.kind());
        }
        for (QmpMessage m : sink.qmpMessages()) {
            out.add("qmp " + m.source().line() + " " + m.kind() + " " + m.name() + " " + m.qmpId());
        }
        for (DeviceObservation o : sink.observations()) {
            out.add("device " + o.source().line() + " " + o.layer() + " " + o.id() + " " + o.type() + " " + o.pci());
        }
        for (Backtrace b : sink.backtraces()) {
            for (BacktraceThread t : b.threads()) {
                for (Frame f : t.frames()) {
                    out.add("frame " + (f.source() == null ? 0 : f.source().line()) + " " + f.index() + " "
                            + f.function());
                }
            }
        }
        return out;
    }

    /**
     * What a run found: cases per category, and each crash (a parser threw, or ingest reported an internal error),
     * each record lost (read from a seed, not read once junk followed it) and each OutOfMemoryError, named.
     */
    public static final class Tally {
        public final java.util.Map<Category, Integer> cases = new java.util.EnumMap<>(Category.class);
        public final java.util.Map<Category, Long> slowestMillis = new java.util.EnumMap<>(Category.class);
        public final List<String> crashes = new ArrayList<>();
        public final List<String> lost = new ArrayList<>();
        public final List<String> outOfMemory = new ArrayList<>();

        /** Runs one case: its own parser, the fallback, and the ingest (sniffing by every parser). */
        public void run(Case c) {
            long t0 = System.nanoTime();
            cases.merge(c.category(), 1, Integer::sum);
            String name = c.category() + " " + c.name();
            try {
                for (EvidenceParser p : List.of(c.owner(), ParserRegistry.fallback())) {
                    try {
                        parse(p, name, c.bytes());
                    } catch (RuntimeException | StackOverflowError e) {
                        crashes.add(name + " in " + p.format() + ": " + e);
                    }
                }
                TextSource src = new TextSource(name, "sha", () -> new java.io.ByteArrayInputStream(c.bytes()));
                byte[] head = java.util.Arrays.copyOf(c.bytes(), Math.min(c.bytes().length, 8192));
                try {
                    dev.vmcase.parsers.ingest.Ingest.ReadResult r = dev.vmcase.parsers.ingest.Ingest.read(src,
                            c.bytes().length, head);
                    for (dev.vmcase.model.Problem p : r.artifact().problems()) {
                        if (p.message().startsWith("internal error")) {
                            crashes.add(name + " through ingest: " + p.message());
                        } else if ("ingest.outOfMemory".equals(p.key())) {
                            outOfMemory.add(name + " through ingest");
                        }
                    }
                } catch (RuntimeException | StackOverflowError e) {
                    crashes.add(name + " through ingest: " + e);
                }
                if (c.intact() != null) {
                    Set<String> before = records(parse(c.owner(), name, c.intact().getBytes(StandardCharsets.UTF_8)));
                    Set<String> after = records(parse(c.owner(), name, c.bytes()));
                    for (String r : before) {
                        if (!after.contains(r)) {
                            lost.add(name + " (" + c.owner().format() + "): " + r);
                        }
                    }
                }
            } catch (OutOfMemoryError e) {
                outOfMemory.add(name);
            }
            slowestMillis.merge(c.category(), (System.nanoTime() - t0) / 1_000_000, Math::max);
        }

        public int total() {
            return cases.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Parses {@code bytes} as the file {@code name} with {@code parser}, into a fresh sink. */
    public static EvidenceSink parse(EvidenceParser parser, String name, byte[] bytes) {
        TextSource src = new TextSource(name, dev.vmcase.model.Ids.sha256Hex(bytes),
                () -> new java.io.ByteArrayInputStream(bytes));
        EvidenceSink sink = EvidenceSink.forSource(src);
        parser.parse(src, sink);
        return sink;
    }
}
