package dev.vmcase.analysis.callchain;

import dev.vmcase.analysis.devices.DeviceRow;
import dev.vmcase.analysis.devices.DeviceTable;
import dev.vmcase.analysis.diff.DeviceDiff;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Frame;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A thread's frames as a walk along the call chain, in call order: from the bottom of the stack (the thread start)
 * through the guest's I/O write ({@code kvm_handle_io} → {@code pci_write} → {@code acpi_pcihp_eject_slot}) to the
 * innermost frame ({@code release_drive}). Each step carries its layer, the knowledge base's explanation, the decoded
 * arguments and — once a frame names a slot — the device rows in that slot of the root bus; the frames called from
 * the eject inherit its slot (they act on that device). Pure: no toolkit.
 */
public final class CallChainWalk {
    /** Which way the walk goes. */
    public enum Direction {
        /** Caller to callee: from the guest's write towards the release of the drive. */
        TOWARD_RELEASE,
        /** Callee to caller: from the innermost frame back to the guest's write. */
        TOWARD_GUEST
    }

    /** Functions where the guest's I/O write enters QEMU: a KVM I/O exit, or qtest's outl. */
    static final Set<String> GUEST_ENTRIES = Set.of("kvm_handle_io", "cpu_outl", "cpu_outw", "cpu_outb");

    /**
     * One frame of the walk.
     *
     * @param position     0-based position in call order (0 = outermost frame)
     * @param frame        the frame
     * @param knowledge    what the knowledge base says, or null when the function is unknown to it
     * @param hints        its decoded arguments
     * @param slot         the root-bus slot this frame names or acts on, or null
     * @param slotInherited whether {@code slot} comes from a caller (the eject) rather than from this frame's args
     * @param devices      the device rows in that slot (may be empty: the slot names no device in the evidence)
     */
    public record Step(int position, Frame frame, FrameKnowledge knowledge, List<FrameHint> hints, Integer slot,
                       boolean slotInherited, List<DeviceRow> devices) {
        public Step {
            hints = List.copyOf(hints);
            devices = List.copyOf(devices);
        }

        public String function() {
            return frame.function();
        }

        public Optional<CallLayer> layer() {
            return knowledge == null ? Optional.empty() : Optional.of(knowledge.layer());
        }
    }

    private final BacktraceThread thread;
    private final List<Step> steps;

    private CallChainWalk(BacktraceThread thread, List<Step> steps) {
        this.thread = thread;
        this.steps = List.copyOf(steps);
    }

    /** The walk of one thread, with device links from {@code table} (may be null) and texts in {@code locale}. */
    public static CallChainWalk of(BacktraceThread thread, DeviceTable table, Locale locale) {
        List<Frame> frames = new ArrayList<>(thread.frames());
        frames.sort((a, b) -> Integer.compare(b.index(), a.index()));
        List<DeviceRow> rows = table == null ? List.of() : DeviceDiff.sourceRows(table);
        List<Step> out = new ArrayList<>();
        Integer carried = null;
        for (Frame f : frames) {
            FrameKnowledge k = CallChainKnowledge.standard().lookup(f.function(), locale);
            List<FrameHint> hints = FrameHints.standard().hints(f, locale, thread.frames());
            Integer own = hints.stream().map(FrameHint::slot).filter(s -> s != null).findFirst().orElse(null);
            Integer slot = own != null ? own : carried;
            if (own != null) {
                carried = own;
            }
            Integer s = slot;
            // the device in that root-bus slot and whatever sits behind it (a root port and its devices)
            List<DeviceRow> devices = s == null ? List.of() : DeviceTable.inRootSlot(rows, s);
            out.add(new Step(out.size(), f, k, hints, slot, own == null && slot != null, devices));
        }
        return new CallChainWalk(thread, out);
    }

    /** Every thread of the backtraces with a walk. */
    public static List<CallChainWalk> of(List<Backtrace> backtraces, DeviceTable table, Locale locale) {
        List<CallChainWalk> out = new ArrayList<>();
        for (Backtrace b : backtraces) {
            for (BacktraceThread t : b.threads()) {
                if (!t.frames().isEmpty()) {
                    out.add(of(t, table, locale));
                }
            }
        }
        return out;
    }

    public BacktraceThread thread() {
        return thread;
    }

    /** The steps in call order: outermost frame first, innermost ({@code #0}) last. */
    public List<Step> steps() {
        return steps;
    }

    public int size() {
        return steps.size();
    }

    public Step step(int position) {
        return steps.get(position);
    }

    /** Where the guest's I/O write enters QEMU ({@code kvm_handle_io}), or 0 when this thread has none. */
    public int guestEntry() {
        for (Step s : steps) {
            if (GUEST_ENTRIES.contains(CallChainKnowledge.normalize(s.function()))) {
                return s.position();
            }
        }
        return 0;
    }

    /** The innermost frame. */
    public int innermost() {
        return steps.size() - 1;
    }

    /** Whether any frame of this thread names or acts on {@code slot}. */
    public boolean touchesSlot(int slot) {
        return steps.stream().anyMatch(s -> s.slot() != null && s.slot() == slot);
    }

    /** The first frame naming {@code slot} in its own arguments, or -1. */
    public int firstNaming(int slot) {
        return steps.stream().filter(s -> !s.slotInherited() && s.slot() != null && s.slot() == slot)
                .mapToInt(Step::position).findFirst().orElse(-1);
    }

    /** The next position in {@code direction}, or the same position at either end. */
    public int next(int position, Direction direction) {
        int n = direction == Direction.TOWARD_RELEASE ? position + 1 : position - 1;
        return Math.max(0, Math.min(steps.size() - 1, n));
    }

    /** The thread's label: {@code 4 "CPU 0/KVM"}, or "" for a plain bt. */
    public String label() {
        if (thread.number() == null) {
            return thread.name() == null ? "" : thread.name();
        }
        return thread.number() + (thread.name() == null ? "" : " " + thread.name());
    }
}
