package dev.vmcase.app.capture;

/** A capture that could not start or go on; the message is localised and says what to do. */
public final class CaptureException extends Exception {
    public CaptureException(String message) {
        super(message);
    }
}
