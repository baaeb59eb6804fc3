package dev.vmcase.views.fleet;

import java.util.List;

/**
 * What the fleet view shows, already in the user's language: a fleet audit as hosts and their VMs. The application
 * builds it from a fleet case; the view knows nothing of the audit's files. Immutable.
 *
 * @param title   the window's heading (the case's name)
 * @param summary one line: hosts, VMs, how many blocked, unknown, ready
 * @param hosts   every host, in any order (the view puts the worst first)
 */
public record FleetRows(String title, String summary, List<Host> hosts) {
    /** A verdict as the view orders and colours it: the worst first. */
    public enum Status {
        BLOCKED, UNKNOWN, NO_RESULT, READY_CAVEATS, READY
    }

    public FleetRows {
        hosts = List.copyOf(hosts);
    }

    /**
     * A host: its name, its worst status, a line saying what it runs or why it has no audit, and its VMs.
     */
    public record Host(String name, Status status, String note, List<Vm> vms) {
        public Host {
            vms = List.copyOf(vms);
        }

        public long count(Status s) {
            return vms.stream().filter(v -> v.status() == s).count();
        }
    }

    /**
     * A VM: its name, its status with the verdict's word ({@code blocked}, {@code ready*}), the one-line reason, the
     * detail lines (findings with their evidence, what could not be read, caveats), and whether its evidence can be
     * opened from the case ({@code evidence}: a sentence saying where it is when it cannot).
     */
    public record Vm(String host, String name, Status status, String verdict, String reason, List<String> details,
                     boolean openable, String evidence) {
        public Vm {
            details = List.copyOf(details);
        }
    }
}
