package dev.vmcase.analysis.rules;

import dev.vmcase.analysis.callchain.CallChainKnowledge;
import dev.vmcase.analysis.callchain.CallChainWalk;
import dev.vmcase.model.Backtrace;
import dev.vmcase.model.BacktraceThread;
import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Finding;
import dev.vmcase.model.Frame;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.QmpKind;
import dev.vmcase.model.QmpMessage;
import dev.vmcase.model.Severity;
import dev.vmcase.model.SourceRef;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code QEMU_CRASHED}: the QEMU process died of itself — a fatal signal in a backtrace or in {@code coredumpctl info}
 * ({@code Signal: 6 (ABRT)}, {@code received signal SIGSEGV}), a thread stopped in {@code abort()}, a line of the
 * message catalogue's crash classes ({@code crash/assertion}: glibc's {@code …: Assertion `…' failed.};
 * {@code crash/abort}: a library's fatal critical, the shell's {@code Aborted (core dumped)}), or libvirt's
 * {@code shutting down, reason=crashed}, or libvirt losing QEMU's monitor right after it sent a {@code device_del} or a
 * {@code migrate} with nothing else to explain it (the weakest sign, which the finding says). A stop someone asked for ({@code terminating on signal 15}, class
 * {@code stop/signal}) and the catalogue's harmless criticals (class {@code noise}, such as QEMU 7.2's GLib
 * {@code g_timer_elapsed} assertion on quit) are not crashes.
 *
 * <p>Detail {@code during} says what QEMU was doing: {@code unplug} when the crashing stack holds the unplug or eject
 * path ({@code crash-stacks.txt}) or when the last command QEMU was given before the crash (read-only queries
 * aside) is a {@code device_del} still pending; {@code migration} when the stack holds the migration code or the last
 * command started one that had not ended; {@code runtime} otherwise, where the evidence could have shown either (QMP,
 * libvirt's logs of the domain, a backtrace) or shows a start that failed; {@code unknown} where it holds none (a bare record of the kernel or
 * systemd-coredump). An
 * unplug names its device (the {@code device_del}'s id, or the device in the root-bus slot the eject acts on, decoded
 * by the call-chain walker) and cites the {@code device_del}. The finding cites the crash lines: the signal's line, the crashing thread's top
 * frames and its unplug or migration frame, the assertion or critical line, libvirt's verdict. One finding per VM.
 *
 * <p>{@link UnackedUnplugRule} asks {@link #find(RuleContext)} so as not to blame the guest for the
 * {@code DEVICE_DELETED} that never came from a process that died during the unplug.
 */
public final class QemuCrashedRule implements Rule {
    public static final String ID = "QEMU_CRASHED";
    static final String UNPLUG = "unplug";
    static final String MIGRATION = "migration";
    static final String RUNTIME = "runtime";
    /** Nothing in the evidence tells what QEMU was doing: no command sent to it, no crashing stack. */
    static final String UNKNOWN = "unknown";
    private static final String ABORT = "abort";
    /** Signals a process dies of by itself; SIGTERM, SIGINT, SIGKILL are sent by someone, SIGTRAP is a debugger's. */
    private static final Set<String> FATAL_SIGNALS = Set.of("SIGSEGV", "SIGABRT", "SIGBUS", "SIGILL", "SIGFPE",
            "SIGSYS");
    private static final Set<MessageClass> CRASH = EnumSet.of(MessageClass.CRASH_ASSERTION, MessageClass.CRASH_ABORT);
    private static final Set<MessageClass> NOT_CRASH = EnumSet.of(MessageClass.NOISE, MessageClass.STOPPED_BY_SIGNAL);
    /**
     * The catalogue's entries of the classes a line is tested for, each list once: an event's text is matched against
     * these only, never the whole catalogue (a 1 GB log's millions of events each ran every entry whose needle they
     * held: a fifth of the analysis' time).
     */
    private static final List<Message> CRASH_OR_NOT = MessageCatalogue.get().of(EnumSet.of(MessageClass.CRASH_ASSERTION,
            MessageClass.CRASH_ABORT, MessageClass.NOISE, MessageClass.STOPPED_BY_SIGNAL));
    private static final java.util.Map<MessageClass, List<Message>> OF_CLASS = new java.util.EnumMap<>(java.util.Map.of(
            MessageClass.MONITOR_LOST, MessageCatalogue.get().of(EnumSet.of(MessageClass.MONITOR_LOST)),
            MessageClass.MIGRATION_STARTED, MessageCatalogue.get().of(EnumSet.of(MessageClass.MIGRATION_STARTED))));
    /** Commands that change nothing: they do not tell what QEMU was busy with. */
    private static final Pattern READ_ONLY = Pattern.compile("^(?:query-.*|qom-get|qom-list|qmp_capabilities|info\\b.*)$");
    private static final Set<String> MIGRATE_COMMANDS = Set.of("migrate", "migrate-incoming", "migrate-resume",
            "migrate-recover");
    private static final Set<String> MIGRATION_RUNNING = Set.of("setup", "active", "pre-switchover", "device",
            "postcopy-active", "postcopy-paused", "postcopy-recover", "wait-unplug");
    /** What a function on a crashing stack says: abort, unplug, migration (crash-stacks.txt). */
    private static final Map<String, String> STACK_ROLES = load();
    private static final int TOP_FRAMES = 3;
    /** The rank of a lost monitor: the weakest sign of a crash, below libvirt's own {@code reason=crashed}. */
    private static final int MONITOR_ONLY = 3;

    @Override
    public String id() {
        return ID;
    }

    /**
     * Anything a crash leaves: a backtrace or core dump listing, QEMU's own messages (its stderr, the domain log),
     * libvirt's domain log (its {@code reason=crashed}), or the QMP conversation the crash cut short.
     */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("crash-record", EvidenceKind.BACKTRACE, EvidenceKind.QEMU_OUTPUT,
                EvidenceKind.DOMAIN_LOG, EvidenceKind.QMP_CONVERSATION, EvidenceKind.HOST_CRASH_RECORD));
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        Crash c = find(ctx);
        if (c == null) {
            return List.of();
        }
        Findings f = Findings.of(ID, Severity.ERROR).cite(c.cites());
        if (c.device() != null) {
            f.devices(ctx.devices().sourceById(c.device()).map(r -> r.names()).orElse(List.of(c.device())));
        }
        if (!c.slotDevices().isEmpty()) {
            f.devices(c.slotDevices());
        }
        f.detail("during", c.during())
                .detail("device", c.device())
                .detail("slot", c.slot() == null ? null : Integer.toString(c.slot()))
                .detail("pci", c.slot() == null ? null : String.format(Locale.ROOT, "0000:00:%02x.0", c.slot()))
                .detail("signal", c.signal())
                .detail("crash-line", abbreviate(c.first().text()));
        if (c.monitorOnly()) {
            f.detail("evidence", "monitor-lost").note("note_crash_monitor_only", abbreviate(c.first().text()));
        }
        String what = abbreviate(c.first().text());
        String named = c.device() != null ? c.device()
                : c.slotDevices().isEmpty() ? null : String.join(", ", c.slotDevices());
        if (UNPLUG.equals(c.during()) && named != null) {
            f.message("qemu_crashed_unplug", what, named);
        } else if (UNPLUG.equals(c.during()) && c.slot() != null) {
            f.message("qemu_crashed_unplug_slot", what, Integer.toString(c.slot()));
        } else if (UNPLUG.equals(c.during())) {
            f.message("qemu_crashed_unplug_unnamed", what);
        } else if (MIGRATION.equals(c.during())) {
            f.message("qemu_crashed_migration", what);
        } else if (UNKNOWN.equals(c.during())) {
            f.message("qemu_crashed_unknown", what);
        } else {
            f.message("qemu_crashed_runtime", what);
        }
        return List.of(f.build());
    }

    /**
     * What the evidence of one VM says of a crash of its QEMU, or null when it shows none.
     *
     * @param cites       the lines to cite, the crash's own first
     * @param first       the line that shows the crash best (an assertion or critical, else the signal, else the verdict)
     * @param during      {@code unplug}, {@code migration} or {@code runtime}
     * @param device      the device being unplugged, by the {@code device_del}'s id, or null
     * @param slot        the root-bus slot an eject on the crashing stack acts on, or null
     * @param slotDevices the devices of the evidence in that slot
     * @param signal      the fatal signal, when a line names it
     * @param monitorOnly whether the only sign of the crash is libvirt losing the monitor right after a command
     */
    record Crash(List<SourceRef> cites, SourceRef first, String during, String device, Integer slot,
                 List<String> slotDevices, String signal, boolean monitorOnly) {
    }

    /** A line showing the crash, with where it stands (for what came before it). */
    private record Mark(SourceRef ref, Instant time, int rank) {
    }

    /** The crash the evidence shows, or null; worked out once per context (UNACKED_UNPLUG asks too). */
    static Crash find(RuleContext ctx) {
        return ctx.once("qemu-crashed.crash", c -> java.util.Optional.ofNullable(findCrash(c))).orElse(null);
    }

    private static Crash findCrash(RuleContext ctx) {
        List<Mark> marks = new ArrayList<>();
        List<SourceRef> cites = new ArrayList<>();
        MessageCatalogue catalogue = MessageCatalogue.get();
        for (Event e : ctx.evidence().events()) {
            if (e.kind() == EventKind.LIBVIRT_SHUTDOWN && "crashed".equals(e.detail(Detail.REASON))) {
                if (!afterFailedLoad(ctx, e)) {
                    marks.add(new Mark(e.source(), e.time(), 2));
                }
                continue;
            }
            if (isCrashLine(catalogue, e)) {
                marks.add(new Mark(e.source(), e.time(), 0));
            } else if (lostAfterCommand(ctx, catalogue, e)) {
                marks.add(new Mark(e.source(), e.time(), MONITOR_ONLY));
            }
        }
        // the crashing threads: a fatal signal, or frames in abort()
        String signal = null;
        String stackDuring = null;
        Integer slot = null;
        List<String> slotDevices = List.of();
        for (Backtrace b : ctx.evidence().backtraces()) {
            for (BacktraceThread t : b.threads()) {
                boolean fatal = t.signal() != null && FATAL_SIGNALS.contains(t.signal());
                if (!fatal && !holds(t, ABORT)) {
                    continue;
                }
                if (fatal && signal == null) {
                    signal = t.signal();
                }
                SourceRef at = t.signalSource() != null ? t.signalSource()
                        : t.frames().isEmpty() ? b.source() : t.frames().get(0).source();
                marks.add(new Mark(at, null, 1));
                if (t.signalSource() != null) {
                    cites.add(t.signalSource());
                }
                t.frames().stream().limit(TOP_FRAMES).forEach(fr -> cites.add(fr.source()));
                for (String role : List.of(UNPLUG, MIGRATION)) {
                    if (stackDuring == null && holds(t, role)) {
                        stackDuring = role;
                        // the whole unplug (or migration) path on the stack: what the thread was doing
                        t.frames().stream().filter(fr -> hasRole(fr, role)).forEach(fr -> cites.add(fr.source()));
                    }
                }
                if (UNPLUG.equals(stackDuring) && slot == null) {
                    // the eject's slot bitmap, decoded by the call-chain walker (root bus only); an unplug frame's
                    // own slot before that of the I/O write that led to it
                    CallChainWalk.Step ejects = null;
                    for (CallChainWalk.Step s : CallChainWalk.of(t, ctx.devices(), Locale.ROOT).steps()) {
                        if (s.slot() != null && !s.slotInherited() && (ejects == null || hasRole(s.frame(), UNPLUG))) {
                            ejects = s;
                        }
                    }
                    if (ejects != null) {
                        slot = ejects.slot();
                        slotDevices = ejects.devices().stream().flatMap(r -> r.names().stream()).distinct().toList();
                        cites.add(ejects.frame().source());
                    }
                }
            }
        }
        if (marks.isEmpty()) {
            return null;
        }
        Mark best = marks.get(0);
        for (Mark m : marks) {
            if (m.rank() < best.rank()) {
                best = m;
            }
        }
        List<SourceRef> all = new ArrayList<>();
        all.add(best.ref());
        marks.forEach(m -> all.add(m.ref()));
        all.addAll(cites);
        // what QEMU had been asked to do when it died
        String during = stackDuring;
        String device = null;
        for (Mark m : marks) {
            QmpMessage last = lastCommandBefore(ctx, m);
            if (last == null) {
                continue;
            }
            // the first crash line a command precedes decides; a crash line of another file says nothing more
            String target = Unplugs.deviceDelTarget(last);
            if (target != null && pendingAt(ctx, last, m)) {
                if (during == null || UNPLUG.equals(during)) {
                    during = UNPLUG;
                    device = target;
                    all.add(last.source());
                }
            } else if (during == null && (MIGRATE_COMMANDS.contains(commandName(last)) || migrationRunning(ctx, m))) {
                during = MIGRATION;
                all.add(last.source());
            }
            break;
        }
        if (during == null) {
            // libvirt's own word that the domain was migrating ('initiating migration') since its start
            for (Mark m : marks) {
                Event started = migrationStarted(ctx, catalogue, m);
                if (started != null) {
                    during = MIGRATION;
                    all.add(started.source());
                    break;
                }
            }
        }
        if (during == null) {
            // "neither an unplug nor a migration" only where the evidence could have shown one: the commands sent to
            // QEMU, libvirt's logs of the domain, its threads' stacks; a bare crash record (the kernel's,
            // systemd-coredump's) cannot
            during = couldShowWhatQemuDid(ctx) ? RUNTIME : UNKNOWN;
        }
        return new Crash(List.copyOf(new java.util.LinkedHashSet<>(all)), best.ref(), during, device, slot,
                slotDevices, signal, best.rank() == MONITOR_ONLY);
    }

    private static boolean couldShowWhatQemuDid(RuleContext ctx) {
        if (!ctx.evidence().backtraces().isEmpty()) {
            return true;
        }
        for (Event e : ctx.evidence().events()) {
            // a start that failed (libvirt's, virsh's, a tool's launching the domain): QEMU died while starting
            if (StateLoads.hasClass(e, MessageClass.START_FAILED) || StateLoads.hasClass(e, MessageClass.START_ERROR)) {
                return true;
            }
        }
        Set<EvidenceKind> kinds = EvidenceKind.present(ctx.evidence());
        return kinds.contains(EvidenceKind.QMP_CONVERSATION) || kinds.contains(EvidenceKind.LIBVIRTD_LOG)
                || kinds.contains(EvidenceKind.DOMAIN_LOG);
    }

    /**
     * libvirt lost QEMU's monitor ({@code qemu unexpectedly closed the monitor}, {@code End of file from qemu monitor},
     * class {@code monitor/lost}) right after it sent a command that changes the guest — a {@code device_del} still
     * pending, a {@code migrate} — and nothing else explains the exit: the line quotes no QEMU error (a failed load, a
     * refused option) and no load failed since the domain's start. QEMU then died during that command. A QEMU killed
     * from outside ends the same way, which the finding says ({@link Crash#monitorOnly()}).
     */
    private static boolean lostAfterCommand(RuleContext ctx, MessageCatalogue catalogue, Event e) {
        if (!is(catalogue, e, MessageClass.MONITOR_LOST)) {
            return false;
        }
        for (MessageMatch m : catalogue.all(text(e))) {
            if (m.messageClass() != MessageClass.MONITOR_LOST) {
                return false; // QEMU's own last words explain why it went (a load it refused, an option)
            }
        }
        if (afterFailedLoad(ctx, e)) {
            return false;
        }
        Mark at = new Mark(e.source(), e.time(), MONITOR_ONLY);
        QmpMessage last = lastCommandBefore(ctx, at);
        if (last == null) {
            return false;
        }
        return Unplugs.deviceDelTarget(last) != null ? pendingAt(ctx, last, at)
                : MIGRATE_COMMANDS.contains(commandName(last));
    }

    /**
     * libvirt also says {@code reason=crashed} when QEMU exits on an incoming state it could not load (seen with
     * libvirt 4.0 and nova's CI, LP 1761798): a load failure in the same log since the domain's start explains it.
     */
    private static boolean afterFailedLoad(RuleContext ctx, Event shutdown) {
        SourceRef at = shutdown.source();
        int start = lastStartBefore(ctx, at);
        for (Event e : ctx.evidence().events()) {
            if ((e.kind() == EventKind.MIGRATION_LOAD_FAILED || e.kind() == EventKind.MIGRATION_LOAD_ERROR)
                    && e.source().artifact().equals(at.artifact()) && e.source().line() > start
                    && e.source().line() < at.line()) {
                return true;
            }
        }
        return false;
    }

    /** A line of the catalogue's crash classes that no harmless entry also claims. */
    private static boolean isCrashLine(MessageCatalogue catalogue, Event e) {
        MessageClass known = MessageClass.of(e.detail(Detail.MESSAGE_CLASS));
        if (known != null) {
            return CRASH.contains(known);
        }
        boolean crash = false;
        String text = text(e);
        for (Message m : CRASH_OR_NOT) {
            if (m.find(text) == null) {
                continue;
            }
            if (NOT_CRASH.contains(m.messageClass())) {
                return false;
            }
            crash |= CRASH.contains(m.messageClass());
        }
        return crash;
    }

    /**
     * The last command QEMU was given before a crash line that changes something: in the same file by line, in
     * another by time when both are known.
     */
    private static QmpMessage lastCommandBefore(RuleContext ctx, Mark mark) {
        QmpMessage last = null;
        for (QmpMessage m : ctx.evidence().qmp()) {
            if (m.kind() != QmpKind.COMMAND || READ_ONLY.matcher(commandName(m)).matches()) {
                continue;
            }
            boolean before = m.source().artifact().equals(mark.ref().artifact())
                    ? m.source().line() < mark.ref().line()
                    : m.time() != null && mark.time() != null && m.time().isBefore(mark.time());
            if (!before) {
                continue;
            }
            if (last == null || later(m, last)) {
                last = m;
            }
        }
        return last;
    }

    private static boolean later(QmpMessage a, QmpMessage b) {
        if (a.source().artifact().equals(b.source().artifact())) {
            return a.source().line() > b.source().line();
        }
        return a.time() != null && b.time() != null && a.time().isAfter(b.time());
    }

    /** A device_del not refused, and not acknowledged before the crash line. */
    private static boolean pendingAt(RuleContext ctx, QmpMessage command, Mark mark) {
        for (Unplugs.Unplug u : ctx.unplugs()) {
            if (u.command().equals(command)) {
                if (u.refused()) {
                    return false;
                }
                if (u.ack() == null) {
                    return true;
                }
                return u.ack().source().artifact().equals(mark.ref().artifact())
                        ? u.ack().source().line() > mark.ref().line()
                        : u.ack().time() == null || mark.time() == null || u.ack().time().isAfter(mark.time());
            }
        }
        return true; // a device_del with no conversation entry (HMP in a paste): nothing says it completed
    }

    /** The last MIGRATION event before the crash line, in its file, says a migration was still running. */
    private static boolean migrationRunning(RuleContext ctx, Mark mark) {
        String status = null;
        for (QmpMessage m : ctx.evidence().qmp()) {
            if (m.kind() == QmpKind.EVENT && "MIGRATION".equals(m.name())
                    && m.source().artifact().equals(mark.ref().artifact()) && m.source().line() < mark.ref().line()) {
                status = m.arg("status");
            }
        }
        return status != null && MIGRATION_RUNNING.contains(status);
    }

    /**
     * The last line of the catalogue's {@code migration/started} class in the crash line's file, after the domain's
     * last start and before the crash line, or null.
     */
    private static Event migrationStarted(RuleContext ctx, MessageCatalogue catalogue, Mark mark) {
        int start = lastStartBefore(ctx, mark.ref());
        Event found = null;
        for (Event e : ctx.evidence().events()) {
            SourceRef r = e.source();
            if (r.artifact().equals(mark.ref().artifact()) && r.line() > start && r.line() < mark.ref().line()
                    && is(catalogue, e, MessageClass.MIGRATION_STARTED)
                    && (found == null || r.line() > found.source().line())) {
                found = e;
            }
        }
        return found;
    }

    /** The line of the domain's last {@code starting up} before a line of the same file, or 0. */
    private static int lastStartBefore(RuleContext ctx, SourceRef at) {
        int start = 0;
        for (Event e : ctx.evidence().events()) {
            if (e.kind() == EventKind.LIBVIRT_START && e.source().artifact().equals(at.artifact())
                    && e.source().line() < at.line()) {
                start = Math.max(start, e.source().line());
            }
        }
        return start;
    }

    /**
     * Whether the event's catalogue class ({@link #classOf}) is {@code c}: looked up in full only when an entry of that
     * class recognises its text at all (most events are of no class this rule asks about).
     */
    private static boolean is(MessageCatalogue catalogue, Event e, MessageClass c) {
        MessageClass known = MessageClass.of(e.detail(Detail.MESSAGE_CLASS));
        if (known != null) {
            return known == c;
        }
        return MessageCatalogue.match(text(e), OF_CLASS.get(c)) != null && classOf(catalogue, e) == c;
    }

    /** The catalogue class of an event: the one its parser wrote, else the first entry that recognises its text. */
    private static MessageClass classOf(MessageCatalogue catalogue, Event e) {
        MessageClass known = MessageClass.of(e.detail(Detail.MESSAGE_CLASS));
        if (known != null) {
            return known;
        }
        MessageMatch m = catalogue.match(text(e));
        return m == null ? null : m.messageClass();
    }

    private static String text(Event e) {
        return e.message() != null && !e.message().isEmpty() ? e.message() : e.source().text();
    }

    /** A QMP command's name, or an HMP command line's first word. */
    private static String commandName(QmpMessage m) {
        String hmp = RuleContext.hmpCommand(m);
        if (hmp != null) {
            String s = hmp.strip();
            int sp = s.indexOf(' ');
            return sp < 0 ? s : s.substring(0, sp);
        }
        return m.name() == null ? "" : m.name();
    }

    private static boolean holds(BacktraceThread t, String role) {
        return t.frames().stream().anyMatch(fr -> hasRole(fr, role));
    }

    private static boolean hasRole(Frame fr, String role) {
        return fr.function() != null
                && role.equals(STACK_ROLES.get(CallChainKnowledge.normalize(fr.function())));
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private static Map<String, String> load() {
        Properties p = new Properties();
        try (InputStream in = QemuCrashedRule.class.getResourceAsStream("crash-stacks.txt")) {
            if (in == null) {
                throw new IllegalStateException("crash-stacks.txt is missing from the classpath");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new HashMap<>();
        for (String fn : p.stringPropertyNames()) {
            String role = p.getProperty(fn).strip();
            if (!Set.of(ABORT, UNPLUG, MIGRATION).contains(role)) {
                throw new IllegalStateException("crash-stacks.txt: " + fn + " has no known role: " + role);
            }
            m.put(fn, role);
        }
        return Map.copyOf(m);
    }

    /** The functions of a role, for tests. */
    static Set<String> functionsOf(String role) {
        Set<String> out = new java.util.TreeSet<>();
        STACK_ROLES.forEach((k, v) -> {
            if (v.equals(role)) {
                out.add(k);
            }
        });
        return out;
    }
}
