package dev.vmcase.parsers.lines;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 decoding of one whole line's bytes: malformed bytes become U+FFFD, never an exception. */
final class Utf8Lines {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);

    String decode(byte[] bytes, int len) {
        boolean ascii = true;
        for (int i = 0; i < len; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer out = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, len));
            return out.toString();
        } catch (CharacterCodingException e) {
            // cannot happen with REPLACE on both errors; if it did, String's own decoding also replaces
            return new String(bytes, 0, len, StandardCharsets.UTF_8);
        }
    }
}
