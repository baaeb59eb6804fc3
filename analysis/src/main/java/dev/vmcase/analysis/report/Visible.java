package dev.vmcase.analysis.report;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Evidence text made visible and inert for a terminal or a report: ESC becomes ␛ (so {@code ESC[31m} reads
 * {@code ␛[31m} and an OSC title or hyperlink sequence never reaches the terminal), the other C0 controls their control
 * pictures (␀…␟, CR as ␍), DEL ␡, C1 controls (U+0080–U+009F, CSI U+009B among them) and bidirectional overrides and
 * isolates {@code \}{@code uXXXX}; tabs stay.
 */
public final class Visible {
    private Visible() {
    }

    /** Whether {@code c} is shown as something else. */
    static boolean hidden(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069);
    }

    /** One line (a line break in it is shown as ␊ too). */
    public static String text(String s) {
        if (s == null) {
            return "";
        }
        int i = 0;
        while (i < s.length() && !hidden(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        b.append(s, 0, i);
        for (; i < s.length(); i++) {
            append(b, s.charAt(i));
        }
        return b.toString();
    }

    static void append(StringBuilder b, char c) {
        if (!hidden(c)) {
            b.append(c);
        } else if (c < 0x20) {
            b.append((char) (0x2400 + c));
        } else if (c == 0x7f) {
            b.append('\u2421');
        } else {
            b.append("\\u").append(String.format("%04x", (int) c));
        }
    }

    /**
     * A writer for a terminal: everything written through it is shown visibly except its own line ends ({@code \n},
     * and {@code \r} right before one where the platform ends lines so), so no byte of the evidence can move the
     * cursor, recolour, retitle or hyperlink the user's terminal.
     */
    public static Writer terminal(Writer out) {
        boolean crlf = System.lineSeparator().equals("\r\n");
        return new FilterWriter(out) {
            private boolean pendingCr;

            @Override
            public void write(int c) throws IOException {
                if (pendingCr) {
                    pendingCr = false;
                    out.write(c == '\n' ? "\r" : "\u240d");
                }
                if (c == '\r' && crlf) {
                    pendingCr = true;
                } else if (c == '\n' || !hidden((char) c)) {
                    out.write(c);
                } else {
                    StringBuilder b = new StringBuilder(6);
                    Visible.append(b, (char) c);
                    out.write(b.toString());
                }
            }

            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                for (int i = off; i < off + len; i++) {
                    write(cbuf[i]);
                }
            }

            @Override
            public void write(String str, int off, int len) throws IOException {
                for (int i = off; i < off + len; i++) {
                    write(str.charAt(i));
                }
            }

            @Override
            public void flush() throws IOException {
                if (pendingCr) {
                    pendingCr = false;
                    out.write("\u240d");
                }
                super.flush();
            }
        };
    }
}
