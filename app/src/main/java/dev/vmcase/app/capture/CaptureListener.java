package dev.vmcase.app.capture;

/** Progress of a capture: {@code done} of {@code total} steps, and the step that starts now (localised). */
@FunctionalInterface
public interface CaptureListener {
    CaptureListener NONE = (done, total, text) -> { };

    void progress(int done, int total, String text);
}
