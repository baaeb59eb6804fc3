package dev.vmcase.model;

public enum EventKind {
    /** libvirt's {@code starting up} banner. */
    LIBVIRT_START,
    /** libvirt's {@code shutting down[, reason=…]} line. */
    LIBVIRT_SHUTDOWN,
    /** The QEMU command line as logged by libvirt or seen in {@code ps}. */
    QEMU_COMMAND_LINE,
    /** Any other QEMU diagnostic on stderr. */
    QEMU_MESSAGE,
    /** The destination rejected part of the incoming migration stream (section, ramblock, device state). */
    MIGRATION_LOAD_ERROR,
    /** {@code load of migration failed}. */
    MIGRATION_LOAD_FAILED,
    /** Other lines written by libvirt into the domain log. */
    LIBVIRT_MESSAGE,
    /** A record of nova-compute's log (oslo.log), its {@code kind} detail saying which message it is. */
    NOVA_MESSAGE
}
