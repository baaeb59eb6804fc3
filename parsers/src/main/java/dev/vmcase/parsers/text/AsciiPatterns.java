package dev.vmcase.parsers.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds whether any of a fixed set of ASCII phrases occurs in a run of bytes, without decoding them: the Wu-Manber
 * multi-pattern search (Wu and Manber, "A fast algorithm for multi-pattern searching", 1994) with three-byte blocks
 * hashed into a 64 Ki table (two-byte blocks when the shortest phrase has only two bytes). A window as long as the
 * shortest phrase slides over the bytes; the last block of the window says how far it may jump, usually most of its
 * length, so most bytes are never looked at. Where a phrase may end, the phrases with that block there are compared in
 * full. Three bytes, not two: two-byte blocks such as {@code "e "} or {@code " i"} occur in most words of a log line,
 * and each stopped the window. A hash collision only shortens a jump, never skips a phrase.
 * <p>
 * The bytes may be UTF-8 (or any ASCII-compatible encoding): an ASCII byte never occurs inside a multi-byte sequence,
 * so a match on the bytes is a match on the text. Case matters, as in {@link String#contains}.
 */
public final class AsciiPatterns {
    private final byte[][] patterns;
    /** Length of the shortest phrase: the window. */
    private final int window;
    /** Bytes a block: 3, or 2 when the shortest phrase is that short. */
    private final int block;
    /** By the block at a window's end (hashed): how far the window may move on (0: a phrase may end here). */
    private final byte[] shift = new byte[1 << 16];
    /** By the same block, when its shift is 0: the indexes of the phrases whose window ends with it. */
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
        block = window >= 3 ? 3 : 2;
        Arrays.fill(shift, (byte) (window - block + 1));
        Map<Integer, List<Integer>> ending = new HashMap<>();
        for (int p = 0; p < patterns.length; p++) {
            byte[] pat = patterns[p];
            for (int j = block - 1; j < window; j++) { // the block ending at pat[j], within the window's first bytes
                int key = key(pat, j);
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

    /** The block of bytes ending at {@code b[end]}, hashed into 16 bits. */
    private int key(byte[] b, int end) {
        int two = (b[end - 1] & 0xFF) << 8 | (b[end] & 0xFF);
        return block == 2 ? two : (two ^ (b[end - 2] & 0xFF) * 0x9E5) & 0xFFFF;
    }

    /** Whether one of the phrases occurs in {@code b[from, to)}. */
    public boolean anyIn(byte[] b, int from, int to) {
        int end = from + window - 1; // the last byte of the window
        while (end < to) {
            int key = key(b, end);
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
