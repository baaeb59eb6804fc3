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
    NOVA_MESSAGE,
    /**
     * What a host's clock is: its time zone or UTC offset ({@code timedatectl}, {@code date}, {@code /etc/localtime},
     * a line giving its own offset). Details: {@code zone} (a tz database name), {@code tz} (a POSIX TZ string),
     * {@code utc-offset} (seconds east of UTC), {@code source}, and {@code time} is the instant the text shows, if any.
     */
    HOST_CLOCK,
    /**
     * A virsh command and its outcome from a transcript ({@code virsh # detach-disk …}, {@code $ virsh -c … list}):
     * details {@code command}, {@code domain}, what it names ({@code target}, {@code file}, {@code mac}), the flags
     * ({@code live}, {@code config}…), {@code outcome} ({@code success}/{@code error}), {@code result}, {@code error}.
     */
    VIRSH_COMMAND,
    /** A domain event as {@code virsh event} prints it ({@code event 'device-removed' for domain 'X': virtio-disk1}). */
    VIRSH_EVENT,
    /**
     * A line of a tool around the stack (a test harness, an orchestrator, virsh's error lines) the message catalogue
     * recognised: details {@code message-class}, {@code message} and what the entry's groups name
     * ({@code dev.vmcase.parsers.tools.UnplugLines}).
     */
    TOOL_MESSAGE
}
