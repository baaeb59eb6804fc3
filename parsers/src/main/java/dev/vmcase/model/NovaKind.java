package dev.vmcase.model;

/** What a nova-compute record says ({@link Detail#KIND} of a {@link EventKind#NOVA_MESSAGE} event). */
public enum NovaKind {
    LIVE_MIGRATION_FAILURE("live-migration-failure"),
    LIVE_MIGRATION_FAILED("live-migration-failed"),
    LIVE_MIGRATION_ABORTED("live-migration-aborted"),
    LIVE_MIGRATION_CANCELLED("live-migration-cancelled"),
    LIVE_MIGRATION_COMPLETED("live-migration-completed"),
    LIVE_MIGRATION_MONITORING_DONE("live-migration-monitoring-done"),
    LIVE_MIGRATION_SUCCEEDED("live-migration-succeeded"),
    LIVE_MIGRATION_START("live-migration-start"),
    LIVE_MIGRATION_API_COMPLETED("live-migration-api-completed"),
    LIVE_MIGRATION_PROGRESS("live-migration-progress"),
    DETACH_ATTEMPT("detach-attempt"),
    DETACH_RETRY("detach-retry"),
    DETACH_DEVICE_XML("detach-device-xml"),
    DETACH_WAIT("detach-wait"),
    DETACH_SUCCEEDED("detach-succeeded"),
    DEVICE_DETACH_FAILED("device-detach-failed");

    private final String value;

    NovaKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The kind a value names, or null. */
    public static NovaKind of(String value) {
        for (NovaKind k : values()) {
            if (k.value.equals(value)) {
                return k;
            }
        }
        return null;
    }
}
