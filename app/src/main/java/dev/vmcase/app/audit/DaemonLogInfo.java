package dev.vmcase.app.audit;

/**
 * The host's daemon log as the audit found it.
 *
 * @param status {@code monitor-traffic} (a debug log with QEMU monitor messages: pending unplugs are visible),
 *               {@code no-monitor-traffic} (a log without them: libvirt's {@code log_filters} lack {@code 1:qemu}),
 *               {@code absent} (no libvirtd.log or virtqemud.log in the log folder), {@code unreadable},
 *               {@code remote} (a remote URI: the host's files are out of reach)
 * @param file   where the audit keeps its copy, relative to the host's audit folder, or null
 * @param first  the first record's time ({@code 2026-12-04 17:34:50.257+0000}), or null
 * @param last   the last record's time, or null
 * @param bytes  bytes copied (its end, at most 64 MiB)
 * @param cut    whether the log was longer than what was copied
 * @param detail the error, when unreadable
 */
public record DaemonLogInfo(String status, String file, String first, String last, long bytes, boolean cut,
                            String detail) {
    public static final String MONITOR_TRAFFIC = "monitor-traffic";
    public static final String NO_MONITOR_TRAFFIC = "no-monitor-traffic";
    public static final String ABSENT = "absent";
    public static final String UNREADABLE = "unreadable";
    public static final String REMOTE = "remote";
}
