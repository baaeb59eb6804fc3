package dev.vmcase.parsers.tools;

import dev.vmcase.model.Event;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.knowledge.MessageCatalogue;

import java.util.EnumSet;

/**
 * A line in which the host, not QEMU, records that a QEMU process died: the kernel's
 * {@code qemu-system-x86[6198]: segfault at a8 ip …}, systemd-coredump's {@code Process 1545297 (.qemu-system-x8) of
 * user 301 dumped core.}, a row of {@code coredumpctl list} naming a QEMU binary, the shell's
 * {@code Aborted (core dumped)} — in a journal, a syslog file or a paste. The wordings are the message catalogue's
 * crash entries of the components around QEMU ({@code knowledge/tools.json}); QEMU's own crash lines (its assertions,
 * a library's fatal critical) are read from its output where it writes them. The event ({@link CatalogueLines})
 * carries the entry's class and id and what its groups name (the process, its signal, the binary).
 */
public final class CrashLines {
    /** The crash entries of the components around QEMU. */
    private static final CatalogueLines LINES = new CatalogueLines(MessageCatalogue.get().of(EnumSet.of(
            MessageClass.CRASH_ABORT, MessageClass.CRASH_ASSERTION)).stream()
            .filter(m -> m.bug() == null && !"qemu".equals(m.component())).toList());

    private CrashLines() {
    }

    /** The line as an event of its crash class, cited by {@code ref}; null when it records no QEMU's death. */
    public static Event read(String line, SourceRef ref) {
        return LINES.read(line, ref);
    }
}
