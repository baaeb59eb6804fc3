package dev.vmcase.model;

public enum QmpKind {
    GREETING, COMMAND, RETURN, ERROR, EVENT
}
