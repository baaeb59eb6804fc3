package dev.vmcase.parsers.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What mail and tracker copies do to pasted text, undone: quoted-printable ({@code =3D} for {@code =}, a soft line
 * break {@code =} at the end of a line, {@code =C2=A0} for a no-break space), HTML entities inside a {@code <pre>}
 * export, and a carriage return rendered as the two characters {@code ^M}. A raw mail saved from an archive looks
 * like this (qemu-devel, 2019-12-09, Message-Id {@code <20191209074102.5926-1-yury-kotov@yandex-team.ru>}):
 * <pre>
 *   qemu-system-x86_64: error while loading state for instance 0x0 of devic=
 * e
 *           '0000:00:03.0/ioh-3240-express-root-port'
 * </pre>
 */
final class MailText {
    /** A soft line break cannot glue more than this many lines: past it, the text is no quoted-printable. */
    static final int MAX_SOFT_BREAKS = 4096;

    private MailText() {
    }

    /**
     * Whether the first lines of a file are quoted-printable: a MIME header says so, or soft line breaks come with
     * the escapes only that encoding writes ({@code =3D}, {@code =20}, {@code =C2=A0}…).
     */
    static boolean looksQuotedPrintable(List<String> head) {
        int soft = 0;
        int escapes = 0;
        for (String l : head) {
            String t = l.strip();
            if (t.toLowerCase(Locale.ROOT).startsWith("content-transfer-encoding:")
                    && t.toLowerCase(Locale.ROOT).contains("quoted-printable")) {
                return true;
            }
            if (l.endsWith("=") && !l.endsWith("==")) {
                soft++;
            }
            escapes += countEscapes(l);
        }
        return soft >= 3 && escapes >= 3;
    }

    private static int countEscapes(String l) {
        int n = 0;
        for (int i = l.indexOf('='); i >= 0; i = l.indexOf('=', i + 1)) {
            if (isEscape(l, i) && (l.startsWith("3D", i + 1) || l.startsWith("20", i + 1)
                    || l.charAt(i + 1) == 'C' || l.charAt(i + 1) == 'E')) {
                n++;
            }
        }
        return n;
    }

    /** A MIME part's {@code charset=…}, UTF-8 when it names none or one this Java does not know. */
    static java.nio.charset.Charset charset(String contentType) {
        int at = contentType.indexOf("charset=");
        if (at < 0) {
            return StandardCharsets.UTF_8;
        }
        String name = contentType.substring(at + 8).replace("\"", "").split("[;\\s]", 2)[0];
        try {
            return java.nio.charset.Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The first line of a raw mail: an mbox separator or one of the headers every mail starts with. */
    static boolean isMailHeader(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        for (String h : List.of("from ", "return-path:", "received:", "from:", "date:", "subject:", "message-id:",
                "mime-version:", "delivered-to:", "x-original-to:", "to:", "content-type:")) {
            if (lower.startsWith(h)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a quoted-printable line ends in a soft break (the line goes on with the next one). */
    static boolean softBreak(String line) {
        return line.endsWith("=");
    }

    /** The line without its soft-break {@code =}. */
    static String withoutSoftBreak(String line) {
        return line.substring(0, line.length() - 1);
    }

    /**
     * Decodes the {@code =XX} escapes of a quoted-printable line (the bytes they name are UTF-8); an {@code =} not
     * followed by two hex digits is kept as written.
     */
    static String decodeQuotedPrintable(String s) {
        return decodeQuotedPrintable(s, StandardCharsets.UTF_8);
    }

    /**
     * The same, the escaped bytes being in {@code charset} (a part's {@code charset=iso-8859-1}); bytes that are no
     * UTF-8 in a part that says UTF-8 are read as Latin-1.
     */
    static String decodeQuotedPrintable(String s, java.nio.charset.Charset charset) {
        return decodeQuotedPrintable(s, charset, true);
    }

    /** @param lenient read stray bytes of a UTF-8 part as Latin-1 (else they become U+FFFD) */
    static String decodeQuotedPrintable(String s, java.nio.charset.Charset charset, boolean lenient) {
        if (s.indexOf('=') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' && isEscape(s, i)) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                byte[] b = s.substring(i, end).getBytes(charset);
                out.write(b, 0, b.length);
                i = end - 1;
            }
        }
        if (!lenient || !StandardCharsets.UTF_8.equals(charset)) {
            return out.toString(charset);
        }
        // a part that says UTF-8 but holds Latin-1 bytes keeps its words, as every line vmcase reads does
        byte[] bytes = out.toByteArray();
        return dev.vmcase.parsers.ByteLineReader.utf8OrLatin1(bytes, 0, bytes.length, new boolean[1]);
    }

    private static boolean isEscape(String s, int i) {
        return i + 2 < s.length() && hex(s.charAt(i + 1)) && hex(s.charAt(i + 2));
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
    }

    /** The five entities an HTML export of a log writes, and numeric ones ({@code &#39;}, {@code &#x27;}). */
    static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i) : -1;
            if (semi > i && semi - i <= 8) {
                String name = s.substring(i + 1, semi);
                String decoded = entity(name);
                if (decoded != null) {
                    out.append(decoded);
                    i = semi + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String entity(String name) {
        switch (name) {
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "amp":
                return "&";
            case "quot":
                return "\"";
            case "apos":
                return "'";
            case "nbsp":
                return " ";
            default:
                break;
        }
        try {
            if (name.startsWith("#x") || name.startsWith("#X")) {
                return new String(Character.toChars(Integer.parseInt(name.substring(2), 16)));
            }
            if (name.startsWith("#")) {
                return new String(Character.toChars(Integer.parseInt(name.substring(1))));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /**
     * The line as a reader sees it: no-break spaces (HTML and mail copies indent with them) become spaces, a
     * trailing carriage return, literal or rendered as {@code ^M} by a pager, goes.
     */
    static String clean(String line) {
        String s = line.indexOf('\u00a0') >= 0 ? line.replace('\u00a0', ' ') : line;
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\r') {
            end--;
        }
        if (end >= 2 && s.charAt(end - 2) == '^' && s.charAt(end - 1) == 'M') {
            end -= 2;
        }
        return end == s.length() ? s : s.substring(0, end);
    }
}
