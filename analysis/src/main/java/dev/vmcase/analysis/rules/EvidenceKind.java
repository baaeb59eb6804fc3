package dev.vmcase.analysis.rules;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.Detail;
import dev.vmcase.model.DeviceObservation;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Evidence;
import dev.vmcase.model.Layer;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.libvirt.LibvirtdLogParser;
import dev.vmcase.parsers.nova.NovaLogParser;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A kind of evidence a rule can need (each rule declares its inputs, typed: docs/adding-a-rule.md). Whether one VM's
 * evidence holds it is decided here, once, for every rule: {@link #present(Evidence)}. A rule that lacks what it
 * needs is "not checked", naming what was missing, never "clear".
 */
public enum EvidenceKind {
    /** A QMP conversation: a wire transcript or libvirtd's monitor traffic, with the commands sent. */
    QMP_CONVERSATION,
    /** libvirtd's own debug log (its monitor traffic, its verdicts). */
    LIBVIRTD_LOG,
    /** libvirt's domain XML. */
    LIBVIRT_XML,
    /** QEMU's command line (the domain log, {@code ps}). */
    COMMAND_LINE,
    /** QEMU's qdev tree ({@code info qtree}). */
    QDEV_TREE,
    /** QEMU's PCI view ({@code query-pci}, {@code info pci}). */
    PCI_VIEW,
    /** QEMU's block layer ({@code query-block}, {@code info block}). */
    BLOCK_VIEW,
    /** A libvirt per-domain QEMU log ({@code /var/log/libvirt/qemu/NAME.log}). */
    DOMAIN_LOG,
    /** What the destination of a migration wrote: its log, its load errors. */
    DESTINATION_LOG,
    /** nova-compute's log. */
    NOVA_LOG,
    /** A backtrace: gdb's {@code bt} or {@code thread apply all bt}, systemd-coredump's stacks. */
    BACKTRACE,
    /** QEMU's own messages: its stderr as a domain log, a journal or a paste holds it. */
    QEMU_OUTPUT,
    /**
     * A tool's record of a device removal: a virsh transcript, a test harness's or an orchestrator's log line the
     * catalogue recognises ({@code EventKind.TOOL_MESSAGE}).
     */
    TOOL_LOG,
    /**
     * The host's record of a QEMU process's death: the kernel's segfault line, systemd-coredump's record, a
     * {@code coredumpctl list} row ({@code EventKind.TOOL_MESSAGE} of a crash class). Present only where one is.
     */
    HOST_CRASH_RECORD;

    private static boolean isCrashClass(String messageClass) {
        return MessageClass.CRASH_ABORT.value().equals(messageClass)
                || MessageClass.CRASH_ASSERTION.value().equals(messageClass);
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The kinds one VM's evidence holds. */
    public static Set<EvidenceKind> present(Evidence e) {
        Set<EvidenceKind> out = EnumSet.noneOf(EvidenceKind.class);
        Map<String, Role> roles = e.rolesBySha();
        for (QmpMessage m : e.qmp()) {
            if (m.kind() == QmpKind.COMMAND) {
                out.add(QMP_CONVERSATION);
            }
            if (m.channel().startsWith("mon=")) {
                out.add(LIBVIRTD_LOG);
            }
            if (out.contains(QMP_CONVERSATION) && out.contains(LIBVIRTD_LOG)) {
                break; // all the messages can tell (a long log holds tens of thousands)
            }
        }
        e.coverage().forEach(c -> {
            if (c.layer() == Layer.LIBVIRT_XML) {
                out.add(LIBVIRT_XML);
            } else if (c.layer() == Layer.COMMAND_LINE) {
                out.add(COMMAND_LINE);
            } else if (c.layer() == Layer.QDEV) {
                out.add(QDEV_TREE);
            } else if (c.layer() == Layer.PCI) {
                out.add(PCI_VIEW);
            } else if (c.layer() == Layer.BLOCK) {
                out.add(BLOCK_VIEW);
            }
        });
        for (DeviceObservation o : e.observations()) {
            if (o.layer() == Layer.LIBVIRT_XML) {
                out.add(LIBVIRT_XML);
                break;
            }
        }
        for (Artifact a : e.artifacts()) {
            if (DomainLogParser.FORMAT.equals(a.format())) {
                out.add(DOMAIN_LOG);
            } else if (LibvirtdLogParser.FORMAT.equals(a.format())) {
                out.add(LIBVIRTD_LOG);
            } else if (NovaLogParser.FORMAT.equals(a.format())) {
                out.add(NOVA_LOG);
            }
            if (a.role() == Role.DESTINATION && !Artifact.UNRECOGNIZED.equals(a.format())) {
                out.add(DESTINATION_LOG);
            }
        }
        if (!e.backtraces().isEmpty()) {
            out.add(BACKTRACE);
        }
        for (Event ev : e.events()) {
            if (ev.kind() == EventKind.QEMU_MESSAGE) {
                out.add(QEMU_OUTPUT);
            }
            if (ev.kind() == EventKind.MIGRATION_LOAD_ERROR || ev.kind() == EventKind.MIGRATION_LOAD_FAILED) {
                out.add(DESTINATION_LOG); // only a destination writes these, wherever they were pasted
            }
            if (ev.kind() == EventKind.NOVA_MESSAGE) {
                out.add(NOVA_LOG);
            }
            if (ev.kind() == EventKind.TOOL_MESSAGE && isCrashClass(ev.detail(Detail.MESSAGE_CLASS))) {
                out.add(HOST_CRASH_RECORD);
            } else if (ev.kind() == EventKind.TOOL_MESSAGE || ev.kind() == EventKind.VIRSH_COMMAND) {
                out.add(TOOL_LOG);
            }
            if (roles.get(ev.source().artifact()) == Role.DESTINATION) {
                out.add(DESTINATION_LOG);
            }
        }
        return out;
    }
}
