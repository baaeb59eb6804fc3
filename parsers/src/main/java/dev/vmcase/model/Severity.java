package dev.vmcase.model;

public enum Severity {
    INFO, WARNING, ERROR, CRITICAL;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
