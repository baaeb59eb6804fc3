package dev.vmcase.casefile;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Objects;

/**
 * What a note, bookmark or tour step points at, by the stable ids of the evidence model (docs/architecture.md, "Identity"), so it survives
 * reloading and re-parsing: an evidence line ({@code sha256 + line}), a backtrace frame (its line), a device row
 * ({@code DeviceRow.key()}) or a finding ({@code Finding.id()}).
 *
 * @param kind     what kind of thing
 * @param artifact the artifact's sha256 (LINE, FRAME), else null
 * @param line     1-based line (LINE, FRAME), else 0
 * @param key      the device key (DEVICE) or finding id (FINDING), else null
 */
public record Target(Kind kind, String artifact, int line, String key) {
    public enum Kind { LINE, FRAME, DEVICE, FINDING }

    public Target {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case LINE, FRAME -> {
                if (artifact == null || !artifact.matches("[0-9a-f]{64}") || line < 0) {
                    throw new IllegalArgumentException("a line target needs an artifact sha256 and a line");
                }
                key = null;
            }
            case DEVICE, FINDING -> {
                if (key == null || key.isEmpty()) {
                    throw new IllegalArgumentException("a " + kind + " target needs its key");
                }
                artifact = null;
                line = 0;
            }
            default -> throw new IllegalArgumentException(String.valueOf(kind));
        }
    }

    public static Target line(String sha256, int line) {
        return new Target(Kind.LINE, sha256, line, null);
    }

    public static Target frame(String sha256, int line) {
        return new Target(Kind.FRAME, sha256, line, null);
    }

    public static Target device(String key) {
        return new Target(Kind.DEVICE, null, 0, key);
    }

    public static Target finding(String id) {
        return new Target(Kind.FINDING, null, 0, id);
    }

    /** True for LINE and FRAME: the target is a line of an artifact. */
    @JsonIgnore
    public boolean isLine() {
        return kind == Kind.LINE || kind == Kind.FRAME;
    }

    /** A short, stable text: {@code line 01db9a105711:9}, {@code device virtio-disk1}. */
    @JsonIgnore
    public String label() {
        return switch (kind) {
            case LINE -> "line " + artifact.substring(0, 12) + ":" + line;
            case FRAME -> "frame " + artifact.substring(0, 12) + ":" + line;
            case DEVICE -> "device " + key;
            case FINDING -> "finding " + key;
        };
    }
}
