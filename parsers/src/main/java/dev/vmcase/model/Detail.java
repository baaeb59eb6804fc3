package dev.vmcase.model;

/**
 * The keys of {@link Event#details()} that the analysis reads, one constant each, so that a rule cannot read a key no
 * parser writes (a typo would silently stop it): rules read {@code e.detail(Detail.REASON)}, parsers write
 * {@code Detail.REASON.key()}. {@code TypedKeysTest} checks that every constant is written by some parser on real
 * evidence. Parsers may write further keys for display; what the analysis reads is declared here.
 */
public enum Detail {
    /** nova-compute: which message it is ({@link NovaKind}). */
    KIND("kind"),
    /** nova-compute: the disk a message names, by its target ({@code vdb}) or as nova calls it. */
    DEVICE("device"),
    /** nova-compute: the libvirt alias its detach XML names ({@code virtio-disk1}). */
    ALIAS("alias"),
    /** nova-compute: the target dev of its detach XML ({@code vdb}). */
    TARGET("target"),
    /** nova-compute: the instance UUID of {@code [instance: UUID]}. */
    INSTANCE("instance"),
    /** Why: libvirt's shutdown reason ({@code failed}), nova's failure text, QEMU's load failure. */
    REASON("reason"),
    /** nova-compute: the text of {@code DeviceDetachFailed}. */
    DETACH_FAILURE("detach-failure"),
    /** libvirtd: the verdict phrase about a device removal a record holds. */
    VERDICT("verdict"),
    /** nova-compute: the request id ({@code req-…}). */
    REQUEST_ID("request-id"),
    /** nova-compute: the record's local time as written (no zone). */
    LOCAL_TIME("local-time"),
    /** nova-compute: the host journald names. */
    HOST("host"),
    /** The message catalogue's class of the line ({@code load/state-cause}): what it means, whoever wrote it. */
    MESSAGE_CLASS("message-class"),
    /** A QEMU command line: its {@code -incoming} value ({@code defer}, {@code tcp:…}, {@code exec:cat FILE}). */
    INCOMING("incoming"),
    /** A QEMU command line: the internal snapshot its {@code -loadvm} loads at start. */
    LOADVM("loadvm"),
    /** A start QEMU refused: the command-line option ({@code blockdev}, {@code drive}). */
    OPTION("option"),
    /** A start QEMU refused: why ({@code The device is not writable: Permission denied}). */
    ERROR("error"),
    /** A saved-state file a line names ({@code virsh save}/{@code restore}, a saved migration stream). */
    FILE("file"),
    /** A virsh transcript: the command ({@code restore}, {@code migrate}, {@code detach-disk}). */
    COMMAND("command"),
    /** A refused unplug: the port or bus without hot-plug the catalogue entry names ({@code pcie-root-port-3}). */
    PORT("port"),
    /** A refused unplug: why, as the catalogue entry says it ({@code not-hotpluggable}, {@code guest-busy}). */
    REFUSAL("refusal"),
    /** A virsh command's interface MAC ({@code detach-interface DOMAIN TYPE MAC}). */
    MAC("mac"),
    /** A tool's record of a command: how many seconds it took. */
    SECONDS("seconds"),
    /** A tool's record of a command: its exit status. */
    STATUS("status"),
    /** The catalogue entry's fact: how long libvirt waits for DEVICE_DELETED before a live detach returns. */
    WAIT_SECONDS("wait-seconds");

    private final String key;

    Detail(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
