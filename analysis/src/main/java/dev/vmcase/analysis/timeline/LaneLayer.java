package dev.vmcase.analysis.timeline;

/** The layers a host's lanes are split into, top to bottom: who wrote the line. */
public enum LaneLayer {
    NOVA, LIBVIRT, QMP, QEMU, GUEST
}
