package dev.vmcase.model;

/** Something in an artifact that could not be understood, with where it is. */
public record Problem(String path, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? path + ":" + line + ": " + message : path + ": " + message;
    }
}
