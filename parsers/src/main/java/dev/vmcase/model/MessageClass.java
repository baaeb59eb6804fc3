package dev.vmcase.model;

/**
 * What a message of the catalogue ({@code dev/vmcase/parsers/knowledge/*.json}) means, whoever wrote it (QEMU, libvirt,
 * nova, a test harness): the classes rules act on. A parser that recognises a line through the catalogue writes the
 * class's {@link #value()} in the event's {@code message-class} detail (and the entry's id in {@code message}); rules
 * read the class, never a message's words.
 */
public enum MessageClass {
    /** Loading a state: the stream names a section the loading QEMU does not have. */
    LOAD_SECTION_UNKNOWN("load/section-unknown"),
    /** Loading a state: the stream names a RAM block the loading QEMU does not have. */
    LOAD_RAMBLOCK_UNKNOWN("load/ramblock-unknown"),
    /** Loading a state: a RAM block both sides have, of another size. */
    LOAD_RAMBLOCK_SIZE("load/ramblock-size"),
    /** Loading a state: the section whose state could not be loaded ({@code error while loading state … of device}). */
    LOAD_DEVICE_STATE("load/device-state"),
    /** Loading a state: why a device's state was rejected (a virtqueue index, a config byte, a field). */
    LOAD_STATE_CAUSE("load/state-cause"),
    /** Loading a state: a section read to its end without its footer (the two sides disagree on its fields). */
    LOAD_SECTION_FOOTER("load/section-footer"),
    /** Loading a state: a section in a newer version than the loading QEMU supports. */
    LOAD_VERSION("load/version"),
    /** Loading a state: the stream itself broke (not a stream, a short read, the feeding process gone). */
    LOAD_STREAM("load/stream"),
    /** The incoming-migration verdict ({@code load of migration failed}): a live migration or a restore from a file. */
    LOAD_FAILED("load/failed"),
    /** The snapshot verdict ({@code Error -22 while loading VM state}): {@code -loadvm}, {@code snapshot-load}. */
    LOADVM_FAILED("loadvm/failed"),
    /** The source's side of a failed migration (its send broke off: a consequence of the destination's failure). */
    MIGRATE_SOURCE_ERROR("migrate/source-error"),
    /** A migration refused before it started (a migration blocker, a capability the hosts lack). */
    MIGRATE_REFUSED("migrate/refused"),
    /** The two hosts' configurations differ (a CPU feature missing on one). */
    CONFIG_MISMATCH("config/mismatch"),
    /** A migration was started or is running (libvirt's {@code initiating migration}, nova's progress). */
    MIGRATION_STARTED("migration/started"),
    /** A management layer reports the migration failed (nova's {@code Live Migration failure: …}). */
    MIGRATION_REPORTED_FAILED("migration/failed"),
    /** A management layer reports the migration finished. */
    MIGRATION_COMPLETED("migration/completed"),
    /** A saved state is being restored ({@code virsh restore}, a launch from a saved migration file). */
    RESTORE("restore/restoring"),
    /** A domain's state was saved to a file ({@code virsh save}, {@code managedsave}): its next start restores it. */
    STATE_SAVED("save/saved"),
    /** libvirt started a QEMU for the domain (the domain log's {@code starting up}). */
    DOMAIN_STARTING("domain/starting"),
    /** libvirt stopped the domain's QEMU ({@code shutting down[, reason=…]}). */
    DOMAIN_STOPPED("domain/stopped"),
    /** The domain did not start ({@code Failed to start domain}, {@code process exited while connecting to monitor}). */
    START_FAILED("start/failed"),
    /** QEMU refused its command line: an option it could not honour ({@code -drive …: Could not open …}). */
    START_ERROR("start/error"),
    /**
     * QEMU went on with another accelerator after one failed ({@code Back to tcg accelerator}, {@code falling back to
     * tcg}): the failure before it (KVM's) did not stop the start.
     */
    START_FALLBACK("start/fallback"),
    /** QEMU stopped on a failed assertion. */
    CRASH_ASSERTION("crash/assertion"),
    /** QEMU died of a signal or an abort ({@code Aborted (core dumped)}, a library's fatal critical). */
    CRASH_ABORT("crash/abort"),
    /** libvirt lost QEMU's monitor: QEMU went away (a crash, or an exit after a failed start or load). */
    MONITOR_LOST("monitor/lost"),
    /** QEMU was stopped by a signal someone sent ({@code terminating on signal 15}): not a crash. */
    STOPPED_BY_SIGNAL("stop/signal"),
    /** A line that looks alarming and means nothing went wrong (a GLib critical on quit, a TSC warning). */
    NOISE("noise"),
    /** A device removal was requested ({@code device_del} as a tool prints it, nova's detach attempts). */
    UNPLUG_REQUESTED("unplug/requested"),
    /** QEMU refused a {@code device_del} because an earlier one of the same device is still pending. */
    UNPLUG_IN_PROGRESS("unplug/in-progress"),
    /** QEMU refused a {@code device_del} at once (the slot is busy, the port has no hotplug): the unplug never started. */
    UNPLUG_REFUSED("unplug/refused"),
    /** QEMU no longer has the device ({@code Device 'X' not found}). */
    DEVICE_NOT_FOUND("device/not-found"),
    /** libvirt dropped a {@code DEVICE_DELETED} that names no device (only a child's QOM path). */
    UNPLUG_EVENT_WITHOUT_DEVICE("unplug/event-without-device"),
    /** libvirt's detach ended with neither the device's event nor QEMU's help ({@code … failed and no event arrived}). */
    UNPLUG_NO_EVENT("unplug/no-event"),
    /** libvirt learnt the device is gone and removed it from the domain. */
    UNPLUG_REMOVED("unplug/removed"),
    /** A tool reported the detach done ({@code Device detached successfully}), which libvirt also says after its wait ran out. */
    UNPLUG_REPORTED_DONE("unplug/reported-done"),
    /** A management layer gave up on a detach ({@code DeviceDetachFailed}, CloudStack's wait). */
    UNPLUG_GAVE_UP("unplug/gave-up"),
    /** A tool's record of how long a live detach command took (libvirt waits 5 s for the guest, then says success). */
    UNPLUG_COMMAND_DURATION("unplug/command-duration");

    private final String value;

    MessageClass(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** By value: the rules ask for the class of each of tens of thousands of events. */
    private static final java.util.Map<String, MessageClass> BY_VALUE = java.util.Arrays.stream(values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(MessageClass::value, c -> c));

    /** The class a value names, or null. */
    public static MessageClass of(String value) {
        return value == null ? null : BY_VALUE.get(value);
    }
}
