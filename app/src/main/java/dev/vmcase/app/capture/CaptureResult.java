package dev.vmcase.app.capture;

import java.nio.file.Path;

/** What a capture did: the bundle folder, {@code complete}/{@code partial}/{@code failed}, and its manifest. */
public record CaptureResult(Path out, String status, CaptureManifest manifest) {
    public boolean complete() {
        return "complete".equals(status);
    }
}
