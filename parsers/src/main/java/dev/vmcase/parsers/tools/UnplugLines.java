package dev.vmcase.parsers.tools;

import dev.vmcase.model.Event;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;

import java.util.EnumSet;

/**
 * A line about a device's removal as the tools around the stack write it, whoever wrote it and wherever it was pasted:
 * QEMU's refusal of a {@code device_del} relayed by libvirt, virsh or a test harness ({@code Hot-unplug failed: …},
 * {@code Bus '…' does not support hotplugging}, {@code Device … is already in the process of unplug}), a harness's
 * record of the {@code device_del} it sent or of how long a live {@code virsh detach-*} took, an orchestrator giving up
 * on a detach ({@code Could not detach volume after … waiting for [N] milliseconds}), virsh's {@code … detached
 * successfully}. The wordings are the message catalogue's entries of the unplug classes
 * ({@code knowledge/*.json}): this reader knows none of them. The event ({@link CatalogueLines}) carries the
 * entry's class and id and what its groups name (the device, the port, the seconds, the command a harness ran, which
 * its reader describes further: {@link VirshWords#describe}).
 */
public final class UnplugLines {
    /** The unplug classes a tool's line can carry. */
    private static final CatalogueLines LINES = new CatalogueLines(MessageCatalogue.get().of(EnumSet.of(
            MessageClass.UNPLUG_REFUSED, MessageClass.UNPLUG_IN_PROGRESS, MessageClass.UNPLUG_GAVE_UP,
            MessageClass.UNPLUG_COMMAND_DURATION, MessageClass.UNPLUG_REQUESTED, MessageClass.UNPLUG_REPORTED_DONE))
            .stream().filter(m -> m.bug() == null).toList());

    private UnplugLines() {
    }

    /** The catalogue's reading of the line, or null when it is none of the unplug messages. */
    public static MessageMatch match(String line) {
        return LINES.match(line);
    }

    /** The line as an event of its class, cited by {@code ref}; null when it is none of the unplug messages. */
    public static Event read(String line, SourceRef ref) {
        return LINES.read(line, ref);
    }
}
