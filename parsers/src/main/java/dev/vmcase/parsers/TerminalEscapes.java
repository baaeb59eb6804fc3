package dev.vmcase.parsers;

import java.util.regex.Pattern;

/**
 * Terminal escape sequences in a line of text, as programs and logs leave them: a raw {@code -monitor stdio} capture
 * has readline's echo, devstack's oslo.log colours its records ({@code ESC[01;31mERROR …ESC[00m}), and rsyslog writes
 * a control character it receives as {@code #} and its octal code, so the same colours reach {@code /var/log/messages}
 * as {@code #033[01;31m} (rsyslog's {@code $EscapeControlCharactersOnReceive}, on by default). Both forms are removed;
 * a line without either is returned as it is, without a scan by a pattern.
 */
public final class TerminalEscapes {
    private static final Pattern ESCAPES = Pattern.compile("(?:\u001b|#033)\\[[0-9;?]{0,32}[A-Za-z]");

    private TerminalEscapes() {
    }

    /** {@code line} without terminal escape sequences. */
    public static String strip(String line) {
        return line.indexOf('\u001b') < 0 && !line.contains("#033[") ? line : ESCAPES.matcher(line).replaceAll("");
    }
}
