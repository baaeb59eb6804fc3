package dev.vmcase.parsers.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds whether any of a fixed set of ASCII phrases occurs in a run of bytes, without decoding them: the Wu-Manber
 * multi-pattern search (Wu and Manber, "A fast algorithm for multi-pattern searching", 1994) with two-byte blocks.
 * A window as long as the shortest phrase slides over the bytes; the last two bytes of the window say how far it may
 * jump, usually most of its length, so most bytes are never looked at. Where a phrase may end, the phrases with those
 * two bytes there are compared in full.
 * <p>
 * The bytes may be UTF-8 (or any ASCII-compatible encoding): an ASCII byte never occurs inside a multi-byte sequence,
 * so a match on the bytes is a match on the text. Case matters, as in {@link String#contains}.
 */
public final class AsciiPatterns {
    private final byte[][] patterns;
    /** Length of the shortest phrase: the window. */
    private final int window;
    /** By the two bytes at a window's end: how far the window may move on (0: a phrase may end here). */
    private final byte[] shift = new byte[1 << 16];
    /** By the same two bytes, when their shift is 0: the indexes of the phrases whose window ends with them. */
    private final int[][] candidates = new int[1 << 16][];

    public AsciiPatterns(List<String> phrases) {
        if (phrases.isEmpty()) {
            throw new IllegalArgumentException("no phrases");
        }
        patterns = new byte[phrases.size()][];
        int min = Integer.MAX_VALUE;
        for (int p = 0; p < patterns.length; p++) {
            String s = phrases.get(p);
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) > 0x7F) {
                    throw new IllegalArgumentException("not ASCII: " + s);
                }
            }
            patterns[p] = s.getBytes(StandardCharsets.US_ASCII);
            min = Math.min(min, s.length());
        }
        if (min < 2 || min > 127) {
            throw new IllegalArgumentException("the shortest phrase must be 2 to 127 characters long");
        }
        window = min;
        Arrays.fill(shift, (byte) (window - 1));
        Map<Integer, List<Integer>> ending = new HashMap<>();
        for (int p = 0; p < patterns.length; p++) {
            byte[] pat = patterns[p];
            for (int j = 1; j < window; j++) { // the block pat[j-1], pat[j] within the window's first bytes
                int key = key(pat[j - 1], pat[j]);
                int s = window - 1 - j;
                if (s < shift[key]) {
                    shift[key] = (byte) s;
                }
                if (s == 0) {
                    ending.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                }
            }
        }
        ending.forEach((k, ps) -> candidates[k] = ps.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int key(byte a, byte b) {
        return (a & 0xFF) << 8 | (b & 0xFF);
    }

    /** Whether one of the phrases occurs in {@code b[from, to)}. */
    public boolean anyIn(byte[] b, int from, int to) {
        int end = from + window - 1; // the last byte of the window
        while (end < to) {
            int key = key(b[end - 1], b[end]);
            int s = shift[key];
            if (s > 0) {
                end += s;
                continue;
            }
            int start = end - window + 1;
            for (int p : candidates[key]) {
                if (at(b, start, to, patterns[p])) {
                    return true;
                }
            }
            end++;
        }
        return false;
    }

    /** Whether the bytes {@code ascii} stand at {@code b[i]}, all before {@code to}. */
    public static boolean at(byte[] b, int i, int to, byte[] ascii) {
        if (to - i < ascii.length) {
            return false;
        }
        for (int k = 0; k < ascii.length; k++) {
            if (b[i + k] != ascii[k]) {
                return false;
            }
        }
        return true;
    }
}
