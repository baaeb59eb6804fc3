package dev.vmcase.analysis.rules;

import dev.vmcase.model.Detail;
import dev.vmcase.model.Event;
import dev.vmcase.model.EventKind;
import dev.vmcase.model.Finding;
import dev.vmcase.model.MessageClass;
import dev.vmcase.model.Severity;
import dev.vmcase.parsers.knowledge.Message;
import dev.vmcase.parsers.knowledge.MessageCatalogue;
import dev.vmcase.parsers.knowledge.MessageMatch;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * {@code DOMAIN_START_FAILED}: the domain never ran. QEMU refused its command line ({@code -blockdev …: The device is
 * not writable}, {@code -drive …: Could not open …}, an unsupported machine type: the catalogue's {@code start/error}
 * entries), libvirt said the start failed ({@code process exited while connecting to monitor},
 * {@code Failed to start domain}: {@code start/failed}), or libvirt's {@code shutting down, reason=failed} ends a
 * domain log in which nothing migrates or loads (no {@code -incoming}, no load error, no migration or restore line:
 * {@link StateLoads}). That is a failed start, never {@code MIGRATION_FAILED}.
 * <p>
 * A line whose catalogue entry states what stopped the start ({@code start-cause}: {@code kvm} for QEMU's
 * {@code Could not access KVM kernel module: …}, {@code ioctl(KVM_CREATE_VM) failed: 16 …}, {@code failed to initialize
 * kvm: …}) is the cause the finding gives, in its summary, its {@code cause} and {@code start-cause} details and the
 * cause's note ({@code note_start_cause_<cause>}); QEMU exits at its accelerator's setup, before any option of a device
 * is read, so such a cause comes before any refused option. Where QEMU went on with another accelerator after KVM's
 * failure ({@code falling back to tcg}, {@code Back to tcg accelerator}, class {@code start/fallback}, right after them in
 * the same file) the KVM lines stopped nothing and are not a failed start.
 * <p>
 * A start that failed because a saved state could not be loaded is the load's failure ({@code SNAPSHOT_RESTORE_FAILED}
 * or the migration rules): this rule stays silent then.
 */
public final class DomainStartFailedRule implements Rule {
    public static final String ID = "DOMAIN_START_FAILED";
    /** The detail a catalogue entry states when its line says what stopped the start ({@code kvm}). */
    static final String START_CAUSE = "start-cause";
    /**
     * How many lines after a KVM failure QEMU's fallback may stand: {@code Could not access KVM kernel module} or
     * {@code ioctl(KVM_CREATE_VM) failed}, then {@code failed to initialize kvm}, then {@code falling back to tcg}.
     */
    private static final int FALLBACK_LINES = 3;
    /** The catalogue's {@code start/error} entries that state a {@link #START_CAUSE}. */
    private static final List<Message> CAUSES = MessageCatalogue.get().of(EnumSet.of(MessageClass.START_ERROR))
            .stream().filter(m -> m.details().get(START_CAUSE) != null).toList();

    @Override
    public String id() {
        return ID;
    }

    /** libvirt's domain log (its banner, QEMU's errors, its shutdown reason). */
    @Override
    public Needs needs() {
        return Needs.of(Need.anyOf("domain-log", EvidenceKind.DOMAIN_LOG));
    }

    @Override
    public List<Finding> evaluate(RuleContext ctx) {
        if (!StateLoads.loadFailures(ctx).isEmpty()) {
            return List.of();
        }
        boolean migratesOrLoads = StateLoads.anyMigrationOrLoad(ctx);
        List<Event> errors = new ArrayList<>();
        List<Event> stops = new ArrayList<>();
        List<Event> fallbacks = ctx.evidence().events().stream()
                .filter(e -> StateLoads.hasClass(e, MessageClass.START_FALLBACK)).toList();
        for (Event e : ctx.evidence().events()) {
            if (StateLoads.hasClass(e, MessageClass.START_ERROR) || StateLoads.hasClass(e, MessageClass.START_FAILED)) {
                if (e.details().get(START_CAUSE) != null && fellBack(e, fallbacks)) {
                    continue; // QEMU went on with another accelerator: KVM's failure did not stop the start
                }
                errors.add(e);
            } else if (e.kind() == EventKind.LIBVIRT_SHUTDOWN && "failed".equals(e.detail(Detail.REASON))) {
                stops.add(e);
            }
        }
        // a stop with reason=failed alone is a failed start only where nothing migrated or loaded
        if (errors.isEmpty() && (stops.isEmpty() || migratesOrLoads)) {
            return List.of();
        }
        Findings f = Findings.of(ID, Severity.ERROR);
        errors.forEach(e -> f.cite(e.source()));
        stops.forEach(e -> f.cite(e.source()));
        Event cause = errors.stream().filter(e -> e.details().get(START_CAUSE) != null).findFirst().orElse(null);
        MessageMatch said = cause == null ? null : MessageCatalogue.match(cause.message(), CAUSES);
        Event refused = errors.stream().filter(e -> e.detail(Detail.OPTION) != null).findFirst().orElse(null);
        if (said != null) {
            // the line that says what stopped the start, as QEMU wrote it (libvirt's quoting around it left out)
            String text = cause.message().substring(said.start(), said.end());
            String why = said.message().details().get(START_CAUSE);
            f.detail("cause", text).detail(START_CAUSE, why).note("note_start_cause_" + why, said.group("error"));
            f.message("domain_start_failed", text);
        } else if (refused != null) {
            f.detail("option", refused.detail(Detail.OPTION)).detail("error", refused.detail(Detail.ERROR));
            f.message("domain_start_failed_option", refused.detail(Detail.OPTION), refused.detail(Detail.ERROR));
        } else if (!errors.isEmpty()) {
            f.message("domain_start_failed", errors.get(0).message());
        } else {
            f.message("domain_start_failed_stopped", stops.get(0).message());
        }
        return List.of(f.build());
    }

    /**
     * Whether QEMU went on with another accelerator after this line: a fallback in the same file within
     * {@link #FALLBACK_LINES} lines after it (QEMU writes it right after the accelerator's failure; a later one belongs to
     * another run, as in a domain log of several starts or a transcript of several commands).
     */
    private static boolean fellBack(Event e, List<Event> fallbacks) {
        return fallbacks.stream().anyMatch(b -> b.source().artifact().equals(e.source().artifact())
                && b.source().line() > e.source().line() && b.source().line() - e.source().line() <= FALLBACK_LINES);
    }
}
