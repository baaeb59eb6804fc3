package dev.vmcase.parsers;

import java.util.ArrayList;
import java.util.List;

/**
 * The first lines of a file, for sniffing. {@link #significant()} drops blank lines and the separator noise
 * that copies pasted into tickets and blogs carry (a lone {@code -}, {@code --}, {@code >}).
 */
public final class Head {
    public static final int MAX_LINES = 400;

    private final List<String> lines;
    private final List<String> significant;

    public Head(List<String> lines) {
        this.lines = List.copyOf(lines);
        List<String> sig = new ArrayList<>();
        for (String l : lines) {
            if (!isNoise(l)) {
                sig.add(l);
            }
        }
        this.significant = List.copyOf(sig);
    }

    public static Head of(String text) {
        List<String> lines = text.lines().limit(MAX_LINES).toList();
        return new Head(lines);
    }

    public List<String> lines() {
        return lines;
    }

    public List<String> significant() {
        return significant;
    }

    /** The first significant line, or "". */
    public String first() {
        return significant.isEmpty() ? "" : significant.get(0);
    }

    /** Blank lines and lone separator characters left by copy-paste. */
    public static boolean isNoise(String line) {
        String t = line.strip();
        return t.isEmpty() || t.matches("[-=>*_~|]{1,3}");
    }
}
