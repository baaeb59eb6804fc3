package dev.vmcase.casefile;

import java.io.IOException;

/** The file is not a case vmcase can open (broken, hostile, too big, or from a newer version). */
public final class CaseFormatException extends IOException {
    public CaseFormatException(String message) {
        super(message);
    }

    public CaseFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
