package dev.vmcase.parsers.qemu;

import dev.vmcase.parsers.Head;
import dev.vmcase.parsers.TerminalEscapes;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Small helpers shared by the HMP parsers: monitor prompts, the banner, terminal escapes, quoting. */
final class HmpText {
    private static final Pattern BANNER = Pattern.compile("QEMU \\S+ monitor - type 'help' for more information\\s*");

    private HmpText() {
    }

    /** The line without terminal escape sequences (a raw {@code -monitor stdio} capture has readline's echo). */
    static String clean(String line) {
        return TerminalEscapes.strip(line);
    }

    /** {@code (qemu) info qtree}, {@code (qemu) }, or the monitor banner: transcript lines that are not output. */
    static boolean isMonitorChrome(String line) {
        String t = clean(line).strip();
        return t.startsWith("(qemu)") || BANNER.matcher(t).matches();
    }

    /** The significant head lines after the prompt and banner lines of a pasted monitor transcript. */
    static List<String> output(Head head) {
        List<String> out = new ArrayList<>();
        for (String l : head.significant()) {
            String c = clean(l);
            if (c.isBlank() || out.isEmpty() && isMonitorChrome(c)) {
                continue;
            }
            out.add(c);
        }
        return out;
    }

    /** {@code "drive-virtio-disk1"} → {@code drive-virtio-disk1}; {@code ""} → empty; unquoted text as is. */
    static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
