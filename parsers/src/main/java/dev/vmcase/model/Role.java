package dev.vmcase.model;

/** Which side of a migration an artifact (or a line of it) speaks for. */
public enum Role {
    SOURCE, DESTINATION, UNKNOWN;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
