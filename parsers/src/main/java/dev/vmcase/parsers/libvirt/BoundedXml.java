package dev.vmcase.parsers.libvirt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * XML bytes with every attribute value, run of text, comment and CDATA section cut to {@link #LIMIT} bytes, the
 * markup around them kept whole, so a hostile 100 MiB attribute neither exhausts memory (StAX builds each value as one
 * string) nor breaks the document: the elements after it are still read. Each cut is remembered with its line
 * ({@link #cuts()}). A small lexer over the bytes: text, tags with single- and double-quoted values, comments, CDATA;
 * a cut is made at the start of a UTF-8 character, a cut comment or CDATA section is closed where it was cut.
 */
final class BoundedXml extends FilterInputStream {
    static final int LIMIT = 1 << 20;

    private enum State { TEXT, TAG, DQ, SQ, COMMENT, CDATA }

    /** A value or text run that was cut ({@code what}: text, attribute, comment or cdata), and the line it started on. */
    record Cut(int line, String what) {
    }

    private final int limit;
    private State state = State.TEXT;
    private long run;
    private boolean dropping;
    private int line = 1;
    private int runLine = 1;
    /** The first bytes after a '<' (to tell "<!--" and "<![CDATA[" from a tag). */
    private final StringBuilder opening = new StringBuilder();
    private int endMatched;
    private final List<Cut> cuts = new ArrayList<>();
    private final byte[] in = new byte[8192];
    private int inPos;
    private int inLen;
    private final byte[] pending = new byte[8];
    private int pendingLen;
    private byte[] out;
    private int outPos;
    private int outEnd;

    BoundedXml(InputStream in) {
        this(in, LIMIT);
    }

    BoundedXml(InputStream in, int limit) {
        super(in);
        this.limit = limit;
    }

    List<Cut> cuts() {
        return cuts;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        out = b;
        outPos = off;
        outEnd = off + len;
        while (outPos == off) {
            while (pendingLen > 0 && outPos < outEnd) {
                out[outPos++] = pending[0];
                System.arraycopy(pending, 1, pending, 0, --pendingLen);
            }
            if (outPos == outEnd) {
                break;
            }
            if (inPos == inLen) {
                inLen = super.read(in, 0, in.length);
                inPos = 0;
                if (inLen <= 0) {
                    inLen = 0;
                    return outPos == off ? -1 : outPos - off;
                }
            }
            while (inPos < inLen && outPos < outEnd && pendingLen == 0) {
                step(in[inPos++]);
            }
        }
        return outPos - off;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[4096];
        long left = n;
        while (left > 0) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void emit(byte c) {
        if (outPos < outEnd) {
            out[outPos++] = c;
        } else {
            pending[pendingLen++] = c;
        }
    }

    private void emit(String s) {
        for (int i = 0; i < s.length(); i++) {
            emit((byte) s.charAt(i));
        }
    }

    private void step(byte c) {
        if (c == '\n') {
            line++;
        }
        switch (state) {
            case TEXT:
                if (c == '<') {
                    endRun();
                    state = State.TAG;
                    opening.setLength(0);
                    emit(c);
                } else {
                    counted(c, "text");
                }
                break;
            case TAG:
                emit(c);
                if (opening.length() < 9) {
                    opening.append((char) c);
                    if (opening.length() == 3 && opening.toString().equals("!--")) {
                        enter(State.COMMENT);
                        return;
                    }
                    if (opening.length() == 8 && opening.toString().equals("![CDATA[")) {
                        enter(State.CDATA);
                        return;
                    }
                }
                if (c == '"') {
                    enter(State.DQ);
                } else if (c == '\'') {
                    enter(State.SQ);
                } else if (c == '>') {
                    enter(State.TEXT);
                }
                break;
            case DQ:
            case SQ:
                if (c == (state == State.DQ ? '"' : '\'')) {
                    emit(c);
                    state = State.TAG;
                    opening.setLength(9); // no longer the start of the tag
                    endRun();
                } else {
                    counted(c, "attribute");
                }
                break;
            case COMMENT:
                closing(c, "-->", "comment");
                break;
            case CDATA:
                closing(c, "]]>", "cdata");
                break;
            default:
                emit(c);
        }
    }

    private void enter(State s) {
        state = s;
        endRun();
        endMatched = 0;
        runLine = line;
    }

    /** In a comment or CDATA section, until its end marker; a cut one is closed at the cut. */
    private void closing(byte c, String end, String what) {
        endMatched = c == end.charAt(endMatched) ? endMatched + 1 : c == end.charAt(0) ? 1 : 0;
        if (endMatched == end.length()) {
            if (!dropping) {
                emit(c);
            }
            state = State.TEXT;
            endRun();
            return;
        }
        counted(c, what);
    }

    /** Emits {@code c} unless the run is over the limit; returns whether it was cut here. */
    private boolean counted(byte c, String what) {
        if (dropping) {
            return false;
        }
        run++;
        if (run > limit && (c & 0xC0) != 0x80) {
            // over the limit, at the start of a character: drop from here to the end of this value or run
            dropping = true;
            cuts.add(new Cut(runLine, what));
            if (state == State.COMMENT) {
                emit("-->");
            } else if (state == State.CDATA) {
                emit("]]>");
            }
            return true;
        }
        emit(c);
        return false;
    }

    private void endRun() {
        run = 0;
        dropping = false;
        runLine = line;
    }
}
