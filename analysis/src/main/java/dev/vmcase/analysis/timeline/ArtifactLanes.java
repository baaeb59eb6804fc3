package dev.vmcase.analysis.timeline;

import dev.vmcase.model.Artifact;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Role;
import dev.vmcase.parsers.domainlog.DomainLogParser;
import dev.vmcase.parsers.libvirt.LibvirtdLogParser;
import dev.vmcase.parsers.nova.NovaLogParser;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * Which lane each line of one artifact goes to: the artifact's host (or its migration side when no host is named)
 * and a layer — the format's own (nova, libvirt, QMP, QEMU), except for the lines its records say were written by
 * another layer (a QMP message or a guest-caused event in a domain log, libvirt's own lines in a QEMU log).
 */
final class ArtifactLanes {
    private static final Set<String> GUEST_EVENTS = Set.of("GUEST_PANICKED", "GUEST_CRASHLOADED", "SUSPEND",
            "WAKEUP", "POWERDOWN", "RTC_CHANGE", "WATCHDOG", "GUEST_PVSHUTDOWN", "ACPI_DEVICE_OST");

    final Artifact artifact;
    final String host;
    final LaneLayer base;
    private BitSet qmpLines;
    private BitSet guestLines;
    private BitSet libvirtLines;
    /** Lines the timeline index holds (only tracked for artifacts with QMP messages, whose commands may lack a time). */
    BitSet indexed;
    /** [from, to) ranges of timeline entries of this artifact; lines ascend within each. */
    final List<int[]> ranges = new ArrayList<>();

    ArtifactLanes(Artifact a) {
        this.artifact = a;
        this.host = hostKey(a);
        this.base = baseLayer(a.format());
    }

    void qmp(QmpMessage m) {
        if (qmpLines == null) {
            qmpLines = new BitSet();
            guestLines = new BitSet();
            indexed = new BitSet();
        }
        qmpLines.set(m.source().line());
        if (isGuest(m)) {
            guestLines.set(m.source().line());
        }
    }

    /** A line of a QEMU log that libvirt wrote (its start, shutdown and error lines). */
    void libvirt(int line) {
        if (base != LaneLayer.QEMU) {
            return;
        }
        if (libvirtLines == null) {
            libvirtLines = new BitSet();
        }
        libvirtLines.set(line);
    }

    LaneLayer layerOf(int line) {
        if (guestLines != null && guestLines.get(line)) {
            return LaneLayer.GUEST;
        }
        if (qmpLines != null && qmpLines.get(line)) {
            return LaneLayer.QMP;
        }
        if (libvirtLines != null && libvirtLines.get(line)) {
            return LaneLayer.LIBVIRT;
        }
        return base;
    }

    /** The layer of a QMP message's line: the guest's when the guest caused it. */
    LaneLayer qmpLayer(int line) {
        return guestLines != null && guestLines.get(line) ? LaneLayer.GUEST : LaneLayer.QMP;
    }

    static String hostKey(Artifact a) {
        if (a.host() != null && !a.host().isBlank()) {
            return a.host();
        }
        return a.role() == Role.DESTINATION ? TimelineModel.DESTINATION
                : a.role() == Role.SOURCE ? TimelineModel.SOURCE : TimelineModel.UNKNOWN;
    }

    /** Named hosts first (by name), then the source, destination and unknown sides. */
    static String hostSortKey(String host) {
        if (host.equals(TimelineModel.SOURCE)) {
            return "\u0001a";
        }
        if (host.equals(TimelineModel.DESTINATION)) {
            return "\u0001b";
        }
        return host.equals(TimelineModel.UNKNOWN) ? "\u0001c" : "\u0000" + host;
    }

    static LaneLayer baseLayer(String format) {
        if (format == null) {
            return LaneLayer.QEMU;
        }
        switch (format) {
            case NovaLogParser.FORMAT:
                return LaneLayer.NOVA;
            case LibvirtdLogParser.FORMAT:
            case "libvirt-domain-xml":
                return LaneLayer.LIBVIRT;
            case "qmp-transcript":
            case "qmp-json":
                return LaneLayer.QMP;
            case DomainLogParser.FORMAT:
            default:
                return LaneLayer.QEMU;
        }
    }

    /** Events the guest caused: its panics, power requests and the events QEMU marks {@code guest: true}. */
    static boolean isGuest(QmpMessage m) {
        return m.kind() == QmpKind.EVENT && (GUEST_EVENTS.contains(m.name()) || "true".equals(m.arg("guest")));
    }
}
